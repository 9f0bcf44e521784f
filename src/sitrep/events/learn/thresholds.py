"""Thresholds of the event classifier's two rules in the events stage, chosen out-of-fold.

`model.no-event` drops a lexicon trigger whose sentence the model gives a probability of
reporting an event below `event_probability`; `model.sub-type` lets the model's sub-event
type replace the rules' where its probability is at least `sub_type_probability`. Both are
chosen on the annotated corpus's out-of-fold predictions (document-grouped folds: no
sentence is scored by a model that saw its document), never on FA-KES or another test set,
over the corpus sentences in which the rules alone find an event (the only ones the two
rules act on), by the criteria written in the YAML file next to the events stage
(`model_gate.yaml`): `sitrep corpus thresholds --write` recomputes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sitrep.errors import ConfigError
from sitrep.events._model import MODEL_RULES
from sitrep.events.learn.classifier import NO_EVENT
from sitrep.events.learn.train import FOLDS, Example, OutOfFold, out_of_fold
from sitrep.models import Report

if TYPE_CHECKING:
    from sitrep.engine import Engine

GATE_FILE = Path(__file__).parents[1] / "model_gate.yaml"

#: Candidate thresholds, coarse on purpose: a finer grid would fit the corpus's noise.
EVENT_GRID = tuple(round(0.05 * n, 2) for n in range(1, 11))  # 0.05 .. 0.50
SUB_TYPE_GRID = tuple(round(0.05 * n, 2) for n in range(10, 20))  # 0.50 .. 0.95

_HEADER = """\
# The event classifier's rules in the events stage (src/sitrep/events/rules.yaml):
#   model.no-event  drops a lexicon trigger whose sentence has P(event) < event_probability
#   model.sub-type  takes the model's sub-event type (same event type only) when its
#                   probability is >= sub_type_probability
# Chosen by `sitrep corpus thresholds --write` on the annotated corpus, never on FA-KES or
# the notes fixtures: out-of-fold probabilities (document-grouped 5-fold cross-validation of
# the shipped feature set; synthetic sentences train, never score; the blind VOA stories
# take no part), over the corpus sentences in which the rules alone find an event (each
# sentence coded on its own), since those are the only ones the two rules act on:
#   event_probability: the highest candidate (0.05 .. 0.50) that drops at most
#     criteria.max_event_loss of those sentences that report an event. (The best gated
#     event F1 there, 0.35, dropped ACLED-style notes' events the corpus has few of: the
#     model's P(event) does not carry over to text unlike its sources, as the blind VOA
#     stories showed, so the gate is kept cautious. See docs/evaluation.md.)
#   sub_type_probability: the lowest candidate (0.50 .. 0.95) at which the model's sub-type,
#     on those sentences that are events and that it reads as an event that sure, is right
#     at least criteria.min_sub_type_precision of the time.
# `measured` records what the chosen values do there. Edit criteria, then rerun.
"""


class GateCriteria(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Largest share of the rule-found true event sentences the gate may drop.
    max_event_loss: float = Field(gt=0.0, lt=1.0)
    #: Smallest share of right sub-types among the model's sure readings.
    min_sub_type_precision: float = Field(gt=0.0, lt=1.0)


class GateMeasures(BaseModel):
    """Out-of-fold effect of the chosen thresholds on the corpus sentences where the rules
    alone find an event."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Evaluable corpus sentences, those that report an event, and those where the rules
    #: find one (of which `rule_found_events` report one).
    sentences: int
    event_sentences: int
    rule_found: int
    rule_found_events: int
    #: Shares of the rule-found true events and non-events the gate drops.
    events_dropped: float
    non_events_dropped: float
    #: Event F1 of the rules alone, and with the gate.
    rules_f1: float
    gated_f1: float
    #: Rule-found event sentences the model reads as an event with p >= the sub-type
    #: threshold, and the share of those whose sub-type it gets right.
    sure_sub_types: int
    sure_sub_type_precision: float


class ModelGate(BaseModel):
    """The thresholds of `model.no-event` and `model.sub-type`, with how they were chosen."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_probability: float = Field(gt=0.0, lt=1.0)
    sub_type_probability: float = Field(gt=0.0, le=1.0)
    criteria: GateCriteria
    measured: GateMeasures | None = None


def load_gate(path: Path = GATE_FILE) -> ModelGate:
    """The thresholds in force; ConfigError naming the file when it is missing or wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ModelGate.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise ConfigError(
            f"cannot read the model thresholds {path}: {error}; "
            "rebuild them with `sitrep corpus thresholds --write`"
        ) from error


def _f1(found: int, right: int, gold: int) -> float:
    return round(2 * right / (found + gold), 4) if found + gold else 0.0


def measure(
    predictions: OutOfFold,
    rule_found: Sequence[bool],
    event_threshold: float,
    sub_type_threshold: float,
) -> GateMeasures:
    """What the two thresholds do to out-of-fold predictions; `rule_found[i]` says whether
    the rules alone find an event in the i-th predicted sentence."""
    event_probability = predictions.event_probabilities()
    events = [gold != NO_EVENT for gold in predictions.gold]
    found = [i for i, hit in enumerate(rule_found) if hit]
    kept = [i for i in found if event_probability[i] >= event_threshold]
    found_events = sum(events[i] for i in found)
    kept_events = sum(events[i] for i in kept)
    found_non_events = len(found) - found_events
    labels = predictions.predicted()
    sure = [
        i
        for i in found
        if events[i]
        and labels[i] != NO_EVENT
        and max(predictions.probabilities[i]) >= sub_type_threshold
    ]
    right = sum(labels[i] == predictions.gold[i] for i in sure)
    return GateMeasures(
        sentences=len(events),
        event_sentences=sum(events),
        rule_found=len(found),
        rule_found_events=found_events,
        events_dropped=round(1 - kept_events / found_events, 4) if found_events else 0.0,
        non_events_dropped=round(1 - (len(kept) - kept_events) / found_non_events, 4)
        if found_non_events
        else 0.0,
        rules_f1=_f1(len(found), found_events, sum(events)),
        gated_f1=_f1(len(kept), kept_events, sum(events)),
        sure_sub_types=len(sure),
        sure_sub_type_precision=round(right / len(sure), 4) if sure else 0.0,
    )


def choose(predictions: OutOfFold, rule_found: Sequence[bool], criteria: GateCriteria) -> ModelGate:
    """The thresholds the criteria pick from the candidate grids (see the YAML's header)."""
    event_threshold = max(
        (
            t
            for t in EVENT_GRID
            if measure(predictions, rule_found, t, 1.0).events_dropped <= criteria.max_event_loss
        ),
        default=EVENT_GRID[0],
    )
    sub_type_threshold = min(
        (
            t
            for t in SUB_TYPE_GRID
            if measure(predictions, rule_found, event_threshold, t).sure_sub_type_precision
            >= criteria.min_sub_type_precision
        ),
        default=1.0,
    )
    return ModelGate(
        event_probability=event_threshold,
        sub_type_probability=sub_type_threshold,
        criteria=criteria,
        measured=measure(predictions, rule_found, event_threshold, sub_type_threshold),
    )


def rules_find_events(engine: Engine, texts: Sequence[str]) -> list[bool]:
    """Whether the engine (its model switched off) codes an event in each sentence alone."""
    return [bool(engine.code(Report(text=text)).events) for text in texts]


def recompute(
    examples: Sequence[Example],
    feature_set: str,
    criteria: GateCriteria,
    engine: Engine,
    folds: int = FOLDS,
) -> tuple[ModelGate, list[tuple[float, GateMeasures]]]:
    """Out-of-fold predictions of the corpus and the rules' reading of each sentence; the
    thresholds the criteria pick, and what each candidate event threshold would do."""
    predictions = out_of_fold(examples, feature_set, folds)
    text = {example.sid: example.text for example in examples}
    rules_only = engine.without(*MODEL_RULES)
    found = rules_find_events(rules_only, [text[sid] for sid in predictions.sids])
    gate = choose(predictions, found, criteria)
    candidates = [
        (t, measure(predictions, found, t, gate.sub_type_probability)) for t in EVENT_GRID
    ]
    return gate, candidates


def write_gate(gate: ModelGate, path: Path = GATE_FILE) -> None:
    body = yaml.safe_dump(gate.model_dump(), sort_keys=False, allow_unicode=True)
    path.write_text(_HEADER + body, encoding="utf-8")
