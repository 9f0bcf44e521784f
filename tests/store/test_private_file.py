"""A new SQLite database, and the -wal and -shm files beside it, are readable by their
owner only: the file holds password hashes and encrypted source contacts."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sitrep.models import Report
from sitrep.store import Store


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_wal_files_are_0600(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # the usual umask would give 0644
    try:
        with Store(f"sqlite:///{tmp_path / 'private.db'}") as store:
            store.add_report(Report(text="A report to make SQLite write its WAL."))
            files = sorted(tmp_path.iterdir())
            assert [f.name for f in files] == ["private.db", "private.db-shm", "private.db-wal"]
            assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        os.umask(old_umask)


def test_an_existing_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    with Store(f"sqlite:///{path}"):
        pass
    assert _mode(path) == 0o640


def test_a_missing_folder_is_still_reported_by_the_store(tmp_path: Path) -> None:
    from sitrep.errors import StoreError

    with pytest.raises(StoreError, match="cannot open the database"):
        Store(f"sqlite:///{tmp_path / 'no such folder' / 'x.db'}")
