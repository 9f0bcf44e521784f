"""The hostile-input corpus (tests/ingest/hostile, written by make_corpus.py) as one batch
through `sitrep extract` with the real pipeline: no traceback, every good document stored
under its own origin, every bad one named with its reason."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.store import Store

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "hostile" / "corpus"

#: Documents that must be stored and coded (origin relative to the corpus folder).
STORED = {
    "bidi_and_zero_width.txt",
    "bom.csv#row=2",
    "broken_tags.html",
    "control_chars.txt",
    "emoji_astral.txt",
    "good_cp1252.txt",
    "good_crlf.txt",
    "good_latin1.txt",
    "good_plain.txt",
    "good_utf16_bom.txt",
    "good_utf8_bom.txt",
    "language_field_unknown.json",
    "lines.jsonl#line=1",
    "lines.jsonl#line=4",
    "lines.jsonl#line=6",
    "list_mixed.json#item=1",
    "list_mixed.json#item=5",
    "lone_surrogate_text.json",
    "lone_surrogate_title.json",
    "long_title.json",
    "many_short_lines.txt",
    "nan_date.json",
    "nul_in_metadata.json",
    "nul_in_row.csv#row=2",
    "nul_in_row.csv#row=3",
    "nul_in_row.csv#row=4",
    "nul_inside.txt",
    "one_long_token.txt",
    "one_word_repeated.txt",
    "quoted_newlines.csv#row=2",
    "ragged.csv#row=2",
    "ragged.csv#row=3",
    "semicolon.csv#row=2",
    "semicolon.csv#row=3",
    "short_english.txt",
    "sub/deeper/nested_good.txt",
    "tab_separated.csv#row=2",
    "unterminated_quote.csv#row=2",
    "utf16.csv#row=2",
    "utf16_be_no_bom.txt",
    "utf16_le_no_bom.txt",
    "weird_dates.json#item=1",
    "weird_dates.json#item=2",
    "weird_dates.json#item=3",
    "french.txt",  # stored, flagged as a language sitrep does not code
}
#: Documents that must fail, each with words its one-line reason must contain.
FAILED = {
    "blank_lines_only.jsonl": "empty file",
    "deep_array.json": "nested too deeply",
    "deep_divs.html": "no article text",
    "deep_in_text_field.json": "nested too deeply",
    "empty.csv": "empty file",
    "empty.txt": "empty file",
    "header_only.csv": "no report rows",
    "huge_integer.json": "not readable JSON",
    "lines.jsonl#line=2": "not valid JSON",
    "lines.jsonl#line=3": "nested too deeply",
    "lines.jsonl#line=7": "expected a JSON object",
    "list_mixed.json#item=2": "expected a JSON object",
    "list_mixed.json#item=3": "expected a JSON object",
    "list_mixed.json#item=4": "no text in field 'text'",
    "no_text_column.csv": "no column 'text'",
    "null.json": "expected a JSON object",
    "number.json": "expected a JSON object",
    "only_nul.txt": "binary data",
    "png_named_txt.txt": "binary data",
    "random_bytes.txt": "binary data",
    "script_only.html": "no article text",
    "string.json": "expected a JSON object",
    "text_not_string.json": "no text in field 'text'",
    "trailing_garbage.json": "not valid JSON",
    "truncated.json": "not valid JSON",
    "whitespace_only.txt": "empty file",
    "zero_width_only.txt": "no words",
    # Made by the test: what a folder can hold besides files.
    "unlistable": "cannot list this folder",
}
SKIPPED = {"README", "notes.pdf", "dangling.txt"}
#: File names no git tree should hold, made in the copy: each must be read, and printed
#: escaped on one line.
ODD_NAMES = {
    "line\nbreak.txt": "line\\nbreak.txt",
    "-leading-dash.txt": "-leading-dash.txt",
    "bidi\u202eexe.txt": "bidi\\u202eexe.txt",
    "caf\u00e9 \u0645\u062f\u064a\u0646\u0629.txt": "caf\u00e9 \u0645\u062f\u064a\u0646\u0629.txt",
}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    for number, name in enumerate(ODD_NAMES, start=1):
        (folder / name).write_text(
            f"Militants ambushed an army patrol near Tikrit on Sunday, killing {number} "
            f"soldiers; this report came in a file named oddly ({number}).",
            encoding="utf-8",
        )
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "unlistable").mkdir()
    (folder / "unlistable" / "hidden.txt").write_text("never read", encoding="utf-8")
    # Tests run as root, for whom no permission bit refuses a listing: refuse it here.
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if Path(path).name == "unlistable":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield folder


def relative(origin: str, folder: Path) -> str:
    return origin.removeprefix(f"{folder}/")


def test_the_hostile_corpus_runs_as_one_batch(corpus: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hostile.db'}"
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(
        app, ["extract", str(corpus), "--db", db, "--format", "jsonl", "--out", str(out)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.output
    assert out.exists()

    with Store(db) as store:
        stored = {
            relative(s.report.origin or "", corpus): s for s in store.list_reports(limit=None)
        }
    odd_origins = set(ODD_NAMES.values())
    assert set(stored) == STORED | odd_origins
    flagged = {"french.txt", "language_field_unknown.json"}  # stored, no events
    assert {name for name, s in stored.items() if s.status != "ok"} == flagged
    assert {stored[name].status for name in flagged} == {"unsupported_language"}
    # What a database cannot hold is cleaned, not fatal: NUL and lone surrogates.
    assert "\ufffd" in stored["lone_surrogate_text.json"].report.text
    assert stored["lone_surrogate_title.json"].report.title == "bad \ufffd title"
    assert stored["nul_in_metadata.json"].report.title == "ab"
    assert stored["utf16_le_no_bom.txt"].report.text.startswith("Rebel fighters")

    lines = result.stderr.splitlines()
    for name, words in FAILED.items():
        origin = f"{corpus}/{name}"
        line = next((line for line in lines if origin in line), None)
        assert line is not None, f"{name} is not named in the summary"
        # A reason shared by several documents is printed once, above their names.
        shared = [ln for ln in lines if words in ln]
        assert words in line or shared, f"{name}: {words!r} not in the summary"
    for name in SKIPPED:
        assert any(f"{corpus}/{name}" in line for line in lines), name
    # Odd names are stored escaped (above) and never break or reorder a summary line.
    assert not any("\u202e" in line for line in lines)
    assert "hidden.txt" not in result.stderr
