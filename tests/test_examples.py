"""The example reports against the events a careful ACLED coder would record.

examples/reports/<stem>.json is a report; examples/expected/<stem>.yaml lists its events.
Events are matched by (event_type, sub_event_type); each match must agree on fatalities,
admin1, actor1 and event_date.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import sitrep
from sitrep.evaluate import actor_key
from sitrep.models import EVENT_TYPES, Event

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "examples" / "reports").glob("*.json"))
EXPECTED = ROOT / "examples" / "expected"
FIELDS = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "geo_precision",
    "event_date",
    "time_precision",
    "fatalities",
    "attack_method",
)


def expected_events(report_path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load((EXPECTED / f"{report_path.stem}.yaml").read_text("utf-8"))
    events: list[dict[str, Any]] = data["events"]
    return events


def test_every_report_has_expected_events_written_in_the_acled_taxonomy():
    assert len(REPORTS) >= 12
    assert {p.stem for p in REPORTS} == {p.stem for p in EXPECTED.glob("*.yaml")}
    for path in REPORTS:
        report = json.loads(path.read_text("utf-8"))
        assert set(report) == {"title", "date", "source", "text"}, path.name
        date.fromisoformat(report["date"])
        for event in expected_events(path):
            assert set(event) == set(FIELDS), path.name
            assert event["sub_event_type"] in EVENT_TYPES[event["event_type"]], path.name
            assert isinstance(event["event_date"], date), path.name


def test_the_examples_include_several_incidents_and_pure_background():
    counts = [len(expected_events(path)) for path in REPORTS]
    assert 0 in counts
    assert max(counts) >= 2


@pytest.fixture(scope="session")
def pipeline_ready() -> None:
    try:
        sitrep.extract("Government forces shelled Kafr Nabl on Thursday.", date="2019-05-10")
    except NotImplementedError as error:
        pytest.skip(f"the extraction pipeline is not implemented yet: {error}")


@pytest.fixture(scope="session")
def same_admin1() -> Callable[[str, str], bool]:
    from sitrep.geo import same_admin1

    return same_admin1


def differences(
    expected: list[dict[str, Any]], events: list[Event], same_admin1: Callable[[str, str], bool]
) -> list[str]:
    """What differs between the expected events and the extracted ones, one line each."""
    found = [f"{e.event_type} / {e.sub_event_type}" for e in events]
    if len(expected) != len(events):
        return [f"expected {len(expected)} event(s), found {len(events)}: {found}"]
    unmatched = list(events)
    problems = []
    for want in expected:
        key = (want["event_type"], want["sub_event_type"])
        match = next((e for e in unmatched if (e.event_type, e.sub_event_type) == key), None)
        if match is None:
            problems.append(f"no {key[0]} / {key[1]} event among {found}")
            continue
        unmatched.remove(match)
        admin1 = match.place.admin1 if match.place and match.place.admin1 else ""
        actor1 = match.actor1.name if match.actor1 else ""
        checks = {
            "fatalities": (want["fatalities"] == match.fatalities, match.fatalities),
            "admin1": (bool(admin1) and same_admin1(admin1, want["admin1"]), admin1),
            "actor1": (actor_key(actor1) == actor_key(want["actor1"] or ""), actor1),
            "event_date": (want["event_date"] == match.event_date, match.event_date),
        }
        problems += [
            f"{key[1]}: {field} expected {want[field]!r}, found {got!r}"
            for field, (ok, got) in checks.items()
            if not ok
        ]
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("report_path", REPORTS, ids=lambda path: path.stem)
def test_example_report(report_path: Path, pipeline_ready: None, same_admin1) -> None:
    report = json.loads(report_path.read_text("utf-8"))
    events = sitrep.extract(
        report["text"], date=report["date"], source=report["source"], title=report["title"]
    )
    problems = differences(expected_events(report_path), events, same_admin1)
    assert not problems, "\n".join(problems)
