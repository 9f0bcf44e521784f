"""Analysts' review of events: corrections with an audit trail, review status, and the
confidential source contact of a report, encrypted at rest.

A correction rewrites the event's `current` JSON (the machine's `original` is never
touched), raises its version and writes one audit record per field the analyst changed, in
the same transaction. A correction that names the version it was based on is refused
(ConflictError) when someone saved a newer one in between.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar

import yaml
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ValidationError
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, func, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from sitrep.errors import InputError, SitrepError
from sitrep.events.notes import note_for
from sitrep.models import EVENT_TYPES, Event, Report
from sitrep.store._common import (
    REVIEW_STATUSES,
    ConflictError,
    NotFoundError,
    ReviewStatus,
    fill_event_columns,
    store_errors,
)
from sitrep.store._schema import Base, EventReviewRow, EventRow, ReportRow
from sitrep.store._search import index_events, search_values
from sitrep.store._store import ReportStatus, Store, _replace_events, new_event_row
from sitrep.store.actor_directory import inter_of
from sitrep.store.audit import UNATTRIBUTED, record
from sitrep.store.date_check import with_date_check

__all__ = [
    "CLEARED_VALUES",
    "EDITABLE_FIELDS",
    "NAME_LIST_FIELDS",
    "REVIEW_STATUSES",
    "AuditRecord",
    "ConflictError",
    "ContactReading",
    "NotFoundError",
    "Reextraction",
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
RowT = TypeVar("RowT", bound=Base)
#: The field that must be given first when a correction creates an actor or a place.
_REQUIRED_TO_CREATE = {"actor1": "actor1", "actor2": "actor2", "place": "location"}
_INTER_OF_ACTOR = {"actor1": "inter1", "actor2": "inter2"}


@cache
def _flag_rules() -> dict[str, Any]:
    text = (files("sitrep.store") / "data" / "review_flags.yaml").read_text(encoding="utf-8")
    rules: dict[str, Any] = yaml.safe_load(text)
    return rules


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


class ContactReading(BaseModel):
    """A report's source contact as an admin may see it: the value, or why it cannot be
    read (`unavailable`: no key, or not the key it was stored with); both None: no contact."""

    contact: str | None = None
    unavailable: str | None = None


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
            data[parent] = {}
        data[parent][key] = value
    flags = [flag for flag in data["flags"] if not _settled(flag, changes)]
    for actor, inter_field in _INTER_OF_ACTOR.items():
        name = changes.get(actor)
        if name is None or inter_field in changes:
            continue
        known = inter_of(name)
        if known is None:
            raise InputError(
                f"{name!r} is not in the actor dictionary: choose its inter code "
                f"({inter_field}: 1 state forces ... 8 external forces) to add it as a new actor"
            )
        data[actor]["inter"] = known
    unknown_actors = [
        changes[actor]
        for actor in _INTER_OF_ACTOR
        if changes.get(actor) is not None and inter_of(changes[actor]) is None
    ]
    new_actor_flag = _flag_rules()["actor_not_in_dictionary"]
    if unknown_actors and new_actor_flag not in flags:
        flags.append(new_actor_flag)
    data["flags"] = flags
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


def _settled(flag: str, changes: dict[str, Any]) -> bool:
    """Whether the analyst set a field that answers what the flag asked."""
    fields = _flag_rules()["cleared_by"].get(flag, ())
    return any(changes.get(field) not in (None, "") for field in fields)


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
        self,
        event_id: str,
        changes: dict[str, Any],
        *,
        user: str,
        note: str | None = None,
        version: int | None = None,
    ) -> Event:
        """Apply an analyst's correction and audit each field they changed.

        `version` is the version of the event the analyst saw: when someone saved a newer
        one since, nothing is applied and ConflictError carries what is stored now."""
        with self._store.session(write=True) as session:
            row = session.get(EventRow, event_id)
            if row is None:
                raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
            before = Event.model_validate_json(row.current)
            if version is not None and version != row.version:
                raise ConflictError(
                    f"event {event_id} was changed by someone else since you opened it "
                    f"(you saw version {version}, it is now at version {row.version}): "
                    "reload it, compare, and send your changes again with its new version",
                    current=before,
                    version=row.version,
                )
            report = session.get(ReportRow, row.report_id)
            after = with_date_check(
                corrected(before, changes), report.published if report is not None else None
            )
            at = _now()
            # Only what the analyst changed is theirs: a note the machine rewrote to follow
            # the corrected fields is not audited as if they had written it.
            for field in changes:
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
            row.version += 1
            if report is not None:
                index_events(session, [search_values(after, report.title, report.text)])
            return after

    @store_errors
    def add_event(
        self, report_id: str, fields: dict[str, Any], *, user: str, note: str | None = None
    ) -> Event:
        """Store an event the machine missed in a stored report: `fields` (editable fields;
        event_type and sub_event_type at least) applied to an empty event. It is flagged
        `added_by_analyst`, has no evidence, and its creation is audited."""
        missing = [name for name in ("event_type", "sub_event_type") if not fields.get(name)]
        if missing:
            raise InputError(f"a new event needs {' and '.join(missing)}")
        blank = Event(event_type=fields["event_type"], sub_event_type=fields["sub_event_type"])
        event = corrected(blank, fields)
        event.flags = [*event.flags, "added_by_analyst"]
        return self._store_new_event(report_id, event, user=user, note=note, how="added")

    @store_errors
    def split_event(
        self, event_id: str, fields: dict[str, Any], *, user: str, note: str | None = None
    ) -> Event:
        """Split an event that merged two incidents: a copy of it, with `fields` changed
        (the second incident's place, date, toll ...), stored as a new event of the same
        report, flagged `split_by_analyst`. The first event is then corrected as usual."""
        source = self._store.get_event(event_id)
        if source is None:
            raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
        event = corrected(source, fields) if fields else source.model_copy(deep=True)
        event.flags = [*event.flags, "split_by_analyst"]
        return self._store_new_event(
            source.report_id, event, user=user, note=note, how=f"split from {event_id}"
        )

    def _store_new_event(
        self, report_id: str, event: Event, *, user: str, note: str | None, how: str
    ) -> Event:
        with self._store.session(write=True) as session:
            report = session.get(ReportRow, report_id)
            if report is None:
                raise NotFoundError(f"no report {report_id!r}: list reports with GET /api/reports")
            last = session.scalar(
                select(func.max(EventRow.position)).where(EventRow.report_id == report_id)
            )
            position = (last or 0) + 1
            stored = with_date_check(
                event.model_copy(
                    update={"report_id": report_id, "event_id": f"{report_id}-{position:02d}"}
                ),
                report.published,
            )
            session.add(new_event_row(stored, position))
            session.flush()
            index_events(session, [search_values(stored, report.title, report.text)])
            session.add(
                AuditRow(
                    event_id=stored.event_id,
                    user_name=user,
                    at=_now(),
                    field="event",
                    old=json.dumps(None),
                    new=json.dumps(how),
                    note=note,
                )
            )
            return stored

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

    def set_review(
        self, event_id: str, status: ReviewStatus, *, user: str, note: str | None = None
    ) -> Review:
        return self.set_reviews([event_id], status, user=user, note=note)[event_id]

    @store_errors
    def set_reviews(
        self, event_ids: list[str], status: ReviewStatus, *, user: str, note: str | None = None
    ) -> dict[str, Review]:
        """Give several events the same verdict and note, all or none (one transaction)."""
        if status not in REVIEW_STATUSES:
            raise InputError(f"unknown review status {status!r}: use {', '.join(REVIEW_STATUSES)}")
        if not event_ids:
            raise InputError("no events to review: select at least one")
        at = _now()
        with self._store.session(write=True) as session:
            for event_id in dict.fromkeys(event_ids):
                if session.get(EventRow, event_id) is None:
                    raise NotFoundError(f"no event {event_id!r}: list events with GET /api/events")
                row = session.get(EventReviewRow, event_id)
                old_status = row.status if row is not None else "unreviewed"
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
        review = Review(status=status, note=note, reviewer=user, reviewed_at=at)
        return dict.fromkeys(event_ids, review)

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

    # Re-extraction ---------------------------------------------------------------------

    @store_errors
    def replace_events(
        self,
        report: Report,
        events: list[Event],
        *,
        user: str,
        status: ReportStatus = "ok",
        error: str | None = None,
        discard_unmatched: bool = False,
    ) -> Reextraction:
        """Replace a stored report's events with a new extraction of it (after its date or
        language was corrected), keeping the analysts' work, in one transaction.

        Each old event is matched to the new event with the same trigger words (else the
        same id and event type). A matched event keeps its review, its whole audit trail
        and the corrections it had: each corrected field takes the analyst's value again
        over the new machine value (the machine's `original` is the new extraction), and
        one audit record says what the re-extraction changed in the report. An old event
        with a review or corrections that nothing matches is not dropped silently: the
        call fails naming it, unless `discard_unmatched`.
        """
        report_id = report.report_id
        with self._store.session(write=True) as session:
            row = session.get(ReportRow, report_id)
            if row is None:
                raise NotFoundError(f"no report {report_id!r}: extract it first")
            old_rows = list(
                session.scalars(select(EventRow).where(EventRow.report_id == report_id))
            )
            old_ids = [r.event_id for r in old_rows]
            audits = list(
                session.scalars(
                    select(AuditRow)
                    .where(AuditRow.event_id.in_(old_ids))
                    .order_by(AuditRow.audit_id)
                )
            )
            reviews = {
                r.event_id: r
                for r in session.scalars(
                    select(EventReviewRow).where(EventReviewRow.event_id.in_(old_ids))
                )
            }
            worked_on = {a.event_id for a in audits} | set(reviews)
            old_events = {r.event_id: Event.model_validate_json(r.current) for r in old_rows}
            matches = _match(list(old_events.values()), events)
            unmatched = sorted(worked_on - set(matches))
            if unmatched and not discard_unmatched:
                raise InputError(
                    f"re-extracting {report_id} would drop the reviews or corrections of "
                    f"{', '.join(unmatched)} (no new event has their trigger); look at them "
                    "with `sitrep show`, then pass --discard-unmatched to re-extract anyway"
                )
            kept_audits = [
                _copy_row(a, leave_out="audit_id") for a in audits if a.event_id in matches
            ]
            kept_reviews = [_copy_row(r) for r in reviews.values() if r.event_id in matches]
            before = {"published": _iso(row.published), "language": row.language}
            after = {"published": _iso(report.published), "language": report.language}
            for old in (*audits, *reviews.values()):
                session.delete(old)
            session.flush()
            row.published, row.language = report.published, report.language
            row.status, row.error = status, error
            _replace_events(session, report_id, events)
            session.flush()
            at = _now()
            for copy in kept_audits:
                copy.event_id = matches[copy.event_id]
                session.add(copy)
            for review in kept_reviews:
                review.event_id = matches[review.event_id]
                session.add(review)
            new_rows = {
                r.event_id: r
                for r in session.scalars(select(EventRow).where(EventRow.report_id == report_id))
            }
            for old_id, new_id in matches.items():
                if old_id not in worked_on:
                    continue
                new_row = new_rows[new_id]
                fields = {a.field for a in audits if a.event_id == old_id}
                changes = _carried_corrections(old_events[old_id], fields)
                if changes:
                    current = with_date_check(
                        corrected(Event.model_validate_json(new_row.original), changes),
                        report.published,
                    )
                    fill_event_columns(new_row, current)
                    new_row.current = current.model_dump_json()
                carried = f"; corrections applied again: {', '.join(sorted(changes))}"
                session.add(
                    AuditRow(
                        event_id=new_id,
                        user_name=user,
                        at=at,
                        field="reextracted",
                        old=json.dumps(before | {"event_id": old_id}),
                        new=json.dumps(after | {"event_id": new_id}),
                        note="report re-extracted" + (carried if changes else ""),
                    )
                )
        return Reextraction(
            report_id=report_id,
            events=len(events),
            carried={old: new for old, new in matches.items() if old in worked_on},
            dropped=unmatched,
        )

    # Confidential source contact -------------------------------------------------------

    def require_cipher(self) -> SourceCipher:
        if self._cipher is None:
            raise SourceProtectionError(
                "confidential fields (source_contact) need a key: set SITREP_SECRET_KEY "
                "and restart, or send the report without source_contact"
            )
        return self._cipher

    @store_errors
    def set_source_contact(self, report_id: str, contact: str, *, by: str | None = None) -> None:
        """Set or replace the report's contact (the caller checks that `by` is an admin);
        the account audit records who did it, never the value."""
        encrypted = self.require_cipher().encrypt(contact)
        with self._store.session(write=True) as session:
            if session.get(ReportRow, report_id) is None:
                raise NotFoundError(f"no report {report_id!r}: ingest it first")
            row = session.get(ReportSourceRow, report_id)
            if row is None:
                session.add(ReportSourceRow(report_id=report_id, contact_encrypted=encrypted))
                record(session, by or UNATTRIBUTED, "contact.set", report_id)
            else:
                row.contact_encrypted = encrypted
                record(session, by or UNATTRIBUTED, "contact.changed", report_id)

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
    def readable_source_contact(self, report_id: str) -> ContactReading:
        """The contact for an admin's page or answer: never an error for a wrong or missing
        key, but "unavailable" with the reason, so the rest of the page still shows."""
        try:
            return ContactReading(contact=self.source_contact(report_id))
        except SourceProtectionError as error:
            return ContactReading(unavailable=str(error))

    @store_errors
    def has_source_contact(self, report_id: str) -> bool:
        with self._store.session() as session:
            return session.get(ReportSourceRow, report_id) is not None


class Reextraction(BaseModel):
    """What `Reviews.replace_events` did with the analysts' work on a re-extracted report."""

    report_id: str
    events: int
    #: Old event id -> the new event it was matched to (same trigger words).
    carried: dict[str, str]
    #: Old events with a review or corrections that no new event matches (dropped only
    #: when the caller allowed it).
    dropped: list[str]


def _trigger_key(event: Event) -> tuple[int, int] | None:
    return (event.trigger.start, event.trigger.end) if event.trigger else None


def _match(old: list[Event], new: list[Event]) -> dict[str, str]:
    """Old event id -> new event id: the same trigger words, else the same id and type."""
    by_trigger = {_trigger_key(e): e.event_id for e in new if _trigger_key(e) is not None}
    by_id = {e.event_id: e for e in new}
    matches: dict[str, str] = {}
    for event in old:
        key = _trigger_key(event)
        if key is not None and key in by_trigger:
            matches[event.event_id] = by_trigger[key]
        elif event.event_id in by_id and by_id[event.event_id].event_type == event.event_type:
            matches[event.event_id] = event.event_id
    taken: set[str] = set()
    for old_id, new_id in list(matches.items()):  # two old events never share one new event
        if new_id in taken:
            del matches[old_id]
        taken.add(new_id)
    return matches


def _carried_corrections(before: Event, audited_fields: set[str]) -> dict[str, Any]:
    """The analysts' values of the fields they corrected, to apply to the new extraction; a
    note is carried only when an analyst wrote it (a generated one is rewritten)."""
    changes = {
        field: field_value(before, field)
        for field in audited_fields
        if field in EDITABLE_FIELDS and field != "notes"
    }
    if "notes" in audited_fields and before.notes != note_for(before):
        changes["notes"] = before.notes
    return changes


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _copy_row(row: RowT, *, leave_out: str | None = None) -> RowT:
    """A new, unsaved row with the same column values (but `leave_out`, a generated key)."""
    columns = inspect(type(row)).column_attrs
    return type(row)(**{c.key: getattr(row, c.key) for c in columns if c.key != leave_out})
