"""Who may use the analyst workspace: users and roles, API tokens, browser sessions.

Passwords are hashed with argon2. API tokens and session ids are long random secrets, so
their SHA-256 is enough to store them without keeping anything a thief could replay.

User names are normalised before they are stored or looked up (`normalise_user_name`):
two names that read the same are the same user. Passwords follow one policy
(`check_password`) wherever they are set. Every change of a user or a token is written to
the account audit (store/audit.py) in the same transaction, with who made it.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib.resources import files
from typing import Literal, get_args

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from sitrep.errors import InputError
from sitrep.store._common import NotFoundError, store_errors
from sitrep.store._schema import Base
from sitrep.store._store import Store
from sitrep.store.audit import UNATTRIBUTED, record

Role = Literal["viewer", "analyst", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
#: Each role may do everything the roles before it may.
ROLE_RANK: dict[Role, int] = {role: rank for rank, role in enumerate(ROLES)}
TOKEN_PREFIX = "sitrep_"
MIN_PASSWORD_LENGTH = 12
#: argon2 hashes any length; a bound keeps one request from costing much more than another.
MAX_PASSWORD_LENGTH = 1000
MAX_NAME_LENGTH = 100
MAX_LABEL_LENGTH = 100
#: Unicode categories refused in user names: control (Cc), format (Cf: zero-width spaces
#: and joiners, direction marks, the BOM), line and paragraph separators (Zl, Zp).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


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


def normalise_user_name(name: str) -> str:
    """The form a user name is stored and looked up in: Unicode NFKC, stripped, lower-cased
    (case folding), so "Amira", "amira " and its full-width spelling are one user. A name
    holding a control, format or invisible character is refused: it would let two users
    look the same on every page."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    folded = folded.strip()
    for char in folded:
        if unicodedata.category(char) in INVISIBLE_CATEGORIES:
            raise InputError(
                f"user name {name.strip()!r} holds an invisible or control character "
                f"(U+{ord(char):04X}): type the name again without it"
            )
    if not folded:
        raise InputError("a user needs a name")
    if len(folded) > MAX_NAME_LENGTH:
        raise InputError(f"user name too long: use at most {MAX_NAME_LENGTH} characters")
    return folded


@cache
def common_passwords() -> frozenset[str]:
    """The passwords the policy refuses as too common (data/common_passwords.yaml)."""
    text = (files("sitrep.store") / "data" / "common_passwords.yaml").read_text("utf-8")
    return frozenset(_squeezed(word) for word in yaml.safe_load(text)["passwords"])


def _squeezed(password: str) -> str:
    return "".join(password.casefold().split())


def check_password(password: str, user_name: str) -> None:
    """The password policy: at least 12 characters (at most 1,000), not one character
    repeated, not the user's name, and not one of the common passwords we list; spaces are
    allowed, so a passphrase of plain words passes."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"password too long: use at most {MAX_PASSWORD_LENGTH} characters")
    squeezed = _squeezed(password)
    if len(set(squeezed)) <= 1:
        raise InputError("password is one character repeated: choose a passphrase")
    if squeezed == _squeezed(user_name) or squeezed in common_passwords():
        raise InputError(
            "password is too easy to guess (a common password, or the user's name): "
            "choose another, e.g. four unrelated words"
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


class WrongPassword(InputError):
    """A user changing their password gave a wrong current one."""


def lookup_name(name: str) -> str:
    """The stored form of a name typed at login or in a command; a name that cannot be
    normalised matches nobody (its lookup finds no user rather than raising)."""
    try:
        return normalise_user_name(name)
    except InputError:
        return ""


def _user(row: UserRow) -> User:
    return User(user_id=row.user_id, name=row.name, role=row.role)  # type: ignore[arg-type]


class Accounts:
    """Users, tokens and sessions, in the tables of `store`'s database."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._hasher = PasswordHasher()

    @property
    def store(self) -> Store:
        return self._store

    @store_errors
    def add_user(self, name: str, role: str, password: str, *, by: str | None = None) -> User:
        _check_role(role)
        name = normalise_user_name(name)
        check_password(password, name)
        password_hash = self._hasher.hash(password)
        with self._store.session(write=True) as session:
            if session.scalar(select(UserRow).where(UserRow.name == name)) is not None:
                raise InputError(f"user {name!r} already exists: choose another name")
            row = UserRow(name=name, role=role, password_hash=password_hash, created_at=_now())
            session.add(row)
            session.flush()
            record(session, by or UNATTRIBUTED, "user.created", name, f"role {role}")
            return _user(row)

    @store_errors
    def get_user(self, name: str) -> User | None:
        with self._store.session() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == lookup_name(name)))
            return _user(row) if row is not None else None

    @store_errors
    def list_users(self) -> list[User]:
        with self._store.session() as session:
            return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]

    @store_errors
    def set_role(self, name: str, role: str, *, by: str | None = None) -> User:
        """Give the user another role; it applies from their next request on."""
        _check_role(role)
        with self._store.session(write=True) as session:
            row = self._user_row(session, name)
            if row.role == "admin" and role != "admin":
                self._keep_an_admin(session, row.name)
            if row.role != role:
                record(
                    session,
                    by or UNATTRIBUTED,
                    "user.role_changed",
                    row.name,
                    f"{row.role} -> {role}",
                )
            row.role = role
            return _user(row)

    @store_errors
    def remove_user(self, name: str, *, by: str | None = None) -> None:
        """Remove the user with their tokens and sessions: they are locked out at once. The
        audit trail keeps their name on what they changed."""
        with self._store.session(write=True) as session:
            row = self._user_row(session, name)
            if row.role == "admin":
                self._keep_an_admin(session, row.name)
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == row.user_id))
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.user_id))
            session.delete(row)
            record(session, by or UNATTRIBUTED, "user.removed", row.name, f"was {row.role}")

    @store_errors
    def set_password(self, name: str, password: str, *, by: str | None = None) -> User:
        """Give the user a new password (an admin's or the command line's reset): the policy
        applies, and every browser session of theirs ends (API tokens stay valid)."""
        with self._store.session() as session:
            user_name = self._user_row(session, name).name
        check_password(password, user_name)
        password_hash = self._hasher.hash(password)
        with self._store.session(write=True) as session:
            row = self._user_row(session, user_name)
            row.password_hash = password_hash
            session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.user_id))
            record(session, by or UNATTRIBUTED, "user.password_changed", row.name)
            return _user(row)

    def change_password(self, name: str, old_password: str, new_password: str) -> User:
        """A user's change of their own password: the old one must be right."""
        if self.authenticate(name, old_password) is None:
            raise WrongPassword("the current password is wrong: type it again")
        return self.set_password(name, new_password, by=normalise_user_name(name))

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
        """The user, if `password` is theirs; None for an unknown name or a wrong password.

        A user restored from a backup has no password hash until one is set: refused."""
        if len(password) > MAX_PASSWORD_LENGTH:
            return None
        with self._store.session() as session:
            row = session.scalar(select(UserRow).where(UserRow.name == lookup_name(name)))
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
    def create_token(
        self, user_name: str, label: str | None = None, *, by: str | None = None
    ) -> str:
        """A new API token for the user, labelled with what it is for; only its hash is
        stored, so show it once."""
        if label is not None and len(label) > MAX_LABEL_LENGTH:
            raise InputError(f"token label too long: use at most {MAX_LABEL_LENGTH} characters")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._store.session(write=True) as session:
            owner = self._user_row(session, user_name)
            row = ApiTokenRow(
                user_id=owner.user_id,
                token_sha256=_sha256(token),
                created_at=_now(),
                label=label.strip() or None if label else None,
            )
            session.add(row)
            session.flush()
            record(
                session,
                by or UNATTRIBUTED,
                "token.created",
                f"token {row.token_id} of {owner.name}",
                row.label,
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
                query = query.where(UserRow.name == self._user_row(session, user_name).name)
            return [
                ApiToken(token_id=token_id, user=name, created_at=created_at, label=label)
                for token_id, name, created_at, label in session.execute(query)
            ]

    @store_errors
    def revoke_tokens(
        self, user_name: str, *, token_id: int | None = None, by: str | None = None
    ) -> int:
        """Revoke every token of the user, or only `token_id`; returns how many were revoked.

        A revoked token is deleted, so it authenticates nobody from the next request on."""
        with self._store.session(write=True) as session:
            owner = self._user_row(session, user_name)
            owned = select(ApiTokenRow.token_id).where(ApiTokenRow.user_id == owner.user_id)
            if token_id is not None:
                owned = owned.where(ApiTokenRow.token_id == token_id)
            revoked = list(session.scalars(owned))
            session.execute(delete(ApiTokenRow).where(ApiTokenRow.token_id.in_(revoked)))
            for revoked_id in revoked:
                record(
                    session,
                    by or UNATTRIBUTED,
                    "token.revoked",
                    f"token {revoked_id} of {owner.name}",
                )
        if token_id is not None and not revoked:
            raise NotFoundError(
                f"{user_name} has no token {token_id}: see `sitrep tokens list --user {user_name}`"
            )
        return len(revoked)

    @store_errors
    def revoke_token(self, token_id: int, *, by: str | None = None) -> ApiToken:
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
            record(session, by or UNATTRIBUTED, "token.revoked", f"token {token_id} of {name}")
            return ApiToken(
                token_id=row.token_id, user=name, created_at=row.created_at, label=row.label
            )

    @staticmethod
    def _user_row(session: Session, user_name: str) -> UserRow:
        row = session.scalar(select(UserRow).where(UserRow.name == lookup_name(user_name)))
        if row is None:
            raise InputError(f"no user {user_name!r}: add it with `sitrep users add`")
        return row

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
