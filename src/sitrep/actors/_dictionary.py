"""The actor dictionary: the YAML files of `data/`, read once and checked.

Everything an analyst may want to change (names, aliases, inter codes, nationality
adjectives, military nouns, sub-group links) lives in those files; this module only gives
them types and refuses malformed ones with a `LexiconError` naming the file.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from sitrep.errors import LexiconError
from sitrep.models import Actor

#: The actor files, in the order their entries win ties between shared aliases.
ACTOR_FILES = ("syria.yaml", "iraq.yaml", "international.yaml")

#: Generic actor kinds of the stage contract.
GENERIC_KINDS = ("civilians", "unidentified armed group", "protesters", "rioters")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NamePeriod(_Strict):
    """ACLED's name of state forces for one government period ("Military Forces of Iraq
    (2018-2020)"), from the day that period began."""

    since: date
    name: str


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
    #: The name by period, oldest first; `name` is one of them, the one for undated events.
    periods: tuple[NamePeriod, ...] = ()

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
        if self.name is not None:
            return self.name
        if country in self.names:
            return self.names[country]
        return next(iter(self.names.values()))

    def is_active_in(self, country: str | None) -> bool:
        return country is not None and country in self.active_in

    def actor(self, country: str | None, associated: tuple[str, ...] = ()) -> Actor:
        """The ACLED actor for an event in `country` (state forces abroad are inter 8)."""
        abroad = self.state and country is not None and country != self.country
        # An actor named after the event's country (Islamic State (Iraq)) belongs to it.
        home = country if country in self.names else self.country
        return Actor(
            name=self.name_in(country),
            inter=8 if abroad else self.inter,
            country=home,
            associated=list(associated),
        )


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


class Lexicon(_Strict):
    default_country: str | None
    military_nouns: tuple[str, ...]
    military_modifiers: tuple[str, ...]
    police_nouns: tuple[str, ...]
    subgroups: SubgroupLexicon
    place_descriptions: PlaceDescriptions = PlaceDescriptions()
    #: "pro-opposition", "anti-regime": the actor's supporters or opponents, not the actor.
    stance_prefixes: tuple[str, ...] = ()
    not_actors: tuple[str, ...] = ()
    government_verbs: tuple[str, ...] = ()

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
    countries: tuple[CountryEntry, ...]
    peoples: Peoples
    lexicon: Lexicon
    _index: dict[str, ActorEntry] = PrivateAttr(default_factory=dict)
    _by_period_name: dict[str, ActorEntry] = PrivateAttr(default_factory=dict)

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
        return self

    def model_post_init(self, context: Any, /) -> None:
        self._index = {entry.id: entry for entry in self.actors}
        self._by_period_name = {
            period.name: entry for entry in self.actors for period in entry.periods
        }

    def by_id(self, actor_id: str) -> ActorEntry:
        return self._index[actor_id]

    def with_period(self, period_name: str) -> ActorEntry | None:
        """The actor one of whose period names this is."""
        return self._by_period_name.get(period_name)

    def generic_actor(self, kind: str, country: str | None) -> Actor:
        """The generic ACLED actor of `kind` in `country` ("Civilians (Syria)")."""
        if kind not in self.generic:
            raise LexiconError(
                f"unknown generic actor kind {kind!r}; use one of: {', '.join(sorted(self.generic))}"
            )
        return self.generic[kind].actor(country)

    def named_for_date(self, actor: Actor, day: date | None) -> Actor:
        """The actor under the name ACLED gives it on `day`: state forces are named by
        government period ("Military Forces of Iraq (2018-2020)" for a 2019 event). An
        undated event, or an actor named the same in every period, keeps its name."""
        entry = self.with_period(actor.name) if day is not None else None
        name = entry.name_on(day) if entry is not None and day is not None else None
        return actor if name is None else actor.model_copy(update={"name": name})

    def state_forces(self, country: str, *, police: bool = False) -> ActorEntry | None:
        """The main military (or police) entry of a country's state forces."""
        forces = [e for e in self.actors if e.state and e.country == country]
        if police:
            policing = [e for e in forces if e.id.endswith("_police")]
            if policing:
                return policing[0]
        return forces[0] if forces else None


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
    raw = {
        "actors": actors,
        "generic": _read_yaml("generic.yaml").get("generic"),
        "countries": nationalities.get("countries"),
        "peoples": nationalities.get("peoples"),
        "lexicon": _read_yaml("lexicon.yaml"),
    }
    try:
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
