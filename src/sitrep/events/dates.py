"""Event dates: the DATE expressions near a trigger, resolved against the report date.

dateparser parses one expression at a time (never `search_dates`, which glues unrelated
phrases together); the precision follows ACLED: 1 a day, 2 a week, 3 a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser
from number_parser import parse_number
from spacy.tokens import Span as TokenSpan

from sitrep.events._lexicon import date_lexicon, trigger_lexicon
from sitrep.models import TimePrecision


@dataclass(frozen=True)
class EventDate:
    day: date
    precision: TimePrecision
    #: The words that gave the date (None when it is the report's own date).
    span: TokenSpan | None
    rule: str


def _words(text: str) -> list[str]:
    return text.lower().replace("-", " ").split()


def _precision(expression: str) -> TimePrecision:
    lexicon = date_lexicon()
    words = set(_words(expression))
    if words & lexicon.week_words:
        return 2
    has_day = any(w.isdigit() and int(w) <= 31 for w in words) or bool(words & lexicon.day_words)
    if has_day:
        return 1
    return 3


def _is_duration(words: list[str]) -> bool:
    lexicon = date_lexicon()
    if set(words) & lexicon.point_words:
        return False
    return any(
        unit in lexicon.duration_units and index > 0 and parse_number(words[index - 1]) is not None
        for index, unit in enumerate(words)
    )


def _stripped(expression: str) -> str:
    text = expression.lower().strip()
    changed = True
    while changed:
        changed = False
        for prefix in date_lexicon().strip_prefixes:
            if text.startswith(prefix + " ") or (prefix.endswith("-") and text.startswith(prefix)):
                text = text[len(prefix) :].strip()
                changed = True
    return text


@lru_cache(maxsize=4096)
def parse_expression(
    expression: str, report_date: date | None
) -> tuple[date, TimePrecision] | None:
    """One DATE expression as (day, precision), or None when it is no usable date.

    Relative expressions need the report date; without it they are not guessed (never today).
    """
    lexicon = date_lexicon()
    words = _words(expression)
    if not words or set(words) & lexicon.not_dates or _is_duration(words):
        return None
    if len(words) == 1 and words[0].isdigit() and len(words[0]) != 4:
        return None  # a bare number the tagger took for a date ("the toll was 45.")
    text = _stripped(expression)
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    if report_date is not None:
        settings["RELATIVE_BASE"] = datetime(report_date.year, report_date.month, report_date.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    day = parsed.date()
    if day.year < lexicon.earliest_year:
        return None
    if report_date is None:
        # Without a report date only an expression that names its year is trusted.
        if str(day.year) not in text:
            return None
    elif day == report_date - timedelta(days=7) and report_date.strftime("%A").lower() in words:
        # "on Friday" in a Friday report is that day, not a week before.
        day = report_date
    return day, _precision(expression)


def _dates_a_thing(ent: TokenSpan) -> bool:
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
        and noun.lemma_.lower() not in trigger_lexicon().event_words
        and noun.lower_ not in trigger_lexicon().event_words
    )


def event_date(
    sentence: TokenSpan, trigger: TokenSpan, report_date: date | None
) -> EventDate | None:
    """The date of an event anchored on `trigger`: the nearest parsable DATE of its sentence,
    else the report date (precision 1 for a same-day wire, else 2), else None (undated)."""
    dates = [ent for ent in sentence.ents if ent.label_ == "DATE" and not _dates_a_thing(ent)]
    dates.sort(key=lambda ent: min(abs(ent.start - trigger.start), abs(ent.end - trigger.end)))
    for ent in dates:
        parsed = parse_expression(ent.text, report_date)
        if parsed is not None:
            return EventDate(day=parsed[0], precision=parsed[1], span=ent, rule="date in sentence")
    if report_date is None:
        return None
    text = sentence.doc.text.lower()
    same_day = any(word in text for word in date_lexicon().same_day_words)
    return EventDate(
        day=report_date,
        precision=1 if same_day else 2,
        span=None,
        rule="report date (same-day wire)" if same_day else "report date",
    )
