"""`sitrep extract` notes on each report it stores that the command line ingested it, and
which operating-system user ran it."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
WIRE = Path(__file__).parents[1] / "ingest" / "fixtures" / "wire.txt"


def test_extract_records_the_cli_and_the_user(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(FIXTURES))
    monkeypatch.setenv("SITREP_EXTRACTOR", "fake_extractor:killings")
    result = CliRunner().invoke(app, ["extract", str(WIRE), "--db", db_url, "--date", "2024-03-01"])
    assert result.exit_code == 0, result.output
    with Store(db_url) as store:
        [stored] = store.list_reports(limit=10)
    assert stored.ingested_via == "cli"
    assert stored.ingested_by == f"{getpass.getuser()} (cli)"
