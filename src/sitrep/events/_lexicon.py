"""The event stage's domain data, loaded once from the YAML files next to this module."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, Self, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from sitrep.errors import LexiconError
from sitrep.models import EVENT_TYPES, Actor

HERE = Path(__file__).parent

M = TypeVar("M", bound=BaseModel)

TriggerKind = Literal[
    "fixed", "attack", "bombing", "territory", "detention", "protest", "instrument", "handover"
]


class TriggerEntry(BaseModel):
    """One line of triggers.yaml: words and how they are coded."""

    event_type: str
    sub_event_type: str
    kind: TriggerKind = "fixed"
    attack_method: str | None = None
    family: str
    priority: int = Field(ge=0)
    terms: list[str]
    #: When given, a term counts only when what it acts on (its object, or the subject of
    #: its passive) is one of these words: "seized a weapons cache", not "seized the town".
    objects: frozenset[str] = frozenset()
    #: When given, the term says how an event of that family was carried out: in a
    #: sentence with such an event and no other word of its own family, it joins that
    #: event ("raided a house and detained six" is the arrest, not a fight).
    means_of: str | None = None

    @model_validator(mode="after")
    def _known_type(self) -> TriggerEntry:
        if self.sub_event_type not in EVENT_TYPES.get(self.event_type, ()):
            raise ValueError(f"unknown event type {self.event_type!r} / {self.sub_event_type!r}")
        return self


class InferredPerpetrator(BaseModel):
    """A weapon only one side fields in a country: who an unattributed attack is coded to."""

    attack_methods: list[str]
    country: str
    actor: Actor


#: A trigger term's first word -> (the term's words, its entry), longest first.
TermIndex = dict[str, list[tuple[tuple[str, ...], TriggerEntry]]]


class TriggerLexicon(BaseModel):
    triggers: list[TriggerEntry]
    acted_upon_verbs: frozenset[str]
    member_prepositions: frozenset[str]
    inferred_perpetrators: list[InferredPerpetrator] = Field(default_factory=list)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy whose word index and word set are built again from its own triggers
        (pydantic would copy the cached ones of the original)."""
        copy = super().model_copy(update=update, deep=deep)
        for derived in ("term_index", "event_words"):
            copy.__dict__.pop(derived, None)
        return copy

    @cached_property
    def term_index(self) -> TermIndex:
        """Terms keyed by their first word, longest first, for a single left-to-right pass."""
        index: TermIndex = defaultdict(list)
        for entry in self.triggers:
            for term in entry.terms:
                words = tuple(term.lower().replace("-", " - ").split())
                index[words[0]].append((words, entry))
        for candidates in index.values():
            # Longest first; of equal length, a term bound to its objects before a free one.
            candidates.sort(key=lambda item: (-len(item[0]), not item[1].objects))
        return dict(index)

    @cached_property
    def event_words(self) -> frozenset[str]:
        """Every word of every trigger term ("attack", "strike", "bombing", ...)."""
        return frozenset(w for e in self.triggers for t in e.terms for w in t.lower().split())

    def event_type_of(self, attack_method: str) -> str | None:
        """The event type a method's own trigger codes ("drone" -> Explosions/Remote
        violence, "execution" -> Violence against civilians)."""
        for entry in self.triggers:
            if entry.attack_method == attack_method:
                return entry.event_type
        return None


class ContextLexicon(BaseModel):
    irrealis: frozenset[str]
    negation: frozenset[str]
    background: list[str]
    recalled_before: list[str]
    new_incident_openers: tuple[str, ...]
    duration_nouns: frozenset[str]
    partitive_nouns: frozenset[str]
    same_day_anaphora: list[str]
    max_event_age_days: int = Field(gt=0)
    war_nouns: frozenset[str]
    descriptive_participles: frozenset[str]
    accusation_verbs: frozenset[str]
    mob_nouns: frozenset[str]
    civilian_nouns: frozenset[str]
    combatant_nouns: frozenset[str]
    former_words: frozenset[str]
    protest_force_lethal: list[str]
    protest_cause_verbs: frozenset[str]
    protest_about_words: frozenset[str]
    protest_intervention: list[str]
    reporting_verbs: frozenset[str]
    according_to: list[str]
    party_sources: list[str]
    monitor_sources: list[str]
    light_verbs: frozenset[str]
    target_prepositions: frozenset[str]
    party_prepositions: frozenset[str]
    boilerplate_markers: list[str]
    closing_list_markers: list[str]
    tag_list_markers: frozenset[str]
    blame_verbs: frozenset[str]
    responsibility_nouns: frozenset[str]
    perpetration_verbs: frozenset[str]
    responsibility_window: int = Field(ge=0)
    unidentified_words: frozenset[str]


class FatalityLexicon(BaseModel):
    death_lemmas: frozenset[str]
    intransitive_death_lemmas: frozenset[str]
    total_lemmas: frozenset[str]
    toll_pronouns: frozenset[str]
    figure_verbs: frozenset[str]
    in_total_words: frozenset[str]
    companion_words: frozenset[str]
    additional_words: frozenset[str]
    subset_markers: tuple[str, ...]
    subset_prepositions: frozenset[str]
    month_names: frozenset[str]
    not_death_lemmas: frozenset[str]
    age_adjectives: frozenset[str]
    person_pronouns: frozenset[str]
    wounded_lemmas: frozenset[str]
    vague_numbers: dict[str, int]
    max_incident_fatalities: int = Field(gt=0)
    restated_toll_min: int = Field(gt=0)
    estimate_margin: float = Field(ge=0, lt=1)
    period_units: frozenset[str]
    long_period_units: frozenset[str]
    period_markers: frozenset[str]


class DateLexicon(BaseModel):
    week_words: frozenset[str]
    day_words: frozenset[str]
    strip_prefixes: list[str]
    not_dates: frozenset[str]
    duration_units: frozenset[str]
    point_words: frozenset[str]
    same_day_words: list[str]
    earliest_year: int = Field(gt=0)
    latest_days_after_report: int = Field(ge=0)
    month_words: frozenset[str]
    furniture_words: frozenset[str]
    month_first_sources: frozenset[str]
    month_first_domains: list[str]


class _WordLoader(yaml.SafeLoader):
    """YAML 1.1 reads the words "on", "no", "yes", "off" as booleans; in word lists they are
    words, so only true/false stay booleans."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|false|False)$"), list("tTfF")
)


def _load(name: str, model: type[M]) -> M:
    path = HERE / name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader)
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise LexiconError(f"{path}: {where}: {error['msg']}; fix the file") from exc
    except (OSError, yaml.YAMLError) as exc:
        problem = str(exc).splitlines()[0]
        raise LexiconError(f"{path}: {problem}; fix the file") from exc


@lru_cache(maxsize=1)
def trigger_lexicon() -> TriggerLexicon:
    return _load("triggers.yaml", TriggerLexicon)


@lru_cache(maxsize=1)
def context_lexicon() -> ContextLexicon:
    return _load("context.yaml", ContextLexicon)


@lru_cache(maxsize=1)
def fatality_lexicon() -> FatalityLexicon:
    return _load("fatalities.yaml", FatalityLexicon)


@lru_cache(maxsize=1)
def date_lexicon() -> DateLexicon:
    return _load("dates.yaml", DateLexicon)


class NotePhrases(BaseModel):
    phrases: dict[str, str]

    @model_validator(mode="after")
    def _covers_taxonomy(self) -> NotePhrases:
        missing = {s for subs in EVENT_TYPES.values() for s in subs} - set(self.phrases)
        if missing:
            raise ValueError(f"no note wording for {sorted(missing)}")
        return self


@lru_cache(maxsize=1)
def note_phrases() -> NotePhrases:
    path = HERE / "notes.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader)
        return NotePhrases(phrases=data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise LexiconError(f"{path}: {str(exc).splitlines()[0]}; fix the file") from exc


# eq=False: hashed by identity, so functions memoised on their arguments can take it.
@dataclass(frozen=True, eq=False)
class EventLexicons:
    """The event stage's domain data (the YAML files next to sitrep/events); an engine
    holds one, and the stage reads only the one it is given."""

    triggers: TriggerLexicon
    context: ContextLexicon
    fatalities: FatalityLexicon
    dates: DateLexicon
    notes: NotePhrases


@lru_cache(maxsize=1)
def default_lexicons() -> EventLexicons:
    """The packaged lexicons, for callers without an engine."""
    return EventLexicons(
        triggers=trigger_lexicon(),
        context=context_lexicon(),
        fatalities=fatality_lexicon(),
        dates=date_lexicon(),
        notes=note_phrases(),
    )
