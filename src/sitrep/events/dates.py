"""Event dates: the DATE expressions near a trigger, resolved against the report date.

dateparser parses one expression at a time (never `search_dates`, which glues unrelated
phrases together), with the report date as its base and the report's numeric convention as
its DATE_ORDER; the precision follows ACLED: 1 a day, 2 a week, 3 a month (or a year).
Which dates are refused or flagged, and why, is told in dates.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from dateparser.date import DateDataParser
from number_parser import parse_number
from spacy.tokens import Span as TokenSpan

from sitrep.events._lexicon import DateLexicon, EventLexicons, default_lexicons
from sitrep.models import TimePrecision
from sitrep.nlp.index import entities_in, lower_text_of

DateOrder = Literal["DMY", "MDY"]
#: A numeric date of three numbers ("3/4/2015", "12.11.15").
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_YEAR = re.compile(r"\b\d{4}\b")
AMBIGUOUS = "date_ambiguous"
REFUSED = "date_refused"


@dataclass(frozen=True)
class EventDate:
    day: date
    precision: TimePrecision
    #: The words that gave the date (None when it is the report's own date).
    span: TokenSpan | None
    rule: str
    #: What an analyst should check about the date (`date_ambiguous`, `date_refused`).
    flags: tuple[str, ...] = ()


class ReadDate(NamedTuple):
    """A DATE expression read as a day; `refused` when no event can be on that day."""

    day: date
    precision: TimePrecision
    ambiguous: bool = False
    refused: bool = False


def _words(text: str) -> list[str]:
    return text.lower().replace("-", " ").split()


def _precision(expression: str, period: str, lexicon: DateLexicon) -> TimePrecision:
    """ACLED's precision: 2 for a week, 3 for a month or a year, else 1 (dateparser's period
    says which part the expression named)."""
    if set(_words(expression)) & lexicon.week_words or period == "week":
        return 2
    return 3 if period in ("month", "year") else 1


def _is_duration(words: list[str], lexicon: DateLexicon) -> bool:
    if set(words) & lexicon.point_words:
        return False
    return any(
        unit in lexicon.duration_units and index > 0 and parse_number(words[index - 1]) is not None
        for index, unit in enumerate(words)
    )


def _stripped(expression: str, lexicon: DateLexicon) -> str:
    text = expression.lower().strip()
    changed = True
    while changed:
        changed = False
        for prefix in lexicon.strip_prefixes:
            if text.startswith(prefix + " ") or (prefix.endswith("-") and text.startswith(prefix)):
                text = text[len(prefix) :].strip()
                changed = True
    return text


def date_order(
    source: str | None, url: str | None, lexicons: EventLexicons | None = None
) -> DateOrder:
    """How the report writes numeric dates: month first for US-style sources, else day first.
    `lexicons`: an engine's, by default the packaged ones (so for every other function here)."""
    lexicon = (lexicons or default_lexicons()).dates
    if source and source.strip().casefold() in lexicon.month_first_sources:
        return "MDY"
    host = (urlsplit(url).hostname or "") if url else ""
    month_first = any(host.endswith(domain) for domain in lexicon.month_first_domains)
    return "MDY" if month_first else "DMY"


def is_ambiguous_numeric(text: str) -> bool:
    """ "3/4/2015": either number could be the month."""
    match = _NUMERIC_DATE.search(text)
    if match is None:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return first != second and first <= 12 and second <= 12


def _nearest_year(day: date, report_date: date) -> date:
    """A month and day told without a year, in the year that puts them nearest the report."""
    candidates = []
    for year in (report_date.year - 1, report_date.year, report_date.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(candidates, key=lambda candidate: abs((candidate - report_date).days))


@lru_cache(maxsize=256)
def _date_parser(report_date: date | None, order: DateOrder) -> DateDataParser:
    """dateparser's parser for a report date and day order: building one costs more than
    reading an expression, and a batch's reports share a few dates."""
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": order}
    if report_date is not None:
        settings["RELATIVE_BASE"] = datetime(report_date.year, report_date.month, report_date.day)
    return DateDataParser(languages=["en"], settings=settings)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)
def read_expression(
    expression: str,
    report_date: date | None,
    order: DateOrder = "DMY",
    lexicons: EventLexicons | None = None,
) -> ReadDate | None:
    """One DATE expression read as a day with its precision, or None when it is no date.

    A date no event can have (before `earliest_year`, or after the report) comes back
    `refused`. Relative expressions need the report date; without it they are not guessed
    (never today). A year alone is the last day of that year at month precision (3): the
    latest day it allows, so an age cut never makes the event older than it can be; in the
    report's own year it is the report date.
    """
    lexicon = (lexicons or default_lexicons()).dates
    words = _words(expression)
    if not words or set(words) & lexicon.not_dates or _is_duration(words, lexicon):
        return None
    if len(words) == 1 and words[0].isdigit() and int(words[0]) < lexicon.earliest_year:
        return None  # a bare number the tagger took for a date ("the toll was 45", "at 1514")
    text = _stripped(expression, lexicon)
    data = _date_parser(report_date, order).get_date_data(text)
    if data.date_obj is None:
        return None
    day, period = data.date_obj.date(), data.period or "day"
    names_year = bool(_YEAR.search(text) or _NUMERIC_DATE.search(text))
    if period == "year":
        day = date(day.year, 12, 31)
        if report_date is not None and day.year == report_date.year:
            day = report_date
    elif report_date is None:
        if not names_year:
            return None  # without a report date only an expression that names its year stands
    elif not names_year and set(words) & lexicon.month_words:
        day = _nearest_year(day, report_date)
    elif day == report_date - timedelta(days=7) and report_date.strftime("%A").lower() in words:
        # "on Friday" in a Friday report is that day, not a week before.
        day = report_date
    latest = report_date + timedelta(days=lexicon.latest_days_after_report) if report_date else None
    refused = day.year < lexicon.earliest_year or (latest is not None and day > latest)
    return ReadDate(
        day, _precision(expression, period, lexicon), is_ambiguous_numeric(text), refused
    )


def parse_expression(
    expression: str,
    report_date: date | None,
    order: DateOrder = "DMY",
    lexicons: EventLexicons | None = None,
) -> tuple[date, TimePrecision] | None:
    """One DATE expression as (day, precision), or None when it is no usable date."""
    read = read_expression(expression, report_date, order, lexicons)
    if read is None or read.refused:
        return None
    return read.day, read.precision


def _date_words(ent: TokenSpan, lexicon: DateLexicon) -> TokenSpan | None:
    """The words of a DATE entity that tell a date: a number at its end that counts a noun
    after it is a count, not a day ("Friday 19 people were killed" is Friday; "3110 men" is
    no date), and a date right after a page-furniture word ("Updated", "Comments") dates the
    page, not an event."""
    doc = ent.doc
    end = ent.end
    while end > ent.start and doc[end - 1].like_num and doc[end - 1].dep_ == "nummod":
        if doc[end - 1].head.i < ent.end:
            break  # the number counts a word of the date itself ("3 May")
        end -= 1
    if end == ent.start:
        return None
    furniture = lexicon.furniture_words
    before = doc[max(ent.start - 3, 0) : ent.start].text.lower().strip(" :|-")
    if any(before == word or before.endswith(" " + word) for word in furniture):
        return None
    return doc[ent.start : end]


def entity_day(
    ent: TokenSpan,
    report_date: date | None,
    order: DateOrder = "DMY",
    lexicons: EventLexicons | None = None,
) -> tuple[date, TimePrecision] | None:
    """A DATE entity's (day, precision), read from its date words only (`_date_words`)."""
    lexicons = lexicons or default_lexicons()
    words = _date_words(ent, lexicons.dates)
    if words is None:
        return None
    return parse_expression(words.text, report_date, order, lexicons)


def _dates_a_thing(ent: TokenSpan, event_words: frozenset[str]) -> bool:
    """ "an organiser of the 2019 protest movement": a bare year that modifies a noun naming
    no event is that thing's year, not the event's ("the 2013 chemical attack" still dates
    an attack)."""
    year, noun = ent.root, ent.root.head
    return (
        len(ent) == 1
        and year.is_digit
        and len(year) == 4
        and year.dep_ in ("nummod", "compound", "amod", "nmod")
        and noun.pos_ == "NOUN"
        and noun.lemma_.lower() not in event_words
        and noun.lower_ not in event_words
    )


def event_date(
    sentence: TokenSpan,
    trigger: TokenSpan,
    report_date: date | None,
    order: DateOrder = "DMY",
    lexicons: EventLexicons | None = None,
) -> EventDate | None:
    """The date of an event anchored on `trigger`: the nearest DATE of its sentence that is a
    date an event can have, else the report date (precision 1 for a same-day wire, else 2),
    else None (undated). A refused date is not used, and the event is flagged for it."""
    lexicons = lexicons or default_lexicons()
    event_words = lexicons.triggers.event_words
    entities = [
        ent
        for ent in entities_in(sentence)
        if ent.label_ == "DATE" and not _dates_a_thing(ent, event_words)
    ]
    entities.sort(key=lambda ent: min(abs(ent.start - trigger.start), abs(ent.end - trigger.end)))
    flags: tuple[str, ...] = ()
    for ent in entities:
        words = _date_words(ent, lexicons.dates)
        if words is None:
            continue
        read = read_expression(words.text, report_date, order, lexicons)
        if read is None:
            continue
        if read.refused:
            flags = (REFUSED,)
            continue
        if read.ambiguous:
            flags = (*flags, AMBIGUOUS)
        return EventDate(read.day, read.precision, words, "date.nearest-in-sentence", flags)
    if report_date is None:
        return None
    text = lower_text_of(sentence.doc)
    same_day = any(word in text for word in lexicons.dates.same_day_words)
    return EventDate(
        day=report_date,
        precision=1 if same_day else 2,
        span=None,
        rule="date.report-date-same-day" if same_day else "date.report-date",
        flags=flags,
    )
