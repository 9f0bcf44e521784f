"""The whole pipeline on the founding report (issue 2, point 6) and its contract."""

from __future__ import annotations

from pathlib import Path

import pytest

import sitrep
from sitrep.models import Event, Report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "data" / "seed_report.txt"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_events() -> list[Event]:
    if not SEED.exists():
        pytest.skip(f"the founding report is not here ({SEED}); it lives in ../shared/data")
    return sitrep.extract(SEED.read_text("utf-8"), date="2015-11-20", source="Sound and Picture")


def _sentence_with(text: str, word: str) -> tuple[int, int]:
    position = text.index(word)
    start = max(text.rfind(".", 0, position), text.rfind("\n", 0, position)) + 1
    end = text.index(".", position)
    return start, end


def test_checkpoint_shooting_near_palmyra(seed_events: list[Event]) -> None:
    text = SEED.read_text("utf-8")
    start, end = _sentence_with(text, "opened fire")
    shootings = [e for e in seed_events if e.trigger and start <= e.trigger.start < end]
    assert len(shootings) == 1
    event = shootings[0]
    assert event.event_type in ("Battles", "Violence against civilians")
    assert event.fatalities == 5
    assert event.place is not None
    assert event.place.country == "Syria"
    assert event.place.admin1 == "Homs"
    assert event.place.location in ("Palmyra", "Tadmur")
    assert event.place.geo_precision == 2
    assert event.actor1 is not None and event.actor1.name == "Islamic State (Syria)"
    chechens = [a for a in (event.actor1, event.actor2) if a is not None]
    assert any("Chechen" in " ".join([a.name, *a.associated]) for a in chechens)
    assert event.attack_method == "firearms"
    # every field set carries the words that support it
    assert "five" in event.evidence["fatalities"].spans[0].text
    assert event.evidence["location"].spans


def test_defection_is_a_change_to_group_activity(seed_events: list[Event]) -> None:
    text = SEED.read_text("utf-8")
    start, end = _sentence_with(text, "splinter")
    defections = [
        e
        for e in seed_events
        if e.trigger
        and start <= e.trigger.start < end
        and (e.event_type, e.sub_event_type)
        == ("Strategic developments", "Change to group/activity")
    ]
    assert len(defections) == 1


def test_group_sizes_are_never_deaths(seed_events: list[Event]) -> None:
    assert not {900, 65, 7} & {e.fatalities for e in seed_events}
    assert sum(e.fatalities for e in seed_events) == 5


def test_ids_source_and_notes_follow_the_contract(seed_events: list[Event]) -> None:
    report_id = Report(text=SEED.read_text("utf-8")).report_id
    assert [e.event_id for e in seed_events] == [
        f"{report_id}-{n:02d}" for n in range(1, len(seed_events) + 1)
    ]
    assert all(e.report_id == report_id and e.source == "Sound and Picture" for e in seed_events)
    assert all(e.notes.endswith(".") and e.evidence["event_type"].spans for e in seed_events)


def test_unsupported_language_yields_no_events() -> None:
    report = Report(text="Des combats ont eu lieu hier à Alep.", language="fr")
    assert sitrep.extract_report(report) == []


def test_a_report_without_a_date_is_flagged_not_dated_today() -> None:
    events = sitrep.extract("Government forces shelled the town of Kafr Nabl in Idleb province.")
    assert len(events) == 1
    assert events[0].event_date is None and "undated" in events[0].flags


def test_a_bad_date_is_a_parse_error() -> None:
    with pytest.raises(sitrep.ParseError, match="not an ISO date"):
        sitrep.extract("Clashes erupted.", date="20/11/2015")


def test_actors_are_named_for_the_country_of_the_report() -> None:
    events = sitrep.extract(
        "Islamic State militants attacked an army checkpoint in Baqubah in Diyala province "
        "on Monday, killing four soldiers.",
        date="2019-05-06",
    )
    attackers = {e.actor1.name for e in events if e.actor1 is not None}
    assert "Islamic State (Iraq)" in attackers


def test_a_report_on_syria_that_names_turkey_often_is_syrian() -> None:
    # Turkey is named four times as a speaker and an actor; the killing is in Syria.
    [event] = sitrep.extract(
        "Unidentified gunmen killed 12 civilians near Azaz on Monday, Turkey said. Turkey, "
        "Turkey's army and Turkish officials said Turkey would close its border with Syria.",
        date="2019-05-06",
    )
    assert event.place is not None and event.place.country == "Syria"
    assert event.actor1 is not None and event.actor1.name == "Unidentified Armed Group (Syria)"
    assert event.actor2 is not None and event.actor2.name == "Civilians (Syria)"
