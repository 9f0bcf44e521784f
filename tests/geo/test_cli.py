"""`sitrep gazetteer` commands."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli.app import app

runner = CliRunner()


def test_lookup_lists_referents_most_populous_first() -> None:
    result = runner.invoke(app, ["gazetteer", "lookup", "Palmyra", "--limit", "3"])
    assert result.exit_code == 0, result.output
    rows = [
        line
        for line in result.output.splitlines()
        if line.startswith("│") and line[1:].strip()[:1].isdigit()
    ]
    assert "163808" in rows[0] and "Tadmur" in rows[0]  # Palmyra, Syria before the US towns


def test_lookup_of_an_unknown_name_fails_with_the_way_out() -> None:
    result = runner.invoke(app, ["gazetteer", "lookup", "Zqarbeel"])
    assert result.exit_code == 1
    assert "gazetteer import" in result.output


def test_build_is_quiet_when_asked() -> None:
    result = runner.invoke(app, ["gazetteer", "build", "--quiet"])
    assert result.exit_code == 0 and result.output == ""


def test_import_of_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "SY.txt")])
    assert result.exit_code == 1
    assert "cannot read" in result.output and "Traceback" not in result.output
