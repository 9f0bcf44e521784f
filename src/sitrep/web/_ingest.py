"""Ingesting reports from the API or the upload form, through the CLI's own readers and
batch runner, then protecting the source contact."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from fastapi import UploadFile
from pydantic import BaseModel

from sitrep.errors import InputError, SitrepError
from sitrep.ingest import (
    Extractor,
    IngestIssue,
    IngestOptions,
    detect_language,
    read_input,
    run_batch,
)
from sitrep.models import Event, Report
from sitrep.store import EventFilter, ReportStatus, Store
from sitrep.store.accounts import User
from sitrep.store.review import Reviews


class ContactNotAllowed(SitrepError):
    """Someone other than an admin tried to set a report's confidential source contact."""


class IngestedReport(BaseModel):
    report_id: str
    title: str | None
    status: ReportStatus
    error: str | None = None
    events: list[Event]


class IngestResult(BaseModel):
    reports: list[IngestedReport]
    #: Documents that could not be read or were set aside, each with its reason.
    issues: list[str]


def ingest(
    items: Iterable[Report | IngestIssue],
    *,
    store: Store,
    reviews: Reviews,
    extractor: Extractor,
    source_contact: str | None = None,
    by: User | None = None,
) -> IngestResult:
    """Store each report with the events `extractor` finds (reports already stored are kept).

    A confidential source contact is checked before anything is stored: only an admin (`by`)
    may set one, and a server without SITREP_SECRET_KEY refuses the whole request rather
    than keep the report without it.
    """
    if source_contact:
        if by is None or not by.may("admin"):
            raise ContactNotAllowed(
                "only an admin may set a report's source contact; send the report without it "
                "and ask an admin to add the contact"
            )
        reviews.require_cipher()
    summary = run_batch(items, store, extractor=extractor)
    reports = []
    for report_id in dict.fromkeys(summary.report_ids):
        stored = store.get_report(report_id)
        if stored is None:
            continue
        if source_contact:
            reviews.set_source_contact(report_id, source_contact)
        reports.append(
            IngestedReport(
                report_id=report_id,
                title=stored.report.title,
                status=stored.status,
                error=stored.error,
                events=store.query_events(EventFilter(report_id=report_id)),
            )
        )
    issues = [str(issue) for issue in (*summary.failures, *summary.skipped, *summary.warnings)]
    if not reports:
        raise InputError("; ".join(issues) or "no report found in the upload")
    return IngestResult(reports=reports, issues=issues)


def uploaded_reports(
    filename: str, data: bytes, options: IngestOptions
) -> Iterator[Report | IngestIssue]:
    """The reports of an uploaded file, read by its extension as `sitrep extract` reads it."""
    name = re.sub(r"[^\w.-]", "_", Path(filename).name) or "upload.txt"
    origin = f"upload:{name}"
    with tempfile.TemporaryDirectory(prefix="sitrep-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for item in read_input(path, options):
            if isinstance(item, Report):
                yield item.model_copy(update={"origin": origin})
            else:
                reason = item.reason.replace(str(path), origin)
                yield item.model_copy(update={"origin": origin, "reason": reason})


async def submitted_reports(
    max_bytes: int,
    file: UploadFile | None,
    text: str | None,
    title: str | None,
    url: str | None,
    options: IngestOptions,
) -> list[Report | IngestIssue]:
    """The reports of an upload form: a file, or pasted text, with the form's metadata."""
    if file is not None and file.filename:
        data = await file.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(
                f"{file.filename} is larger than {max_bytes} bytes: split it, or raise "
                "SITREP_MAX_UPLOAD_BYTES"
            )
        items: list[Report | IngestIssue] = list(uploaded_reports(file.filename, data, options))
    elif text and text.strip():
        items = [
            Report(
                text=text,
                published=options.date,
                source=options.source,
                language=detect_language(text),
                origin="upload:text",
            )
        ]
    else:
        raise InputError("nothing to ingest: choose a file or paste the report's text")
    overrides = {key: value for key, value in (("title", title), ("url", url)) if value}
    return [
        item.model_copy(update=overrides) if isinstance(item, Report) else item for item in items
    ]
