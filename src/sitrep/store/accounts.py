"""Who may use the analyst workspace: users and roles, API tokens, browser sessions.

Passwords are hashed with argon2. API tokens and session ids are long random secrets, so
their SHA-256 is enough to store them without keeping anything a thief could replay.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from sitrep.errors import InputError
from sitrep.store._common import NotFoundError, store_errors
from sitrep.store._schema import Base
from sitrep.store._store import Store

Role = Literal["viewer", "analyst", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
#: Each role may do everything the roles before it may.
ROLE_RANK: dict[Role, int] = {role: rank for rank, role in enumerate(ROLES)}
TOKEN_PREFIX = "sitrep_"
MIN_PASSWORD_LENGTH = 8
MAX_LABEL_LENGTH = 100


class UserRow(Base):
    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    token_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.user_id", ondelete="CASCADE"), index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: What the token is for, as its creator put it.
    label: Mapped[str | None] = mapped_column(String(100))


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    session_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.user_id", ondelete="CASCADE"), index=True
    )
    #: The synchronizer token every state-changing request of this session must carry.
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class User(BaseModel):
    user_id: int
    name: str
    role: Role

    def may(self, role: Role) -> bool:
        """True when this user's role includes the rights of `role`."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class ApiToken(BaseModel):
    """An API token as listed: never its secret, which only its holder has."""

    token_id: int
    user: str
    created_at: datetime
    label: str | None = None


class WebSession(BaseModel):
    user: User
    csrf_token: str


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def _user(row: UserRow) -> User:
    return User(user_id=row.user_id, name=row.name, role=row.role)  # type: ignore[arg-type]


class Accounts:
    """Users, tokens and sessions, in the tables of `store`'s database."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._hasher = PasswordHasher()

    @store_errors
    def add_user(self, name: str, role: str, password: str) -> User:
        _check_role(role)
        if not name.strip():
            raise InputError("a user needs a name")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InputError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
        with self._store.session(write=True) as session:
            if session.scalar(select(UserRow).where(UserRow.name == name)) is not None:
                raise InputError(f"user {name!r} already exists: choose another name")
            row = UserRow(
                name=name,
                role=role,
                password_hash=self._hasher.hash(password),
                created_at=_now(),
            )
            session.add(row)
            session.flush()
            return _user(row)

    @store_errors
    def get_user(self, name: str) -> User | None:
        with self._store.session() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            return _user(row) if row is not None else None

    @store_errors
    def list_users(self) -> list[User]:
        with self._store.session() as session:
            return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]

    @store_errors
    def set_role(self, name: str, role: str) -> User:
        """Give the user another role; it applies from their next request on."""
        _check_role(role)
        with self._store.session(write=True) as session:
            row = self._user_row(session, name)
            if row.role == "admin" and role != "admin":
                self._keep_an_admin(session, name)
            row.role = role
            return _user(row)

    @store_errors
    def remove_user(self, name: str) -> None:
        """Remove the user with their tokens and sessions: they are locked out at once. The
        audit trail keeps their name on what they changed."""
        with self._store.session(write=True) as session:
            row = self._user_row(session, name)
            if row.role == "admin":
                self._keep_an_admin(session, name)
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == row.user_id))
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.user_id))
            session.delete(row)

    @staticmethod
    def _keep_an_admin(session: Session, leaving: str) -> None:
        others = select(UserRow.user_id).where(UserRow.role == "admin", UserRow.name != leaving)
        if session.scalar(others.limit(1)) is None:
            raise InputError(
                f"{leaving} is the last admin: make another user admin first "
                "(`sitrep users role NAME admin`)"
            )

    @store_errors
    def authenticate(self, name: str, password: str) -> User | None:
        """The user, if `password` is theirs; None for an unknown name or a wrong password."""
        with self._store.session() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                # Spend the same time as for a real user, so names cannot be probed.
                self._hasher.hash(password)
                return None
            try:
                self._hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                return None
            return _user(row)

    @store_errors
    def create_token(self, user_name: str, label: str | None = None) -> str:
        """A new API token for the user, labelled with what it is for; only its hash is
        stored, so show it once."""
        if label is not None and len(label) > MAX_LABEL_LENGTH:
            raise InputError(f"token label too long: use at most {MAX_LABEL_LENGTH} characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._store.session(write=True) as session:
            session.add(
                ApiTokenRow(
                    user_id=self._user_id(session, user_name),
                    token_sha256=_sha256(token),
                    created_at=_now(),
                    label=label.strip() or None if label else None,
                )
            )
        return token

    @store_errors
    def list_tokens(self, user_name: str | None = None) -> list[ApiToken]:
        """The tokens of one user (or of everyone), oldest first."""
        query = (
            select(ApiTokenRow.token_id, UserRow.name, ApiTokenRow.created_at, ApiTokenRow.label)
            .join(UserRow, ApiTokenRow.user_id == UserRow.user_id)
            .order_by(ApiTokenRow.created_at, ApiTokenRow.token_id)
        )
        with self._store.session() as session:
            if user_name is not None:
                self._user_id(session, user_name)
                query = query.where(UserRow.name == user_name)
            return [
                ApiToken(token_id=token_id, user=name, created_at=created_at, label=label)
                for token_id, name, created_at, label in session.execute(query)
            ]

    @store_errors
    def revoke_tokens(self, user_name: str, *, token_id: int | None = None) -> int:
        """Revoke every token of the user, or only `token_id`; returns how many were revoked.

        A revoked token is deleted, so it authenticates nobody from the next request on."""
        with self._store.session(write=True) as session:
            owned = select(ApiTokenRow.token_id).where(
                ApiTokenRow.user_id == self._user_id(session, user_name)
            )
            if token_id is not None:
                owned = owned.where(ApiTokenRow.token_id == token_id)
            revoked = list(session.scalars(owned))
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.token_id.in_(revoked)))
        if token_id is not None and not revoked:
            raise NotFoundError(
                f"{user_name} has no token {token_id}: see `sitrep tokens list --user {user_name}`"
            )
        return len(revoked)

    @store_errors
    def revoke_token(self, token_id: int) -> ApiToken:
        """Revoke one token by its id (as `list_tokens` shows it)."""
        with self._store.session(write=True) as session:
            found = session.execute(
                select(ApiTokenRow, UserRow.name)
                .join(UserRow, ApiTokenRow.user_id == UserRow.user_id)
                .where(ApiTokenRow.token_id == token_id)
            ).first()
            if found is None:
                raise NotFoundError(f"no API token {token_id}: list them with GET /api/tokens")
            row, name = found
            session.delete(row)
            return ApiToken(
                token_id=row.token_id, user=name, created_at=row.created_at, label=row.label
            )

    @staticmethod
    def _user_row(session: Session, user_name: str) -> UserRow:
        row = session.scalar(select(UserRow).where(UserRow.name == user_name))
        if row is None:
            raise InputError(f"no user {user_name!r}: add it with `sitrep users add`")
        return row

    @classmethod
    def _user_id(cls, session: Session, user_name: str) -> int:
        return cls._user_row(session, user_name).user_id

    @store_errors
    def user_for_token(self, token: str) -> User | None:
        with self._store.session() as session:
            row = session.scalar(
                select(UserRow)
                .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.user_id)
                .where(ApiTokenRow.token_sha256 == _sha256(token))
            )
            return _user(row) if row is not None else None

    @store_errors
    def start_session(self, user: User, *, lifetime: timedelta) -> tuple[str, WebSession]:
        """A new browser session: (cookie value, session with its CSRF token)."""
        session_id = secrets.token_urlsafe(32)
        csrf_token = secrets.token_urlsafe(32)
        with self._store.session(write=True) as session:
            now = _now()
            # Sweep expired sessions while we hold the writer slot anyway.
            session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
            session.add(
                WebSessionRow(
                    session_sha256=_sha256(session_id),
                    user_id=user.user_id,
                    csrf_token=csrf_token,
                    expires_at=now + lifetime,
                )
            )
        return session_id, WebSession(user=user, csrf_token=csrf_token)

    @store_errors
    def get_session(self, session_id: str) -> WebSession | None:
        with self._store.session() as session:
            found = session.execute(
                select(UserRow, WebSessionRow.csrf_token)
                .join(WebSessionRow, WebSessionRow.user_id == UserRow.user_id)
                .where(
                    WebSessionRow.session_sha256 == _sha256(session_id),
                    WebSessionRow.expires_at > _now(),
                )
            ).first()
            if found is None:
                return None
            row, csrf_token = found
            return WebSession(user=_user(row), csrf_token=csrf_token)

    @store_errors
    def end_session(self, session_id: str) -> None:
        with self._store.session(write=True) as session:
            session.execute(
                delete(WebSessionRow).where(WebSessionRow.session_sha256 == _sha256(session_id))
            )
