"""`sitrep backup FILE` and `sitrep restore FILE`: the whole database in one file, and
back into an empty database (store/backup.py says what is and is not in it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sitrep.cli._errors import fail
from sitrep.errors import SitrepError
from sitrep.store import DEFAULT_DB_URL

if TYPE_CHECKING:  # the store is imported when a command runs, keeping `--help` quick
    from sitrep.store import Store
    from sitrep.store.backup import BackupSummary

DbOption = Annotated[str, typer.Option("--db", help="SQLAlchemy database URL.", envvar="SITREP_DB")]


def backup(
    file: Annotated[Path, typer.Argument(help="The zip file to write (replaced if it exists).")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Write every report, event (original and corrected values), review, audit record,
    incident, link decision, source contact (still encrypted) and user (without password)
    to FILE. API tokens and sessions are never written."""
    from sitrep.store.backup import backup as write_backup

    summary = _on_store(db, lambda store: write_backup(store, file))
    typer.echo(f"backed up {summary.line()} to {file}")


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `sitrep backup`.")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Load FILE into an empty database (a database holding anything is refused). Restored
    users have no password: set each with `sitrep users password NAME`."""
    from sitrep.store.backup import restore as load_backup

    if not file.is_file():
        raise fail(SitrepError(f"no backup file {file}: give the path `sitrep backup` wrote"))
    summary = _on_store(db, lambda store: load_backup(store, file))
    typer.echo(f"restored {summary.line()}")
    if summary.rows.get("users"):
        typer.echo(
            "users have no password yet: set each with `sitrep users password NAME`", err=True
        )


def _on_store(db: str, work: Callable[[Store], BackupSummary]) -> BackupSummary:
    """Run `work` on the database; any error ends the command with one line and exit 1."""
    from sitrep.store import Store

    try:
        with Store(db) as store:
            return work(store)
    except SitrepError as error:
        raise fail(error) from error


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `sitrep` app."""
    app.command()(backup)
    app.command()(restore)
