"""A whole database in one file, and back: `sitrep backup FILE`, `sitrep restore FILE`.

The file is a zip: `manifest.json` (the format and its version, the schema revision, when,
how many rows of each table) and one JSON Lines file per table under `tables/`. Every table
of the database is written, whoever added it: reports, events (the machine's `original`
and the `current` corrected values), reviews, the event and account audits, incidents and
the analysts' link decisions, the encrypted source contacts (readable only with the same
SITREP_SECRET_KEY), and the users without their password hashes. Never written: API tokens
and browser sessions (secrets), the schema's own bookkeeping, and the full-text index,
which is rebuilt from the events on restore.

A restore goes into an empty database only (a non-empty one is refused: nothing is
merged or overwritten), in one transaction. Restored users have no password: each needs
`sitrep users password NAME` before they can log in.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from pydantic import BaseModel
from sqlalchemy import Connection, MetaData, Table, func, inspect, select, text
from sqlalchemy.exc import SAWarning

from sitrep.errors import InputError
from sitrep.models import Event
from sitrep.store._common import store_errors
from sitrep.store._schema import EventRow, ReportRow
from sitrep.store._search import SEARCH_TABLE, index_events, search_values
from sitrep.store._store import Store

BACKUP_FORMAT = "sitrep-backup"
BACKUP_VERSION = 1
#: Tables never written: secrets, and the schema's bookkeeping (the search index, whose
#: SQLite shadow tables share its name as a prefix, is rebuilt on restore), and the running
#: server's own state (failed logins, upload jobs), which means nothing to another server.
SECRET_TABLES = frozenset({"api_tokens", "web_sessions"})
_BOOKKEEPING = frozenset({"alembic_version", "store_changes", "login_failures", "upload_jobs"})
#: Columns written blank: a backup never holds what would let its reader log in as someone.
BLANKED = {("users", "password_hash"): ""}
_BATCH = 1000


class BackupSummary(BaseModel):
    """What a backup holds or a restore wrote: rows per table."""

    revision: str | None
    rows: dict[str, int]

    def line(self) -> str:
        counts = ", ".join(f"{count} {table}" for table, count in self.rows.items() if count)
        return counts or "nothing (an empty database)"


def _kept(name: str) -> bool:
    return not (name in SECRET_TABLES or name in _BOOKKEEPING or name.startswith(SEARCH_TABLE))


def _tables(connection: Connection) -> list[Table]:
    """The database's own tables (reflected, so a table another module added is included),
    parents before children."""
    metadata = MetaData()
    names = [name for name in _table_names(connection) if _kept(name)]
    with warnings.catch_warnings():
        # Expression indexes (the events' date orders) cannot be reflected; rows are all
        # a backup needs, and the restored schema comes from the migrations.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        metadata.reflect(bind=connection, only=names)
    return list(metadata.sorted_tables)


def _table_names(connection: Connection) -> list[str]:
    return list(inspect(connection).get_table_names())


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


@store_errors
def backup(store: Store, path: Path) -> BackupSummary:
    """Write the whole database to `path` (a new zip, readable by its owner only: it holds
    user names and encrypted contacts). Written to a temporary file first, so a failed
    backup never leaves half a file under the name."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {path}: the folder {folder} does not exist")
    rows: dict[str, int] = {}
    descriptor, temporary = tempfile.mkstemp(prefix=".sitrep-backup-", dir=folder)
    os.close(descriptor)  # mkstemp made it 0600
    try:
        with (
            store.engine.connect() as connection,
            zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            revision = _revision(connection)
            for table in _tables(connection):
                blank = {
                    column: value for (name, column), value in BLANKED.items() if name == table.name
                }
                count = 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as member:
                    result = connection.execution_options(yield_per=_BATCH).execute(select(table))
                    for row in result.mappings():
                        line = {**row, **blank}
                        member.write(json.dumps(line, default=_json_value).encode() + b"\n")
                        count += 1
                rows[table.name] = count
            manifest = {
                "format": BACKUP_FORMAT,
                "version": BACKUP_VERSION,
                "revision": revision,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "rows": rows,
                "note": "users have no password: set one with `sitrep users password NAME`",
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BackupSummary(revision=revision, rows=rows)


@store_errors
def restore(store: Store, path: Path) -> BackupSummary:
    """Load a backup into `store`, which must be empty; all of it or nothing."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(f"cannot read {path} as a sitrep backup: {error}") from error
    with archive:
        manifest = _manifest(archive, path)
        with store.session(write=True) as session:
            connection = session.connection()
            tables = {table.name: table for table in _tables(connection)}
            _refuse_unknown(manifest, tables, _revision(connection), path)
            _refuse_non_empty(connection, tables.values(), store)
            rows: dict[str, int] = {}
            for name, table in tables.items():
                if name in manifest["rows"]:
                    rows[name] = _load_table(connection, table, archive, path)
            _reset_sequences(connection, tables.values())
            _rebuild_search(connection)
    return BackupSummary(revision=manifest.get("revision"), rows=rows)


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise InputError(f"{path} is not a sitrep backup (no readable manifest.json)") from error
    if manifest.get("format") != BACKUP_FORMAT or not isinstance(manifest.get("rows"), dict):
        raise InputError(f"{path} is not a sitrep backup (its manifest names another format)")
    if manifest.get("version") != BACKUP_VERSION:
        raise InputError(
            f"{path} is a backup of format version {manifest.get('version')}; this sitrep "
            f"reads version {BACKUP_VERSION}: restore it with the sitrep that wrote it"
        )
    return dict(manifest)


def _refuse_unknown(
    manifest: dict[str, Any], tables: dict[str, Table], revision: str | None, path: Path
) -> None:
    unknown = sorted(set(manifest["rows"]) - set(tables))
    if unknown:
        raise InputError(
            f"{path} holds tables this database does not have ({', '.join(unknown)}): it "
            f"was written by a newer sitrep (schema {manifest.get('revision')}, this one "
            f"{revision}); upgrade sitrep to restore it"
        )


def _refuse_non_empty(connection: Connection, tables: Any, store: Store) -> None:
    filled = {
        table.name: count
        for table in tables
        if (count := connection.scalar(select(func.count()).select_from(table)))
    }
    if filled:
        shown = store.engine.url.render_as_string(hide_password=True)
        counts = ", ".join(f"{count} {name}" for name, count in filled.items())
        raise InputError(
            f"the database {shown} is not empty ({counts}): restore into a new, empty "
            "database (--db sqlite:///restored.db)"
        )


def _load_table(connection: Connection, table: Table, archive: zipfile.ZipFile, path: Path) -> int:
    readers = {column.name: _reader(column.type) for column in table.columns}
    count = 0
    batch: list[dict[str, Any]] = []
    for number, row in _rows(archive, table.name, path):
        extra = set(row) - set(readers)
        if extra:
            raise InputError(
                f"{path}: {table.name} row {number} has columns this database does not "
                f"have ({', '.join(sorted(extra))}): restore it with a newer sitrep"
            )
        batch.append({name: readers[name](value) for name, value in row.items()})
        if len(batch) == _BATCH:
            connection.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(table.insert(), batch)
        count += len(batch)
    return count


def _rows(archive: zipfile.ZipFile, name: str, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        member = archive.open(f"tables/{name}.jsonl")
    except KeyError as error:
        raise InputError(
            f"{path} lists table {name} but does not hold it: a damaged backup"
        ) from error
    with member:
        for number, line in enumerate(member, start=1):
            try:
                row = json.loads(line)
            except ValueError as error:
                raise InputError(
                    f"{path}: {name} line {number} is not JSON: a damaged backup"
                ) from error
            yield number, row


def _reader(column_type: Any) -> Any:
    """How a JSON value becomes the column's value: dates and times from ISO text."""
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return _same
    if python_type is datetime:
        return lambda value: datetime.fromisoformat(value) if value is not None else None
    if python_type is date:
        return lambda value: date.fromisoformat(value) if value is not None else None
    return _same


def _same(value: Any) -> Any:
    return value


def _reset_sequences(connection: Connection, tables: Any) -> None:
    """PostgreSQL's serial counters do not see rows inserted with their ids: move each past
    the highest restored id, or the next new row would collide."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence is None:
                continue
            highest = connection.scalar(select(func.max(column))) or 0
            connection.execute(
                text("SELECT setval(:sequence, :next, false)"),
                {"sequence": sequence, "next": highest + 1},
            )


def _rebuild_search(connection: Connection) -> None:
    """The full-text index of the restored events, page by page (keyset on the event id)."""
    last = ""
    while True:
        page = connection.execute(
            select(EventRow.event_id, EventRow.current, ReportRow.title, ReportRow.text)
            .join(ReportRow, EventRow.report_id == ReportRow.report_id)
            .where(EventRow.event_id > last)
            .order_by(EventRow.event_id)
            .limit(_BATCH)
        ).all()
        if not page:
            return
        index_events(
            connection,
            [
                search_values(Event.model_validate_json(current), title, body)
                for _, current, title, body in page
            ],
        )
        last = page[-1][0]


__all__ = ["BACKUP_FORMAT", "BACKUP_VERSION", "BackupSummary", "backup", "restore"]
