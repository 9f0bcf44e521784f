"""`sitrep events --review` and `sitrep export --review`: the analysts' verdicts from the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.models import Event, Report
from sitrep.store import Store
from sitrep.store.review import Reviews


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Three events of one report: the first verified, the second rejected, the third not
    reviewed."""
    url = f"sqlite:///{tmp_path / 'reviewed.db'}"
    report = Report(text="Three protests were held in Deraa on three days.")
    events = [
        Event(event_type="Protests", sub_event_type="Peaceful protest", event_date=date(2024, 6, d))
        for d in (1, 2, 3)
    ]
    with Store(url) as store:
        report_id, _ = store.add_report(report, events=events)
        reviews = Reviews(store)
        reviews.set_review(f"{report_id}-01", "verified", user="rana")
        reviews.set_review(f"{report_id}-02", "rejected", user="rana")
    return url


def event_dates(output: str) -> list[str]:
    return [json.loads(line)["event_date"] for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("status", "dates"),
    [("verified", ["2024-06-01"]), ("rejected", ["2024-06-02"]), ("unreviewed", ["2024-06-03"])],
)
def test_events_by_review_status(db: str, status: str, dates: list[str]) -> None:
    result = CliRunner().invoke(
        app, ["events", "--db", db, "--review", status, "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert event_dates(result.stdout) == dates


def test_export_by_review_status(db: str, tmp_path: Path) -> None:
    out = tmp_path / "verified.jsonl"
    result = CliRunner().invoke(
        app, ["export", "--db", db, "--review", "verified", "--format", "jsonl", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert event_dates(out.read_text(encoding="utf-8")) == ["2024-06-01"]


def test_an_unknown_review_status_is_one_line(db: str) -> None:
    result = CliRunner().invoke(app, ["events", "--db", db, "--review", "approved"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "error: --review: unknown review status 'approved'; use unreviewed, verified, rejected"
        in result.stderr
    )
