"""API: ingest reports (JSON, plain text or a file) and list or read them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.ingest import decode_text, detect_language
from sitrep.models import Report
from sitrep.store import MAX_QUERY_INTEGER, EventFilter, ReportStatus
from sitrep.store.review import NotFoundError
from sitrep.web._ingest import IngestResult, UploadFormDep, ingest
from sitrep.web.deps import AdminDep, AnalystDep, ReviewsDep, ServicesDep, StoreDep, ViewerDep
from sitrep.web.routes.events import event_detail
from sitrep.web.schemas import (
    EventDetail,
    NewEventFields,
    ReportDetail,
    ReportIn,
    ReportPage,
    ReportSummary,
    SourceContact,
    SourceContactIn,
)

router = APIRouter(prefix="/api/reports", tags=["reports"])


@router.post("", response_model=IngestResult)
def ingest_json(report: ReportIn, principal: AnalystDep, services: ServicesDep) -> IngestResult:
    """Ingest one report given as JSON (text and metadata); returns its events. Only an admin
    may send its source contact."""
    return ingest(
        [report.report()],
        store=services.store,
        reviews=services.reviews,
        extractor=services.extractor,
        source_contact=report.source_contact,
        by=principal.user,
    )


@router.post(
    "/text",
    response_model=IngestResult,
    openapi_extra={
        "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}}
    },
)
async def ingest_text(
    request: Request,
    principal: AnalystDep,
    services: ServicesDep,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: Annotated[date | None, Query(description="Report date, YYYY-MM-DD")] = None,
) -> IngestResult:
    """Ingest a report sent as the plain-text body, its metadata in the query string."""
    body = await request.body()
    if len(body) > services.settings.max_upload_bytes:
        raise InputError(
            f"the text is larger than {services.settings.max_upload_bytes} bytes: split it, "
            "or raise SITREP_MAX_UPLOAD_BYTES"
        )
    text = decode_text(body, "the request body")
    report = Report(
        text=text,
        title=title,
        source=source,
        url=url,
        published=published,
        language=detect_language(text),
        origin="api:text",
    )
    return await run_in_threadpool(
        ingest,
        [report],
        store=services.store,
        reviews=services.reviews,
        extractor=services.extractor,
        by=principal.user,
    )


@router.post("/upload", response_model=IngestResult)
async def ingest_upload(
    principal: AnalystDep, services: ServicesDep, form: UploadFormDep
) -> IngestResult:
    """Ingest a file (read as `sitrep extract` reads it, with its column mapping) or pasted
    text, with metadata, and answer when every report is coded; POST /api/uploads answers
    at once and reports progress."""
    items = await form.reports(services.settings.max_upload_bytes)
    return await run_in_threadpool(
        ingest,
        items,
        store=services.store,
        reviews=services.reviews,
        extractor=services.extractor,
        source_contact=form.contact,
        by=principal.user,
    )


@router.get("", response_model=ReportPage)
def list_reports(
    _: ViewerDep,
    store: StoreDep,
    status: ReportStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_QUERY_INTEGER)] = 0,
) -> ReportPage:
    """Reports, newest first; never their confidential fields."""
    stored = store.list_reports(status=status, limit=limit, offset=offset)
    return ReportPage(
        total=store.count_reports(status=status),
        limit=limit,
        offset=offset,
        items=[ReportSummary.of(report) for report in stored],
    )


@router.get("/{report_id}", response_model=ReportDetail)
def get_report(report_id: str, _: ViewerDep, store: StoreDep, reviews: ReviewsDep) -> ReportDetail:
    """One report: its text, metadata and events."""
    stored = store.get_report(report_id)
    if stored is None:
        raise NotFoundError(f"no report {report_id!r}: list reports with GET /api/reports")
    return ReportDetail(
        **ReportSummary.of(stored).model_dump(),
        text=stored.report.text,
        has_source_contact=reviews.has_source_contact(report_id),
        events=store.query_events(EventFilter(report_id=report_id)),
    )


@router.get("/{report_id}/source-contact", response_model=SourceContact)
def get_source_contact(
    report_id: str, _: AdminDep, store: StoreDep, reviews: ReviewsDep
) -> SourceContact:
    """The confidential source contact of a report (admins only): null with the reason in
    `unavailable` when the server's key is missing or is not the one it was stored with."""
    if store.get_report(report_id) is None:
        raise NotFoundError(f"no report {report_id!r}: list reports with GET /api/reports")
    reading = reviews.readable_source_contact(report_id)
    return SourceContact(
        report_id=report_id, source_contact=reading.contact, unavailable=reading.unavailable
    )


@router.put("/{report_id}/source-contact", response_model=SourceContact)
def set_source_contact(
    report_id: str, change: SourceContactIn, admin: AdminDep, reviews: ReviewsDep
) -> SourceContact:
    """Set or replace the confidential source contact of a stored report (admins only);
    the account audit records who changed it, never the value."""
    reviews.set_source_contact(report_id, change.source_contact, by=admin.user.name)
    return SourceContact(report_id=report_id, source_contact=change.source_contact)


@router.post("/{report_id}/events", response_model=EventDetail, status_code=201)
def add_event(
    report_id: str,
    fields: NewEventFields,
    principal: AnalystDep,
    store: StoreDep,
    reviews: ReviewsDep,
    services: ServicesDep,
) -> EventDetail:
    """Add an event the machine missed to a stored report (event_type and sub_event_type
    at least); it is flagged added_by_analyst and its creation audited."""
    new = reviews.add_event(
        report_id, fields.changes(services.geocoder), user=principal.user.name, note=fields.note
    )
    return event_detail(new.event_id, store, reviews)
