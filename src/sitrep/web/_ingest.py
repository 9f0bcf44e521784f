"""Ingesting reports from the API or the upload form, through the CLI's own readers and
batch runner, then protecting the source contact."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import Depends, File, Form, UploadFile
from pydantic import BaseModel

from sitrep.errors import InputError, SitrepError
from sitrep.ingest import (
    BatchSummary,
    Extractor,
    IngestIssue,
    IngestOptions,
    detect_language,
    read_input,
    run_batch,
)
from sitrep.models import Event, Report
from sitrep.store import EventFilter, IngestChannel, ReportStatus, Store
from sitrep.store.accounts import User
from sitrep.store.audit import UNATTRIBUTED
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
    on_report: Callable[[BatchSummary], None] | None = None,
    via: IngestChannel = "api",
) -> IngestResult:
    """Store each report with the events `extractor` finds (reports already stored are kept),
    noting who (`by`) ingested it and how (`via`); `on_report` is told the batch's summary
    after each report.

    A confidential source contact is checked before anything is stored (see
    `check_source_contact`); setting or changing it is audited, without its value.
    """
    check_source_contact(reviews, source_contact, by)
    summary = run_batch(
        items, store, extractor=extractor, on_report=on_report, by=by.name if by else None
    )
    store.record_ingester(summary.report_ids, by.name if by else UNATTRIBUTED, via)
    reports = []
    for report_id in dict.fromkeys(summary.report_ids):
        stored = store.get_report(report_id)
        if stored is None:
            continue
        if source_contact:
            reviews.set_source_contact(report_id, source_contact, by=by.name if by else None)
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


def check_source_contact(reviews: Reviews, source_contact: str | None, by: User | None) -> None:
    """Only an admin (`by`) may set a source contact, and a server without SITREP_SECRET_KEY
    refuses the whole request rather than keep the report without it."""
    if source_contact:
        if by is None or not by.may("admin"):
            raise ContactNotAllowed(
                "only an admin may set a report's source contact; send the report without it "
                "and ask an admin to add the contact"
            )
        reviews.require_cipher()


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
            # The temporary path becomes the upload's name; a row's number stays ("#row=3").
            renamed = (item.origin or "").replace(str(path), origin) or origin
            if isinstance(item, Report):
                yield item.model_copy(update={"origin": renamed})
            else:
                reason = item.reason.replace(str(path), origin)
                yield item.model_copy(update={"origin": renamed, "reason": reason})


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


#: The upload form's column fields: which CSV column (or JSON key) holds each field.
COLUMN_FIELDS = ("text_column", "date_column", "title_column", "source_column", "url_column")


@dataclass(frozen=True)
class UploadForm:
    """The upload form as sent (the page's and the API's): a file or pasted text, metadata
    for documents that carry none, and the column mapping of a CSV file."""

    file: UploadFile | None
    text: str | None
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    source_contact: str | None
    columns: dict[str, str]

    @property
    def contact(self) -> str | None:
        return (self.source_contact or "").strip() or None

    async def reports(self, max_bytes: int) -> list[Report | IngestIssue]:
        """The reports of the upload; a bad date or an empty form is an InputError."""
        published = (self.published or "").strip()
        try:
            day = date.fromisoformat(published) if published else None
        except ValueError:
            raise InputError(f"report date {published!r} is not a date: use YYYY-MM-DD") from None
        options = IngestOptions.model_validate(
            {"date": day, "source": (self.source or "").strip() or None, **self.columns}
        )
        return await submitted_reports(
            max_bytes, self.file, self.text, self.title, self.url, options
        )


def upload_form(
    file: Annotated[
        UploadFile | None, File(description=".csv, .txt, .html, .json or .jsonl")
    ] = None,
    text: Annotated[str | None, Form(description="The report's text, instead of a file")] = None,
    title: Annotated[str | None, Form()] = None,
    source: Annotated[str | None, Form()] = None,
    url: Annotated[str | None, Form()] = None,
    published: Annotated[str | None, Form(description="Report date, YYYY-MM-DD")] = None,
    source_contact: Annotated[str | None, Form(description="Confidential: admins only")] = None,
    text_column: Annotated[str | None, Form()] = None,
    date_column: Annotated[str | None, Form()] = None,
    title_column: Annotated[str | None, Form()] = None,
    source_column: Annotated[str | None, Form()] = None,
    url_column: Annotated[str | None, Form()] = None,
) -> UploadForm:
    """The upload form's fields (a FastAPI dependency). For a CSV (or JSON) file the user
    says which column holds the text, the date, the title, the source and the URL; blank
    means the usual name, if the file has it."""
    mapped = zip(COLUMN_FIELDS, (text_column, date_column, title_column, source_column, url_column))
    return UploadForm(
        file=file,
        text=text,
        title=title,
        source=source,
        url=url,
        published=published,
        source_contact=source_contact,
        columns={name: value.strip() for name, value in mapped if value and value.strip()},
    )


UploadFormDep = Annotated[UploadForm, Depends(upload_form)]
