"""`import sitrep` is the library's front door: what it offers is pinned here.

A name added to or removed from `sitrep.__all__` must be a decision, not an accident.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sitrep
from sitrep.errors import SitrepError


def test_top_level_api_is_pinned() -> None:
    assert sorted(sitrep.__all__) == [
        "Actor",
        "ConfigError",
        "CorpusError",
        "Engine",
        "EngineConfig",
        "EvaluationError",
        "Event",
        "Evidence",
        "Extraction",
        "GazetteerError",
        "InputError",
        "LexiconError",
        "ModelError",
        "ParseError",
        "Place",
        "Report",
        "SitrepError",
        "Span",
        "StoreError",
        "Suppression",
        "extract",
        "extract_report",
    ]
    assert all(hasattr(sitrep, name) for name in sitrep.__all__)


def test_every_exported_error_belongs_to_the_one_tree() -> None:
    errors = [getattr(sitrep, name) for name in sitrep.__all__ if name.endswith("Error")]
    assert errors and all(issubclass(error, SitrepError) for error in errors)


def test_every_error_of_the_tree_is_exported() -> None:
    """A new error in sitrep.errors must be reachable as `sitrep.<Name>` for callers to catch."""
    tree = {
        name
        for name, value in vars(sitrep.errors).items()
        if isinstance(value, type) and issubclass(value, SitrepError)
    }
    assert "InputError" in tree and tree <= set(sitrep.__all__)


def test_importing_sitrep_does_no_work(tmp_path: Path) -> None:
    """No model loaded, no database opened, no logging configured at import (STYLE)."""
    probe = (
        "import logging, sitrep, sitrep.cli.app, sitrep.actors, sitrep.ingest, sitrep.export\n"
        "from sitrep.nlp.model import load_model\n"
        "print(load_model.cache_info().currsize, len(logging.getLogger().handlers))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "0"]
    assert list(tmp_path.iterdir()) == []  # no sitrep.db created by a default Store
