"""The geo stage's rules.yaml: every rule id the code records is declared, and each
declared example, coded by the whole pipeline, gives the place it expects."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import sitrep
from sitrep.geo import _event

RULES_FILE = Path(sitrep.__file__).parent / "geo" / "rules.yaml"
RULES: list[dict[str, Any]] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
PLACE_FIELDS = {"location", "admin1", "admin2", "country", "geo_precision"}


def test_each_rule_is_declared_with_the_conventions_fields() -> None:
    ids = [rule["id"] for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"geo\.[a-z0-9]+(-[a-z0-9]+)*", rule["id"]), rule["id"]
        assert rule["field"] in {"place", "geo_precision"}
        assert rule["statement"].strip() and rule["reason"].strip()
        assert isinstance(rule["examples"], list)


#: The rule ids the code records in Evidence.rule.
RECORDED = {
    value
    for name, value in vars(_event).items()
    if name.isupper() and isinstance(value, str) and value.startswith("geo.")
}


def test_every_rule_id_the_code_records_is_declared() -> None:
    assert RECORDED
    assert RECORDED <= {rule["id"] for rule in RULES}


EXAMPLES = [
    pytest.param(rule["id"], example, id=f"{rule['id']}-{n}")
    for rule in RULES
    for n, example in enumerate(rule["examples"])
]


@pytest.mark.parametrize(("rule_id", "example"), EXAMPLES)
def test_each_example_codes_as_it_says(rule_id: str, example: dict[str, Any]) -> None:
    events = sitrep.extract(example["text"], date=example.get("date"))
    assert events, f"{rule_id}: no event in {example['text']!r}"
    place = events[0].place
    assert place is not None
    for field, expected in example["expect"].items():
        assert field in PLACE_FIELDS
        assert getattr(place, field) == expected, (field, place)
    if rule_id in RECORDED:  # the others choose a referent: the place shows them
        recorded = {events[0].evidence[f].rule for f in ("location", "geo_precision")}
        assert rule_id in recorded, (rule_id, recorded)
