"""Uploads coded in the background, so the page can show the reports being coded.

An upload becomes a job: its reports are read at once (a bad file is refused before any
job exists), then coded on a worker thread while the request returns the job's id. The
page polls `GET /api/uploads/{job_id}` and shows "n of N" with each failure named. Jobs
run one at a time (extraction is CPU-bound and the database has one writer); a server
stopped half-way loses nothing stored, and the same upload sent again goes on where it
stopped (reports are keyed by their text).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from sitrep.errors import InputError, SitrepError
from sitrep.ingest import BatchSummary, Extractor, IngestIssue
from sitrep.models import Report
from sitrep.store import IngestChannel, Store
from sitrep.store.accounts import User
from sitrep.store.review import NotFoundError, Reviews
from sitrep.web._ingest import IngestResult, check_source_contact, ingest

_log = logging.getLogger(__name__)

#: Jobs kept for their status page; past this the oldest finished ones are forgotten.
KEPT_JOBS = 200
_ENDED = frozenset({"done", "failed"})


class UploadStatus(BaseModel):
    """Where an upload's coding stands."""

    job_id: str
    #: queued (another upload is being coded), running, done, or failed (nothing usable).
    state: Literal["queued", "running", "done", "failed"] = "queued"
    #: Reports in the upload, and how many have been coded (or failed) so far.
    total: int
    done: int = 0
    events: int = 0
    #: Each document that could not be read or coded, named, with its reason.
    failures: list[str] = Field(default_factory=list)
    #: Why the whole upload failed (state "failed").
    error: str | None = None
    #: The reports and their events, once done.
    result: IngestResult | None = None


class _Job:
    def __init__(self, status: UploadStatus, owner: str) -> None:
        self.status = status
        self.owner = owner


class UploadJobs:
    """The workspace's upload jobs: started by `start`, read by `status`."""

    def __init__(self, store: Store, reviews: Reviews, extractor: Extractor) -> None:
        self._store = store
        self._reviews = reviews
        self._extractor = extractor
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._jobs_lock = threading.Lock()
        #: Held while a job codes: one job at a time, the others queued behind it.
        self._coding = threading.Lock()

    def start(
        self,
        items: Sequence[Report | IngestIssue],
        *,
        by: User,
        source_contact: str | None = None,
        via: IngestChannel = "api",
    ) -> UploadStatus:
        """Queue the coding of `items` and return its status at once; an upload without a
        single readable report is refused (InputError) with what was wrong."""
        check_source_contact(self._reviews, source_contact, by)
        total = sum(isinstance(item, Report) for item in items)
        if not total:
            # Nothing to code (a CSV without its text column, an empty file): say why now.
            raise InputError("; ".join(map(str, items)) or "no report found in the upload")
        failed = [
            str(item) for item in items if isinstance(item, IngestIssue) and item.kind == "failed"
        ]
        job = _Job(UploadStatus(job_id=uuid.uuid4().hex, total=total, failures=failed), by.name)
        with self._jobs_lock:
            self._jobs[job.status.job_id] = job
            finished = [key for key, kept in self._jobs.items() if kept.status.state in _ENDED]
            for key in finished[: max(0, len(self._jobs) - KEPT_JOBS)]:
                del self._jobs[key]  # the oldest finished first; a job under way stays
        # A daemon thread: stopping the server does not wait for a long upload.
        threading.Thread(
            target=self._run,
            args=(job, list(items), by, source_contact, via),
            name=f"sitrep-upload-{job.status.job_id[:8]}",
            daemon=True,
        ).start()
        return job.status.model_copy()

    def status(self, job_id: str, user: User) -> UploadStatus:
        """The job's status, for the user who started it (or an admin)."""
        with self._jobs_lock:
            job = self._jobs.get(job_id)
            if job is None or (job.owner != user.name and not user.may("admin")):
                raise NotFoundError(
                    f"no upload {job_id!r} of yours: it finished long ago or the server was "
                    "restarted; its reports are listed at /reports"
                )
            return job.status.model_copy(deep=True)

    def _run(
        self,
        job: _Job,
        items: list[Report | IngestIssue],
        by: User,
        source_contact: str | None,
        via: IngestChannel,
    ) -> None:
        read_failures = list(job.status.failures)

        def progress(summary: BatchSummary) -> None:
            # The batch's failures hold the unreadable documents once it has passed them.
            failures = [*read_failures, *(str(issue) for issue in summary.failures)]
            with self._jobs_lock:
                job.status.done = summary.reports_read
                job.status.events = summary.events_found
                job.status.failures = list(dict.fromkeys(failures))

        with self._coding:
            with self._jobs_lock:
                job.status.state = "running"
            try:
                result = ingest(
                    items,
                    store=self._store,
                    reviews=self._reviews,
                    extractor=self._extractor,
                    source_contact=source_contact,
                    by=by,
                    on_report=progress,
                    via=via,
                )
            except SitrepError as error:
                with self._jobs_lock:
                    job.status.state, job.status.error = "failed", str(error)
                return
            except Exception as error:  # noqa: BLE001 - the page must learn the job ended
                _log.exception("upload %s failed", job.status.job_id)
                with self._jobs_lock:
                    job.status.state = "failed"
                    job.status.error = f"the server failed coding the upload: {error}"
                return
            with self._jobs_lock:
                job.status.state, job.status.result = "done", result
                job.status.done = job.status.total
