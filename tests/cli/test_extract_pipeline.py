"""`sitrep extract` through the real pipeline, on the founding report, into the DB and out."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.export import ACLED_COLUMNS, SITREP_COLUMNS
from sitrep.store import EventFilter, Store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "data" / "seed_report.txt"


@pytest.mark.slow
@pytest.mark.skipif(not SEED.exists(), reason=f"the shared dev data is absent ({SEED})")
def test_seed_report_from_file_to_database_to_acled_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITREP_EXTRACTOR", raising=False)
    db = f"sqlite:///{tmp_path / 'seed.db'}"
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(SEED), "--date", "2015-11-20", "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 reports read: 1 new" in result.stderr

    store = Store(db)
    (stored,) = store.list_reports()
    assert stored.status == "ok" and stored.report.published == date(2015, 11, 20)
    events = store.query_events()
    assert events and all(e.report_id == stored.report_id for e in events)
    (shooting,) = store.query_events(EventFilter(min_fatalities=1))
    assert shooting.fatalities == 5
    assert shooting.place is not None and shooting.place.admin1 == "Homs"
    assert shooting.actor1 is not None and shooting.actor1.name == "Islamic State (Syria)"
    assert not {900, 65, 7} & {e.fatalities for e in events}
    assert store.query_events(EventFilter(admin1="homs", actor="islamic state")) == [shooting]

    out = tmp_path / "seed.csv"
    exported = runner.invoke(app, ["export", "--db", db, "--format", "acled", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    with out.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
        assert tuple(rows[0]) == ACLED_COLUMNS + SITREP_COLUMNS
    assert [row["event_id_cnty"] for row in rows] == [e.event_id for e in events]
    (row,) = [row for row in rows if row["event_id_cnty"] == shooting.event_id]
    assert (row["fatalities"], row["admin1"], row["country"], row["year"]) == (
        "5",
        "Homs",
        "Syria",
        "2015",
    )
    assert '"text": ' in row["evidence"]  # the evidence spans travel with the row
