"""Accounts and records (issue 16): the account audit (who changed which user, token or
source contact), who ingested each report and how, and user names in their normalised
form (NFKC, stripped, case-folded), so two names that read the same are one user.

Revision ID: 0005_i16_accounts
Revises: 0004_i15_workspace
Create Date: 2026-12-07
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from sitrep.errors import StoreError

revision = "0005_i16_accounts"
down_revision = "0004_i15_workspace"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_audit",
        sa.Column("audit_id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.String(500), nullable=True),
    )
    op.create_index("ix_account_audit_at", "account_audit", ["at"])
    op.add_column("reports", sa.Column("ingested_by", sa.String(200), nullable=True))
    op.add_column("reports", sa.Column("ingested_via", sa.String(16), nullable=True))
    _normalise_user_names()


def _normalise_user_names() -> None:
    """The revision's own copy of the rule (accounts.normalise_user_name may change later,
    a revision must not). Names that would merge are refused, not merged silently; checked
    for all names before any is renamed."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT user_id, name FROM users")).all()
    first_with: dict[str, str] = {}
    renames = []
    for user_id, name in rows:
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
        folded = folded.strip()
        if folded in first_with:
            raise StoreError(
                f"users {first_with[folded]!r} and {name!r} are one name once normalised: "
                "rename or remove one with the sitrep that wrote this database, then upgrade"
            )
        first_with[folded] = name
        if folded != name:
            renames.append({"name": folded, "id": user_id})
    for rename in renames:
        connection.execute(sa.text("UPDATE users SET name = :name WHERE user_id = :id"), rename)


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("ingested_via")
        batch.drop_column("ingested_by")
    op.drop_index("ix_account_audit_at", table_name="account_audit")
    op.drop_table("account_audit")
