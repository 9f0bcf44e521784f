"""A draft event: the fields being coded, the words behind each, and what every draft
of one report is coded against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc
from spacy.tokens import Span as TokenSpan

from sitrep.events._lexicon import EventLexicons
from sitrep.events._triggers import Trigger
from sitrep.events.attribution import Attribution
from sitrep.events.dates import EventDate
from sitrep.events.fatalities import DeathCount
from sitrep.models import (
    Actor,
    ActorMention,
    Evidence,
    Place,
    PlaceMention,
    Report,
    Span,
    Suppression,
)
from sitrep.rules import RuleSwitch, every_rule_on

#: `place_for_event` of the geo stage: (mentions, the event's clause, the text) -> place.
Locator = Callable[[list[PlaceMention], Span, str], tuple[Place, Evidence] | None]


#: `generic_actor` of the actors stage: (kind, country) -> an ACLED generic actor.
GenericActors = Callable[[str, str | None], Actor]


#: Confidence of an argument read from the parse, from word order, or filled by convention.
PARSE_CONFIDENCE = 0.85


ORDER_CONFIDENCE = 0.55


CONVENTION_CONFIDENCE = 0.5


#: Below this, a place was not named in the event's own clause (geo's confidence scale).
OWN_CLAUSE_PLACE = 0.85


#: Triggers at or below this priority are plain words of violence ("killed", "attack").
GENERIC_PRIORITY = 2


UNNAMED_PERPETRATOR = "actor.unidentified-armed-group"


INFERRED_PERPETRATOR = "actor.inferred-perpetrator"


#: Roles filled by convention or inference, not named by the report.
CONVENTIONAL_RULES = (UNNAMED_PERPETRATOR, INFERRED_PERPETRATOR)


@dataclass
class Role:
    actor: Actor
    evidence: Evidence
    #: The actor administers the area it holds (`ActorMention.authority`).
    authority: bool = False


@dataclass
class Draft:
    """An event being coded: its fields and the words behind each."""

    event_type: str
    sub_event_type: str
    attack_method: str | None
    priority: int
    triggers: list[Trigger]
    sentences: list[TokenSpan]
    actor1: Role | None = None
    actor2: Role | None = None
    deaths: list[DeathCount] = field(default_factory=list)
    place: tuple[Place, Evidence] | None = None
    when: EventDate | None = None
    attribution: Attribution | None = None
    flags: list[str] = field(default_factory=list)
    #: The id of the rule that decided the event and sub-event type.
    type_rule: str = "type.trigger-lexicon"
    #: The sub-event type the event classifier gave it, and its probability (`model.sub-type`).
    model_sub_type: tuple[str, float] | None = None


@dataclass(frozen=True)
class CodingContext:
    """What every draft of one report is coded against."""

    doc: Doc
    #: `doc.text`, kept once (spaCy rebuilds it on every access).
    text: str
    report: Report
    mentions: list[tuple[ActorMention, TokenSpan]]
    places: list[PlaceMention]
    locate: Locator
    generic: GenericActors
    country: str | None
    #: The engine's lexicons: the stage reads no other.
    lexicons: EventLexicons
    #: Token index where the headline ends (0 without one).
    headline_end: int
    #: Starts of the place mentions in sentences told about another time ("last year").
    past_places: frozenset[int] = frozenset()
    enabled: RuleSwitch = every_rule_on
    #: What the rules dropped, appended to as they fire (the report's decision record).
    suppressions: list[Suppression] = field(default_factory=list)

    def suppress(self, rule: str, words: TokenSpan, detail: str = "") -> None:
        self.suppressions.append(
            Suppression(rule=rule, words=span_of(self.doc, words), detail=detail)
        )


def span_of(doc: Doc, tokens: TokenSpan) -> Span:
    # The span's own text, not `doc.text[...]`: spaCy rebuilds `doc.text` on every access.
    return Span(start=tokens.start_char, end=tokens.end_char, text=tokens.text)


def same_actor(a: Actor, b: Actor) -> bool:
    return a.name == b.name and a.associated == b.associated


def is_country_only(place: Place) -> bool:
    return place.admin1 is None
