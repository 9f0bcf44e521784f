"""`sitrep extract/events/show/export` end to end, with a stand-in extractor (no model)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sitrep.cli.app import app
from sitrep.export import ACLED_COLUMNS, SITREP_COLUMNS
from sitrep.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
READER_FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures"
WIRE = READER_FIXTURES / "wire.txt"


@pytest.fixture(autouse=True)
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.setenv("SITREP_EXTRACTOR", "fake_extractor:killings")


@pytest.fixture
def db(db_url: str) -> str:
    return db_url


def sitrep(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for fragment in fragments:
        assert fragment in line


def test_extract_a_folder_prints_events_and_lists_failures(db: str) -> None:
    result = sitrep("extract", str(READER_FIXTURES), "--db", db)
    assert result.exit_code == 0, result.output
    assert "Saraqib, Idlib, Syria" in result.stdout and "Azaz, Aleppo, Syria" in result.stdout
    assert "8 reports read: 7 new, 0 already in the database, 1 in a language" in result.stderr
    assert "6 failed:" in result.stderr
    assert "navigation_only.html: no article text found" in result.stderr
    assert "arabic.txt: written in 'ar'" in result.stderr
    store = Store(db)
    assert (store.count_reports(), store.count_events()) == (8, 3)


def test_extract_twice_lists_the_same_events_and_stores_nothing_new(db: str) -> None:
    first = sitrep("extract", str(WIRE), "--db", db, "--format", "jsonl")
    again = sitrep("extract", str(WIRE), "--db", db, "--format", "jsonl")
    assert again.exit_code == 0
    assert again.stdout == first.stdout and len(first.stdout.splitlines()) == 1
    assert "1 reports read: 0 new, 1 already in the database" in again.stderr
    assert Store(db).count_events() == 1


def test_extract_with_metadata_to_an_acled_csv(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = sitrep(
        "extract", str(WIRE), "--db", db, "--date", "3 March 2020", "--source", "Wire",
        "--format", "acled", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0 and result.stdout == ""
    with out.open(newline="", encoding="utf-8") as stream:
        header = next(csv.reader(stream))
        stream.seek(0)
        (row,) = list(csv.DictReader(stream))
    assert tuple(header) == ACLED_COLUMNS + SITREP_COLUMNS
    assert (row["event_date"], row["source"], row["fatalities"]) == ("2020-03-03", "Wire", "7")
    assert json.loads(row["evidence"])["fatalities"]["spans"][0]["text"] == (
        "killing at least seven"
    )


def test_extract_csv_with_named_columns(db: str) -> None:
    result = sitrep(
        "extract", str(READER_FIXTURES / "reports.csv"), "--db", db, "--text-column", "body",
        "--date-column", "published", "--source-column", "outlet", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output  # one empty row of three: the batch goes on
    assert "reports.csv#row=3: empty document" in result.stderr
    assert "reports.csv#row=4: date 'sometime in spring' could not be read" in result.stderr
    assert [r.report.source for r in Store(db).list_reports()].count("Desk E") == 1


def test_a_csv_without_the_named_column_fails_naming_its_columns(db: str) -> None:
    result = sitrep("extract", str(READER_FIXTURES / "reports.csv"), "--db", db)
    assert result.exit_code == 1
    assert (
        "reports.csv: no column 'text' (columns: id, body, published, headline, outlet); "
        "name the right one with --text-column"
    ) in result.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file, there is no text to read"),
        (bytes(range(256)) * 4, "looks like binary data, not text"),
    ],
)
def test_a_single_bad_file_exits_non_zero_with_its_reason(
    db: str, tmp_path: Path, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = sitrep("extract", str(bad), "--db", db)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"bad.txt: {reason}" in result.stderr


def test_a_20_mb_report_is_refused_naming_the_limit(db: str, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Fighting continued in the north. " * 640_000)
    result = sitrep("extract", str(big), "--db", db)
    assert result.exit_code == 1
    assert (
        "big.txt: too large (21.1 MB; the limit is 5 MB per document); raise it with "
        "--max-bytes or SITREP_MAX_BYTES"
    ) in result.stderr


def test_a_batch_fails_only_when_nothing_could_be_processed(db: str, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "wire.txt").write_bytes(WIRE.read_bytes())
    assert sitrep("extract", str(tmp_path / "in"), "--db", db).exit_code == 0
    (tmp_path / "in" / "wire.txt").unlink()
    (tmp_path / "in" / "blank.txt").write_bytes(b"\n\n")
    (tmp_path / "in" / "notes.odt").write_bytes(b"PK\x03\x04")
    nothing = sitrep("extract", str(tmp_path / "in"), "--db", db)
    assert nothing.exit_code == 1
    lines = nothing.stderr.splitlines()
    failed = lines.index("2 failed:")
    assert lines[failed + 1 : failed + 4] == [
        "  2 x empty file, there is no text to read:",
        f"    {tmp_path / 'in' / 'blank.txt'}",
        f"    {tmp_path / 'in' / 'empty.txt'}",
    ]
    assert lines[failed + 4] == "1 skipped:"
    assert lines[failed + 5].startswith(f"  {tmp_path / 'in' / 'notes.odt'}: not a report format")


def test_an_unsupported_language_is_stored_and_flagged(db: str) -> None:
    result = sitrep("extract", str(READER_FIXTURES / "arabic.txt"), "--db", db)
    assert result.exit_code == 0
    assert "written in 'ar', which the pipeline does not code" in result.stderr
    (stored,) = Store(db).list_reports(status="unsupported_language")
    assert Store(db).count_events() == 0 and stored.report.language == "ar"


def test_stdin(db: str) -> None:
    result = sitrep("extract", "-", "--db", db, "--format", "csv", stdin=WIRE.read_bytes())
    assert result.exit_code == 0
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["location"] == "Saraqib" and row["fatalities"] == "7"


def test_bad_options_are_one_line_errors(db: str) -> None:
    assert_one_line_error(
        sitrep("extract", str(WIRE), "--db", db, "--date", "someday"), "'someday' could not be read"
    )
    assert_one_line_error(
        sitrep("extract", str(WIRE), "--db", db, "--extractor", "nowhere:fn"), "nowhere:fn"
    )
    assert_one_line_error(sitrep("events", "--db", "sqlite:////no/such/dir/x.db"), "cannot open")
    assert_one_line_error(sitrep("events", "--db", db, "--type", "Fights"), "unknown event type")
    assert_one_line_error(sitrep("events", "--db", db, "--since", "later"), "--since")
    assert_one_line_error(sitrep("show", "nope", "--db", db), "no event 'nope'")


def test_events_filters_and_formats(db: str) -> None:
    sitrep("extract", str(READER_FIXTURES), "--db", db, "--date", "2020-03-03")

    def fatalities(*filters: str) -> list[int]:
        result = sitrep("events", "--db", db, "--format", "jsonl", *filters)
        assert result.exit_code == 0, result.output
        return sorted(json.loads(line)["fatalities"] for line in result.stdout.splitlines())

    assert fatalities() == [2, 4, 7]
    assert fatalities("--admin1", "idlib") == [7]
    assert fatalities("--min-fatalities", "3") == [4, 7]
    assert fatalities("--actor", "forces of syria", "--country", "Syria") == [4, 7]
    assert fatalities("--type", "Explosions/Remote violence", "--since", "2017-01-01") == [4, 7]
    assert fatalities("--until", "2016-12-31") == [2]
    assert fatalities("--type", "Battles") == []


def test_show_highlights_the_evidence_in_the_report(db: str) -> None:
    listed = sitrep("extract", str(WIRE), "--db", db, "--format", "jsonl")
    event_id = json.loads(listed.stdout)["event_id"]
    shown = sitrep("show", event_id, "--db", db)
    assert shown.exit_code == 0
    assert "“killing at least seven”" in shown.stdout and "“Saraqib”" in shown.stdout
    assert "Rescue workers said two children" in shown.stdout  # the report text


def test_export_geojson_reports_events_without_coordinates(db: str, tmp_path: Path) -> None:
    sitrep("extract", str(READER_FIXTURES), "--db", db)
    out = tmp_path / "events.geojson"
    result = sitrep("export", "--db", db, "--format", "geojson", "--out", str(out))
    assert result.exit_code == 0
    features = json.loads(out.read_text())["features"]
    assert sorted(f["properties"]["location"] for f in features) == ["Azaz", "Saraqib"]
    assert "1 events have no coordinates" in result.stderr
    assert "--include-unlocated adds them" in result.stderr
    sitrep("export", "--db", db, "-f", "geojson", "--out", str(out), "--include-unlocated")
    assert len(json.loads(out.read_text())["features"]) == 3


def test_export_to_an_unwritable_place_is_a_one_line_error(db: str, tmp_path: Path) -> None:
    result = sitrep("export", "--db", db, "--out", str(tmp_path / "missing" / "x.csv"))
    assert_one_line_error(result, "cannot write")


def test_a_batch_killed_half_way_and_run_again_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    total = 40
    for n in range(total):
        (folder / f"r{n:02d}.txt").write_text(
            f"Report {n}: aircraft struck a bakery in Saraqib, killing two people."
        )
    db = f"sqlite:///{tmp_path / 'killed.db'}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(FIXTURES), os.environ.get("PYTHONPATH", "")]),
        "SITREP_EXTRACTOR": "fake_extractor:slow",
        "SITREP_TEST_DELAY": "0.15",
    }
    command = [sys.executable, "-c", "from sitrep.cli.app import main; main()"]
    run = [*command, "extract", str(folder), "--db", db, "--format", "jsonl"]
    process = subprocess.Popen(run, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = Store(db)
    deadline = time.monotonic() + 60
    while store.count_reports() < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    kept = store.count_reports()
    assert 5 <= kept < total  # really killed half-way
    assert store.count_events() == kept  # each stored report has its one event, no more

    rerun = subprocess.run(
        run,
        env={**env, "SITREP_TEST_DELAY": "0"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total} reports read: {total - kept} new, {kept} already in the database" in (
        rerun.stderr
    )
    assert len(rerun.stdout.splitlines()) == total  # every event listed once
    assert (store.count_reports(), store.count_events()) == (total, total)
    fatalities = {event.report_id: event.fatalities for event in store.query_events()}
    assert len(fatalities) == total and set(fatalities.values()) == {2}


def test_an_unwritable_out_is_refused_before_any_report_is_read(db: str, tmp_path: Path) -> None:
    out = tmp_path / "no such folder" / "events.csv"
    result = sitrep("extract", str(WIRE), "--db", db, "--out", str(out))
    assert result.exit_code == 1
    assert f"cannot write {out}" in result.stderr and "choose another --out" in result.stderr
    assert Store(db).count_reports() == 0  # refused before the work, not after it


def test_the_csv_separator_is_given_with_delimiter(db: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("title\ttext\none\tA drone strike killing two was reported.\n")
    assert sitrep("extract", str(feed), "--db", db, "--delimiter", "tab").exit_code == 0
    assert Store(db).count_reports() == 1
    refused = sitrep("extract", str(feed), "--db", db, "--delimiter", "ab")
    assert refused.exit_code == 1
    assert "--delimiter must be one character" in refused.stderr
