"""Events built by hand (sentences we wrote), so linking is tested without the NLP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from sitrep.models import Actor, Event, Evidence, Place, Span

EventFactory = Callable[..., Event]


def build_event(
    report_id: str,
    *,
    text: str = "Gunmen shot dead four villagers in Kabarnet on Monday.",
    position: int = 1,
    day: date | None = date(2024, 5, 6),
    time_precision: int = 1,
    event_type: str = "Violence against civilians",
    sub_event_type: str = "Attack",
    actor1: str | None = "Unidentified Armed Group (Kenya)",
    actor2: str | None = "Civilians (Kenya)",
    location: str = "Kabarnet",
    admin1: str | None = "Baringo",
    country: str = "Kenya",
    latitude: float | None = 0.4919,
    longitude: float | None = 35.743,
    geo_precision: int = 1,
    fatalities: int = 4,
    attack_method: str | None = "firearms",
    source: str | None = None,
    attribution: str | None = None,
) -> Event:
    """One event of report `report_id`, whose words are `text` (all its evidence)."""
    whole = Span.of(text, 0, len(text))
    evidence = {"event_type": Evidence(spans=[whole], rule="test")}
    if fatalities:
        evidence["fatalities"] = Evidence(spans=[whole], rule="test")
    if attribution:
        evidence["attribution"] = Evidence(spans=[whole], rule="source: monitor")
    return Event(
        event_id=f"{report_id}-{position:02d}",
        report_id=report_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=day,
        time_precision=time_precision,  # type: ignore[arg-type]
        actor1=Actor(name=actor1, inter=3) if actor1 else None,
        actor2=Actor(name=actor2, inter=7) if actor2 else None,
        place=Place(
            location=location,
            admin1=admin1,
            country=country,
            latitude=latitude,
            longitude=longitude,
            geo_precision=geo_precision,  # type: ignore[arg-type]
        ),
        fatalities=fatalities,
        attack_method=attack_method,
        source=source or f"outlet of {report_id}",
        attribution=attribution,
        evidence=evidence,
    )


def protest_event(report_id: str) -> Event:
    """Police firing tear gas at protesters in Mombasa: another incident than the shooting."""
    return build_event(
        report_id,
        text="Police fired tear gas at protesters in Mombasa on Monday.",
        event_type="Protests",
        sub_event_type="Excessive force against protesters",
        actor1="Police Forces of Kenya (2022-)",
        actor2="Protesters (Kenya)",
        location="Mombasa",
        admin1="Mombasa",
        latitude=-4.0435,
        longitude=39.6682,
        fatalities=0,
        attack_method=None,
    )


@pytest.fixture
def make_event() -> EventFactory:
    return build_event
