"""The analyst workspace (issue 15): a version per event, so a correction based on an older
version is refused instead of overwriting someone else's; the number of flags, for the
review queue's order; and full-text search over events (`event_search`: FTS5 on SQLite, a
plain table searched with to_tsvector elsewhere), filled here for the events already stored.

Revision ID: 0004_i15_workspace
Revises: 0004_i14_incidents
Create Date: 2026-12-07
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from sitrep.models import Event
from sitrep.store._search import SEARCH_TABLE, index_events, search_values

revision = "0004_i15_workspace"
down_revision = "0004_i14_incidents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("events", sa.Column("flag_count", sa.Integer, nullable=False, server_default="0"))
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        # unicode61 without diacritics: 'Hama' finds 'Ḥamā'.
        op.execute(
            f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(event_id UNINDEXED, title, body, "
            "notes, actors, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.create_table(
            SEARCH_TABLE,
            sa.Column(
                "event_id",
                sa.String(80),
                sa.ForeignKey("events.event_id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("body", sa.Text, nullable=False),
            sa.Column("notes", sa.Text, nullable=False),
            sa.Column("actors", sa.Text, nullable=False),
        )
    stored = connection.execute(
        sa.text(
            "SELECT events.event_id, events.current, reports.title, reports.text "
            "FROM events JOIN reports ON reports.report_id = events.report_id"
        )
    )
    rows, counts = [], []
    for event_id, current, title, body in stored:
        event = Event.model_validate_json(current)
        rows.append(search_values(event, title, body))
        counts.append({"event_id": event_id, "flag_count": len(json.loads(current)["flags"])})
    index_events(connection, rows)
    if counts:
        connection.execute(
            sa.text("UPDATE events SET flag_count = :flag_count WHERE event_id = :event_id"),
            counts,
        )


def downgrade() -> None:
    op.drop_table(SEARCH_TABLE)
    with op.batch_alter_table("events") as batch:
        batch.drop_column("flag_count")
        batch.drop_column("version")
