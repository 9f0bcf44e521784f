"""Event dates resolve against the report date, with ACLED's time precision."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.events import parse_expression
from sitrep.events.dates import DateOrder, date_order, read_expression

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
def test_incidents_from_weeks_before_are_kept_and_flagged_old(code) -> None:
    # A monthly bulletin or a back-filled archive tells events weeks old: never dropped.
    [event] = code("A similar bombing on 2 April 2019 killed seven people.")
    assert event.event_date == date(2019, 4, 2) and "old_event" in event.flags
    assert event.evidence["event_date"].amended_by == ["date.old-event"]


NOV_20 = date(2015, 11, 20)


def test_a_date_after_the_report_stays_in_its_year_and_is_refused() -> None:
    later = read_expression("25 November", NOV_20)
    assert later is not None and later.day == date(2015, 11, 25) and later.refused
    assert parse_expression("25 November", NOV_20) is None
    assert parse_expression("on 21 November", NOV_20) == (date(2015, 11, 21), 1)  # a day's slack
    # a month and day just before a new year's report are last year's
    assert parse_expression("30 December", date(2016, 1, 2)) == (date(2015, 12, 30), 1)


def test_a_date_before_1900_is_refused_but_a_bare_small_number_is_no_date() -> None:
    old = read_expression("12 May 1850", NOV_20)
    assert old is not None and old.refused
    assert read_expression("1514", NOV_20) is None


@pytest.mark.parametrize(
    ("expression", "order", "day", "ambiguous"),
    [
        ("3/4/2015", "DMY", date(2015, 4, 3), True),
        ("3/4/2015", "MDY", date(2015, 3, 4), True),
        ("12.11.2015", "DMY", date(2015, 11, 12), True),
        ("20/10/2015", "DMY", date(2015, 10, 20), False),
        ("10/20/2015", "DMY", date(2015, 10, 20), False),  # only one reading exists
        ("4/4/2015", "DMY", date(2015, 4, 4), False),
    ],
)
def test_numeric_dates_follow_the_report_convention_and_say_when_ambiguous(
    expression: str, order: DateOrder, day: date, ambiguous: bool
) -> None:
    read = read_expression(expression, NOV_20, order)
    assert read is not None
    assert (read.day, read.precision, read.ambiguous, read.refused) == (day, 1, ambiguous, False)


@pytest.mark.parametrize(
    ("source", "url", "order"),
    [
        ("Voice of America", None, "MDY"),
        (None, "https://www.voanews.com/a/story.html", "MDY"),
        ("Ministry notice", "https://www.centcom.mil/news/", "MDY"),
        ("SANA", "https://sana.sy/en/?p=1", "DMY"),
        (None, None, "DMY"),
    ],
)
def test_the_report_convention_is_month_first_only_for_us_style_sources(
    source: str | None, url: str | None, order: str
) -> None:
    assert date_order(source, url) == order


def test_a_year_alone_never_takes_a_month_and_day_from_elsewhere() -> None:
    assert parse_expression("2013", NOV_20) == (date(2013, 12, 31), 3)
    assert parse_expression("in 2015", NOV_20) == (NOV_20, 3)
    assert parse_expression("2013", None) == (date(2013, 12, 31), 3)
    assert parse_expression("2016", NOV_20) is None  # after the report


@pytest.mark.slow
def test_a_count_after_a_weekday_is_no_day_of_the_month(code) -> None:
    [event] = code("On Tuesday 19 people were killed when jets bombed Douma.")
    assert (event.event_date, event.time_precision) == (date(2019, 5, 7), 1)
    assert event.evidence["event_date"].spans[0].text == "Tuesday"


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Rebels killed 3110 soldiers in Idlib.",
        "Shelling of Douma drove out more than 5000 people and killed four.",
        "Posted 3 May 2019 Government forces shelled Douma killing five people",
    ],
)
def test_counts_and_page_furniture_never_date_an_event(code, text: str) -> None:
    [event] = code(text)
    assert event.event_date == FRIDAY
    assert "date_refused" not in event.flags and "date_ambiguous" not in event.flags


@pytest.mark.slow
@pytest.mark.parametrize("day", ["12 May 1850", "25 May 2019"])
def test_an_impossible_event_date_is_refused_and_flagged(code, day: str) -> None:
    [event] = code(f"Gunmen killed two farmers near Hawija on {day}.")
    assert (event.event_date, event.time_precision) == (FRIDAY, 2)
    assert "date_refused" in event.flags


@pytest.mark.slow
def test_an_ambiguous_numeric_date_is_read_by_the_source_convention_and_flagged(code) -> None:
    text = "Gunmen killed two farmers near Hawija on 9/5/2019."
    [day_first] = code(text)
    assert day_first.event_date == date(2019, 5, 9) and "date_ambiguous" in day_first.flags
    [month_first] = code(text.replace("9/5", "5/9"), source="Voice of America")
    assert month_first.event_date == date(2019, 5, 9) and "date_ambiguous" in month_first.flags
