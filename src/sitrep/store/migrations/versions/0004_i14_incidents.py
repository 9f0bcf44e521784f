"""Cross-report linking (issue 14): each event's incident, and analysts' linking decisions
(tables of link/store.py).

Revision ID: 0004_i14_incidents
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_i14_incidents"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_links",
        sa.Column(
            "event_id",
            sa.String(80),
            sa.ForeignKey("events.event_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("incident_id", sa.String(100), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("linked_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_incident_links_incident_id", "incident_links", ["incident_id"])
    op.create_table(
        "link_decisions",
        sa.Column("decision_id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(80), nullable=False),
        sa.Column("other_event_id", sa.String(80), nullable=True),
        sa.Column("analyst", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_link_decisions_event_id", "link_decisions", ["event_id"])


def downgrade() -> None:
    op.drop_table("link_decisions")
    op.drop_table("incident_links")
