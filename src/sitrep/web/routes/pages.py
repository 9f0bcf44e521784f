"""Server-rendered pages: event table, event review, map, timeline, reports, upload, docs.

Forms post back here; every post carries the session's CSRF token (checked in deps).
"""

from __future__ import annotations

from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.link.store import Incidents
from sitrep.models import EVENT_TYPES
from sitrep.store import MAX_QUERY_INTEGER, EventFilter, ReviewStatus
from sitrep.store.review import (
    EDITABLE_FIELDS,
    REVIEW_STATUSES,
    ConflictError,
    NotFoundError,
    SourceProtectionError,
    field_value,
)
from sitrep.web._highlight import evidence_segments
from sitrep.web._ingest import ContactNotAllowed, UploadFormDep, ingest
from sitrep.web._timeline import css_class, timeline
from sitrep.web._units import Unit, UnitQuery, counted_events
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
#: Highest page number asked for: its offset must fit the database's integers.
MAX_PAGES = MAX_QUERY_INTEGER // PAGE_SIZE
#: Filter fields kept in links (pagination, exports, map and timeline of the same events).
_FILTER_KEYS = (
    "country",
    "admin1",
    "event_type",
    "sub_event_type",
    "actor",
    "search",
    "report_id",
    "since",
    "until",
    "min_fatalities",
    "review",
    "order",
    "flag",
)


def _with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


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
    page: Annotated[int, Query(ge=1, le=MAX_PAGES)] = 1,
    unit: UnitQuery = "incidents",
) -> Response:
    store = services.store
    paged = filters.model_copy(update={"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    events, incidents, reviews = [], [], {}
    if unit == "events":
        total = store.count_events(filters)
        events = store.query_events(paged)
        reviews = services.reviews.reviews([event.event_id for event in events])
    else:
        linked = Incidents(store)
        ids = linked.matching_ids(filters)
        total = len(ids)
        incidents = linked.records(ids[paged.offset : paged.offset + PAGE_SIZE], filters.review)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        services,
        principal,
        "events.html",
        {
            "filters": filters,
            "event_types": EVENT_TYPES,
            "unit": unit,
            "events": events,
            "incidents": incidents,
            "reviews": reviews,
            "total": total,
            "page": page,
            "pages": pages,
            **_unit_links(filters, unit),
            "prev_query": _query(filters, unit=_unit_shown(unit), page=page - 1)
            if page > 1
            else None,
            "next_query": _query(filters, unit=_unit_shown(unit), page=page + 1)
            if page < pages
            else None,
            "export_formats": EXPORT_FORMATS,
        },
    )


def _unit_shown(unit: Unit) -> Unit | None:
    """The unit as links carry it: left out when it is the pages' default."""
    return None if unit == "incidents" else unit


def _unit_links(filters: EventFilter, unit: Unit) -> dict[str, str]:
    """The page's query (filters, and the unit unless it is the pages' default), the
    filters alone (exports, the review queue: events), the toggle's query for each unit, and
    the API's (unit always given: the API counts events unless asked)."""
    return {
        "query": _query(filters, unit=_unit_shown(unit)),
        "filter_query": _query(filters),
        "events_query": _query(filters, unit="events"),
        "incidents_query": _query(filters),
        "api_query": _query(filters, unit=unit),
    }


#: ACLED inter codes, for the correction form's choice.
INTER_CODES = (
    (1, "state forces"),
    (2, "rebel group"),
    (3, "political militia"),
    (4, "identity militia"),
    (5, "rioters"),
    (6, "protesters"),
    (7, "civilians"),
    (8, "external/other forces"),
)


@router.get("/queue")
def review_queue(principal: ViewerDep, services: ServicesDep, filters: FilterDep) -> Response:
    """The next event to review: unreviewed, least confident first (then most flags, then
    oldest), within the filters given; the event page then walks the queue."""
    queue = filters.model_copy(update={"review": "unreviewed", "order": "queue", "limit": 1})
    first = services.store.query_events(queue)
    if not first:
        return RedirectResponse(_with_query("/events", _query(queue)), status.HTTP_303_SEE_OTHER)
    return RedirectResponse(
        _with_query(f"/events/{first[0].event_id}", _query(queue)), status.HTTP_303_SEE_OTHER
    )


@router.get("/events/{event_id}")
def event_page(
    event_id: str,
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
    filters: FilterDep,
) -> Response:
    return _event_page(event_id, request, principal, services, filters)


def _event_page(
    event_id: str,
    request: Request,
    principal: Principal,
    services: ServicesDep,
    filters: EventFilter,
    *,
    error: str | None = None,
    submitted: dict[str, str] | None = None,
    seen: dict[str, str] | None = None,
    version: int | None = None,
) -> Response:
    """The event beside its report; with `submitted`, the form shows what the analyst
    typed (after a refused save nothing they typed is lost)."""
    detail = event_detail(event_id, services.store, services.reviews)
    contact = None
    has_contact = services.reviews.has_source_contact(detail.event.report_id)
    if principal.user.may("admin") and has_contact:
        contact = services.reviews.readable_source_contact(detail.event.report_id)
    fields = []
    for field in EDITABLE_FIELDS:
        value = _as_text(field_value(detail.event, field))
        fields.append(
            {
                "name": field,
                "value": value,
                "original": _as_text(field_value(detail.original, field)),
                "evidence": detail.event.evidence.get(field),
                "seen": seen.get(field, value) if seen is not None else value,
                "shown": submitted.get(field, value) if submitted is not None else value,
            }
        )
    around = services.store.neighbours(filters, event_id)
    query = _query(filters)
    list_url = _with_query("/events", query)
    next_url = _with_query(f"/events/{around.next}", query) if around.next else None
    assets = services.settings.assets_dir
    return render(
        request,
        services,
        principal,
        "event.html",
        {
            "detail": detail,
            "event": detail.event,
            "fields": fields,
            "version": version or detail.version,
            "segments": evidence_segments(detail.report_text, detail.event),
            "source_contact": contact,
            "has_source_contact": has_contact,
            "event_types": EVENT_TYPES,
            "inter_codes": INTER_CODES,
            "error": error,
            "submitted_note": (submitted or {}).get("note"),
            "query": query,
            "prev_url": (
                _with_query(f"/events/{around.previous}", query) if around.previous else None
            ),
            "next_url": next_url,
            # Walking a filtered list or the queue, a verdict moves on to the next event;
            # an event opened on its own stays in view with its new status.
            "after_review_url": (next_url or list_url) if query else f"/events/{event_id}",
            "position_label": (
                f"{around.position} of {around.total}"
                if around.position
                else f"not among the {around.total} filtered"
            ),
            "assets_installed": (assets / "leaflet" / "dist" / "leaflet.js").is_file(),
        },
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


def _as_text(value: Any) -> str | None:
    """A field's value as the event page shows and its form sends it."""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return None if value is None else str(value)


def _local_target(url: str | None, fallback: str) -> str:
    """Where to go after a form: a path of this site only, never another host."""
    if url and url.startswith("/") and not url.startswith("//"):
        return url
    return fallback


@router.post("/events/{event_id}/correct")
async def correct_event_form(
    event_id: str,
    request: Request,
    principal: AnalystDep,
    services: ServicesDep,
    filters: FilterDep,
) -> Response:
    """Apply the fields the analyst changed (what they typed differs from what the page
    showed them) to the version they saw; "Save and verify" also verifies the event."""
    form = await request.form()
    submitted = {key: value.strip() for key, value in form.items() if isinstance(value, str)}
    current = await run_in_threadpool(services.store.get_event, event_id)
    if current is None:
        raise NotFoundError(f"no event {event_id!r}: it may have been deleted")
    seen = {
        field: submitted.get(f"seen_{field}", _as_text(field_value(current, field)) or "")
        for field in EDITABLE_FIELDS
    }
    changes: dict[str, Any] = {
        field: submitted[field] or None
        for field in EDITABLE_FIELDS
        if field in submitted and submitted[field] != seen[field]
    }
    picked = submitted.get("place_id") or None  # the place picker's choice moves the event
    note_text = submitted.get("note") or None
    verify = submitted.get("and_verify") == "1"
    after = _local_target(submitted.get("next"), f"/events/{event_id}")

    def refused(message: str) -> Response:
        return _event_page(
            event_id,
            request,
            principal,
            services,
            filters,
            error=message,
            submitted=submitted,
            seen=seen,
            version=version,
        )

    version: int | None = None
    if not changes and not verify:
        return refused("nothing to correct: change at least one field")
    try:
        version = int(submitted.get("version", ""))
    except ValueError:
        return refused("the form carries no event version: reload the page and edit again")
    try:
        if changes:
            patch = EventPatch.model_validate(
                {**changes, "place_id": picked, "note": note_text, "version": version}
            )
            await run_in_threadpool(
                services.reviews.correct,
                event_id,
                patch.changes(services.geocoder),
                user=principal.user.name,
                note=note_text,
                version=version,
            )
        if verify:
            await run_in_threadpool(
                services.reviews.set_review,
                event_id,
                "verified",
                user=principal.user.name,
                note=note_text,
            )
    except ConflictError as conflict:
        return _conflict_page(
            request, services, principal, event_id, conflict, seen, changes, note_text, after
        )
    except ValidationError as invalid:
        first = invalid.errors()[0]
        return refused(f"{first['loc'][0]}: {first['msg']}")
    except InputError as invalid:
        return refused(str(invalid))
    return RedirectResponse(
        after if verify else _with_query(f"/events/{event_id}", _query(filters)),
        status.HTTP_303_SEE_OTHER,
    )


def _conflict_page(
    request: Request,
    services: ServicesDep,
    principal: Principal,
    event_id: str,
    conflict: ConflictError,
    seen: dict[str, str],
    changes: dict[str, Any],
    note: str | None,
    after: str,
) -> Response:
    """Theirs, yours and what the analyst saw, for each field they changed."""
    rows = []
    for field, mine in changes.items():
        theirs = _as_text(field_value(conflict.current, field))
        rows.append(
            {
                "field": field,
                "seen": seen[field] or None,
                "theirs": theirs,
                "yours": mine,
                "differs": (theirs or "") != seen[field],
            }
        )
    return render(
        request,
        services,
        principal,
        "conflict.html",
        {
            "event_id": event_id,
            "message": str(conflict),
            "version": conflict.version,
            "rows": rows,
            "note": note,
            "next_url": after,
        },
        status_code=status.HTTP_409_CONFLICT,
    )


@router.post("/events/{event_id}/review")
def review_event_form(
    event_id: str,
    principal: AnalystDep,
    reviews: ReviewsDep,
    review_status: Annotated[str, Form(alias="status")],
    note: Annotated[str | None, Form()] = None,
    next_url: Annotated[str | None, Form(alias="next")] = None,
) -> Response:
    if review_status not in REVIEW_STATUSES:
        raise InputError(f"unknown review status {review_status!r}")
    reviews.set_review(
        event_id,
        review_status,
        user=principal.user.name,
        note=(note or "").strip() or None,
    )
    # In the review queue the next event was chosen before this one left it.
    return RedirectResponse(
        _local_target(next_url, f"/events/{event_id}"), status.HTTP_303_SEE_OTHER
    )


@router.post("/events/{event_id}/split")
def split_event_form(event_id: str, principal: AnalystDep, reviews: ReviewsDep) -> Response:
    """Copy the event into a new one of the same report, to be corrected into the second
    incident it had merged."""
    new = reviews.split_event(event_id, {}, user=principal.user.name)
    return RedirectResponse(f"/events/{new.event_id}", status.HTTP_303_SEE_OTHER)


@router.post("/reports/{report_id}/events")
def add_event_form(
    report_id: str,
    principal: AnalystDep,
    reviews: ReviewsDep,
    event_type: Annotated[str, Form()],
    sub_event_type: Annotated[str, Form()],
) -> Response:
    """Add an event the machine missed; the analyst fills its fields on its page."""
    new = reviews.add_event(
        report_id,
        {"event_type": event_type, "sub_event_type": sub_event_type},
        user=principal.user.name,
    )
    return RedirectResponse(f"/events/{new.event_id}", status.HTTP_303_SEE_OTHER)


@router.post("/events/review")
async def review_events_form(
    request: Request, principal: AnalystDep, services: ServicesDep
) -> Response:
    """Verify or reject the events ticked in the table, with one note."""
    form = await request.form()
    event_ids = [value for value in form.getlist("event_id") if isinstance(value, str)]
    review_status = form.get("status")
    if review_status not in REVIEW_STATUSES:
        raise InputError(f"unknown review status {review_status!r}")
    verdict = cast(ReviewStatus, review_status)
    if not event_ids:
        raise InputError("no events ticked: tick the events to review in the table first")
    note = form.get("note")
    await run_in_threadpool(
        services.reviews.set_reviews,
        event_ids,
        verdict,
        user=principal.user.name,
        note=note.strip() or None if isinstance(note, str) else None,
    )
    back = form.get("next")
    return RedirectResponse(
        _local_target(back if isinstance(back, str) else None, "/events"),
        status.HTTP_303_SEE_OTHER,
    )


@router.get("/map")
def map_page(
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
    filters: FilterDep,
    unit: UnitQuery = "incidents",
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
            "unit": unit,
            **_unit_links(filters, unit),
            "assets_installed": (assets / "leaflet" / "dist" / "leaflet.js").is_file(),
            "css_class": css_class,
        },
    )


@router.get("/timeline")
def timeline_page(
    request: Request,
    principal: ViewerDep,
    store: StoreDep,
    services: ServicesDep,
    filters: FilterDep,
    unit: UnitQuery = "incidents",
) -> Response:
    chart = timeline(counted_events(store, filters.model_copy(update={"limit": None}), unit))
    return render(
        request,
        services,
        principal,
        "timeline.html",
        {
            "filters": filters,
            "event_types": EVENT_TYPES,
            "unit": unit,
            **_unit_links(filters, unit),
            "chart": chart,
            "css_class": css_class,
        },
    )


@router.get("/reports")
def reports_page(
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGES)] = 1,
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
async def upload_form_page(
    request: Request,
    principal: AnalystDep,
    services: ServicesDep,
    form: UploadFormDep,
) -> Response:
    """Ingest a file or pasted text and show the result (the page's script sends the form
    to /api/uploads instead, to show the reports being coded)."""
    error: str | None = None
    result = None
    try:
        items = await form.reports(services.settings.max_upload_bytes)
        result = await run_in_threadpool(
            ingest,
            items,
            store=services.store,
            reviews=services.reviews,
            extractor=services.extractor,
            source_contact=form.contact,
            by=principal.user,
            via="web",
        )
    except (InputError, SourceProtectionError, ContactNotAllowed) as failure:
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
