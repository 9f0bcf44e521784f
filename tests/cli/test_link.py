"""`sitrep link [--rebuild]` and `sitrep export --unit incidents`, with the stand-in
extractor: reports of one strike become one incident with both tolls and a flag."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sitrep.cli.app import app
from sitrep.export import ACLED_COLUMNS, INCIDENT_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.setenv("SITREP_EXTRACTOR", "fake_extractor:killings")


def sitrep(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def db(tmp_path: Path) -> str:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "one.txt").write_text("A strike hit Saraqib at dawn, killing five.")
    (reports / "two.txt").write_text("Warplanes struck Saraqib, killing seven, medics said.")
    (reports / "three.txt").write_text("A strike on Azaz market ended killing two.")
    url = f"sqlite:///{tmp_path / 'link.db'}"
    result = sitrep("extract", str(reports), "--date", "2019-07-22", "--db", url)
    assert result.exit_code == 0, result.output
    return url


def _incident_rows(db: str) -> list[dict[str, str]]:
    result = sitrep("export", "--unit", "incidents", "--format", "acled", "--db", db)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_extract_links_reports_and_export_writes_one_row_per_incident(db: str) -> None:
    rows = _incident_rows(db)
    assert list(rows[0]) == [*ACLED_COLUMNS, *INCIDENT_COLUMNS]
    by_place = {row["location"]: row for row in rows}
    assert set(by_place) == {"Saraqib", "Azaz"}
    saraqib = by_place["Saraqib"]
    assert saraqib["fatalities"] == "5"  # the lowest credible toll
    assert saraqib["tolls"] == "5; 7"
    assert saraqib["flags"] == "tolls_disagree"
    assert saraqib["corroboration"] == "2"
    assert len(saraqib["events"].split("; ")) == 2
    disagreement = json.loads(saraqib["disagreements"])[0]
    assert {v["spans"][0]["text"] for v in disagreement["values"]} == {
        "killing five",
        "killing seven",
    }


def test_link_rebuild_keeps_the_same_incidents(db: str) -> None:
    before = {row["event_id_cnty"]: row["events"] for row in _incident_rows(db)}
    result = sitrep("link", "--rebuild", "--db", db)
    assert result.exit_code == 0, result.output
    assert "3 events linked, 1 of them to another report's incident; 2 incidents" in result.stderr
    assert {row["event_id_cnty"]: row["events"] for row in _incident_rows(db)} == before
    again = sitrep("link", "--db", db)
    assert "0 events linked" in again.stderr


def test_incidents_as_json_lines_carry_every_event(db: str) -> None:
    result = sitrep("export", "--unit", "incidents", "--format", "jsonl", "--db", db)
    incidents = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(len(i["events"]) for i in incidents) == [1, 2]


def test_link_on_a_bad_database_url_is_one_line(tmp_path: Path) -> None:
    result = sitrep("link", "--db", "nonsense://")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error:")


def test_incidents_as_json_and_geojson(db: str) -> None:
    as_json = json.loads(
        sitrep("export", "--unit", "incidents", "--format", "json", "--db", db).stdout
    )
    assert sorted(len(i["events"]) for i in as_json) == [1, 2]
    result = sitrep("export", "--unit", "incidents", "--format", "geojson", "--db", db)
    features = json.loads(result.stdout)["features"]
    assert {f["properties"]["location"] for f in features} == {"Saraqib", "Azaz"}
    assert {f["id"] for f in features} == {i["incident_id"] for i in as_json}
