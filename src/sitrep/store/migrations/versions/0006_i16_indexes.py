"""Queries at scale (issue 16): indexes for the event list's filters and its date order (on
PostgreSQL, trigram indexes for the actor filter too), and a change counter that the cached
event totals are keyed by.

`store_changes` holds one row whose `version` every write to events, their reviews or their
reports raises (triggers, so every writer counts, whatever path it takes: the store, a
restore, another process). A total counted at version N stays right while the version is N.

Revision ID: 0006_i16_indexes
Revises: 0005_i16_accounts
Create Date: 2026-12-07
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0006_i16_indexes"
down_revision = "0005_i16_accounts"
branch_labels = None
depends_on = None

#: The tables whose changes can change which events a filter matches.
_COUNTED_TABLES = ("events", "event_reviews", "reports")
#: The column the actor filter searches for part of a name (a PostgreSQL trigram index):
#: the search table's, which holds each event's actors and associated actors.
_ACTOR_COLUMNS = (("event_search", "actors"),)
#: The filters whose columns lead an index in the list's date order.
_LEADING_FILTERS = ("country", "admin1", "event_type")


def upgrade() -> None:
    op.create_table(
        "store_changes",
        sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.execute("INSERT INTO store_changes (change_id, version) VALUES (1, 0)")
    op.create_index("ix_events_sub_event_type", "events", ["sub_event_type"])
    # The list's default orders (date then id, undated last, either direction) read straight
    # off these, so a first page costs a few index steps instead of sorting every match;
    # the most used filters lead one each (and replace their one-column indexes).
    date_order: list[str | sa.TextClause] = [
        sa.text("(event_date IS NULL)"),
        "event_date",
        "event_id",
    ]
    op.create_index("ix_events_date_order", "events", date_order)
    for column in _LEADING_FILTERS:
        op.drop_index(f"ix_events_{column}", "events")
        op.create_index(f"ix_events_{column}_date", "events", [column, *date_order])
    # The commonest pair of filters, counted from the index alone (event_id: the review test).
    op.create_index("ix_events_country_type", "events", ["country", "event_type", "event_id"])
    op.create_index(
        "ix_events_date_desc_order",
        "events",
        [sa.text("(event_date IS NULL)"), sa.text("event_date DESC"), "event_id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
        _postgresql_actor_trigrams()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _COUNTED_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_count_changes ON {table}")
        op.execute("DROP FUNCTION IF EXISTS sitrep_count_change()")
        for table, column in _ACTOR_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
    else:
        for table in _COUNTED_TABLES:
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{action}_counts")
    op.drop_index("ix_events_country_type", "events")
    for column in _LEADING_FILTERS:
        op.drop_index(f"ix_events_{column}_date", "events")
        op.create_index(f"ix_events_{column}", "events", [column])
    op.drop_index("ix_events_date_desc_order", "events")
    op.drop_index("ix_events_date_order", "events")
    op.drop_index("ix_events_sub_event_type", "events")
    op.drop_table("store_changes")


def _postgresql_triggers() -> None:
    # Once per statement, not per row: a report's events are one statement's worth of bumps.
    op.execute(
        "CREATE FUNCTION sitrep_count_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE store_changes SET version = version + 1 WHERE change_id = 1; "
        "RETURN NULL; END $$"
    )
    for table in _COUNTED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_count_changes AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION sitrep_count_change()"
        )


def _postgresql_actor_trigrams() -> None:
    """Trigram indexes for the actor filter (part of a name: `lower(actors) LIKE '%x%'`,
    which no b-tree answers). pg_trgm ships with Debian's postgresql package; a server
    where this database's owner may not add it keeps scanning, and the log says so."""
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as error:
        logging.getLogger("alembic.runtime.migration").warning(
            "pg_trgm could not be added (%s): the actor filter will read every event the "
            "other filters leave (a superuser's CREATE EXTENSION pg_trgm before upgrading "
            "would index it)",
            str(error.orig).strip().splitlines()[0],
        )
        return
    for table, column in _ACTOR_COLUMNS:
        op.execute(
            f"CREATE INDEX ix_{table}_{column}_trgm ON {table} "
            f"USING gin (lower({column}) gin_trgm_ops)"
        )


def _sqlite_triggers() -> None:
    # SQLite has row triggers only; one small update per row written.
    for table in _COUNTED_TABLES:
        for action in ("insert", "update", "delete"):
            op.execute(
                f"CREATE TRIGGER {table}_{action}_counts AFTER {action.upper()} ON {table} "
                "BEGIN UPDATE store_changes SET version = version + 1 WHERE change_id = 1; END"
            )
