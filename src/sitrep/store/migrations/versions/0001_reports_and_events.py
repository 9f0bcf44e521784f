"""Reports and their events.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(64), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(500)),
        sa.Column("url", sa.String(2000)),
        sa.Column("title", sa.String(1000)),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("origin", sa.String(2000)),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_status", "reports", ["status"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(80), primary_key=True),
        sa.Column(
            "report_id",
            sa.String(64),
            sa.ForeignKey("reports.report_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("event_date", sa.Date),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(64), nullable=False),
        sa.Column("country", sa.String(100)),
        sa.Column("admin1", sa.String(200)),
        sa.Column("location", sa.String(300)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("actor1", sa.String(300)),
        sa.Column("actor2", sa.String(300)),
        sa.Column("fatalities", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("original", sa.Text, nullable=False),
        sa.Column("current", sa.Text, nullable=False),
    )
    for column in ("report_id", "event_date", "event_type", "country", "admin1", "fatalities"):
        op.create_index(f"ix_events_{column}", "events", [column])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("reports")
