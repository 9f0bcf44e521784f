"""`Store`: reports and their events in a SQL database (SQLite by default)."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, Self, cast

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    create_engine,
    delete,
    event,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import cast as sa_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.pool import StaticPool

from sitrep.errors import StoreError
from sitrep.models import Event, Report
from sitrep.store._common import (
    ReviewStatus,
    fill_event_columns,
    first_line,
    store_errors,
)
from sitrep.store._schema import (
    REPORT_FIELD_LIMITS,
    EventReviewRow,
    EventRow,
    ReportRow,
    StoreChangeRow,
)
from sitrep.store._search import (
    index_events,
    matches,
    search_table,
    search_values,
    unindex_events,
)
from sitrep.store.date_check import with_date_check

DEFAULT_DB_URL = "sqlite:///sitrep.db"
#: How long a writer waits for another process's write to finish before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000

ReportStatus = Literal["ok", "failed", "unsupported_language"]
#: How a report came in: the command line, the upload form, or the API.
IngestChannel = Literal["cli", "web", "api"]
#: "queue" is the review queue's order: lowest confidence first, then most flags, then date.
EventOrder = Literal["date", "-date", "fatalities", "-fatalities", "event_id", "queue"]
#: A review status, or "all" for every event; no review filter means all but the rejected.
ReviewFilter = Literal["unreviewed", "verified", "rejected", "all"]
#: Largest count, offset or toll a query takes: what every database's integer holds.
MAX_QUERY_INTEGER = 2**31 - 1
#: How many filter sets' totals a store remembers (the least recently used go first).
MAX_CACHED_TOTALS = 256
#: The filters that compare a column with a value in any case, each named as its column.
_SPELLED_FILTERS = ("country", "admin1", "event_type", "sub_event_type")


_FLAG_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


class EventFilter(BaseModel):
    """Which events to return. Text filters ignore case; `actor` matches part of a name.

    Rejected events are left out unless `review` is "rejected" or "all"."""

    country: str | None = None
    admin1: str | None = None
    #: Other spellings that match as `admin1` does (filter_names.resolve_names adds ACLED's
    #: spelling and every stored spelling of the division an analyst names, so "Idlib" finds
    #: events coded "Idleb").
    admin1_aliases: list[str] = Field(default_factory=list)
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    report_id: str | None = None
    since: date | None = None
    until: date | None = None
    min_fatalities: int | None = Field(default=None, ge=0, le=MAX_QUERY_INTEGER)
    #: An analyst's verdict; "unreviewed" also matches events nobody has reviewed yet;
    #: None is every event but the rejected ones, "all" every event.
    review: ReviewFilter | None = None
    #: Words that must all occur in the event's report (title or text), note or actor names.
    search: str | None = None
    #: `actor` and the canonical names it is an alias of ("HTS" -> Hayat Tahrir al-Sham).
    actor_names: tuple[str, ...] = ()
    #: A flag the event carries (date_implausible, undated, perpetrator_unnamed ...).
    flag: str | None = None
    limit: int | None = Field(default=None, ge=0, le=MAX_QUERY_INTEGER)
    offset: int = Field(default=0, ge=0, le=MAX_QUERY_INTEGER)
    order: EventOrder = "date"

    @field_validator("flag")
    @classmethod
    def _flag_name(cls, value: str | None) -> str | None:
        if value is not None and not _FLAG_NAME.fullmatch(value):
            raise ValueError(
                f"{value[:64]!r} is not a flag name: flags are lower-case words joined by _, "
                "as the event page shows them (e.g. date_implausible)"
            )
        return value


class EventRecord(BaseModel):
    """An event as stored: its current fields, its version and the analysts' verdict."""

    event: Event
    version: int = 1
    review_status: ReviewStatus = "unreviewed"
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    #: Whether an analyst changed any field of the machine's event.
    corrected: bool = False


class Neighbours(BaseModel):
    """An event's place among filtered events: the ones before and after it, its position
    (1-based; None when it does not match the filters: `next` is then the first match)."""

    previous: str | None = None
    next: str | None = None
    position: int | None = None
    total: int = 0


class StoredReport(BaseModel):
    """A report as stored, with the outcome of its extraction."""

    report: Report
    status: ReportStatus
    error: str | None = None
    ingested_at: datetime
    #: Who first ingested it and how (cli, web, api); None before this was recorded.
    ingested_by: str | None = None
    ingested_via: IngestChannel | None = None

    @property
    def report_id(self) -> str:
        return self.report.report_id


class Store:
    """Reports and events in the database at `url` (any SQLAlchemy URL).

    The schema is created or brought up to date (Alembic `upgrade head`) when the store is
    opened. Writes go through one writer at a time; SQLite runs in WAL mode so readers are
    never blocked by it.
    """

    def __init__(self, url: str = DEFAULT_DB_URL) -> None:
        self.url = url
        self._engine = _open_engine(url)
        self._write_lock = threading.Lock()
        self._totals = _Totals()
        shown = self._engine.url.render_as_string(hide_password=True)
        try:
            self._migrate()
        except SQLAlchemyError as error:
            self._engine.dispose()
            raise StoreError(f"cannot open the database {shown}: {first_line(error)}") from error
        except CommandError as error:
            # Typically a revision this sitrep does not know: a newer sitrep wrote the file.
            self._engine.dispose()
            raise StoreError(
                f"cannot bring the database {shown} up to date ({error}); "
                "was it written by a newer sitrep? Upgrade sitrep or use another --db"
            ) from error
        except StoreError:
            # A revision refused the data it found, with its own message.
            self._engine.dispose()
            raise

    # Life cycle -----------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error.

        With `write=True` the caller holds the store's single writer slot (and SQLite's
        write lock from the start, so two writers queue instead of failing).
        """
        if not write:
            with Session(self._engine, expire_on_commit=False) as session, session.begin():
                yield session
            return
        with self._write_lock:
            engine = self._engine.execution_options(sitrep_write=True)
            with Session(engine, expire_on_commit=False) as session, session.begin():
                yield session

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(files("sitrep.store") / "migrations"))
        migrating = self._engine.execution_options(sitrep_write=True)
        with self._write_lock, migrating.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @store_errors
    def ping(self) -> None:
        """Raise StoreError unless the database answers a query."""
        with self.session() as session:
            session.execute(select(literal(1)))

    # Reports --------------------------------------------------------------------------

    @store_errors
    def add_report(
        self,
        report: Report,
        *,
        status: ReportStatus = "ok",
        error: str | None = None,
        events: Sequence[Event] | None = None,
    ) -> tuple[str, bool]:
        """Store a report (and, if given, its events) in one transaction.

        Returns (report_id, created). A report already stored with status "ok" is left as
        it is (created False). One stored as "failed" or "unsupported_language" is updated
        to the new outcome, and its events replaced by `events` when they are given.
        """
        report_id = report.report_id
        try:
            with self.session(write=True) as session:
                row = session.get(ReportRow, report_id)
                created = row is None
                if row is None:
                    row = _report_row(report)
                    session.add(row)
                elif row.status == "ok":
                    return report_id, False
                row.status, row.error, row.language = status, error, report.language
                if events is not None:
                    session.flush()
                    _replace_events(session, report_id, events)
        except IntegrityError:
            # Another process stored the same text (its content hash) since we looked:
            # insert-or-skip, as if we had found it stored.
            if self.get_report(report_id) is None:
                raise
            return report_id, False
        return report_id, created

    @store_errors
    def record_ingester(self, report_ids: Sequence[str], by: str, via: IngestChannel) -> None:
        """Note who ingested these reports and how, on those that do not say yet (the
        first to ingest a report keeps the credit; a batch's repeats change nothing)."""
        with self.session(write=True) as session:
            for start in range(0, len(report_ids), 500):
                chunk = list(report_ids[start : start + 500])
                session.execute(
                    update(ReportRow)
                    .where(ReportRow.report_id.in_(chunk), ReportRow.ingested_by.is_(None))
                    .values(ingested_by=by[:200], ingested_via=via)
                )

    @store_errors
    def get_report(self, report_id: str) -> StoredReport | None:
        with self.session() as session:
            row = session.get(ReportRow, report_id)
            return _stored_report(row) if row is not None else None

    @store_errors
    def list_reports(
        self, *, status: ReportStatus | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoredReport]:
        """Reports, newest ingested first."""
        query = select(ReportRow).order_by(ReportRow.ingested_at.desc(), ReportRow.report_id)
        if status is not None:
            query = query.where(ReportRow.status == status)
        query = query.offset(offset).limit(limit)
        with self.session() as session:
            return [_stored_report(row) for row in session.scalars(query)]

    @store_errors
    def count_reports(self, *, status: ReportStatus | None = None) -> int:
        query = select(func.count()).select_from(ReportRow)
        if status is not None:
            query = query.where(ReportRow.status == status)
        with self.session() as session:
            return session.scalar(query) or 0

    # Events ---------------------------------------------------------------------------

    @store_errors
    def add_events(self, report_id: str, events: Sequence[Event]) -> None:
        """Store a stored report's events, replacing any it had (never duplicating).

        Replacing means re-extraction: the report's old events, corrected or not, are gone.
        Batches never do this to a report stored "ok"; they skip it.
        """
        with self.session(write=True) as session:
            if session.get(ReportRow, report_id) is None:
                raise StoreError(f"report {report_id} is not stored: add the report first")
            _replace_events(session, report_id, events)

    @store_errors
    def get_event(self, event_id: str) -> Event | None:
        """The event as it stands now (with any correction)."""
        with self.session() as session:
            row = session.get(EventRow, event_id)
            return Event.model_validate_json(row.current) if row is not None else None

    @store_errors
    def get_original_event(self, event_id: str) -> Event | None:
        """The event as the pipeline produced it, before any correction."""
        with self.session() as session:
            row = session.get(EventRow, event_id)
            return Event.model_validate_json(row.original) if row is not None else None

    @store_errors
    def event_version(self, event_id: str) -> int | None:
        """The event's version (raised by each correction), None when there is no such event."""
        with self.session() as session:
            return session.scalar(select(EventRow.version).where(EventRow.event_id == event_id))

    @store_errors
    def update_event(self, event: Event) -> None:
        """Save a corrected event; its machine original is kept unchanged."""
        with self.session(write=True) as session:
            row = session.get(EventRow, event.event_id)
            if row is None:
                raise StoreError(f"event {event.event_id!r} is not stored")
            if event.report_id != row.report_id:
                raise StoreError(f"event {event.event_id} cannot move to another report")
            fill_event_columns(row, event)
            row.current = event.model_dump_json()
            row.version += 1
            report = session.get(ReportRow, row.report_id)
            assert report is not None  # the foreign key guarantees it
            index_events(session, [search_values(event, report.title, report.text)])

    @store_errors
    def query_events(self, filters: EventFilter | None = None) -> list[Event]:
        return list(self.iter_events(filters))

    def iter_events(self, filters: EventFilter | None = None) -> Iterator[Event]:
        """Like `query_events`, streaming: for exports of any size in bounded memory."""
        query = self.event_query(filters or EventFilter(), select(EventRow.current))
        try:
            with self._engine.connect() as connection:
                result = connection.execution_options(yield_per=500).execute(query)
                for (current,) in result:
                    yield Event.model_validate_json(current)
        except SQLAlchemyError as error:
            raise StoreError(f"database error in iter_events: {first_line(error)}") from error

    def iter_records(self, filters: EventFilter | None = None) -> Iterator[EventRecord]:
        """Like `iter_events`, each event with its version, review and whether it was
        corrected: what exports write."""
        columns = cast(
            Select[Any],
            select(
                EventRow.current,
                EventRow.original,
                EventRow.version,
                EventReviewRow.status,
                EventReviewRow.reviewer,
                EventReviewRow.reviewed_at,
            ),
        )
        columns = columns.outerjoin(EventReviewRow, EventReviewRow.event_id == EventRow.event_id)
        query = self.event_query(filters or EventFilter(), columns)
        try:
            with self._engine.connect() as connection:
                result = connection.execution_options(yield_per=500).execute(query)
                for current, original, version, status, reviewer, reviewed_at in result:
                    yield EventRecord(
                        event=Event.model_validate_json(current),
                        version=version,
                        review_status=status or "unreviewed",
                        reviewed_by=reviewer,
                        reviewed_at=reviewed_at,
                        corrected=current != original,
                    )
        except SQLAlchemyError as error:
            raise StoreError(f"database error in iter_records: {first_line(error)}") from error

    @store_errors
    def count_events(self, filters: EventFilter | None = None) -> int:
        """How many events match `filters` (paging aside). Counted once per filter set while
        the data stays the same: the total is kept, keyed by the store's change counter,
        so paging through a list does not recount it on every page."""
        unpaged = (filters or EventFilter()).model_copy(
            update={"limit": None, "offset": 0, "order": "event_id"}
        )
        # The version is read before counting: a write in between then only makes the
        # total's key stale, never a stale total current.
        key = (unpaged.model_dump_json(), self.data_version())
        known = self._totals.get(key)
        if known is not None:
            return known
        query = self.event_query(unpaged, select(EventRow.event_id)).order_by(None)
        with self.session() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        self._totals.put(key, total)
        return total

    @store_errors
    def data_version(self) -> int:
        """A number every write to events, reviews or reports raises (in any process)."""
        with self.session() as session:
            return session.scalar(select(StoreChangeRow.version)) or 0

    @store_errors
    def admin1_values(self) -> list[str]:
        """Every admin1 spelling the stored events use."""
        with self.session() as session:
            return distinct_values(session, "admin1")

    @store_errors
    def neighbours(self, filters: EventFilter, event_id: str) -> Neighbours:
        """Where `event_id` stands among the events matching `filters`, in their order."""
        unpaged = filters.model_copy(update={"limit": None, "offset": 0})
        with self.session() as session:
            ids = list(session.scalars(self.event_query(unpaged, select(EventRow.event_id))))
        if event_id not in ids:
            return Neighbours(next=ids[0] if ids else None, total=len(ids))
        at = ids.index(event_id)
        return Neighbours(
            previous=ids[at - 1] if at > 0 else None,
            next=ids[at + 1] if at + 1 < len(ids) else None,
            position=at + 1,
            total=len(ids),
        )

    def event_query(self, filters: EventFilter, query: Select[Any]) -> Select[Any]:
        """`query` (over the events table) narrowed, ordered and paged by `filters`."""
        return _event_query(
            filters, query, self._engine.dialect.name, self._stored_spellings(filters)
        )

    @store_errors
    def _stored_spellings(self, filters: EventFilter) -> dict[str, list[str]]:
        """For each text filter given, the stored values equal to it in any case. The query
        then compares the column with them as they are, which its index answers; comparing
        lower(column) would read every row."""
        wanted = {
            name: {value.lower()}
            for name in _SPELLED_FILTERS
            if (value := getattr(filters, name)) is not None
        }
        if "admin1" in wanted:
            wanted["admin1"] |= {alias.lower() for alias in filters.admin1_aliases}
        if not wanted:
            return {}
        with self.session() as session:
            return {
                name: [
                    value for value in distinct_values(session, name) if value.lower() in lowered
                ]
                for name, lowered in wanted.items()
            }


# Helpers ----------------------------------------------------------------------------------


class _Totals:
    """Event totals by (filter set, data version), the least recently used dropped first;
    shared by the threads of one store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals: OrderedDict[tuple[str, int], int] = OrderedDict()

    def get(self, key: tuple[str, int]) -> int | None:
        with self._lock:
            total = self._totals.get(key)
            if total is not None:
                self._totals.move_to_end(key)
            return total

    def put(self, key: tuple[str, int], total: int) -> None:
        with self._lock:
            self._totals[key] = total
            while len(self._totals) > MAX_CACHED_TOTALS:
                self._totals.popitem(last=False)


def distinct_values(session: Session, column: str) -> list[str]:
    """The distinct non-null values of an indexed events column, read by skipping through
    its index from each value to the next (a few steps per value, however many events)."""
    if column not in _SPELLED_FILTERS:
        raise ValueError(f"{column!r} is not an indexed text column of events")
    skip_scan = text(
        f"WITH RECURSIVE spelled(value) AS ("
        f"SELECT min({column}) FROM events "
        f"UNION ALL SELECT (SELECT min({column}) FROM events WHERE {column} > spelled.value) "
        f"FROM spelled WHERE spelled.value IS NOT NULL) "
        f"SELECT value FROM spelled WHERE value IS NOT NULL"
    )
    return [value for value in session.scalars(skip_scan) if value]


def _open_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError("not a database URL: use e.g. sqlite:///sitrep.db") from error
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except (ArgumentError, ImportError) as error:
            shown = parsed.render_as_string(hide_password=True)
            raise StoreError(f"cannot open the database {shown}: {error}") from error
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory and parsed.database is not None:
        _create_private(Path(parsed.database))
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if in_memory:
        options["poolclass"] = StaticPool  # one connection, or each one is a new database
    engine = create_engine(parsed, **options)
    _tune_sqlite(engine, wal=not in_memory)
    return engine


def _create_private(path: Path) -> None:
    """Create a new database file readable and writable by its owner only (0600): it holds
    password hashes and encrypted contacts. SQLite gives the -wal and -shm files it creates
    beside it the same mode. An existing file keeps the mode its owner gave it."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # a missing folder or no right to write: SQLite's own open says so
    os.close(descriptor)


def _tune_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if wal:
            _enable_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A writer takes the write lock up front: upgrading a read transaction later
        # can fail at once with "database is locked" instead of waiting.
        writes = connection.get_execution_options().get("sitrep_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _enable_wal(cursor: Any) -> None:
    """Switch the file to WAL. The switch fails at once, busy timeout or not, while another
    connection is opening the same new file, so it is retried within that timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _report_row(report: Report) -> ReportRow:
    # Cut to the columns' limits, which PostgreSQL enforces (the readers warn when they cut).
    fitted = {
        field: value[:limit] if value is not None else None
        for field, limit in REPORT_FIELD_LIMITS.items()
        for value in [getattr(report, field)]
    }
    return ReportRow(
        report_id=report.report_id,
        text=report.text,
        published=report.published,
        language=report.language,
        **fitted,
        ingested_at=datetime.now(UTC).replace(tzinfo=None),
    )


def _stored_report(row: ReportRow) -> StoredReport:
    report = Report(
        text=row.text,
        source=row.source,
        url=row.url,
        title=row.title,
        published=row.published,
        language=row.language,
        origin=row.origin,
    )
    return StoredReport(
        report=report,
        status=row.status,  # type: ignore[arg-type]
        error=row.error,
        ingested_at=row.ingested_at,
        ingested_by=row.ingested_by,
        ingested_via=row.ingested_via,  # type: ignore[arg-type]
    )


def new_event_row(event: Event, position: int) -> EventRow:
    """The row of an event stored for the first time: its original is its current state."""
    event_json = event.model_dump_json()
    row = EventRow(
        event_id=event.event_id,
        report_id=event.report_id,
        position=position,
        original=event_json,
        current=event_json,
    )
    fill_event_columns(row, event)
    return row


def _replace_events(session: Session, report_id: str, events: Sequence[Event]) -> None:
    report = session.get(ReportRow, report_id)
    if report is None:
        raise StoreError(f"report {report_id} is not stored: add the report first")
    old = list(session.scalars(select(EventRow.event_id).where(EventRow.report_id == report_id)))
    unindex_events(session, old)
    session.execute(delete(EventRow).where(EventRow.report_id == report_id))
    searchable = []
    for position, original in enumerate(events, start=1):
        event = original.model_copy(
            update={
                "report_id": original.report_id or report_id,
                "event_id": original.event_id or f"{report_id}-{position:02d}",
            }
        )
        if event.report_id != report_id:
            raise StoreError(
                f"event {event.event_id} belongs to report {event.report_id}, not {report_id}"
            )
        event = with_date_check(event, report.published)
        session.add(new_event_row(event, position))
        searchable.append(search_values(event, report.title, report.text))
    session.flush()  # the rows exist before their search rows (a foreign key outside SQLite)
    index_events(session, searchable)


_ORDERINGS: dict[str, tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]] = {
    # Undated last, written as the indexes ix_events_date_order / _desc_order are.
    "date": (EventRow.event_date.is_(None), EventRow.event_date.asc(), EventRow.event_id),
    "-date": (EventRow.event_date.is_(None), EventRow.event_date.desc(), EventRow.event_id),
    "fatalities": (EventRow.fatalities.asc(), EventRow.event_id),
    "-fatalities": (EventRow.fatalities.desc(), EventRow.event_id),
    "event_id": (EventRow.event_id,),
    "queue": (
        EventRow.confidence.asc(),
        EventRow.flag_count.desc(),
        EventRow.event_date.asc().nulls_last(),
        EventRow.event_id,
    ),
}


def _event_query(
    filters: EventFilter, query: Select[Any], dialect: str, spellings: dict[str, list[str]]
) -> Select[Any]:
    """`spellings`: for each text filter given, the stored values it matches."""
    conditions = _conditions(filters, dialect, spellings)
    ordering: tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...] = _ORDERINGS[
        filters.order
    ]
    if filters.report_id is not None and filters.order == "date":
        ordering = (EventRow.position.asc(),)  # one report's events in the order they were told
    if not filters.offset:
        return query.where(*conditions).order_by(*ordering).limit(filters.limit)
    # A later page: its ids are found first, from an index alone where the filters allow
    # (the order indexes end with event_id), then only those rows are read in full.
    # Reading every skipped row made a deep page cost as much as all the events before it.
    page = (
        select(EventRow.event_id)
        .where(*conditions)
        .order_by(*ordering)
        .offset(filters.offset)
        .limit(filters.limit)
    )
    return query.where(EventRow.event_id.in_(page)).order_by(*ordering)


def _conditions(
    filters: EventFilter, dialect: str, spellings: dict[str, list[str]]
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        EventRow.__table__.c[name].in_(stored) for name, stored in spellings.items()
    ]
    if filters.actor:
        conditions.append(_names_actor((filters.actor, *filters.actor_names)))
    if filters.report_id is not None:
        conditions.append(EventRow.report_id == filters.report_id)
    if filters.since is not None:
        conditions.append(EventRow.event_date >= filters.since)
    if filters.until is not None:
        conditions.append(EventRow.event_date <= filters.until)
    if filters.min_fatalities is not None:
        conditions.append(EventRow.fatalities >= filters.min_fatalities)
    if filters.review is None:
        conditions.append(_not_rejected())
    elif filters.review != "all":
        conditions.append(_has_review(filters.review))
    if filters.search is not None:
        conditions.append(matches(filters.search, dialect))
    if filters.flag is not None:
        conditions.append(_has_flag(filters.flag, dialect))
    return conditions


def _has_flag(flag: str, dialect: str) -> ColumnElement[bool]:
    """Events whose current state lists `flag`, read from the stored JSON in SQL."""
    if dialect == "postgresql":
        return cast(ColumnElement[bool], sa_cast(EventRow.current, JSONB)["flags"].contains([flag]))
    flags = func.json_each(EventRow.current, "$.flags").table_valued("value")
    return select(flags.c.value).where(flags.c.value == flag).exists()


def _has_review(status: ReviewStatus) -> ColumnElement[bool]:
    """Events whose review status is `status`, decided in SQL so paging stays right."""
    if status == "unreviewed":
        # No review row at all, or one set back to unreviewed.
        reviewed = select(EventReviewRow.event_id).where(EventReviewRow.status != "unreviewed")
        return EventRow.event_id.not_in(reviewed)
    with_status = select(EventReviewRow.event_id).where(EventReviewRow.status == status)
    return EventRow.event_id.in_(with_status)


def _names_actor(names: Sequence[str]) -> ColumnElement[bool]:
    """actor1, actor2 or one of their associated actors contains one of `names`. Read from
    the search table's `actors` column, which holds all of them for each event (written with
    the event), so one column answers: on PostgreSQL from its trigram index (0006)."""
    actors = func.lower(search_table.c.actors)
    found = select(search_table.c.event_id).where(
        or_(*(actors.like(f"%{_escape_like(name.lower())}%", escape="\\") for name in names))
    )
    return EventRow.event_id.in_(found)


def _not_rejected() -> ColumnElement[bool]:
    rejected = select(EventReviewRow.event_id).where(EventReviewRow.status == "rejected")
    return EventRow.event_id.not_in(rejected)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
