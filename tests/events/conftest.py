"""Coding sentences we write, with hand-named actors, so the event stage is tested alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sitrep.events import find_events
from sitrep.models import Actor, ActorMention, Event, Evidence, Place, PlaceMention, Report, Span
from sitrep.nlp import annotate

#: ACLED inter codes of the actors the test sentences name.
KNOWN_ACTORS = {
    "Syrian government forces": ("Military Forces of Syria (2000-)", 1),
    "government forces": ("Military Forces of Syria (2000-)", 1),
    "Security forces": ("Police Forces of Iraq (2018-2020)", 1),
    "Police": ("Police Forces of Syria (2000-)", 1),
    "Islamic State": ("Islamic State (Syria)", 2),
    "IS": ("Islamic State (Syria)", 2),
    "IS militants": ("Islamic State (Syria)", 2),
    "IS group": ("Islamic State (Syria)", 2),
    "Free Syrian Army": ("FSA: Free Syrian Army", 2),
    "Russian warplanes": ("Military Forces of Russia (2000-)", 8),
    "Russian officers": ("Military Forces of Russia (2000-)", 8),
    "rebel commanders": ("Opposition Rebels (Syria)", 2),
    "Rebels": ("Opposition Rebels (Syria)", 2),
    "Turkish forces": ("Military Forces of Turkey (2016-)", 8),
    "Militiamen": ("Shabiha Militia", 3),
    "civilians": ("Civilians (Syria)", 7),
    "the Syrian Observatory for Human Rights": ("", 0),
    "Kurdish-led forces": ("QSD: Syrian Democratic Forces", 2),
}

#: Of those, the groups that administer the areas they hold (the dictionary's `authority`).
AUTHORITIES = frozenset({"QSD: Syrian Democratic Forces"})


def _mentions(text: str) -> list[ActorMention]:
    """Every whole-word occurrence of a known actor name (longest names first)."""
    taken: list[range] = []
    found = []
    for name in sorted(KNOWN_ACTORS, key=len, reverse=True):
        canonical, inter = KNOWN_ACTORS[name]
        start = text.find(name)
        while start != -1:
            end = start + len(name)
            whole = (start == 0 or not text[start - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            )
            if inter and whole and not any(start in r for r in taken):
                taken.append(range(start, end))
                found.append(
                    ActorMention(
                        span=Span.of(text, start, end),
                        actor=Actor(name=canonical, inter=inter, country="Syria"),
                        generic=inter == 7,
                        authority=canonical in AUTHORITIES,
                    )
                )
            start = text.find(name, end)
    return found


def generic(kind: str, country: str | None) -> Actor:
    inter = {"civilians": 7, "protesters": 6, "rioters": 5}.get(kind, 3)
    return Actor(name=f"{kind.title()} ({country or 'Syria'})", inter=inter, country=country)


#: The test places, by the name the test sentences give them.
KNOWN_PLACES = {
    "Douma": Place(location="Duma", country="Syria", admin1="Rural Damascus", geo_precision=1),
    "Mayadin": Place(location="Mayadin", country="Syria", admin1="Deir-ez-Zor", geo_precision=1),
}


def _places(text: str) -> list[PlaceMention]:
    """The test places, wherever they are named."""
    found = []
    for name, place in KNOWN_PLACES.items():
        start = text.find(name)
        while start != -1:
            found.append(PlaceMention(span=Span.of(text, start, start + len(name)), place=place))
            start = text.find(name, start + len(name))
    return sorted(found, key=lambda mention: mention.span.start)


def locate(mentions: list[PlaceMention], clause: Span, text: str) -> tuple[Place, Evidence] | None:
    own = [m for m in mentions if clause.start <= m.span.start < clause.end]
    if not own:
        return None
    return own[0].place, Evidence(spans=[own[0].span], confidence=0.9, rule="clause")


Code = Callable[..., list[Event]]


@pytest.fixture(scope="session")
def code() -> Code:
    """Code a text written for a test; the report is dated Friday 10 May 2019 by default."""

    def run(
        text: str, published: date | None = date(2019, 5, 10), source: str = "Test Wire"
    ) -> list[Event]:
        doc = annotate(text)
        report = Report(text=text, published=published, source=source)
        return find_events(
            doc,
            report,
            actors=_mentions(text),
            places=_places(text),
            locate=locate,
            generic=generic,
        )

    return run
