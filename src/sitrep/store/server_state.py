"""What the web server's worker processes share, kept in the database so that a request
sees the same thing whichever worker answers it: failed logins (the login throttle's
counts) and upload jobs (their status, progress and result, and which process codes them).

Browser sessions are database rows already (store/accounts.py): a session cookie is a
random id looked up there, not a value signed with a per-process secret, so every worker
accepts every session.

Failed logins are stored by the SHA-256 of what they count ("user:NAME" or
"address:ADDRESS"), never the name itself: people type passwords into the name field.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import DateTime, Index, Integer, String, Text, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from sitrep.store._common import store_errors
from sitrep.store._schema import Base
from sitrep.store._store import Store

#: What a failed login is counted against.
ThrottleKind = Literal["user", "address"]
#: Upload job states: queued (waiting for its worker's coding slot), running, done, failed.
JobState = Literal["queued", "running", "done", "failed"]
LIVE_STATES: tuple[JobState, ...] = ("queued", "running")


class LoginFailureRow(Base):
    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key_sha256", "at"),)

    failure_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)


class UploadJobRow(Base):
    __tablename__ = "upload_jobs"

    job_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: The user who started it: only they and admins may read it.
    owner: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), index=True)
    #: The process coding it, "HOST:PID", and when it last said it was alive.
    worker: Mapped[str] = mapped_column(String(300))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: The web layer's whole status (progress, failures, result) as JSON.
    status: Mapped[str] = mapped_column(Text)


def utc_now() -> datetime:
    """The wall clock in UTC, as the database stores times: every worker process, on any
    host, agrees on it (a monotonic clock is per process)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _key(kind: ThrottleKind, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


class LoginFailures:
    """Failed logins per user name and per client address, in the `login_failures` table."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @store_errors
    def since(self, kind: ThrottleKind, value: str, start: datetime) -> list[datetime]:
        """When the failures for this name or address after `start` happened, oldest first."""
        with self._store.session() as session:
            return list(
                session.scalars(
                    select(LoginFailureRow.at)
                    .where(LoginFailureRow.key_sha256 == _key(kind, value))
                    .where(LoginFailureRow.at > start)
                    .order_by(LoginFailureRow.at)
                )
            )

    @store_errors
    def add(self, user: str, address: str, *, at: datetime, forget_before: datetime) -> None:
        """Count one failure against the name and the address; failures older than
        `forget_before` (no longer counted by anyone) are deleted in the same transaction."""
        with self._store.session(write=True) as session:
            session.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= forget_before))
            session.add_all(
                [
                    LoginFailureRow(key_sha256=_key("user", user), at=at),
                    LoginFailureRow(key_sha256=_key("address", address), at=at),
                ]
            )

    @store_errors
    def clear(self, kind: ThrottleKind, value: str) -> None:
        with self._store.session(write=True) as session:
            session.execute(
                delete(LoginFailureRow).where(LoginFailureRow.key_sha256 == _key(kind, value))
            )


class UploadJobRecord(BaseModel):
    """One row of `upload_jobs`."""

    job_id: str
    owner: str
    state: JobState
    worker: str
    heartbeat_at: datetime
    status: str


class UploadJobTable:
    """The upload jobs of every worker process, in the `upload_jobs` table."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @store_errors
    def create(self, record: UploadJobRecord, *, keep: int) -> None:
        """Store a new job; beyond `keep` jobs, the oldest ended ones are deleted (a job
        under way stays)."""
        with self._store.session(write=True) as session:
            session.add(UploadJobRow(**record.model_dump(), created_at=record.heartbeat_at))
            session.flush()
            total = session.scalar(select(func.count()).select_from(UploadJobRow)) or 0
            if total <= keep:
                return
            oldest_ended = (
                select(UploadJobRow.job_id)
                .where(UploadJobRow.state.not_in(LIVE_STATES))
                .order_by(UploadJobRow.created_at)
                .limit(total - keep)
            )
            session.execute(delete(UploadJobRow).where(UploadJobRow.job_id.in_(oldest_ended)))

    @store_errors
    def save(self, job_id: str, state: JobState, status: str, *, at: datetime) -> None:
        """Write the job's state and status; it counts as a heartbeat too."""
        with self._store.session(write=True) as session:
            session.execute(
                update(UploadJobRow)
                .where(UploadJobRow.job_id == job_id)
                .values(state=state, status=status, heartbeat_at=at)
            )

    @store_errors
    def heartbeat(self, worker: str, *, at: datetime) -> None:
        """Say that `worker` is alive: its queued and running jobs are not abandoned."""
        with self._store.session(write=True) as session:
            session.execute(
                update(UploadJobRow)
                .where(UploadJobRow.worker == worker, UploadJobRow.state.in_(LIVE_STATES))
                .values(heartbeat_at=at)
            )

    @store_errors
    def get(self, job_id: str) -> UploadJobRecord | None:
        with self._store.session() as session:
            row = session.get(UploadJobRow, job_id)
            if row is None:
                return None
            return UploadJobRecord.model_validate(row, from_attributes=True)
