"""The typed records that flow through the pipeline: a Report in, Events with Evidence out.

Every stage is a function over these models. An Event keeps ACLED's fields (flattened by
`Event.acled_row()` for export) and, for each field it decides, the words of the report
that support it (`Event.evidence[field]`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

#: ACLED time precision: 1 the exact day, 2 within a week, 3 within a month.
TimePrecision = Literal[1, 2, 3]
#: ACLED geo precision: 1 the named place, 2 near it / part of a region, 3 a whole region.
GeoPrecision = Literal[1, 2, 3]

#: The report languages the pipeline codes; other reports are stored and flagged.
SUPPORTED_LANGUAGES = frozenset({"en"})

#: The fields a Place fills, as `Event.acled_row()` names them (one evidence serves them all).
PLACE_FIELDS: tuple[str, ...] = (
    "location",
    "admin1",
    "admin2",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
)


#: The Event fields the event stage decides, each with its evidence (`Event.evidence`).
CODED_FIELDS: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "fatalities",
    "event_date",
    "time_precision",
    "attack_method",
    "attribution",
)


class Span(BaseModel):
    """A stretch of the report's text, by character offsets into `Report.text`."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start=start, end=end, text=text[start:end])


class Evidence(BaseModel):
    """Why a field has its value: the supporting span(s) and how sure the pipeline is."""

    spans: list[Span] = Field(default_factory=list)
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    #: The id of the rule that decided the field (`sitrep rules show ID` explains it).
    rule: str | None = None
    #: Ids of rules that changed the value after `rule` decided it, in order.
    amended_by: list[str] = Field(default_factory=list)


class Report(BaseModel):
    """One source document and its metadata."""

    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None
    #: Where the report came from on disk ("path/to/file.csv#row=12"), for error messages.
    origin: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def report_id(self) -> str:
        """Content hash: the same text is the same report, whatever file it came from."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


class Actor(BaseModel):
    """A normalised actor: ACLED canonical name, inter code and the words that named it."""

    name: str
    #: ACLED inter code: 1 state, 2 rebel, 3 political militia, 4 identity militia,
    #: 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
    inter: int = Field(ge=1, le=8)
    country: str | None = None
    #: Sub-groups or allies coded as ACLED's assoc_actor ("Chechen fighters").
    associated: list[str] = Field(default_factory=list)


class Place(BaseModel):
    """A geocoded place, as ACLED codes location and admin levels."""

    location: str
    country: str | None = None
    iso: int | None = None  # ISO 3166-1 numeric, as in ACLED exports
    iso2: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: GeoPrecision = 1
    geonameid: int | None = None
    #: The name as written in the report ("Tadmur" may be written "Palmyra").
    raw_name: str | None = None
    #: False when the name could not be found in the gazetteer: kept, flagged, not guessed.
    resolved: bool = True
    #: The named place is not in the gazetteer and the event is coded to the town, district
    #: or province the text places it by; `raw_name` keeps the unknown name.
    approximate: bool = False


class ActorMention(BaseModel):
    """Words of the report that name an actor, with the actor they normalise to."""

    span: Span
    actor: Actor
    #: True for generic actors (civilians, an unidentified armed group, protesters).
    generic: bool = False
    #: The actor acts as the authority of the area it holds: a non-state group that
    #: administers territory (ACLED codes its detentions as arrests, not abductions).
    authority: bool = False


class PlaceMention(BaseModel):
    """Words of the report that name a place, resolved in the context of the whole report.

    `place.geo_precision` already reflects the words around the name ("near", "countryside
    of", "province"); `context` keeps those words as evidence.
    """

    span: Span
    place: Place
    context: Span | None = None
    #: Named to say where another named place is ("Kafr Nabl (Maarat an Numan, Idleb)",
    #: "Kinda in Idleb"): the event is at that other place, not here.
    locates_another: bool = False


# Event taxonomy ---------------------------------------------------------------------------

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Armed clash",
    ),
    "Protests": (
        "Excessive force against protesters",
        "Protest with intervention",
        "Peaceful protest",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

VIOLENT_EVENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
)


#: Sub-event types ACLED files under both political violence and demonstrations: force
#: used on demonstrators, and violence by a mob.
POLITICAL_VIOLENCE_AND_DEMONSTRATIONS = frozenset(
    {"Excessive force against protesters", "Mob violence"}
)


def disorder_type_for(event_type: str, sub_event_type: str) -> str:
    """ACLED's disorder_type follows from the event and sub-event type."""
    if sub_event_type in POLITICAL_VIOLENCE_AND_DEMONSTRATIONS:
        return "Political violence; Demonstrations"
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


class Event(BaseModel):
    """One ACLED-style event: one actor pair, place and day, with evidence for its fields."""

    event_id: str = ""
    report_id: str = ""
    event_type: str
    sub_event_type: str
    event_date: date | None = None
    time_precision: TimePrecision | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    place: Place | None = None
    fatalities: int = Field(default=0, ge=0)
    attack_method: str | None = None
    source: str | None = None
    notes: str = ""
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    attribution: str | None = None
    #: field name (as in `acled_row()`) -> the words that support it.
    evidence: dict[str, Evidence] = Field(default_factory=dict)
    #: Problems an analyst should see: "undated", "place_unresolved", "claim_by_party", ...
    flags: list[str] = Field(default_factory=list)
    #: The trigger words the event was anchored on.
    trigger: Span | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def disorder_type(self) -> str:
        return disorder_type_for(self.event_type, self.sub_event_type)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def interaction(self) -> int | None:
        """ACLED interaction code: the two inter codes, smaller first (10 + n when alone)."""
        codes = sorted(a.inter for a in (self.actor1, self.actor2) if a is not None)
        if not codes:
            return None
        if len(codes) == 1:
            return codes[0] * 10
        return codes[0] * 10 + codes[1]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def civilian_targeting(self) -> str:
        targets_civilians = self.actor2 is not None and self.actor2.inter == 7
        if targets_civilians and self.event_type in VIOLENT_EVENT_TYPES:
            return "Civilian targeting"
        return ""

    def acled_row(self) -> dict[str, object]:
        """The event as a flat mapping with ACLED's field names (and sitrep's own after)."""
        place = self.place
        a1, a2 = self.actor1, self.actor2
        return {
            "event_id_cnty": self.event_id,
            "event_date": self.event_date.isoformat() if self.event_date else "",
            "year": self.event_date.year if self.event_date else "",
            "time_precision": self.time_precision or "",
            "disorder_type": self.disorder_type,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": a1.name if a1 else "",
            "assoc_actor_1": "; ".join(a1.associated) if a1 else "",
            "inter1": a1.inter if a1 else "",
            "actor2": a2.name if a2 else "",
            "assoc_actor_2": "; ".join(a2.associated) if a2 else "",
            "inter2": a2.inter if a2 else "",
            "interaction": self.interaction or "",
            "civilian_targeting": self.civilian_targeting,
            "iso": place.iso if place and place.iso is not None else "",
            "region": "",
            "country": place.country if place and place.country else "",
            "admin1": place.admin1 if place and place.admin1 else "",
            "admin2": place.admin2 if place and place.admin2 else "",
            "admin3": "",
            "location": place.location if place else "",
            "latitude": place.latitude if place and place.latitude is not None else "",
            "longitude": place.longitude if place and place.longitude is not None else "",
            "geo_precision": place.geo_precision if place else "",
            "source": self.source or "",
            "source_scale": "",
            "notes": self.notes,
            "fatalities": self.fatalities,
            "tags": "",
            "timestamp": "",
        }


class Suppression(BaseModel):
    """Something the pipeline found and dropped or set aside: a trigger told as a wish or a
    denial, a retelling merged into its incident, a recap, ... with the deciding rule."""

    model_config = ConfigDict(frozen=True)

    #: The id of the rule that suppressed it.
    rule: str
    #: The words it concerned (the trigger, the figure, the retelling's trigger).
    words: Span
    #: What the rule saw, in a few words ("negated by 'not'", "merged into event 1").
    detail: str = ""


class Extraction(BaseModel):
    """One report's coding: its events, and what was suppressed on the way."""

    report_id: str
    events: list[Event] = Field(default_factory=list)
    suppressions: list[Suppression] = Field(default_factory=list)
    #: Why no event came out when none did ("" when there are events).
    no_event_reason: str = ""
