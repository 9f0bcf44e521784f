"""The date_implausible flag: set when an event is stored or corrected with a date no report
can mean, cleared when the date is put right, and filterable in SQL."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sitrep.models import Event, Report
from sitrep.store import EventFilter, Store
from sitrep.store.date_check import implausible
from sitrep.store.review import Reviews

TODAY = date(2026, 12, 7)
REPORT_DAY = date(2024, 5, 10)


@pytest.mark.parametrize(
    ("event_date", "published", "expected"),
    [
        (date(2024, 5, 10), REPORT_DAY, False),  # the report's own day
        (date(2024, 5, 11), REPORT_DAY, False),  # a day later: a time zone
        (date(2024, 5, 12), REPORT_DAY, True),  # after the report
        (date(2019, 5, 10), REPORT_DAY, False),  # five years before: old, still possible
        (date(2019, 5, 9), REPORT_DAY, True),  # more than five years before
        (date(2104, 5, 1), REPORT_DAY, True),  # a mistyped year
        (date(1899, 12, 31), None, True),  # before 1900, whatever the report
        (date(2010, 1, 1), None, False),  # no report date: only the future is checked
        (date(2026, 12, 9), None, True),
        (None, REPORT_DAY, False),  # undated is a flag of its own
    ],
)
def test_what_is_implausible(
    event_date: date | None, published: date | None, expected: bool
) -> None:
    assert implausible(event_date, published, TODAY) is expected


def test_a_report_of_29_february_reaches_back_to_28_february() -> None:
    assert not implausible(date(2019, 2, 28), date(2024, 2, 29), TODAY)
    assert implausible(date(2019, 2, 27), date(2024, 2, 29), TODAY)


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


def protest(day: date | None) -> Event:
    return Event(event_type="Protests", sub_event_type="Peaceful protest", event_date=day)


def test_an_event_is_flagged_when_stored_and_when_corrected(store: Store) -> None:
    report = Report(text="Teachers marched in two towns on Friday.", published=REPORT_DAY)
    report_id, _ = store.add_report(
        report, events=[protest(date(2014, 5, 9)), protest(date(2024, 5, 9))]
    )
    old, recent = f"{report_id}-01", f"{report_id}-02"
    flagged = EventFilter(flag="date_implausible")
    assert [e.event_id for e in store.query_events(flagged)] == [old]
    stored = store.get_event(old)
    assert stored is not None and "date_implausible" in stored.flags

    reviews = Reviews(store)
    reviews.correct(old, {"event_date": "2024-05-09"}, user="rana")  # the typo put right
    reviews.correct(recent, {"event_date": "2104-05-09"}, user="rana")  # a new typo
    assert [e.event_id for e in store.query_events(flagged)] == [recent]
    fixed = store.get_event(old)
    assert fixed is not None and "date_implausible" not in fixed.flags
    # The flag is the store's, not the analyst's: only the date is in the audit trail.
    assert [record.field for record in reviews.history(recent)] == ["event_date"]


def test_an_event_added_by_an_analyst_is_checked_too(store: Store) -> None:
    report_id, _ = store.add_report(
        Report(text="A sit-in was held outside the court.", published=REPORT_DAY), events=[]
    )
    added = Reviews(store).add_event(
        report_id,
        {
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "event_date": "2025-01-01",
        },
        user="rana",
    )
    assert "date_implausible" in added.flags


def test_the_flag_filter_matches_whole_flag_names(store: Store) -> None:
    report = Report(text="Marches were held on two days.", published=REPORT_DAY)
    undated = protest(None).model_copy(update={"flags": ["undated"]})
    store.add_report(report, events=[undated, protest(REPORT_DAY)])
    assert len(store.query_events(EventFilter(flag="undated"))) == 1
    assert store.query_events(EventFilter(flag="undate")) == []  # no partial names
    with pytest.raises(ValidationError, match="is not a flag name"):
        EventFilter(flag="date implausible")
