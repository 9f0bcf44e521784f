"""The API's request and response bodies (the domain records themselves are sitrep.models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sitrep.errors import InputError
from sitrep.geo import GazetteerEntry, GeoNamesGeocoder, place_of_entry
from sitrep.ingest import detect_language
from sitrep.link import Incident
from sitrep.models import Event, Report
from sitrep.store import IngestChannel, ReportStatus, StoredReport
from sitrep.store.accounts import Role
from sitrep.store.review import AuditRecord, Review, ReviewStatus


class ReportIn(BaseModel):
    """A report to ingest, with its metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    #: Who gave the report. Encrypted at rest, shown to admins only; needs SITREP_SECRET_KEY.
    source_contact: str | None = Field(default=None, repr=False)

    def report(self) -> Report:
        return Report(
            text=self.text,
            title=self.title,
            source=self.source,
            url=self.url,
            published=self.published,
            language=self.language or detect_language(self.text),
            origin="api",
        )


class ReportSummary(BaseModel):
    """A report in a list: metadata and outcome, never its confidential fields."""

    report_id: str
    title: str | None
    source: str | None
    url: str | None
    published: date | None
    language: str | None
    status: ReportStatus
    error: str | None
    ingested_at: datetime
    #: Who first ingested it (a user, or "NAME (cli)") and how: cli, web or api.
    ingested_by: str | None = None
    ingested_via: IngestChannel | None = None

    @classmethod
    def of(cls, stored: StoredReport) -> ReportSummary:
        report = stored.report
        return cls(
            report_id=stored.report_id,
            title=report.title,
            source=report.source,
            url=report.url,
            published=report.published,
            language=report.language,
            status=stored.status,
            error=stored.error,
            ingested_at=stored.ingested_at,
            ingested_by=stored.ingested_by,
            ingested_via=stored.ingested_via,
        )


class ReportDetail(ReportSummary):
    text: str
    #: Whether a confidential source contact is on file (admins read it on its own endpoint).
    has_source_contact: bool
    events: list[Event]


class ReportPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ReportSummary]


class ReviewedEvent(BaseModel):
    event: Event
    review: Review
    #: Raised by each correction: send it back with a correction (EventPatch.version).
    version: int = 1


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ReviewedEvent]


class EventDetail(ReviewedEvent):
    #: The event as the machine extracted it, before any correction.
    original: Event
    report: ReportSummary
    report_text: str
    history: list[AuditRecord]


class EventPatch(BaseModel):
    """New values for some of an event's fields (named as in ACLED exports), and why.

    Send only the fields you changed, with the `version` of the event you changed them on:
    if someone saved a newer version since, the correction is refused (409) with what is
    stored now, never applied over their work."""

    model_config = ConfigDict(extra="forbid")

    #: The event's version the changes were made on (from GET /api/events/{id}).
    version: int = Field(ge=1)
    event_type: str | None = None
    sub_event_type: str | None = None
    event_date: date | None = None
    time_precision: int | None = Field(default=None, ge=1, le=3)
    fatalities: int | None = Field(default=None, ge=0)
    attack_method: str | None = None
    notes: str | None = None
    source: str | None = None
    #: Who asserts the event (the outlet, a named monitor or official, a party).
    attribution: str | None = None
    actor1: str | None = None
    #: Associated actors of actor1: a list, or names joined by ";" (as in ACLED exports).
    assoc_actor_1: list[str] | str | None = None
    inter1: int | None = Field(default=None, ge=1, le=8)
    actor2: str | None = None
    #: Associated actors of actor2: a list, or names joined by ";".
    assoc_actor_2: list[str] | str | None = None
    inter2: int | None = Field(default=None, ge=1, le=8)
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geo_precision: int | None = Field(default=None, ge=1, le=3)
    #: A place picked from the gazetteer (GET /api/places): sets location, country,
    #: admin1, admin2, latitude and longitude together, and geo_precision (1 for a town,
    #: 3 for a province, unless given).
    place_id: int | None = None
    #: Why the analyst changed it (kept in the audit record).
    note: str | None = None

    def changes(self, geocoder: GeoNamesGeocoder) -> dict[str, Any]:
        """The fields the client actually sent (an explicit null clears a field); a picked
        place becomes the place fields it sets."""
        given = self.model_fields_set - {"note", "version", "place_id"}
        changes = self.model_dump(mode="json", include=given)
        if self.place_id is not None:
            entry = geocoder.by_id(self.place_id)
            if entry is None:
                raise InputError(
                    f"place_id {self.place_id} is not in the gazetteer: pick one from "
                    "GET /api/places?q=..."
                )
            place = place_of_entry(entry, self.geo_precision or 1, geocoder)
            picked = place.model_dump(include=set(PICKED_PLACE_FIELDS))
            changes = {**picked, **changes, "geo_precision": place.geo_precision}
        return changes


#: The event fields a place picked from the gazetteer sets.
PICKED_PLACE_FIELDS = (
    "location",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "geo_precision",
)


class PlaceChoice(BaseModel):
    """A gazetteer place an analyst may pick, named as events name places."""

    place_id: int
    location: str
    kind: str  # GeoNames feature code: PPL a town, ADM1 a province, PCLI a country ...
    country: str | None
    admin1: str | None
    admin2: str | None
    latitude: float | None
    longitude: float | None
    population: int

    @classmethod
    def of(cls, entry: GazetteerEntry, geocoder: GeoNamesGeocoder) -> PlaceChoice:
        place = place_of_entry(entry, 1, geocoder)
        return cls(
            place_id=entry.geonameid,
            location=place.location,
            kind=entry.feature_code,
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            latitude=place.latitude,
            longitude=place.longitude,
            population=entry.population,
        )


class NewEventFields(EventPatch):
    """The fields of an event an analyst adds (event_type and sub_event_type at least) or
    of the second half of a split event; no version, since the event is new."""

    version: int = Field(default=1, ge=1, exclude=True)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: ReviewStatus
    note: str | None = None


class BulkReviewIn(ReviewIn):
    """One verdict and one note for several events (all or none are changed)."""

    event_ids: list[str] = Field(min_length=1, max_length=1000)


class BulkReviewOut(BaseModel):
    reviewed: int
    review: Review


class SourceContact(BaseModel):
    report_id: str
    #: None when the report has none, or when it cannot be read (`unavailable` says why).
    source_contact: str | None
    unavailable: str | None = None


class SourceContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_contact: str = Field(min_length=1, max_length=2000, repr=False)


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    role: Role
    #: Checked by the password policy (store.accounts.check_password), which says why.
    password: str = Field(repr=False)


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(repr=False)
    new_password: str = Field(repr=False)


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str
    #: What the token is for ("nightly import"), shown when tokens are listed.
    label: str | None = Field(default=None, max_length=100)


class TokenOut(BaseModel):
    user: str
    label: str | None = None
    #: Shown once: only its hash is stored.
    token: str


class IncidentPage(BaseModel):
    """A page of incidents; `total` counts incidents, not events."""

    total: int
    limit: int
    offset: int
    items: list[Incident]


class MergeIn(BaseModel):
    """Merge incident `other` into the incident of the path."""

    model_config = ConfigDict(extra="forbid")

    other: str = Field(min_length=1)
    note: str | None = None


class SplitIn(BaseModel):
    """Split event `event_id` out of the incident of the path."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1)
    note: str | None = None


class ConfirmIn(BaseModel):
    """Confirm that event `event_id` belongs in the incident of the path, with
    `other_event_id` (by default another of its events)."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1)
    other_event_id: str | None = None
    note: str | None = None
