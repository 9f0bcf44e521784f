"""Several server workers (issue 16): the login throttle's failed logins and the upload
jobs move from one process's memory into the database, so every `sitrep serve` worker
process sees the same counts and the same jobs.

Revision ID: 0007_i16_serve
Revises: 0006_i16_indexes
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_i16_serve"
down_revision = "0006_i16_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("failure_id", sa.Integer, primary_key=True),
        sa.Column("key_sha256", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key_sha256", "at"])
    op.create_index("ix_login_failures_at", "login_failures", ["at"])
    op.create_table(
        "upload_jobs",
        sa.Column("job_id", sa.String(32), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("worker", sa.String(300), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
    )
    op.create_index("ix_upload_jobs_state", "upload_jobs", ["state"])
    op.create_index("ix_upload_jobs_created_at", "upload_jobs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_upload_jobs_created_at", table_name="upload_jobs")
    op.drop_index("ix_upload_jobs_state", table_name="upload_jobs")
    op.drop_table("upload_jobs")
    op.drop_index("ix_login_failures_at", table_name="login_failures")
    op.drop_index("ix_login_failures_key_at", table_name="login_failures")
    op.drop_table("login_failures")
