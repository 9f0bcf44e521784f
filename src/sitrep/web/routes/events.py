"""API: list, read, correct and review events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sitrep.store import Store
from sitrep.store.review import NotFoundError, Review, Reviews
from sitrep.web.deps import (
    AnalystDep,
    FilterDep,
    ReviewsDep,
    ServicesDep,
    StoreDep,
    ViewerDep,
)
from sitrep.web.schemas import (
    EventDetail,
    EventPage,
    EventPatch,
    ReportSummary,
    ReviewedEvent,
    ReviewIn,
)

router = APIRouter(prefix="/api/events", tags=["events"])

MAX_PAGE = 1000


@router.get("", response_model=EventPage)
def list_events(
    _: ViewerDep,
    store: StoreDep,
    reviews: ReviewsDep,
    filters: FilterDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EventPage:
    """Events matching the filters, `order`ed, one page at a time."""
    page = filters.model_copy(update={"limit": limit, "offset": offset})
    events = store.query_events(page)
    review_of = reviews.reviews([event.event_id for event in events])
    return EventPage(
        total=store.count_events(filters),
        limit=limit,
        offset=offset,
        items=[ReviewedEvent(event=e, review=review_of[e.event_id]) for e in events],
    )


def event_detail(event_id: str, store: Store, reviews: Reviews) -> EventDetail:
    event = store.get_event(event_id)
    original = store.get_original_event(event_id)
    if event is None or original is None:
        raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
    stored = store.get_report(event.report_id)
    if stored is None:
        raise NotFoundError(f"event {event_id!r} has no stored report {event.report_id!r}")
    return EventDetail(
        event=event,
        original=original,
        review=reviews.review(event_id),
        report=ReportSummary.of(stored),
        report_text=stored.report.text,
        history=reviews.history(event_id),
    )


@router.get("/{event_id}", response_model=EventDetail)
def get_event(event_id: str, _: ViewerDep, store: StoreDep, reviews: ReviewsDep) -> EventDetail:
    """One event with its evidence, its machine original, its report and its history."""
    return event_detail(event_id, store, reviews)


@router.patch("/{event_id}", response_model=EventDetail)
def correct_event(
    event_id: str,
    patch: EventPatch,
    principal: AnalystDep,
    store: StoreDep,
    reviews: ReviewsDep,
    services: ServicesDep,
) -> EventDetail:
    """Correct fields; the machine's values are kept and each change is audited. A
    `place_id` from GET /api/places moves the event: its place fields change together."""
    changes = patch.changes(services.geocoder)
    reviews.correct(event_id, changes, user=principal.user.name, note=patch.note)
    return event_detail(event_id, store, reviews)


@router.put("/{event_id}/review", response_model=Review)
def review_event(
    event_id: str, review: ReviewIn, principal: AnalystDep, reviews: ReviewsDep
) -> Review:
    """Mark the event verified, rejected or unreviewed again, with a note."""
    return reviews.set_review(event_id, review.status, user=principal.user.name, note=review.note)
