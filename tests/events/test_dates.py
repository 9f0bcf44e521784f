"""Event dates resolve against the report date, with ACLED's time precision."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.events import parse_expression

FRIDAY = date(2019, 5, 10)


@pytest.mark.parametrize(
    ("expression", "day", "precision"),
    [
        ("yesterday", date(2019, 5, 9), 1),
        ("on Tuesday", date(2019, 5, 7), 1),
        ("Thursday night", date(2019, 5, 9), 1),
        ("on Friday", FRIDAY, 1),  # the report's own weekday is that day, not a week before
        ("two days ago", date(2019, 5, 8), 1),
        ("6 May 2019", date(2019, 5, 6), 1),
        ("last week", date(2019, 5, 3), 2),
        ("early this month", FRIDAY, 3),
        ("mid-April", date(2019, 4, 10), 3),
    ],
)
def test_expressions(expression: str, day: date, precision: int) -> None:
    assert parse_expression(expression, FRIDAY) == (day, precision)


@pytest.mark.parametrize(
    "expression", ["three days", "for two weeks", "the past week", "five years old", "1514", "45"]
)
def test_durations_ages_and_clock_times_are_no_dates(expression: str) -> None:
    assert parse_expression(expression, FRIDAY) is None


def test_without_a_report_date_only_a_full_date_stands() -> None:
    assert parse_expression("yesterday", None) is None
    assert parse_expression("6 May 2019", None) == (date(2019, 5, 6), 1)


@pytest.mark.slow
def test_event_dated_from_its_sentence(code) -> None:
    [event] = code("Government forces shelled Douma on Tuesday.")
    assert (event.event_date, event.time_precision) == (date(2019, 5, 7), 1)
    assert event.evidence["event_date"].spans[0].text == "Tuesday"


@pytest.mark.slow
def test_a_year_that_names_a_thing_does_not_date_the_event(code) -> None:
    [event] = code("Gunmen shot dead a leader of the 2011 uprising in Daraa on Tuesday.")
    assert event.event_date == date(2019, 5, 7)


@pytest.mark.slow
def test_event_without_a_date_takes_the_report_date(code) -> None:
    [event] = code("Government forces shelled Douma.")
    assert (event.event_date, event.time_precision) == (FRIDAY, 2)
    [today] = code("Government forces shelled Douma today.")
    assert (today.event_date, today.time_precision) == (FRIDAY, 1)


@pytest.mark.slow
def test_no_date_and_no_report_date_is_flagged_never_today(code) -> None:
    [event] = code("Government forces shelled Douma.", published=None)
    assert event.event_date is None and "undated" in event.flags


@pytest.mark.slow
def test_the_same_day_repeats_the_previous_date(code) -> None:
    events = code(
        "A bomb killed two soldiers near Hawija on 6 May 2019.\n\n"
        "In a separate incident on the same day, gunmen shot dead three farmers near Muqdadiya."
    )
    assert [e.event_date for e in events] == [date(2019, 5, 6), date(2019, 5, 6)]


@pytest.mark.slow
def test_incidents_recalled_from_weeks_before_are_background(code) -> None:
    events = code("A similar bombing on 2 April 2019 killed seven people.")
    assert events == []
