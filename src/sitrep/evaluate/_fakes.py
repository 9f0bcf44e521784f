"""Scoring against FA-KES: province, cause of death, perpetrator class and death toll."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from sitrep.errors import LexiconError
from sitrep.evaluate._gold import FakesGold
from sitrep.evaluate._metrics import actor_key, deaths_close
from sitrep.evaluate._results import Check, EvaluationResult, evidence_rule, evidence_text, tally
from sitrep.models import VIOLENT_EVENT_TYPES, Actor, Event

CLASSES_FILE = Path(__file__).with_name("fakes_classes.yaml")
FAKES_METRICS = ("location_acc", "cause_acc", "actor_acc", "deaths_exact", "deaths_close")
UNKNOWN = "unknown"
#: What a value maps to when the classes file does not list it: never equal to gold.
UNMAPPED = "(not a FA-KES class)"

SameAdmin1 = Callable[[str, str], bool]


class InterRule(BaseModel):
    inter: int
    country: str
    actor_class: str = Field(alias="class")


class FakesClasses(BaseModel):
    """The mapping of sitrep's values onto FA-KES classes (fakes_classes.yaml)."""

    location_covers: dict[str, list[str]]
    cause_of_death: dict[str, list[str]]
    actor: dict[str, list[str]]
    actor_by_inter: list[InterRule]

    @cached_property
    def _class_of_method(self) -> dict[str, str]:
        return {m.casefold(): cls for cls, methods in self.cause_of_death.items() for m in methods}

    @cached_property
    def _class_of_actor(self) -> dict[str, str]:
        return {actor_key(name): cls for cls, names in self.actor.items() for name in names}

    def cause_class(self, attack_method: str | None) -> str:
        if not attack_method:
            return UNKNOWN
        return self._class_of_method.get(attack_method.strip().casefold(), UNMAPPED)

    def actor_class(self, actor: Actor | None) -> str:
        if actor is None:
            return UNKNOWN
        by_name = self._class_of_actor.get(actor_key(actor.name))
        if by_name is not None:
            return by_name
        for rule in self.actor_by_inter:
            if rule.inter == actor.inter and rule.country in ("*", actor.country):
                return rule.actor_class
        return UNMAPPED

    def location_matches(self, gold: str, predicted: str, same_admin1: SameAdmin1) -> bool:
        names = self.location_covers.get(gold, [gold])
        return bool(predicted) and any(same_admin1(predicted, name) for name in names)


@lru_cache(maxsize=1)
def fakes_classes() -> FakesClasses:
    try:
        return FakesClasses.model_validate(yaml.safe_load(CLASSES_FILE.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as error:
        reason = " ".join(str(error).split())  # one line, whatever the parser wrote
        raise LexiconError(f"{CLASSES_FILE} is malformed ({reason}); fix or restore it") from error


def geo_same_admin1() -> SameAdmin1:
    """The gazetteer's admin1 comparison (imported when scoring, not with this module)."""
    from sitrep.geo import same_admin1

    return same_admin1


def violent_events(events: Sequence[Event]) -> list[Event]:
    return [event for event in events if event.event_type in VIOLENT_EVENT_TYPES]


def states_a_toll(event: Event) -> bool:
    """The event gives a death toll: a figure, or words for one (evidence of fatalities)."""
    evidence = event.evidence.get("fatalities")
    return event.fatalities > 0 or bool(evidence and evidence.spans)


def primary_event(events: Sequence[Event]) -> Event | None:
    """The incident FA-KES gold describes: the first violent event in text order that states
    a toll, else the first violent event (FA-KES codes one incident per article, the one it
    leads with; the deadliest event is often a recalled or neighbouring one)."""
    violent = violent_events(events)
    positions = sorted(
        (event.trigger.start if event.trigger else index, index)
        for index, event in enumerate(violent)
    )
    in_text_order = [violent[index] for _, index in positions]
    with_toll = (event for event in in_text_order if states_a_toll(event))
    return next(with_toll, in_text_order[0] if in_text_order else None)


def contradictory_repeats(golds: Sequence[FakesGold]) -> list[str]:
    """Articles the gold lists more than once with different labels, one line each.

    A repeated article is coded once, so at most one of its rows can be matched: the run's
    report names them instead of counting them silently."""
    by_article: dict[str, list[FakesGold]] = {}
    for gold in golds:
        by_article.setdefault(gold.row_id.split("#")[0], []).append(gold)
    lines = []
    for article, rows in by_article.items():
        labels = [(g.location, g.cause, g.actor, g.deaths) for g in rows]
        if len(set(labels)) > 1:
            told = "; ".join(
                f"{g.row_id}: {g.location}, {g.cause}, {g.actor}, {g.deaths} dead" for g in rows
            )
            lines.append(f"{article} is in the gold {len(rows)} times with other labels ({told})")
    return lines


def score_fakes(
    golds: Sequence[FakesGold],
    predictions: Mapping[str, Sequence[Event]],
    *,
    same_admin1: SameAdmin1 | None = None,
) -> EvaluationResult:
    """Score predicted events (keyed by gold row_id) against FA-KES gold."""
    classes = fakes_classes()
    compare = same_admin1 or geo_same_admin1()
    checks = (
        check
        for gold in golds
        for check in _article_checks(gold, predictions.get(gold.row_id, []), classes, compare)
    )
    result = tally("fakes", len(golds), FAKES_METRICS, checks)
    result.gold_contradictions = contradictory_repeats(golds)
    return result


def _article_checks(
    gold: FakesGold, events: Sequence[Event], classes: FakesClasses, same_admin1: SameAdmin1
) -> Iterator[Check]:
    row = gold.row_id
    primary = primary_event(events)

    admin1 = primary.place.admin1 if primary and primary.place and primary.place.admin1 else ""
    located = classes.location_matches(gold.location, admin1, same_admin1)
    where = evidence_text(primary, "admin1", "location")
    rule = evidence_rule(primary, "admin1")
    yield Check(row, "location_acc", located, gold.location, admin1, where, "location", rule)

    cause = classes.cause_class(primary.attack_method if primary else None)
    how = evidence_text(primary, "attack_method")
    rule = evidence_rule(primary, "attack_method")
    yield Check(
        row, "cause_acc", cause == gold.cause, gold.cause, cause, how, "cause_of_death", rule
    )

    actor = classes.actor_class(primary.actor1 if primary else None)
    shown = f"{actor} ({primary.actor1.name})" if primary and primary.actor1 else actor
    who = evidence_text(primary, "actor1")
    rule = evidence_rule(primary, "actor1")
    yield Check(row, "actor_acc", actor == gold.actor, gold.actor, shown, who, "actor", rule)

    # Deaths are the primary incident's own: the gold counts one incident, not the article.
    deaths = primary.fatalities if primary else 0
    toll = evidence_text(primary, "fatalities")
    rule = evidence_rule(primary, "fatalities")
    yield Check(
        row, "deaths_exact", deaths == gold.deaths, gold.deaths, deaths, toll, "deaths", rule
    )
    yield Check(row, "deaths_close", deaths_close(gold.deaths, deaths), gold.deaths, deaths)
