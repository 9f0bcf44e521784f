"""Uploads coded in the background, so the page can show the reports being coded.

An upload becomes a job: its reports are read at once (a bad file is refused before any
job exists), then coded on a thread of the worker process that took the upload while the
request returns the job's id. The page polls `GET /api/uploads/{job_id}` and shows "n of
N" with each failure named. Jobs live in the database (`upload_jobs`,
store/server_state.py), so any worker process answers the poll. Each process codes one job
at a time (extraction is CPU-bound); the others wait, queued. A process coding or holding
jobs writes a heartbeat every few seconds: a job whose process has stopped (its pid gone on
this host, or no heartbeat for a minute) is shown as failed with the reason. A server
stopped half-way loses nothing stored, and the same upload sent again goes on where it
stopped (reports are keyed by their text).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from pydantic import BaseModel, Field

from sitrep.errors import InputError, SitrepError
from sitrep.ingest import BatchSummary, Extractor, IngestIssue
from sitrep.models import Report
from sitrep.store import IngestChannel, Store
from sitrep.store.accounts import User
from sitrep.store.review import NotFoundError, Reviews
from sitrep.store.server_state import (
    LIVE_STATES,
    JobState,
    UploadJobRecord,
    UploadJobTable,
    utc_now,
)
from sitrep.web._ingest import IngestResult, check_source_contact, ingest

_log = logging.getLogger(__name__)

#: Jobs kept for their status page; past this the oldest ended ones are forgotten.
KEPT_JOBS = 200
#: How often a process says its jobs are alive, and how long a silence means it has stopped.
HEARTBEAT = timedelta(seconds=10)
ABANDONED_AFTER = timedelta(seconds=60)


class UploadStatus(BaseModel):
    """Where an upload's coding stands."""

    job_id: str
    #: queued (another upload is being coded), running, done, or failed (nothing usable).
    state: JobState = "queued"
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


def this_worker() -> str:
    """This process, as "HOST:PID"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


class UploadJobs:
    """The workspace's upload jobs: started by `start`, read by `status`."""

    def __init__(
        self,
        store: Store,
        reviews: Reviews,
        extractor: Extractor,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._table = UploadJobTable(store)
        self._reviews = reviews
        self._store = store
        self._extractor = extractor
        self._clock = clock
        #: Held while a job codes: one job at a time per process, the others queued.
        self._coding = threading.Lock()
        #: Jobs of this process not ended yet, and the thread beating while there are any.
        self._live = 0
        self._live_lock = threading.Lock()
        self._beating = threading.Event()

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
        status = UploadStatus(job_id=uuid.uuid4().hex, total=total, failures=failed)
        worker = this_worker()
        self._table.create(
            UploadJobRecord(
                job_id=status.job_id,
                owner=by.name,
                state=status.state,
                worker=worker,
                heartbeat_at=self._clock(),
                status=status.model_dump_json(),
            ),
            keep=KEPT_JOBS,
        )
        with self._live_lock:
            self._live += 1
            if not self._beating.is_set():
                self._beating.set()
                threading.Thread(
                    target=self._beat, args=(worker,), name="sitrep-upload-heartbeat", daemon=True
                ).start()
        # A daemon thread: stopping the server does not wait for a long upload.
        threading.Thread(
            target=self._run,
            args=(
                status.model_copy(deep=True),
                partial(
                    ingest,
                    list(items),
                    store=self._store,
                    reviews=self._reviews,
                    extractor=self._extractor,
                    source_contact=source_contact,
                    by=by,
                    via=via,
                ),
            ),
            name=f"sitrep-upload-{status.job_id[:8]}",
            daemon=True,
        ).start()
        return status

    def status(self, job_id: str, user: User) -> UploadStatus:
        """The job's status, for the user who started it (or an admin), whichever process
        codes it; a job whose process stopped is shown as failed, with why."""
        record = self._table.get(job_id)
        if record is None or (record.owner != user.name and not user.may("admin")):
            raise NotFoundError(
                f"no upload {job_id!r} of yours: it finished long ago; "
                "its reports are listed at /reports"
            )
        status = UploadStatus.model_validate_json(record.status)
        if record.state in LIVE_STATES and self._abandoned(record):
            status.state = "failed"
            status.error = (
                f"the server process coding this upload ({record.worker}) stopped after "
                f"{status.done} of {status.total} reports: the reports it stored are listed "
                "at /reports; send the file again to code the rest"
            )
            self._save(status)
        return status

    def _abandoned(self, record: UploadJobRecord) -> bool:
        if self._clock() - record.heartbeat_at > ABANDONED_AFTER:
            return True
        host, _, pid = record.worker.rpartition(":")
        return host == socket.gethostname() and pid.isdigit() and not _process_alive(int(pid))

    def _save(self, status: UploadStatus) -> None:
        self._table.save(status.job_id, status.state, status.model_dump_json(), at=self._clock())

    def _beat(self, worker: str) -> None:
        """Mark this process's jobs alive every HEARTBEAT while it has any."""
        pause = threading.Event()
        while True:
            pause.wait(HEARTBEAT.total_seconds())
            with self._live_lock:
                if not self._live:
                    self._beating.clear()
                    return
            try:
                self._table.heartbeat(worker, at=self._clock())
            except SitrepError as error:  # the next beat tries again
                _log.warning("upload heartbeat failed: %s", error)

    def _run(self, status: UploadStatus, code: Callable[..., IngestResult]) -> None:
        """Code the upload (`code`: `ingest` with the upload's arguments bound), saving the
        job's status as it goes."""
        try:
            with self._coding:
                self._code(status, code)
        except Exception:  # noqa: BLE001 - a thread's error would otherwise vanish
            _log.exception("upload %s: its status could not be saved", status.job_id)
        finally:
            with self._live_lock:
                self._live -= 1

    def _code(self, status: UploadStatus, code: Callable[..., IngestResult]) -> None:
        read_failures = list(status.failures)

        def progress(summary: BatchSummary) -> None:
            # The batch's failures hold the unreadable documents once it has passed them.
            failures = [*read_failures, *(str(issue) for issue in summary.failures)]
            status.done = summary.reports_read
            status.events = summary.events_found
            status.failures = list(dict.fromkeys(failures))
            self._save(status)

        status.state = "running"
        self._save(status)
        try:
            result = code(on_report=progress)
        except SitrepError as error:
            status.state, status.error = "failed", str(error)
        except Exception as error:  # noqa: BLE001 - the page must learn the job ended
            _log.exception("upload %s failed", status.job_id)
            status.state = "failed"
            status.error = f"the server failed coding the upload: {error}"
        else:
            status.state, status.result = "done", result
            status.done = status.total
        self._save(status)
