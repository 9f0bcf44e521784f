"""`sitrep events --review` and `sitrep export --review`: the analysts' verdicts from the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.cli.extract import expected_reports
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


def test_export_leaves_rejected_out_and_carries_each_review(db: str, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = CliRunner().invoke(app, ["export", "--db", db, "--out", str(out), "--bom"])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["event_date"], r["review_status"], r["reviewed_by"]) for r in rows] == [
        ("2024-06-01", "verified", "rana"),
        ("2024-06-03", "unreviewed", ""),
    ]
    assert all(r["corrected"] == "False" and r["reviewed_at"] != "" for r in rows[:1])
    every = CliRunner().invoke(app, ["events", "--db", db, "--review", "all", "--format", "jsonl"])
    assert event_dates(every.stdout) == ["2024-06-01", "2024-06-02", "2024-06-03"]
    assert [json.loads(line)["review_status"] for line in every.stdout.splitlines()] == [
        "verified",
        "rejected",
        "unreviewed",
    ]


def test_events_are_searched_by_their_report_words(db: str) -> None:
    found = CliRunner().invoke(
        app, ["events", "--db", db, "--search", "protests deraa", "--format", "jsonl"]
    )
    assert event_dates(found.stdout) == ["2024-06-01", "2024-06-03"]
    none = CliRunner().invoke(
        app, ["events", "--db", db, "--search", "shelling", "--format", "jsonl"]
    )
    assert none.exit_code == 0 and event_dates(none.stdout) == []
    bad = CliRunner().invoke(app, ["events", "--db", db, "--type", "Shootings"])
    assert bad.exit_code == 1 and "unknown event type 'Shootings'" in bad.stderr


def test_the_progress_bar_counts_the_reports_of_a_big_csv(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text(
        'body,published\n"first, with a comma",2024-01-01\n"second\nover two lines",'
        "2024-01-02\nthird,2024-01-03\n",
        encoding="utf-8",
    )
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"text": "a"}\n\n{"text": "b"}\n', encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("one report", encoding="utf-8")
    assert expected_reports([feed]) == 3
    assert expected_reports([feed, lines, note]) == 6


def test_the_event_table_shows_each_review(db: str) -> None:
    result = CliRunner().invoke(app, ["events", "--db", db, "--review", "all"])
    assert result.exit_code == 0, result.output
    rows = {
        status: line
        for line in result.stdout.splitlines()
        for status in ("verified", "rejected", "unreviewed")
        if f"│ {status}" in line
    }
    assert "2024-06-01" in rows["verified"] and "2024-06-02" in rows["rejected"]
    assert "2024-06-03" in rows["unreviewed"]
    assert result.stdout.count("rana ") == 2  # who reviewed, beside when


def test_events_by_flag(tmp_path: Path) -> None:
    """A year mistyped in a correction flags the event; --flag finds it, in the export too."""
    url = f"sqlite:///{tmp_path / 'flags.db'}"
    report = Report(text="Two protests were held in Deraa.", published=date(2024, 6, 4))
    events = [
        Event(event_type="Protests", sub_event_type="Peaceful protest", event_date=date(2024, 6, d))
        for d in (1, 2)
    ]
    with Store(url) as store:
        report_id, _ = store.add_report(report, events=events)
        Reviews(store).correct(f"{report_id}-02", {"event_date": "2042-06-02"}, user="rana")
    found = CliRunner().invoke(
        app, ["events", "--db", url, "--flag", "date_implausible", "--format", "jsonl"]
    )
    assert found.exit_code == 0, found.output
    assert event_dates(found.stdout) == ["2042-06-02"]
    out = tmp_path / "flagged.jsonl"
    exported = CliRunner().invoke(
        app, ["export", "--db", url, "--flag", "date_implausible", "-f", "jsonl", "-o", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert event_dates(out.read_text(encoding="utf-8")) == ["2042-06-02"]
    wrong = CliRunner().invoke(app, ["events", "--db", url, "--flag", "Date-Implausible"])
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output
    assert "error: --flag: 'Date-Implausible' is not a flag name" in wrong.stderr
