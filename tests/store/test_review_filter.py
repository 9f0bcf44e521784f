"""`EventFilter(review=...)`: events by an analyst's verdict, filtered in SQL so that
counts and pages agree with what is listed."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.models import Event, Report
from sitrep.store import EventFilter, Store
from sitrep.store.review import Reviews


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture
def event_ids(store: Store) -> list[str]:
    """Six protests on six days of one report, in date order."""
    report = Report(text="Protests were held in six towns over six days this week.")
    events = [
        Event(
            event_type="Protests",
            sub_event_type="Peaceful protest",
            event_date=date(2024, 5, day),
        )
        for day in range(1, 7)
    ]
    report_id, _ = store.add_report(report, events=events)
    return [f"{report_id}-{n:02d}" for n in range(1, 7)]


def ids(store: Store, **filters: object) -> list[str]:
    return [event.event_id for event in store.query_events(EventFilter.model_validate(filters))]


def test_each_status_selects_its_events(store: Store, event_ids: list[str]) -> None:
    reviews = Reviews(store)
    first, second, third, fourth, fifth, sixth = event_ids
    for event_id in (first, third, fifth):
        reviews.set_review(event_id, "verified", user="rana")
    reviews.set_review(second, "rejected", user="rana", note="a rally, not a protest")
    # Verified, then set back: unreviewed again, like the events nobody looked at.
    reviews.set_review(sixth, "verified", user="rana")
    reviews.set_review(sixth, "unreviewed", user="omar")
    assert ids(store, review="verified") == [first, third, fifth]
    assert ids(store, review="rejected") == [second]
    assert ids(store, review="unreviewed") == [fourth, sixth]
    # With no review filter the rejected are left out; "all" brings them back.
    assert ids(store) == [first, third, fourth, fifth, sixth]
    assert ids(store, review="all") == event_ids
    assert store.count_events() == 5
    assert store.count_events(EventFilter(review="verified")) == 3


def test_pages_of_a_review_filter_are_full_and_counted_right(
    store: Store, event_ids: list[str]
) -> None:
    reviews = Reviews(store)
    for event_id in event_ids[::2]:
        reviews.set_review(event_id, "rejected", user="rana")
    page = EventFilter(review="unreviewed", limit=2, offset=0)
    assert ids(store, **page.model_dump()) == [event_ids[1], event_ids[3]]
    assert ids(store, **page.model_copy(update={"offset": 2}).model_dump()) == [event_ids[5]]
    assert store.count_events(page) == 3


def test_review_combines_with_other_filters(store: Store, event_ids: list[str]) -> None:
    reviews = Reviews(store)
    for event_id in event_ids:
        reviews.set_review(event_id, "verified", user="rana")
    assert ids(store, review="verified", since=date(2024, 5, 5)) == event_ids[4:]
    assert ids(store, review="rejected", since=date(2024, 5, 5)) == []


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="review"):
        EventFilter.model_validate({"review": "approved"})
