"""`sitrep backup FILE` and `sitrep restore FILE`: the whole database in one file, and
back into an empty database (store/backup.py says what is and is not in it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sitrep.cli._errors import fail
from sitrep.errors import SitrepError
from sitrep.store import DEFAULT_DB_URL

DbOption = Annotated[str, typer.Option("--db", help="SQLAlchemy database URL.", envvar="SITREP_DB")]


def backup(
    file: Annotated[Path, typer.Argument(help="The zip file to write (replaced if it exists).")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Write every report, event (original and corrected values), review, audit record,
    incident, link decision, source contact (still encrypted) and user (without password)
    to FILE. API tokens and sessions are never written."""
    from sitrep.store import Store
    from sitrep.store.backup import backup as write_backup

    try:
        with Store(db) as store:
            summary = write_backup(store, file)
    except SitrepError as error:
        raise fail(error) from error
    typer.echo(f"backed up {summary.line()} to {file}")


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `sitrep backup`.")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Load FILE into an empty database (a database holding anything is refused). Restored
    users have no password: set each with `sitrep users password NAME`."""
    from sitrep.store import Store
    from sitrep.store.backup import restore as load_backup

    if not file.is_file():
        raise fail(SitrepError(f"no backup file {file}: give the path `sitrep backup` wrote"))
    try:
        with Store(db) as store:
            summary = load_backup(store, file)
    except SitrepError as error:
        raise fail(error) from error
    typer.echo(f"restored {summary.line()}")
    if summary.rows.get("users"):
        typer.echo(
            "users have no password yet: set each with `sitrep users password NAME`", err=True
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `sitrep` app."""
    app.command()(backup)
    app.command()(restore)
