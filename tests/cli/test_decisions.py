"""`sitrep rules`, `sitrep extract --explain` and `sitrep show --why` through the real
pipeline, on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from sitrep.cli.app import app
from sitrep.store import Store

#: A negated trigger (suppressed) and a clash (coded), written for this test.
REPORT = (
    "There was no shelling in Homs on Monday. "
    "Rebels attacked an army checkpoint near Hama on Monday, killing four soldiers.\n"
)


def sitrep(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_rules_lists_every_rule_with_its_field() -> None:
    result = sitrep("rules")
    assert result.exit_code == 0
    assert "toll.lowest-of-sources" in result.stdout and "fatalities" in result.stdout
    assert "geo.document-focus" in result.stdout


def test_rules_of_one_stage() -> None:
    result = sitrep("rules", "--stage", "geo")
    assert "geo.document-focus" in result.stdout and "toll." not in result.stdout


def test_rules_of_the_link_stage() -> None:
    result = sitrep("rules", "--stage", "link")
    assert result.exit_code == 0
    assert "link.lowest-credible-toll" in result.stdout and "geo." not in result.stdout
    assert "10 rules" in result.stderr


def test_rules_show_a_linking_rule_lists_its_reports_or_why_it_has_none() -> None:
    shown = sitrep("rules", "show", "link.tolls-disagree").stdout
    assert "(link stage)" in shown and "with:" in shown and "twelve civilians" in shown
    untested = sitrep("rules", "show", "link.analyst-decision").stdout
    assert "no example:" in untested and "tests/link/test_store.py" in untested


def test_rules_show_explains_one_rule_with_its_examples() -> None:
    result = sitrep("rules", "show", "actor.inferred-perpetrator")
    assert result.exit_code == 0
    assert "decides actor1" in result.stdout
    assert "reason:" in result.stdout and "Unidentified warplanes" in result.stdout


def test_rules_show_an_unknown_id_is_one_line_and_exit_1() -> None:
    result = sitrep("rules", "show", "toll.no-such-rule")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: no rule has the id 'toll.no-such-rule'; `sitrep rules` lists them"
    ]


def test_stages_declare_the_fields_they_write() -> None:
    result = sitrep("rules", "stages")
    assert result.exit_code == 0
    assert "sitrep.geo.place_for_event" in result.stdout and "admin1" in result.stdout


@pytest.fixture
def coded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Result]:
    monkeypatch.delenv("SITREP_EXTRACTOR", raising=False)
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'why.db'}"
    return db, sitrep("extract", str(path), "--date", "2016-05-03", "--db", db, "--explain")


@pytest.mark.slow
def test_extract_explain_prints_field_rules_and_suppressions(coded: tuple[str, Result]) -> None:
    _, result = coded
    assert result.exit_code == 0, result.output
    assert "actor1: actor.agent-of-trigger" in result.stderr
    assert "fatalities: toll.first-figure" in result.stderr
    assert "suppressed context.negated  “shelling”" in result.stderr


@pytest.mark.slow
def test_show_why_prints_the_stored_rules_and_the_report_suppressions(
    coded: tuple[str, Result],
) -> None:
    db, _ = coded
    [event] = Store(db).query_events()
    result = sitrep("show", event.event_id, "--db", db, "--why")
    assert result.exit_code == 0, result.output
    assert "event_type: type.attack-is-armed-clash" in result.stdout
    assert "suppressed context.negated" in result.stdout


@pytest.mark.slow
def test_explain_says_why_a_report_yields_no_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITREP_EXTRACTOR", raising=False)
    path = tmp_path / "quiet.txt"
    path.write_text("The rebels threatened to attack Homs on Monday.\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'quiet.db'}"
    result = sitrep("extract", str(path), "--date", "2016-05-03", "--db", db, "--explain")
    assert "no event: every candidate was suppressed (context.governed-by-irrealis)" in (
        result.stderr
    )
