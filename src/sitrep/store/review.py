"""Analysts' review of events: corrections with an audit trail, review status, and the
confidential source contact of a report, encrypted at rest.

A correction rewrites the event's `current` JSON (the machine's `original` is never
touched) and writes one audit record per changed field, in the same transaction.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ValidationError
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from sitrep.errors import InputError, SitrepError
from sitrep.events.notes import note_for
from sitrep.models import EVENT_TYPES, Event
from sitrep.store._common import (
    REVIEW_STATUSES,
    NotFoundError,
    ReviewStatus,
    fill_event_columns,
    store_errors,
)
from sitrep.store._schema import Base, EventReviewRow, EventRow, ReportRow
from sitrep.store._store import Store

__all__ = [
    "CLEARED_VALUES",
    "EDITABLE_FIELDS",
    "NAME_LIST_FIELDS",
    "REVIEW_STATUSES",
    "AuditRecord",
    "NotFoundError",
    "Review",
    "ReviewStatus",
    "Reviews",
    "SourceCipher",
    "SourceProtectionError",
    "corrected",
    "field_value",
]

#: Editable fields (named as in `Event.acled_row()`) -> where they live in the Event's JSON.
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "event_date": ("event_date",),
    "time_precision": ("time_precision",),
    "fatalities": ("fatalities",),
    "attack_method": ("attack_method",),
    "notes": ("notes",),
    "source": ("source",),
    "attribution": ("attribution",),
    "actor1": ("actor1", "name"),
    "assoc_actor_1": ("actor1", "associated"),
    "inter1": ("actor1", "inter"),
    "actor2": ("actor2", "name"),
    "assoc_actor_2": ("actor2", "associated"),
    "inter2": ("actor2", "inter"),
    "country": ("place", "country"),
    "admin1": ("place", "admin1"),
    "admin2": ("place", "admin2"),
    "location": ("place", "location"),
    "latitude": ("place", "latitude"),
    "longitude": ("place", "longitude"),
    "geo_precision": ("place", "geo_precision"),
}
#: Fields holding several names: a list, or one string with the names joined by ";" as in
#: ACLED exports.
NAME_LIST_FIELDS = frozenset({"assoc_actor_1", "assoc_actor_2"})
#: What a field becomes when cleared (set to null), where an event has no null for it.
CLEARED_VALUES: dict[str, Any] = {"notes": "", "assoc_actor_1": [], "assoc_actor_2": []}
#: The field that must be given first when a correction creates an actor or a place.
_REQUIRED_TO_CREATE = {"actor1": "actor1", "actor2": "actor2", "place": "location"}


class SourceProtectionError(SitrepError):
    """A confidential field cannot be stored or read safely (no key, or the wrong key)."""


class AuditRow(Base):
    __tablename__ = "event_audit"

    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(
        String(80), ForeignKey("events.event_id", ondelete="CASCADE"), index=True
    )
    user_name: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime)
    field: Mapped[str] = mapped_column(String(64))
    #: Old and new values as JSON, so numbers, dates and nulls come back as they were.
    old: Mapped[str] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class ReportSourceRow(Base):
    __tablename__ = "report_sources"

    report_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("reports.report_id", ondelete="CASCADE"), primary_key=True
    )
    #: Fernet token (AES-128-CBC + HMAC-SHA256) of the source contact; never plain text.
    contact_encrypted: Mapped[str] = mapped_column(Text)


class Review(BaseModel):
    status: ReviewStatus = "unreviewed"
    note: str | None = None
    reviewer: str | None = None
    reviewed_at: datetime | None = None


class AuditRecord(BaseModel):
    user: str
    at: datetime
    field: str
    old: Any
    new: Any
    note: str | None = None


class SourceCipher:
    """Encrypts confidential fields with a key derived from SITREP_SECRET_KEY."""

    def __init__(self, secret_key: str) -> None:
        if len(secret_key) < 16:
            raise SourceProtectionError(
                "SITREP_SECRET_KEY is too short: use at least 16 random characters"
            )
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"sitrep source contact"
        ).derive(secret_key.encode("utf-8"))
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise SourceProtectionError(
                "cannot decrypt a source contact: SITREP_SECRET_KEY differs from the key "
                "it was stored with"
            ) from error


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def corrected(event: Event, changes: dict[str, Any]) -> Event:
    """The event with `changes` (editable field -> new value) applied and re-validated."""
    if not changes:
        raise InputError("nothing to correct: give at least one field and its new value")
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InputError(
            f"cannot edit {', '.join(unknown)}: editable fields are {', '.join(EDITABLE_FIELDS)}"
        )
    data = event.model_dump(
        mode="json", exclude={"disorder_type", "interaction", "civilian_targeting"}
    )
    for field, value in changes.items():
        if value is None:
            value = CLEARED_VALUES.get(field)
        if field in NAME_LIST_FIELDS:
            value = _names(value)
        path = EDITABLE_FIELDS[field]
        if len(path) == 1:
            data[path[0]] = value
            continue
        parent, key = path
        if data.get(parent) is None:
            needed = _REQUIRED_TO_CREATE[parent]
            if needed not in changes:
                raise InputError(
                    f"the event has no {parent}: give {needed} to create one before setting {field}"
                )
            data[parent] = {"inter": 1} if parent.startswith("actor") else {}
        data[parent][key] = value
    try:
        updated = Event.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"invalid value for {where}: {first['msg']}") from error
    if updated.sub_event_type not in EVENT_TYPES.get(updated.event_type, ()):
        raise InputError(
            f"{updated.sub_event_type!r} is not a sub-event type of {updated.event_type!r}: "
            "correct both together"
        )
    if "notes" not in changes and event.notes and event.notes == note_for(event):
        # The pipeline's own note restates the fields: it follows their correction. A note
        # an analyst wrote is theirs and stays as written.
        updated.notes = note_for(updated)
    return updated


def _names(value: Any) -> Any:
    """A name list from a list or a ";"-joined string, blanks and repeats dropped; any other
    value is left for the Event's validation to refuse."""
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        return value
    return list(dict.fromkeys(name.strip() for name in value if name.strip()))


def field_value(event: Event, field: str) -> Any:
    """An editable field's value as JSON-ready data (None where the event has no actor/place)."""
    data: Any = event.model_dump(mode="json")
    for key in EDITABLE_FIELDS[field]:
        if data is None:
            return None
        data = data.get(key)
    return data


class Reviews:
    """Corrections, review status and source contacts, in `store`'s database."""

    def __init__(self, store: Store, cipher: SourceCipher | None = None) -> None:
        self._store = store
        self._cipher = cipher

    # Corrections -------------------------------------------------------------------------

    @store_errors
    def correct(
        self, event_id: str, changes: dict[str, Any], *, user: str, note: str | None = None
    ) -> Event:
        """Apply an analyst's correction and audit each field that really changed."""
        with self._store.session(write=True) as session:
            row = session.get(EventRow, event_id)
            if row is None:
                raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
            before = Event.model_validate_json(row.current)
            after = corrected(before, changes)
            at = _now()
            # A regenerated note is audited like a corrected field.
            for field in dict.fromkeys([*changes, "notes"]):
                old, new = field_value(before, field), field_value(after, field)
                if old != new:
                    session.add(
                        AuditRow(
                            event_id=event_id,
                            user_name=user,
                            at=at,
                            field=field,
                            old=json.dumps(old),
                            new=json.dumps(new),
                            note=note,
                        )
                    )
            fill_event_columns(row, after)
            row.current = after.model_dump_json()
            return after

    @store_errors
    def history(self, event_id: str) -> list[AuditRecord]:
        with self._store.session() as session:
            rows = session.scalars(
                select(AuditRow)
                .where(AuditRow.event_id == event_id)
                .order_by(AuditRow.at, AuditRow.audit_id)
            )
            return [
                AuditRecord(
                    user=row.user_name,
                    at=row.at,
                    field=row.field,
                    old=json.loads(row.old),
                    new=json.loads(row.new),
                    note=row.note,
                )
                for row in rows
            ]

    @store_errors
    def count_audit_records(self) -> int:
        with self._store.session() as session:
            return session.scalar(select(func.count()).select_from(AuditRow)) or 0

    # Review status ---------------------------------------------------------------------

    @store_errors
    def set_review(
        self, event_id: str, status: ReviewStatus, *, user: str, note: str | None = None
    ) -> Review:
        if status not in REVIEW_STATUSES:
            raise InputError(f"unknown review status {status!r}: use {', '.join(REVIEW_STATUSES)}")
        with self._store.session(write=True) as session:
            if session.get(EventRow, event_id) is None:
                raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
            row = session.get(EventReviewRow, event_id)
            old_status = row.status if row is not None else "unreviewed"
            at = _now()
            if row is None:
                row = EventReviewRow(event_id=event_id)
                session.add(row)
            row.status, row.note, row.reviewer, row.reviewed_at = status, note, user, at
            session.add(
                AuditRow(
                    event_id=event_id,
                    user_name=user,
                    at=at,
                    field="review_status",
                    old=json.dumps(old_status),
                    new=json.dumps(status),
                    note=note,
                )
            )
            return Review(status=status, note=note, reviewer=user, reviewed_at=at)

    @store_errors
    def review(self, event_id: str) -> Review:
        with self._store.session() as session:
            row = session.get(EventReviewRow, event_id)
            if row is None:
                return Review()
            return Review(
                status=row.status,  # type: ignore[arg-type]
                note=row.note,
                reviewer=row.reviewer,
                reviewed_at=row.reviewed_at,
            )

    @store_errors
    def reviews(self, event_ids: list[str]) -> dict[str, Review]:
        """Review of each event (unreviewed when none was recorded)."""
        found: dict[str, Review] = {event_id: Review() for event_id in event_ids}
        with self._store.session() as session:
            rows = session.scalars(
                select(EventReviewRow).where(EventReviewRow.event_id.in_(event_ids))
            )
            for row in rows:
                found[row.event_id] = Review(
                    status=row.status,  # type: ignore[arg-type]
                    note=row.note,
                    reviewer=row.reviewer,
                    reviewed_at=row.reviewed_at,
                )
        return found

    # Confidential source contact -------------------------------------------------------

    def require_cipher(self) -> SourceCipher:
        if self._cipher is None:
            raise SourceProtectionError(
                "confidential fields (source_contact) need a key: set SITREP_SECRET_KEY "
                "and restart, or send the report without source_contact"
            )
        return self._cipher

    @store_errors
    def set_source_contact(self, report_id: str, contact: str) -> None:
        encrypted = self.require_cipher().encrypt(contact)
        with self._store.session(write=True) as session:
            if session.get(ReportRow, report_id) is None:
                raise NotFoundError(f"no report {report_id!r}: ingest it first")
            row = session.get(ReportSourceRow, report_id)
            if row is None:
                session.add(ReportSourceRow(report_id=report_id, contact_encrypted=encrypted))
            else:
                row.contact_encrypted = encrypted

    @store_errors
    def source_contact(self, report_id: str) -> str | None:
        """The decrypted contact (for admins only: the caller checks the role)."""
        with self._store.session() as session:
            row = session.get(ReportSourceRow, report_id)
            encrypted = row.contact_encrypted if row is not None else None
        if encrypted is None:
            return None
        return self.require_cipher().decrypt(encrypted)

    @store_errors
    def has_source_contact(self, report_id: str) -> bool:
        with self._store.session() as session:
            return session.get(ReportSourceRow, report_id) is not None
