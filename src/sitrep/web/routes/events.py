"""API: list, read, correct and review events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sitrep.store import MAX_QUERY_INTEGER, Store
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
    BulkReviewIn,
    BulkReviewOut,
    EventDetail,
    EventPage,
    EventPatch,
    NewEventFields,
    ReportSummary,
    ReviewedEvent,
    ReviewIn,
)

router = APIRouter(prefix="/api/events", tags=["events"])

MAX_PAGE = 1000
#: The paging parameters of a list: how many items, and how many to skip.
PageLimit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PageOffset = Annotated[int, Query(ge=0, le=MAX_QUERY_INTEGER)]


@router.get("", response_model=EventPage)
def list_events(
    _: ViewerDep,
    store: StoreDep,
    reviews: ReviewsDep,
    filters: FilterDep,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> EventPage:
    """Events matching the filters, `order`ed, one page at a time."""
    page = filters.model_copy(update={"limit": limit, "offset": offset})
    records = list(store.iter_records(page))
    review_of = reviews.reviews([record.event.event_id for record in records])
    return EventPage(
        total=store.count_events(filters),
        limit=limit,
        offset=offset,
        items=[
            ReviewedEvent(
                event=record.event, review=review_of[record.event.event_id], version=record.version
            )
            for record in records
        ],
    )


def event_detail(event_id: str, store: Store, reviews: Reviews) -> EventDetail:
    event = store.get_event(event_id)
    original = store.get_original_event(event_id)
    if event is None or original is None:
        raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
    version = store.event_version(event_id) or 1
    stored = store.get_report(event.report_id)
    if stored is None:
        raise NotFoundError(f"event {event_id!r} has no stored report {event.report_id!r}")
    return EventDetail(
        event=event,
        original=original,
        version=version,
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
    """Correct the fields sent, made on event `version`; the machine's values are kept and
    each change is audited. 409, with what is stored now, if someone saved a newer version.
    A `place_id` from GET /api/places moves the event: its place fields change together."""
    reviews.correct(
        event_id,
        patch.changes(services.geocoder),
        user=principal.user.name,
        note=patch.note,
        version=patch.version,
    )
    return event_detail(event_id, store, reviews)


@router.post("/{event_id}/split", response_model=EventDetail, status_code=201)
def split_event(
    event_id: str,
    fields: NewEventFields,
    principal: AnalystDep,
    store: StoreDep,
    reviews: ReviewsDep,
    services: ServicesDep,
) -> EventDetail:
    """Split an event that merged two incidents: a copy with the fields sent changed (the
    second incident's), stored as a new event of the same report; correct the first one
    with PATCH as usual."""
    new = reviews.split_event(
        event_id, fields.changes(services.geocoder), user=principal.user.name, note=fields.note
    )
    return event_detail(new.event_id, store, reviews)


@router.post("/review", response_model=BulkReviewOut)
def review_events(bulk: BulkReviewIn, principal: AnalystDep, reviews: ReviewsDep) -> BulkReviewOut:
    """Verify or reject several events at once with one note (all of them or none)."""
    done = reviews.set_reviews(
        bulk.event_ids, bulk.status, user=principal.user.name, note=bulk.note
    )
    return BulkReviewOut(reviewed=len(done), review=next(iter(done.values())))


@router.put("/{event_id}/review", response_model=Review)
def review_event(
    event_id: str, review: ReviewIn, principal: AnalystDep, reviews: ReviewsDep
) -> Review:
    """Mark the event verified, rejected or unreviewed again, with a note."""
    return reviews.set_review(event_id, review.status, user=principal.user.name, note=review.note)
