"""How the actors stage names actors (tests/actors/fixtures/naming_examples.yaml): every
example coded as it says by the whole pipeline; the conventions the engine records are
declared in the rule registry (src/sitrep/actors/rules.yaml, checked by tests/test_rules.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import sitrep
from sitrep.actors import UNLISTED_RULE, load_dictionary
from sitrep.actors._dictionary import MEMBERSHIP_RULE
from sitrep.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures"
_RULES = yaml.safe_load((FIXTURES / "naming_examples.yaml").read_text(encoding="utf-8"))["rules"]
_EXAMPLES = [
    pytest.param(rule["id"], example, id=f"{rule['id']}-{n}")
    for rule in _RULES
    for n, example in enumerate(rule["examples"])
]


def test_rules_are_well_formed_and_unique() -> None:
    ids = [rule["id"] for rule in _RULES]
    assert len(ids) == len(set(ids))
    for rule in _RULES:
        assert re.fullmatch(r"actor\.[a-z]+(-[a-z]+)*", rule["id"]), rule["id"]
        assert rule["field"] in {"actor1", "actor2", "event"}
        assert rule["statement"] and rule["reason"] and rule["examples"]


def test_every_convention_the_engine_records_is_a_declared_rule() -> None:
    declared = load_rules().ids
    recorded = {UNLISTED_RULE, MEMBERSHIP_RULE, *(o.rule for o in load_dictionary().operations)}
    assert recorded <= declared


@pytest.mark.parametrize(("rule_id", "example"), _EXAMPLES)
def test_rule_examples_are_coded_as_declared(rule_id: str, example: dict[str, Any]) -> None:
    events = sitrep.extract(example["text"], date=str(example["date"]))
    assert events, f"{rule_id}: no event coded"
    event = events[0]
    expect = example["expect"]
    got = {
        "actor1": event.actor1.name if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "inter1": event.actor1.inter if event.actor1 else None,
        "inter2": event.actor2.inter if event.actor2 else None,
    }
    for field, wanted in expect.items():
        if field == "flags":
            assert set(wanted) <= set(event.flags), f"{rule_id}: flags {event.flags}"
        else:
            assert got[field] == wanted, f"{rule_id}: {field} is {got[field]!r}"


def test_the_voa_gold_points_at_stories_of_the_shared_file(shared_data: Path) -> None:
    """The hand labels of bench/actors.py hold story ids only; each must exist."""
    gold = yaml.safe_load((FIXTURES / "voa_actors_gold.yaml").read_text(encoding="utf-8"))
    with (shared_data / "voa_stories.jsonl").open(encoding="utf-8") as handle:
        ids = {str(json.loads(line)["id"]) for line in handle}
    labels = gold["stories"]
    assert {str(label["id"]) for label in labels} <= ids
    assert all(label.get("no_event") or label.get("actor1") for label in labels)
