from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.events.learn import SentencePointer, SourceData, write_jsonl

FIXTURE_DATA = Path(__file__).parents[1] / "events" / "learn" / "fixtures" / "shared"


def test_import_then_stats_from_the_command_line(tmp_path: Path) -> None:
    data = SourceData(FIXTURE_DATA)
    text = data.documents("ucdp")["3"]["source_headline"]
    start = text.index("Air strikes")
    pointer = SentencePointer(
        sid="ucdp-3-2",
        source="ucdp",
        doc_id="3",
        field="source_headline",
        start=start,
        end=len(text.rstrip()),
        split="train",
    )
    pool, labels = tmp_path / "pool.jsonl", tmp_path / "labels.jsonl"
    write_jsonl(pool, [pointer])
    line = {
        "sid": "ucdp-3-2",
        "event": True,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "trigger": "Air strikes",
        "place": "Idlib",
    }
    files = []
    for annotator in ("amira", "omar"):
        path = tmp_path / f"{annotator}.jsonl"
        path.write_text(json.dumps({**line, "annotator": annotator}) + "\n{}\n")
        files.append(str(path))
    common = ["--data", str(FIXTURE_DATA), "--pool", str(pool), "--labels", str(labels)]
    result = CliRunner().invoke(app, ["corpus", "import", *files, *common])
    assert result.exit_code == 0, result.output
    assert "2 labels taken, 2 rejected" in result.output
    stored = [json.loads(x) for x in labels.read_text().splitlines()]
    assert stored[0]["place"] == {
        "start": text.index("Idlib") - start,
        "end": text.index("Idlib") - start + 5,
    }
    assert "Idlib" not in labels.read_text()  # offsets only, never the words
    stats = CliRunner().invoke(
        app, ["corpus", "stats", "--pool", str(pool), "--labels", str(labels)]
    )
    assert "ucdp/train: 1" in stats.output and "Air/drone strike: 1 real" in stats.output
    assert "1 double-labelled" in stats.output


def test_a_missing_pool_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["corpus", "stats", "--pool", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and "check the path" in result.output
