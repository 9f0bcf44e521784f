import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.errors import LexiconError
from sitrep.models import Actor, Event, Evidence, Extraction, Place, Report
from sitrep.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures"
ACLED = FIXTURES / "acled_sample.csv"


class EveryReportIsAClashInHoms:
    """A stand-in engine, so the command's plumbing is tested without the NLP: every report
    is a clash in Homs, its type decided by `type.attack-is-armed-clash` unless that rule is
    switched off (then an armed clash all the same, by the lexicon)."""

    rules = load_rules()

    def __init__(self, disabled: tuple[str, ...] = ()) -> None:
        self.disabled = disabled

    def without(self, *rule_ids: str) -> "EveryReportIsAClashInHoms":
        return EveryReportIsAClashInHoms(self.disabled + rule_ids)

    def code(self, report: Report) -> Extraction:
        homs = Place(location="Homs", admin1="Homs", latitude=34.7308, longitude=36.7094)
        actor = Actor(name="Islamic State (Syria)", inter=2)
        rule = "type.attack-is-armed-clash"
        if rule in self.disabled:
            kind = Evidence(rule="type.trigger-lexicon")
            event_type = "Strategic developments"
        else:
            kind, event_type = Evidence(rule=rule), "Battles"
        event = Event(
            event_type=event_type,
            sub_event_type="Armed clash" if event_type == "Battles" else "Other",
            actor1=actor,
            place=homs,
            evidence={"event_type": kind, "sub_event_type": kind},
        )
        return Extraction(report_id=report.report_id, events=[event])


@pytest.fixture
def stand_in_pipeline(monkeypatch):
    monkeypatch.setattr("sitrep.evaluate._run.default_engine", EveryReportIsAClashInHoms)
    for scorer in ("_fakes", "_acled"):
        monkeypatch.setattr(f"sitrep.evaluate.{scorer}.geo_same_admin1", lambda: str.__eq__)


def gold_rows():
    with ACLED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_json_prints_one_object_with_the_metrics(stand_in_pipeline):
    result = CliRunner().invoke(app, ["evaluate", "--format", "acled", str(ACLED), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    rows = gold_rows()
    assert summary["format"] == "acled" and summary["n"] == len(rows)
    battles = sum(row["event_type"] == "Battles" for row in rows)
    assert summary["metrics"]["event_type_acc"] == pytest.approx(battles / len(rows))
    homs = sum(row["admin1"] == "Homs" for row in rows)
    assert summary["metrics"]["admin1_acc"] == pytest.approx(homs / len(rows))


def test_errors_file_holds_each_miss_and_limit_caps_rows(stand_in_pipeline, tmp_path):
    out = tmp_path / "misses.jsonl"
    result = CliRunner().invoke(
        app, ["evaluate", "--format", "acled", str(ACLED), "--limit", "2", "--errors", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "event_type_acc" in result.stdout
    misses = [json.loads(line) for line in out.read_text().splitlines()]
    assert {m["row_id"] for m in misses} == {"SYR90001", "SYR90002"}
    event_type_misses = [m for m in misses if m["field"] == "event_type"]
    assert {(m["gold"], m["predicted"]) for m in event_type_misses} == {
        ("Explosions/Remote violence", "Battles")
    }
    assert set(misses[0]) == {"row_id", "field", "gold", "predicted", "evidence", "rule"}
    assert {m["rule"] for m in event_type_misses} == {"type.attack-is-armed-clash"}


def test_by_rule_counts_firings_right_and_misses(stand_in_pipeline):
    result = CliRunner().invoke(app, ["evaluate", "--format", "acled", str(ACLED), "--by-rule"])
    assert result.exit_code == 0, result.output
    rows = gold_rows()
    battles = sum(row["event_type"] == "Battles" for row in rows)
    battle_subs = sum(row["sub_event_type"] == "Armed clash" for row in rows)
    [line] = [x for x in result.stdout.splitlines() if "type.attack-is-armed-clash" in x]
    cells = [c.strip() for c in line.split("│") if c.strip()]
    # fired once per event and field (type and sub-type share one evidence: counted once)
    assert cells[2:] == [
        str(len(rows)),
        str(2 * len(rows)),
        str(battles + battle_subs),
        str(2 * len(rows) - battles - battle_subs),
    ]


def test_without_prints_each_metric_change(stand_in_pipeline):
    result = CliRunner().invoke(
        app,
        ["evaluate", "--format", "acled", str(ACLED), "--without", "type.attack-is-armed-clash"],
    )
    assert result.exit_code == 0, result.output
    rows = gold_rows()
    battles = sum(row["event_type"] == "Battles" for row in rows)
    [line] = [x for x in result.stdout.splitlines() if x.strip("│ ").startswith("event_type_acc")]
    cells = [c.strip() for c in line.split("│") if c.strip()]
    developments = sum(row["event_type"] == "Strategic developments" for row in rows)
    assert cells[1] == f"{battles / len(rows):.3f}"
    assert cells[2] == f"{developments / len(rows):.3f}"
    assert cells[3] == f"{(developments - battles) / len(rows):+.3f}"


def test_without_an_unknown_rule_is_one_line_and_exit_1():
    result = CliRunner().invoke(
        app, ["evaluate", "--format", "acled", str(ACLED), "--without", "toll.nope"]
    )
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "error: no rule has the id 'toll.nope'; `sitrep rules` lists them"
    )


def test_errors_as_csv_when_the_name_ends_in_csv(stand_in_pipeline, tmp_path):
    out = tmp_path / "misses.csv"
    args = ["evaluate", "--format", "acled", str(ACLED), "--limit", "1", "--errors", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and rows[0]["row_id"] == "SYR90001"


def test_wrong_format_gives_a_one_line_error_and_exit_1(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--format", "fakes", str(ACLED)])
    assert result.exit_code == 1
    assert "missing column(s) unit_id, article_title" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_repeated_article_with_contradictory_gold_is_named_on_stderr(stand_in_pipeline, tmp_path):
    header = "unit_id,article_title,article_content,source,date,location,actor,cause_of_death,"
    header += "nb_children,nb_civilians,nb_noncivilians,nb_women"
    path = tmp_path / "fakes.csv"
    path.write_text(
        f"{header}\n"
        "31,Shelling hits a town,Shells fell on the town.,x,4/5/17,homs,unknown,shelling,0,3,0,0\n"
        "31,Shelling hits a town,Shells fell on the town.,x,4/5/17,homs,unknown,shelling,0,9,0,0\n"
        "32,Clash near a town,Fighters clashed.,x,4/5/17,homs,unknown,shooting,0,1,0,0\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["evaluate", "--format", "fakes", str(path)])
    assert result.exit_code == 0, result.output
    contradictions = [
        line for line in result.stderr.splitlines() if line.startswith("gold contradiction:")
    ]
    assert len(contradictions) == 1
    assert "31 is in the gold 2 times" in contradictions[0] and "9 dead" in contradictions[0]


class EveryReportFails(EveryReportIsAClashInHoms):
    def code(self, report: Report) -> Extraction:
        raise LexiconError("triggers.yaml: unreadable; fix the file")


def test_a_run_where_every_report_fails_is_an_error_not_a_score_of_zero(monkeypatch):
    monkeypatch.setattr("sitrep.evaluate._run.default_engine", EveryReportFails)
    result = CliRunner().invoke(app, ["evaluate", "--format", "acled", str(ACLED), "--json"])
    assert result.exit_code == 1
    assert "error: extraction failed on every report" in result.stderr
    assert "triggers.yaml: unreadable" in result.stderr
    assert result.stdout == ""
