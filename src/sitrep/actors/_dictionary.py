"""The actor dictionary: the YAML files of `data/`, read once and checked.

Everything an analyst may want to change (names, aliases, inter codes, nationality
adjectives, military nouns, sub-group links, government periods) lives in those files;
this module only gives them types and refuses malformed ones with a `LexiconError` naming
the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from sitrep.errors import LexiconError
from sitrep.models import Actor, Place

#: The actor files, in the order their entries win ties between shared aliases.
ACTOR_FILES = (
    "syria.yaml",
    "iraq.yaml",
    "international.yaml",
    "middle_east.yaml",
    "africa.yaml",
    "asia.yaml",
    "europe.yaml",
    "americas.yaml",
    "historical.yaml",
)

#: Key of `names` giving the name in any country not listed ("Islamic State ({country})").
ANY_COUNTRY = "any"

#: ACLED's state-forces names: "Military Forces of Iraq (2014-2018) Peshmerga".
_STATE_NAME = re.compile(
    r"^(?P<kind>Military|Police) Forces of (?P<of>.+?) \((?P<years>\d{4}-(?:\d{4})?)\)(?P<unit>.*)$"
)

#: Generic actor kinds of the stage contract.
GENERIC_KINDS = ("civilians", "unidentified armed group", "protesters", "rioters")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NamePeriod(_Strict):
    """ACLED's name of state forces for one government period ("Military Forces of Iraq
    (2018-2020)"), from the day that period began."""

    since: date
    name: str


class Membership(_Strict):
    """From `since` (and, with `until`, before that day), ACLED codes the actor as a unit of
    another actor's forces: "Military Forces of Iraq (2018-2020) Popular Mobilization
    Forces" for the PMF from 2018. The actor's own name becomes the associated actor unless
    it is the unit itself."""

    since: date
    until: date | None = None
    actor: str
    unit: str

    def holds_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


class ActorEntry(_Strict):
    """One named actor of the dictionary."""

    id: str
    #: The ACLED name, or per-country names (`names`) when it depends on the event's country.
    name: str | None = None
    names: dict[str, str] = Field(default_factory=dict)
    inter: int = Field(ge=1, le=8)
    #: Home country; state forces acting elsewhere are external forces (inter 8).
    country: str | None = None
    state: bool = False
    #: Holds an area and acts as its authority (a de facto administration's forces).
    authority: bool = False
    active_in: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    anaphors: tuple[str, ...] = ()
    #: Unit name (the associated actor) -> the phrases that name it.
    units: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    #: Units ACLED appends to the force's own name ("Military Forces of Turkey (2016-)
    #: Gendarmerie") -> the phrases that name them.
    named_units: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    #: The name by period, oldest first; `name` is one of them, the one for undated events.
    periods: tuple[NamePeriod, ...] = ()
    #: Dated membership of another actor's forces (see `Membership`).
    part_of: tuple[Membership, ...] = ()
    #: An umbrella label of one war ("Opposition Rebels (Syria)"): outside its countries the
    #: words naming it name an unidentified armed group of the event's country.
    local_label: bool = False

    @model_validator(mode="after")
    def _one_naming(self) -> ActorEntry:
        if (self.name is None) == (not self.names):
            raise ValueError(f"actor {self.id!r} needs exactly one of `name` or `names`")
        if self.periods:
            starts = [p.since for p in self.periods]
            if starts != sorted(starts) or self.name not in {p.name for p in self.periods}:
                raise ValueError(
                    f"actor {self.id!r}: `periods` go oldest first and include its `name`"
                )
        return self

    def name_on(self, day: date) -> str | None:
        """The name of the period `day` falls in (the oldest period's before it began)."""
        if not self.periods:
            return None
        current = [p.name for p in self.periods if p.since <= day]
        return current[-1] if current else self.periods[0].name

    def name_in(self, country: str | None) -> str:
        """The name in `country`; `names["any"]` ("Islamic State ({country})") names it in a
        country not listed, never another country's name."""
        if self.name is not None:
            return self.name
        if country in self.names:
            return self.names[country]
        if country is not None and ANY_COUNTRY in self.names:
            return self.names[ANY_COUNTRY].format(country=country)
        return next(name for key, name in self.names.items() if key != ANY_COUNTRY)

    def is_active_in(self, country: str | None) -> bool:
        return country is not None and country in self.active_in

    def actor(
        self, country: str | None, associated: tuple[str, ...] = (), named_unit: str | None = None
    ) -> Actor:
        """The ACLED actor for an event in `country` (state forces abroad are inter 8)."""
        abroad = self.state and country is not None and country != self.country
        # An actor named after the event's country (Islamic State (Iraq)) belongs to it.
        home = country if country in self.names or ANY_COUNTRY in self.names else self.country
        name = self.name_in(country)
        return Actor(
            name=f"{name} {named_unit}" if named_unit else name,
            inter=8 if abroad else self.inter,
            country=home,
            associated=list(associated),
        )

    def all_names(self) -> set[str]:
        names = {n for k, n in self.names.items() if k != ANY_COUNTRY}
        return names | {p.name for p in self.periods} | ({self.name} if self.name else set())

    def names_pattern(self) -> re.Pattern[str] | None:
        """The names `names["any"]` gives, as a pattern ("Islamic State (Kenya)")."""
        template = self.names.get(ANY_COUNTRY)
        return _template_pattern(template) if template else None


class GenericEntry(_Strict):
    name: str
    inter: int = Field(ge=1, le=8)
    words: tuple[str, ...]

    def actor(self, country: str | None) -> Actor:
        if country is None:
            name = self.name.replace(" ({country})", "")
        else:
            name = self.name.format(country=country)
        return Actor(name=name, inter=self.inter, country=country)

    @property
    def countryless(self) -> str:
        return self.name.replace(" ({country})", "")


class StateWords(_Strict):
    """Words naming the state forces of the event's country, whatever it is ("security
    forces", "the army", "police"): resolved to that country's forces, never a default."""

    military: tuple[str, ...]
    police: tuple[str, ...]
    adjectives: tuple[str, ...] = ()


class StatePeriod(_Strict):
    since: date
    years: str = Field(pattern=r"^\d{4}-(\d{4})?$")


class StateTable(_Strict):
    """One country's government periods (states.yaml)."""

    country: str
    #: How ACLED's name writes the country ("the Philippines"); the country by default.
    of: str | None = None
    periods: tuple[StatePeriod, ...]

    @model_validator(mode="after")
    def _ordered(self) -> StateTable:
        starts = [p.since for p in self.periods]
        if not starts or starts != sorted(starts):
            raise ValueError(f"state {self.country!r}: periods go oldest first, at least one")
        return self

    def names(self, kind: str, unit: str = "") -> tuple[NamePeriod, ...]:
        """ "Military Forces of X (years)[ unit]" for each period."""
        written = self.of or self.country
        return tuple(
            NamePeriod(since=p.since, name=f"{kind} Forces of {written} ({p.years}){unit}")
            for p in self.periods
        )


class CountryEntry(_Strict):
    country: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    #: A country whose war sitrep codes: its name in a report decides the report's country.
    theatre: bool = False


class Peoples(_Strict):
    foreign: tuple[str, ...]
    local: tuple[str, ...]


class SubgroupLexicon(_Strict):
    fighter_nouns: tuple[str, ...]
    grouping_nouns: tuple[str, ...]
    links: tuple[str, ...]


class PlaceDescriptions(_Strict):
    #: "rebel-held", "regime-controlled": words after an actor's words making them describe
    #: a place; `nouns` the same without a participle ("rebel territory").
    participles: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()


class InterRule(_Strict):
    inter: int = Field(ge=1, le=8)
    words: tuple[str, ...]


class UnlistedLexicon(_Strict):
    """Words deciding when a name the dictionary lacks is an armed party (lexicon.yaml)."""

    armed_words: tuple[str, ...]
    member_nouns: tuple[str, ...]
    claim_verbs: tuple[str, ...]
    kind_nouns: tuple[str, ...]
    state_words: tuple[str, ...]
    police_words: tuple[str, ...]
    institution_words: tuple[str, ...]
    inter_by_word: tuple[InterRule, ...]
    default_inter: int = Field(ge=1, le=8)

    def inter_of(self, words: list[str]) -> int:
        lowered = {w.lower() for w in words}
        return next(
            (r.inter for r in self.inter_by_word if lowered & set(r.words)), self.default_inter
        )


class Lexicon(_Strict):
    military_nouns: tuple[str, ...]
    military_modifiers: tuple[str, ...]
    police_nouns: tuple[str, ...]
    subgroups: SubgroupLexicon
    place_descriptions: PlaceDescriptions = PlaceDescriptions()
    #: "pro-opposition", "anti-regime": the actor's supporters or opponents, not the actor.
    stance_prefixes: tuple[str, ...] = ()
    not_actors: tuple[str, ...] = ()
    government_verbs: tuple[str, ...] = ()
    unlisted: UnlistedLexicon

    @model_validator(mode="after")
    def _single_words(self) -> Lexicon:
        places = self.place_descriptions
        for word in (
            *self.military_nouns,
            *self.military_modifiers,
            *self.police_nouns,
            *places.participles,
            *places.nouns,
        ):
            if " " in word.strip():
                raise ValueError(f"lexicon word lists hold single words, not {word!r}")
        return self


class ActorDictionary(_Strict):
    """The whole dictionary: named actors, generic actors, countries and word lists."""

    actors: tuple[ActorEntry, ...]
    generic: dict[str, GenericEntry]
    state_words: StateWords
    operations: tuple[Operation, ...] = ()
    countries: tuple[CountryEntry, ...]
    peoples: Peoples
    lexicon: Lexicon
    _index: dict[str, ActorEntry] = PrivateAttr(default_factory=dict)
    _by_name: dict[str, ActorEntry] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> ActorDictionary:
        seen: set[str] = set()
        for entry in self.actors:
            if entry.id in seen:
                raise ValueError(f"actor id {entry.id!r} is used twice")
            seen.add(entry.id)
        missing = set(GENERIC_KINDS) - set(self.generic)
        if missing:
            raise ValueError(f"generic actors missing: {', '.join(sorted(missing))}")
        for entry in self.actors:
            if any(member.actor not in seen for member in entry.part_of):
                raise ValueError(f"actor {entry.id!r} is `part_of` an actor id that is not listed")
        for operation in self.operations:
            if operation.rule not in OPERATION_RULES:
                raise ValueError(f"operation {operation.name!r}: rule {operation.rule!r} unknown")
            unknown = set(operation.actors) - seen
            if unknown:
                raise ValueError(f"operation {operation.name!r} names unknown actors {unknown}")
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._index = {entry.id: entry for entry in self.actors}
        self._by_name = {}
        for entry in reversed(self.actors):  # the first entry listed wins a shared name
            self._by_name.update(dict.fromkeys(entry.all_names(), entry))

    def by_id(self, actor_id: str) -> ActorEntry:
        return self._index[actor_id]

    def named(self, name: str) -> tuple[ActorEntry, str] | None:
        """The actor one of whose names this is, and the words appended to that name (a
        named unit: "Military Forces of Turkey (2016-) Gendarmerie" -> the Turkish
        military, " Gendarmerie")."""
        entry = self._by_name.get(name)
        if entry is not None:
            return entry, ""
        match = _STATE_NAME.match(name)
        if match is None or not match.group("unit"):
            return None
        base = name[: len(name) - len(match.group("unit"))]
        entry = self._by_name.get(base)
        return (entry, match.group("unit")) if entry is not None else None

    def knows(self, name: str) -> bool:
        """A name of the dictionary, of an operation or of a generic actor, in any country
        or none."""
        if self.named(name) is not None or name in {o.name for o in self.operations}:
            return True
        patterns = [_template_pattern(g.name) for g in self.generic.values()]
        patterns += [p for p in (e.names_pattern() for e in self.actors) if p is not None]
        countryless = {g.countryless for g in self.generic.values()}
        return name in countryless or any(p.fullmatch(name) for p in patterns)

    def generic_actor(self, kind: str, country: str | None) -> Actor:
        """The generic ACLED actor of `kind` in `country` ("Civilians (Syria)")."""
        if kind not in self.generic:
            raise LexiconError(
                f"unknown generic actor kind {kind!r}; use one of: {', '.join(sorted(self.generic))}"
            )
        return self.generic[kind].actor(country)

    def named_for_date(self, actor: Actor, day: date | None) -> Actor:
        """The actor under the name ACLED gives it on `day`: state forces are named by
        government period ("Military Forces of Iraq (2018-2020)" for a 2019 event), and an
        actor that was then a unit of another's forces is named as that unit ("Military
        Forces of Iraq (2018-2020) Popular Mobilization Forces", the Badr Organization
        associated). An undated event, or an actor named the same in every period, keeps its
        name."""
        found = self.named(actor.name) if day is not None else None
        if found is None or day is None:
            return actor
        entry, unit = found
        member = next((m for m in entry.part_of if m.holds_on(day)), None)
        if member is not None:
            parent = self.by_id(member.actor)
            own = entry.name_in(actor.country)
            # The PMF as a unit carries no associated actor; the Badr Organization does.
            associated = [*actor.associated, *([] if own.endswith(member.unit) else [own])]
            base = parent.name_on(day) or parent.name_in(actor.country)
            renamed = " ".join(part for part in (base, member.unit) if part)
            return actor.model_copy(
                update={"name": renamed, "inter": parent.inter, "associated": associated}
            )
        name = entry.name_on(day)
        return actor if name is None else actor.model_copy(update={"name": f"{name}{unit}"})

    def state_forces(self, country: str, *, police: bool = False) -> ActorEntry | None:
        """The main military (or police) entry of a country's state forces."""
        forces = [e for e in self.actors if e.state and e.country == country]
        policing = [e for e in forces if e.id.endswith("_police")]
        if police and policing:
            return policing[0]
        military = [e for e in forces if e not in policing]
        return military[0] if military else None


class Operation(_Strict):
    """A convention of conventions.yaml: the actors listed, in the area after `since`, are
    coded under the operation's name."""

    rule: str
    name: str
    since: date
    country: str
    places: tuple[str, ...]
    actors: tuple[str, ...]

    def covers(self, place: Place | None, day: date | None) -> bool:
        if place is None or day is None or day < self.since or place.country != self.country:
            return False
        area = {_place_key(p) for p in self.places}
        return any(_place_key(name) in area for name in (place.location, place.admin2) if name)


def _place_key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalpha())


def _template_pattern(template: str) -> re.Pattern[str]:
    """ "Civilians ({country})" -> a pattern matching the name in any country."""
    return re.compile(re.escape(template).replace(r"\{country\}", ".+"))


def _with_state_periods(actors: list[Any], states: list[Any]) -> list[Any]:
    """Actor entries completed from the government periods of states.yaml: state-forces
    names take their periods; a country of the table without forces gets them."""
    tables = {table.country: table for table in (StateTable.model_validate(s) for s in states)}
    kinds: set[tuple[str, str]] = set()
    completed = []
    for raw in actors:
        raw = dict(raw)
        match = _STATE_NAME.match(str(raw.get("name") or ""))
        table = tables.get(str(raw.get("country")))
        if match and table is not None and raw.get("state"):
            kinds.add((table.country, match.group("kind")))
            periods = table.names(match.group("kind"), match.group("unit"))
            if not raw.get("periods") and raw["name"] in {p.name for p in periods}:
                raw["periods"] = [p.model_dump() for p in periods]
        completed.append(raw)
    for table in tables.values():
        for kind, suffix in (("Military", "military"), ("Police", "police")):
            if (table.country, kind) in kinds:
                continue
            periods = table.names(kind)
            completed.append(
                {
                    "id": f"{table.country.lower().replace(' ', '_')}_{suffix}",
                    "name": periods[-1].name,
                    "periods": [p.model_dump() for p in periods],
                    "inter": 1,
                    "state": True,
                    "country": table.country,
                    "active_in": [table.country],
                }
            )
    return completed


def _read_yaml(name: str) -> dict[str, Any]:
    path = resources.files("sitrep.actors").joinpath("data", name)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(
            f"actor data file {name} cannot be read ({exc}); restore it from the repository"
        ) from exc
    if not isinstance(data, dict):
        raise LexiconError(f"actor data file {name} must hold a mapping at the top level")
    return data


@lru_cache(maxsize=1)
def load_dictionary() -> ActorDictionary:
    """The actor dictionary of the package's data files (read once, then cached)."""
    actors: list[Any] = []
    for name in ACTOR_FILES:
        actors.extend(_read_yaml(name).get("actors") or [])
    nationalities = _read_yaml("nationalities.yaml")
    generic = _read_yaml("generic.yaml")
    try:
        raw = {
            "actors": _with_state_periods(actors, _read_yaml("states.yaml").get("states") or []),
            "generic": generic.get("generic"),
            "state_words": generic.get("state_forces"),
            "operations": _read_yaml("conventions.yaml").get("operations") or [],
            "countries": nationalities.get("countries"),
            "peoples": nationalities.get("peoples"),
            "lexicon": _read_yaml("lexicon.yaml"),
        }
        return ActorDictionary.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise LexiconError(
            f"actor dictionary is malformed at {where}: {first['msg']}; "
            "fix the YAML file in sitrep/actors/data"
        ) from exc


def generic_actor(kind: str, country: str | None) -> Actor:
    """The generic ACLED actor of `kind` in `country` ("Civilians (Syria)")."""
    return load_dictionary().generic_actor(kind, country)


def named_for_date(actor: Actor, day: date | None) -> Actor:
    """The actor under the name ACLED gives it on `day` (see `ActorDictionary`)."""
    return load_dictionary().named_for_date(actor, day)


#: Rule id of the names by government period (rules.yaml).
PERIOD_RULE = "actor.state-forces-by-period"
#: Rule id of the dated membership convention (rules.yaml).
MEMBERSHIP_RULE = "actor.unit-of-state-forces-by-date"
#: The operation conventions of conventions.yaml, by rule id (rules.yaml declares them).
OPERATION_RULES = frozenset({"actor.operation-peace-spring"})


def named_for_event(
    actor: Actor,
    day: date | None,
    place: Place | None,
    enabled: Callable[[str], bool] = lambda rule: True,
    dictionary: ActorDictionary | None = None,
) -> tuple[Actor, list[str]]:
    """The actor under ACLED's name for the event's day and place, and the ids of the
    conventions that renamed it (none when none did), each applied only if `enabled`: an
    operation's name in its area and time (Operation Peace Spring), a unit of a state's
    forces (`part_of`), the name of the government period. `dictionary`: an engine's, by
    default the packaged one."""
    dictionary = dictionary or load_dictionary()
    found = dictionary.named(actor.name)
    entry = found[0] if found else None
    for operation in dictionary.operations:
        if (
            entry is not None
            and entry.id in operation.actors
            and operation.covers(place, day)
            and enabled(operation.rule)
        ):
            associated = [*actor.associated, entry.name_in(actor.country)]
            renamed = actor.model_copy(update={"name": operation.name, "associated": associated})
            return renamed, [operation.rule]
    member = entry is not None and day is not None and any(m.holds_on(day) for m in entry.part_of)
    if member and enabled(MEMBERSHIP_RULE):
        return dictionary.named_for_date(actor, day), [MEMBERSHIP_RULE]
    if member or not enabled(PERIOD_RULE):
        return actor, []
    renamed = dictionary.named_for_date(actor, day)
    return renamed, [PERIOD_RULE] if renamed.name != actor.name else []


UNLISTED_RULE = "actor.unlisted-named-group"
#: State forces named when no country is known: the name without it.
COUNTRYLESS_STATE_NAMES = ("Military Forces", "Police Forces")


def naming_flag(actor: Actor, dictionary: ActorDictionary | None = None) -> str | None:
    """What an analyst should check about an actor's name: `country_unknown` when a
    generic or state actor lacks its country (none was known), `actor_unlisted` when the
    name is not in the dictionary (a group found by its own name)."""
    dictionary = dictionary or load_dictionary()
    countryless = {g.countryless for g in dictionary.generic.values()}
    if actor.name in countryless or actor.name in COUNTRYLESS_STATE_NAMES:
        return "country_unknown"
    return None if dictionary.knows(actor.name) else "actor_unlisted"
