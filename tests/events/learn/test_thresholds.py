"""Choosing the classifier's thresholds out-of-fold: by the stated criteria, on the sentences
where the rules find an event, and read back from the YAML with a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.engine import Engine
from sitrep.errors import ConfigError
from sitrep.events.learn.classifier import NO_EVENT
from sitrep.events.learn.thresholds import (
    EVENT_GRID,
    GateCriteria,
    ModelGate,
    choose,
    load_gate,
    measure,
    recompute,
    write_gate,
)
from sitrep.events.learn.train import Example, OutOfFold

TRAINING_FIXTURE = Path(__file__).with_name("fixtures") / "training_examples.jsonl"

CLASSES = [NO_EVENT, "Air/drone strike", "Armed clash"]
CRITERIA = GateCriteria(max_event_loss=0.01, min_sub_type_precision=0.9)


def _predictions(rows: list[tuple[str, float, str, float]]) -> OutOfFold:
    """(gold, P(no event), the sub-type the rest goes to, ...) per sentence."""
    probabilities = []
    for _, no_event, sub_type, _ in rows:
        row = {NO_EVENT: no_event, "Air/drone strike": 0.0, "Armed clash": 0.0}
        row[sub_type] = 1.0 - no_event
        probabilities.append([row[name] for name in CLASSES])
    return OutOfFold(
        sids=[f"s{n}" for n in range(len(rows))],
        gold=[gold for gold, *_ in rows],
        classes=CLASSES,
        probabilities=probabilities,
    )


#: Nine sentences the rules read as events: five true (the model's P(event) 0.95, 0.9, 0.85,
#: 0.6, 0.42), four not (0.3, 0.3, 0.6, 0.6); two events the rules miss.
ROWS = [
    ("Armed clash", 0.58, "Armed clash", 1),
    ("Air/drone strike", 0.05, "Air/drone strike", 1),
    ("Air/drone strike", 0.1, "Air/drone strike", 1),
    ("Armed clash", 0.15, "Air/drone strike", 1),
    ("Armed clash", 0.4, "Armed clash", 1),
    (NO_EVENT, 0.7, "Armed clash", 1),
    (NO_EVENT, 0.7, "Armed clash", 1),
    (NO_EVENT, 0.4, "Armed clash", 1),
    (NO_EVENT, 0.4, "Armed clash", 1),
    ("Armed clash", 0.2, "Armed clash", 0),
    ("Armed clash", 0.2, "Armed clash", 0),
]


def test_the_event_threshold_is_the_highest_within_the_allowed_loss_of_events() -> None:
    predictions = _predictions(ROWS)
    found = [bool(row[3]) for row in ROWS]
    gate = choose(predictions, found, CRITERIA)
    # the event at P(event) 0.42 must stay: 0.40 is the highest candidate keeping it
    assert gate.event_probability == 0.4
    assert gate.measured is not None
    assert gate.measured.rule_found == 9
    assert gate.measured.events_dropped == 0.0
    assert gate.measured.non_events_dropped == 0.5
    assert gate.measured.gated_f1 > gate.measured.rules_f1
    # allowed to lose one event in five, the gate goes to the top of the grid
    looser = CRITERIA.model_copy(update={"max_event_loss": 0.25})
    assert choose(predictions, found, looser).event_probability == 0.5


def test_the_sub_type_threshold_is_the_lowest_meeting_the_precision() -> None:
    predictions = _predictions(ROWS)
    found = [bool(row[3]) for row in ROWS]
    # sure readings: 0.95 and 0.9 right, 0.85 wrong (an armed clash read as a strike)
    assert measure(predictions, found, 0.35, 0.85).sure_sub_type_precision == pytest.approx(
        2 / 3, abs=1e-3
    )
    assert measure(predictions, found, 0.35, 0.9).sure_sub_type_precision == 1.0
    gate = choose(predictions, found, CRITERIA)
    assert gate.sub_type_probability == 0.9


def test_thresholds_are_written_and_read_back(tmp_path: Path) -> None:
    gate = ModelGate(
        event_probability=0.2,
        sub_type_probability=0.85,
        criteria=CRITERIA,
    )
    path = tmp_path / "model_gate.yaml"
    write_gate(gate, path)
    assert path.read_text(encoding="utf-8").startswith("# The event classifier")
    assert load_gate(path) == gate


def test_a_broken_thresholds_file_says_how_to_rebuild_it(tmp_path: Path) -> None:
    path = tmp_path / "model_gate.yaml"
    path.write_text("event_probability: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="sitrep corpus thresholds --write"):
        load_gate(path)


def test_the_shipped_thresholds_load() -> None:
    gate = load_gate()
    assert 0 < gate.event_probability < gate.sub_type_probability
    assert gate.measured is not None


@pytest.mark.slow
def test_thresholds_are_recomputed_from_a_small_corpus_with_the_rules_reading() -> None:
    examples = [
        Example.model_validate(json.loads(line))
        for line in TRAINING_FIXTURE.read_text(encoding="utf-8").splitlines()
    ]
    gate, candidates = recompute(examples, "words", CRITERIA, Engine())
    assert [threshold for threshold, _ in candidates] == list(EVENT_GRID)
    assert gate.event_probability in EVENT_GRID
    assert gate.measured is not None
    # the fixture's 30 real training sentences are scored; the rules find events in some
    assert gate.measured.sentences == 30
    assert 0 < gate.measured.rule_found < 30
    assert gate.measured.events_dropped <= CRITERIA.max_event_loss
