"""Hand-built events and a small admin1 comparison, so scorers are tested without NLP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitrep.models import Actor, Event, Evidence, Place, Span

FIXTURES = Path(__file__).parent / "fixtures"

#: Spellings the tests use for one governorate; the real table lives in sitrep.geo.
_SPELLINGS = {"idlib": "idleb", "deir ezzor": "deir-ez-zor", "raqqa": "ar-raqqa"}


def _canonical(name: str) -> str:
    key = name.strip().casefold()
    return _SPELLINGS.get(key, key)


@pytest.fixture
def same_admin1() -> Callable[[str, str], bool]:
    return lambda a, b: _canonical(a) == _canonical(b)


@pytest.fixture
def make_event() -> Callable[..., Event]:
    def build(
        event_type: str = "Explosions/Remote violence",
        sub_event_type: str = "Shelling/artillery/missile attack",
        *,
        actor1: Actor | None = None,
        admin1: str | None = None,
        location: str = "somewhere",
        latitude: float | None = None,
        longitude: float | None = None,
        geo_precision: int = 1,
        fatalities: int = 0,
        attack_method: str | None = None,
        trigger_at: int | None = None,
        fatalities_words: str | None = None,
    ) -> Event:
        place = None
        if admin1 is not None or latitude is not None:
            place = Place(
                location=location,
                admin1=admin1,
                latitude=latitude,
                longitude=longitude,
                geo_precision=geo_precision,  # type: ignore[arg-type]
            )
        evidence = {}
        if fatalities_words:
            span = Span(start=0, end=len(fatalities_words), text=fatalities_words)
            evidence["fatalities"] = Evidence(spans=[span])
        trigger = None
        if trigger_at is not None:
            trigger = Span(start=trigger_at, end=trigger_at + 1, text="x")
        return Event(
            event_type=event_type,
            sub_event_type=sub_event_type,
            actor1=actor1,
            place=place,
            fatalities=fatalities,
            attack_method=attack_method,
            evidence=evidence,
            trigger=trigger,
        )

    return build
