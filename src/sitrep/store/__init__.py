"""The database of reports and events (SQLAlchemy 2; SQLite by default, any URL accepted).

    >>> store = Store("sqlite:///sitrep.db")
    >>> report_id, created = store.add_report(report, events=events)  # one transaction
    >>> store.query_events(EventFilter(country="Syria", min_fatalities=1))

Tables (see `_schema.py`):
- `reports`: one row per report text, keyed by `Report.report_id` (a content hash, so the
  same report ingested twice is stored once), with its metadata, `status` ("ok",
  "failed": extraction raised and is retried on the next run, "unsupported_language":
  stored and flagged, no events), `error` and `ingested_at` (UTC).
- `events`: one row per event. The fields people filter on are real columns (event_date,
  event_type, sub_event_type, country, admin1, location, latitude, longitude, actor1,
  actor2, fatalities, confidence); the whole Event is kept as JSON twice: `original`, as
  the pipeline produced it and never changed afterwards, and `current`, which
  `Store.update_event` rewrites (with the columns) when an analyst corrects it. Who changed
  what and why (the audit trail), and each event's review status (`event_reviews`, which
  `EventFilter(review=...)` filters on), live in `store/review.py`; users, API tokens and
  browser sessions in `store/accounts.py`; what the web server's worker processes share
  (failed logins, upload jobs) in `store/server_state.py`.

Each event also has a `version` (raised by every correction: a correction made on an older
version is refused, see `Reviews.correct`), a `flag_count` (the review queue's order) and a
row in `event_search`, the full-text index of its report, note and actor names
(`EventFilter.search`; FTS5 on SQLite, `to_tsvector` on PostgreSQL). Rejected events are
left out of every query unless `EventFilter.review` asks for them ("rejected" or "all").

Internals: `_schema.py` declares the tables, `_common.py` the pieces `Store`, `Accounts`
and `Reviews` share (one-line database errors, an event's searchable columns), `_search.py`
the full-text index.

Schema changes: every table, including those of other modules sharing `Base`, is created
by an Alembic revision in `store/migrations/versions/` (one linear chain). Opening a
`Store` runs `upgrade head`, so an old database is brought up to date on first use. To
add a revision, write the next file by hand after `0001_reports_and_events.py` (its
`down_revision` is the previous one's `revision`).

SQLite runs in WAL mode with a busy timeout; within a process writes go through a single
writer slot, and each write transaction takes SQLite's write lock at its start, so
concurrent writers (threads or processes) queue rather than fail.
"""

from sitrep.store._common import REVIEW_STATUSES, ReviewStatus
from sitrep.store._schema import REPORT_FIELD_LIMITS, Base
from sitrep.store._store import (
    DEFAULT_DB_URL,
    MAX_QUERY_INTEGER,
    EventFilter,
    EventOrder,
    EventRecord,
    IngestChannel,
    ReportStatus,
    ReviewFilter,
    Store,
    StoredReport,
)

__all__ = [
    "DEFAULT_DB_URL",
    "MAX_QUERY_INTEGER",
    "REPORT_FIELD_LIMITS",
    "REVIEW_STATUSES",
    "Base",
    "EventFilter",
    "EventOrder",
    "EventRecord",
    "IngestChannel",
    "ReportStatus",
    "ReviewFilter",
    "ReviewStatus",
    "Store",
    "StoredReport",
]
