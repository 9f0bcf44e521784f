"""The record of who did what to accounts and confidential fields (`account_audit`).

Corrections of events have their own trail (`event_audit`, store/review.py). This one
records what changes who may do what, or what is kept secret: users created, removed,
given another role or a new password; API tokens created and revoked; a report's source
contact set or changed (never its value), and by whom; a report's title, source or URL
changed by posting it again (store/report_metadata.py). Admins read it (`GET /api/audit`,
the Users page, `sitrep users audit`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from sitrep.store._common import store_errors
from sitrep.store._schema import Base
from sitrep.store._store import Store

AuditAction = Literal[
    "user.created",
    "user.removed",
    "user.role_changed",
    "user.password_changed",
    "token.created",
    "token.revoked",
    "contact.set",
    "contact.changed",
    "report.metadata_changed",
]

#: Who made a change when no user is named (a library caller): recorded as such.
UNATTRIBUTED = "(unattributed)"


class AccountAuditRow(Base):
    __tablename__ = "account_audit"

    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: Who did it: a user name, or "NAME (cli)" for the command line's operating-system user.
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    #: What it was done to: a user name, "token N of NAME", a report id.
    subject: Mapped[str] = mapped_column(String(200))
    #: What changed, never a secret: "analyst -> admin", the token's label.
    detail: Mapped[str | None] = mapped_column(String(500))


class AccountAuditRecord(BaseModel):
    at: datetime
    actor: str
    action: AuditAction
    subject: str
    detail: str | None = None

    def line(self) -> str:
        """ "2026-12-07 14:02:11  contact.changed  3f2a...  by amira"."""
        detail = f" ({self.detail})" if self.detail else ""
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S}  {self.action:<22}  {self.subject}{detail}  "
            f"by {self.actor}"
        )


def record(
    session: Session, actor: str, action: AuditAction, subject: str, detail: str | None = None
) -> None:
    """Add one record in the caller's transaction: the change and its record commit together."""
    session.add(
        AccountAuditRow(
            at=datetime.now(UTC).replace(tzinfo=None),
            actor=actor[:200],
            action=action,
            subject=subject[:200],
            detail=detail[:500] if detail else None,
        )
    )


@store_errors
def account_audit(store: Store, *, limit: int = 200) -> list[AccountAuditRecord]:
    """The latest records, newest first."""
    query = (
        select(AccountAuditRow)
        .order_by(AccountAuditRow.at.desc(), AccountAuditRow.audit_id.desc())
        .limit(limit)
    )
    with store.session() as session:
        return [
            AccountAuditRecord(
                at=row.at,
                actor=row.actor,
                action=row.action,  # type: ignore[arg-type]
                subject=row.subject,
                detail=row.detail,
            )
            for row in session.scalars(query)
        ]
