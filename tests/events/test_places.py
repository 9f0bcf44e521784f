"""Which of the report's places the event stage asks the geo stage to choose from."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.events import Locator, find_events
from sitrep.models import Actor, Evidence, Place, PlaceMention, Report, Span
from sitrep.nlp import annotate

pytestmark = pytest.mark.slow

PLACES = {
    "Duma": Place(location="Duma", country="Syria", admin1="Rural Damascus"),
    "Moscow": Place(location="Moscow", country="Russia", admin1="Moskva"),
    "SANA": Place(location="Sanaa", country="Yemen", admin1="Amanat Alasimah"),
    "DAMASCUS": Place(location="Damascus", country="Syria", admin1="Damascus"),
    "Syria": Place(location="Syria", country="Syria"),
    "Raqqa": Place(location="Raqqa", country="Syria", admin1="Ar-Raqqa"),
    "Homs": Place(location="Homs", country="Syria", admin1="Homs"),
}


def _first_in_clause(
    mentions: list[PlaceMention], clause: Span, text: str
) -> tuple[Place, Evidence] | None:
    own = [m for m in mentions if clause.start <= m.span.start < clause.end]
    return (own[0].place, Evidence(spans=[own[0].span])) if own else None


def _first_named(
    mentions: list[PlaceMention], clause: Span, text: str
) -> tuple[Place, Evidence] | None:
    """A stand-in for the report's focus: the first place the report names."""
    return (mentions[0].place, Evidence(spans=[mentions[0].span])) if mentions else None


def _place_of(text: str, locate: Locator = _first_in_clause) -> str | None:
    mentions = []
    for name, place in PLACES.items():
        start = text.find(name)
        if start != -1:
            mentions.append(PlaceMention(span=Span.of(text, start, start + len(name)), place=place))
    mentions.sort(key=lambda m: m.span.start)
    [event] = find_events(
        annotate(text),
        Report(text=text, published=date(2019, 5, 10)),
        actors=[],
        places=mentions,
        locate=locate,
        generic=lambda kind, country: Actor(name=kind, inter=3),
    )
    return event.place.location if event.place else None


def test_a_dateline_in_capitals_yields_to_a_named_town() -> None:
    assert _place_of("DAMASCUS - Government forces shelled Duma in Syria on Tuesday.") == "Duma"


def test_a_news_agency_acronym_is_no_place() -> None:
    assert _place_of("Government forces shelled Duma on Tuesday, SANA said.") == "Duma"


def test_the_reports_own_country_comes_first() -> None:
    text = "Syria: the ministry in Moscow said its jets struck Duma on Tuesday. Duma is in Syria."
    assert _place_of(text) == "Duma"


def test_a_bare_country_only_when_nothing_finer_is_named() -> None:
    assert _place_of("Government forces shelled a village in Syria on Tuesday.") == "Syria"


def test_a_clause_with_its_own_subject_tells_something_else() -> None:
    # The place of the troops' advance is not where the bomb went off.
    after = "A car bomb killed 12 people on Tuesday as government troops advanced on Raqqa."
    assert _place_of(after) is None
    before = "As government troops advanced on Raqqa, a car bomb killed 12 people in Homs."
    assert _place_of(before) == "Homs"


def test_a_relative_clause_still_describes_the_event() -> None:
    assert _place_of("Rebels fired shells that killed 12 people in Homs on Tuesday.") == "Homs"


def test_a_place_told_of_another_time_places_no_other_event() -> None:
    text = (
        "Rebels used the same gas in Homs last year. A chemical attack killed 70 people on Tuesday."
    )
    assert _place_of(text, _first_named) is None
    text = "Medics in Duma said a chemical attack killed 70 people on Tuesday."
    assert _place_of(f"Rebels used the same gas in Homs last year. {text}", _first_named) == "Duma"
    # A sentence that also dates something recent is not background.
    assert _place_of("Jets struck Homs on Tuesday, after rebels took it last year.") == "Homs"
