"""Server-rendered pages: event table, event review, map, timeline, reports, upload, docs.

Forms post back here; every post carries the session's CSRF token (checked in deps).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.ingest import IngestOptions
from sitrep.models import EVENT_TYPES
from sitrep.store import EventFilter
from sitrep.store.review import (
    EDITABLE_FIELDS,
    REVIEW_STATUSES,
    NotFoundError,
    SourceProtectionError,
    field_value,
)
from sitrep.web._highlight import evidence_segments
from sitrep.web._ingest import ingest, submitted_reports
from sitrep.web._timeline import css_class, timeline
from sitrep.web.deps import (
    AnalystDep,
    FilterDep,
    Principal,
    ReviewsDep,
    ServicesDep,
    StoreDep,
    ViewerDep,
)
from sitrep.web.routes.events import event_detail
from sitrep.web.routes.export import EXPORT_FORMATS
from sitrep.web.schemas import EventPatch

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
#: Filter fields kept in links (pagination, exports, map and timeline of the same events).
_FILTER_KEYS = (
    "country",
    "admin1",
    "event_type",
    "sub_event_type",
    "actor",
    "report_id",
    "since",
    "until",
    "min_fatalities",
    "review",
    "order",
)


def _query(filters: EventFilter, **extra: Any) -> str:
    values = {key: getattr(filters, key) for key in _FILTER_KEYS}
    values["order"] = None if filters.order == "date" else filters.order
    values.update(extra)
    return urlencode({key: value for key, value in values.items() if value not in (None, "")})


#: Used by every page module: the template with the user and the CSRF token its forms need.
def render(
    request: Request,
    services: ServicesDep,
    principal: Principal,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    return services.templates.TemplateResponse(
        request,
        template,
        {"user": principal.user, "csrf_token": principal.csrf_token, **context},
        status_code=status_code,
    )


@router.get("/")
def home(_: ViewerDep) -> Response:
    return RedirectResponse("/events", status.HTTP_303_SEE_OTHER)


@router.get("/events")
def events_page(
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
    filters: FilterDep,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    store = services.store
    total = store.count_events(filters)
    events = store.query_events(
        filters.model_copy(update={"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    )
    reviews = services.reviews.reviews([event.event_id for event in events])
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        services,
        principal,
        "events.html",
        {
            "filters": filters,
            "event_types": EVENT_TYPES,
            "events": events,
            "reviews": reviews,
            "total": total,
            "page": page,
            "pages": pages,
            "query": _query(filters),
            "prev_query": _query(filters, page=page - 1) if page > 1 else None,
            "next_query": _query(filters, page=page + 1) if page < pages else None,
            "export_formats": EXPORT_FORMATS,
        },
    )


@router.get("/events/{event_id}")
def event_page(
    event_id: str, request: Request, principal: ViewerDep, services: ServicesDep
) -> Response:
    return _event_page(event_id, request, principal, services)


def _event_page(
    event_id: str,
    request: Request,
    principal: Principal,
    services: ServicesDep,
    *,
    error: str | None = None,
) -> Response:
    detail = event_detail(event_id, services.store, services.reviews)
    contact = None
    has_contact = services.reviews.has_source_contact(detail.event.report_id)
    if principal.user.may("admin") and has_contact:
        contact = services.reviews.source_contact(detail.event.report_id)
    fields = [
        {
            "name": field,
            "value": _as_text(field_value(detail.event, field)),
            "original": _as_text(field_value(detail.original, field)),
            "evidence": detail.event.evidence.get(field),
        }
        for field in EDITABLE_FIELDS
    ]
    return render(
        request,
        services,
        principal,
        "event.html",
        {
            "detail": detail,
            "event": detail.event,
            "fields": fields,
            "segments": evidence_segments(detail.report_text, detail.event),
            "source_contact": contact,
            "has_source_contact": has_contact,
            "event_types": EVENT_TYPES,
            "error": error,
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


def _as_text(value: Any) -> str | None:
    """A field's value as the event page shows and its form sends it."""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return None if value is None else str(value)


@router.post("/events/{event_id}/correct")
async def correct_event_form(
    event_id: str, request: Request, principal: AnalystDep, services: ServicesDep
) -> Response:
    """Apply the fields whose submitted value differs from the current one."""
    form = await request.form()
    current = await run_in_threadpool(services.store.get_event, event_id)
    if current is None:
        raise NotFoundError(f"no event {event_id!r}: it may have been deleted")
    changes: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        submitted = form.get(field)
        if not isinstance(submitted, str):
            continue
        if submitted.strip() != (_as_text(field_value(current, field)) or ""):
            changes[field] = submitted.strip() or None
    picked = form.get("place_id")  # the place picker's choice moves the event
    if isinstance(picked, str) and picked.strip():
        changes["place_id"] = picked.strip()
    note = form.get("note")
    note_text = note.strip() if isinstance(note, str) and note.strip() else None
    try:
        patch = EventPatch.model_validate({**changes, "note": note_text})
        await run_in_threadpool(
            services.reviews.correct,
            event_id,
            patch.changes(services.geocoder),
            user=principal.user.name,
            note=note_text,
        )
    except ValidationError as invalid:
        first = invalid.errors()[0]
        message = f"{first['loc'][0]}: {first['msg']}"
        return _event_page(event_id, request, principal, services, error=message)
    except InputError as invalid:
        return _event_page(event_id, request, principal, services, error=str(invalid))
    return RedirectResponse(f"/events/{event_id}", status.HTTP_303_SEE_OTHER)


@router.post("/events/{event_id}/review")
def review_event_form(
    event_id: str,
    principal: AnalystDep,
    reviews: ReviewsDep,
    review_status: Annotated[str, Form(alias="status")],
    note: Annotated[str | None, Form()] = None,
) -> Response:
    if review_status not in REVIEW_STATUSES:
        raise InputError(f"unknown review status {review_status!r}")
    reviews.set_review(
        event_id,
        review_status,
        user=principal.user.name,
        note=(note or "").strip() or None,
    )
    return RedirectResponse(f"/events/{event_id}", status.HTTP_303_SEE_OTHER)


@router.get("/map")
def map_page(
    request: Request, principal: ViewerDep, services: ServicesDep, filters: FilterDep
) -> Response:
    assets = services.settings.assets_dir
    return render(
        request,
        services,
        principal,
        "map.html",
        {
            "filters": filters,
            "event_types": EVENT_TYPES,
            "query": _query(filters),
            "assets_installed": (assets / "leaflet" / "dist" / "leaflet.js").is_file(),
        },
    )


@router.get("/timeline")
def timeline_page(
    request: Request,
    principal: ViewerDep,
    store: StoreDep,
    services: ServicesDep,
    filters: FilterDep,
) -> Response:
    chart = timeline(store.iter_events(filters.model_copy(update={"limit": None})))
    return render(
        request,
        services,
        principal,
        "timeline.html",
        {
            "filters": filters,
            "event_types": EVENT_TYPES,
            "query": _query(filters),
            "chart": chart,
            "css_class": css_class,
        },
    )


@router.get("/reports")
def reports_page(
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    store = services.store
    total = store.count_reports()
    reports = store.list_reports(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(
        request,
        services,
        principal,
        "reports.html",
        {"reports": reports, "total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE))},
    )


@router.get("/upload")
def upload_page(request: Request, principal: AnalystDep, services: ServicesDep) -> Response:
    return render(request, services, principal, "upload.html", {"error": None, "result": None})


@router.post("/upload")
async def upload_form(
    request: Request,
    principal: AnalystDep,
    services: ServicesDep,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str | None, Form()] = None,
    title: Annotated[str | None, Form()] = None,
    source: Annotated[str | None, Form()] = None,
    url: Annotated[str | None, Form()] = None,
    published: Annotated[str | None, Form()] = None,
    source_contact: Annotated[str | None, Form()] = None,
) -> Response:
    error: str | None = None
    result = None
    try:
        try:
            day = date.fromisoformat(published) if published and published.strip() else None
        except ValueError:
            raise InputError(f"report date {published!r} is not a date: use YYYY-MM-DD") from None
        options = IngestOptions(date=day, source=(source or "").strip() or None)
        items = await submitted_reports(
            services.settings.max_upload_bytes, file, text, title, url, options
        )
        result = await run_in_threadpool(
            ingest,
            items,
            store=services.store,
            reviews=services.reviews,
            extractor=services.extractor,
            source_contact=(source_contact or "").strip() or None,
        )
    except (InputError, SourceProtectionError) as failure:
        error = str(failure)
    return render(
        request,
        services,
        principal,
        "upload.html",
        {"error": error, "result": result},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


@router.get("/docs")
def docs_page(request: Request, principal: ViewerDep, services: ServicesDep) -> Response:
    return render(request, services, principal, "docs.html", {})


@router.get("/openapi.json")
def openapi_schema(request: Request, _: ViewerDep) -> Response:
    return JSONResponse(request.app.openapi())
