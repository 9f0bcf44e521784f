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


def test_lookup_takes_a_country() -> None:
    everywhere = runner.invoke(app, ["gazetteer", "lookup", "Hamdaniyeh", "--limit", "50"])
    iraq = runner.invoke(app, ["gazetteer", "lookup", "Hamdaniyeh", "--country", "Iraq"])
    syria = runner.invoke(app, ["gazetteer", "lookup", "Hamdaniyeh", "--country", "SY"])
    assert everywhere.exit_code == iraq.exit_code == syria.exit_code == 0, iraq.output
    assert "Iraq" in everywhere.output and "Syria" in everywhere.output
    assert "Iraq" in iraq.output and "Syria" not in iraq.output
    assert "Syria" in syria.output and "Iraq" not in syria.output
    unknown = runner.invoke(app, ["gazetteer", "lookup", "Homs", "--country", "Atlantis"])
    assert unknown.exit_code == 1 and "unknown country" in unknown.output


def test_vendor_writes_the_compact_file_where_asked(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "fixtures" / "wof_places_xx.tsv"
    out = tmp_path / "places.tsv.gz"
    result = runner.invoke(app, ["gazetteer", "vendor", str(fixture), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 3 places" in result.output and out.exists()
    bad = runner.invoke(app, ["gazetteer", "vendor", str(tmp_path / "none.tsv"), "-o", str(out)])
    assert bad.exit_code == 1 and "cannot read" in bad.output
