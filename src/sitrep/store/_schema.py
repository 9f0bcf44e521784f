"""The database tables. Changing them needs a new Alembic revision in migrations/versions/."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Longest metadata each report column holds (PostgreSQL enforces it, SQLite would not):
#: the readers cut longer values with a warning, the store cuts what other callers send.
REPORT_FIELD_LIMITS = {"source": 500, "url": 2000, "title": 1000, "origin": 2000}


class Base(DeclarativeBase):
    """Shared metadata of every sitrep table (the web stage's tables use it too)."""


class ReportRow(Base):
    __tablename__ = "reports"

    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(REPORT_FIELD_LIMITS["source"]))
    url: Mapped[str | None] = mapped_column(String(REPORT_FIELD_LIMITS["url"]))
    title: Mapped[str | None] = mapped_column(String(REPORT_FIELD_LIMITS["title"]))
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(16))
    origin: Mapped[str | None] = mapped_column(String(REPORT_FIELD_LIMITS["origin"]))
    #: ok, failed (extraction raised; retried on the next run) or unsupported_language.
    status: Mapped[str] = mapped_column(String(32), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    #: Who first ingested the report (a user name, or "NAME (cli)"), and how: cli, web
    #: (the upload form) or api. None for reports stored before this was recorded.
    ingested_by: Mapped[str | None] = mapped_column(String(200))
    ingested_via: Mapped[str | None] = mapped_column(String(16))


class EventRow(Base):
    __tablename__ = "events"

    event_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    report_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("reports.report_id", ondelete="CASCADE"), index=True
    )
    #: Order of the event in its report, so a report's events come back as extracted.
    position: Mapped[int] = mapped_column(Integer)
    # The fields people filter and sort on, copied out of `current` as real columns.
    event_date: Mapped[date | None] = mapped_column(Date, index=True)
    event_type: Mapped[str] = mapped_column(String(64))
    sub_event_type: Mapped[str] = mapped_column(String(64), index=True)
    country: Mapped[str | None] = mapped_column(String(100))
    admin1: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    actor1: Mapped[str | None] = mapped_column(String(300))
    actor2: Mapped[str | None] = mapped_column(String(300))
    fatalities: Mapped[int] = mapped_column(Integer, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    #: How many flags the event carries: the review queue puts more flags first.
    flag_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Raised by every correction; a correction based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: The Event as the pipeline produced it (JSON); never changed after it is stored.
    original: Mapped[str] = mapped_column(Text)
    #: The Event as it stands now (JSON): equal to `original` until someone corrects it.
    current: Mapped[str] = mapped_column(Text)


# The list's date orders (undated last, ties by id; `_ORDERINGS` in _store.py) as indexes,
# so a page is read off the index instead of sorting every matching event; the filters
# people use most lead three of them (they also answer those filters' equality tests).
_DATE_ORDER = (EventRow.event_date.is_(None), EventRow.event_date, EventRow.event_id)
Index("ix_events_date_order", *_DATE_ORDER)
Index(
    "ix_events_date_desc_order",
    EventRow.event_date.is_(None),
    EventRow.event_date.desc(),
    EventRow.event_id,
)
Index("ix_events_country_date", EventRow.country, *_DATE_ORDER)
Index("ix_events_admin1_date", EventRow.admin1, *_DATE_ORDER)
Index("ix_events_event_type_date", EventRow.event_type, *_DATE_ORDER)
# The commonest pair of filters, counted from the index alone (event_id: the review test).
Index("ix_events_country_type", EventRow.country, EventRow.event_type, EventRow.event_id)


class StoreChangeRow(Base):
    """One row whose version every write to events, reviews or reports raises (triggers of
    migration 0006): what cached event totals are keyed by."""

    __tablename__ = "store_changes"

    change_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer)


class EventReviewRow(Base):
    """An analyst's verdict on an event (store/review.py); no row means unreviewed.

    Here rather than in review.py because `EventFilter.review` filters events by it."""

    __tablename__ = "event_reviews"

    event_id: Mapped[str] = mapped_column(
        String(80), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True
    )
    #: unreviewed, verified or rejected.
    status: Mapped[str] = mapped_column(String(16), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)
