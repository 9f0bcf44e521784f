"""The rule registry: every rule id the code records is declared, every declared rule is
used, and every example runs through the real pipeline, once with all rules on (its
expectations hold) and once with its rule off (the output changes: the switch is real).
A linking example's reports are each coded by the pipeline, then linked with the shipped
scorer; its rule must be recorded (linking runs after extraction: the engine does not
switch it off, so there is no second run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep.engine import Engine
from sitrep.errors import ConfigError, LexiconError
from sitrep.link import Incident, IncidentIndex, LinkView, build_incident, link_order
from sitrep.models import Event, Extraction, Report
from sitrep.rules import LINK_STAGE, ExampleReport, Rule, RuleExample, RuleRegistry, load_rules

SOURCE = Path(__file__).resolve().parents[1] / "src" / "sitrep"
RULES = list(load_rules())
#: Examples that do not yet show their rule deciding (the output is the same with it off
#: and it leaves no record): each needs a sentence where the rule matters.
UNDEMONSTRATED = {
    "place.acronym-names-an-organisation#1": "no acronym in the example is a gazetteer place",
}
EXAMPLES = [
    pytest.param(
        rule,
        example,
        id=f"{rule.id}#{n}",
        marks=[pytest.mark.xfail(reason=UNDEMONSTRATED[f"{rule.id}#{n}"], strict=True)]
        if f"{rule.id}#{n}" in UNDEMONSTRATED
        else [],
    )
    for rule in RULES
    for n, example in enumerate(rule.examples, start=1)
]


def _ids_in_code() -> set[str]:
    areas = "|".join(sorted({rule.id.split(".")[0] for rule in RULES}))
    literal = re.compile(rf"""["']((?:{areas})\.[a-z0-9]+(?:-[a-z0-9]+)*)["']""")
    files = {"yaml", "html", "py", "css", "js", "json"}  # "context.yaml" is a file name
    return {
        found
        for path in SOURCE.rglob("*.py")
        for found in literal.findall(path.read_text(encoding="utf-8"))
        if found.rsplit(".", 1)[1] not in files
    }


def test_every_rule_the_code_records_is_declared() -> None:
    assert _ids_in_code() - load_rules().ids == set()


def test_every_declared_rule_is_used_by_the_code() -> None:
    assert load_rules().ids - _ids_in_code() == set()


def test_each_stage_declares_its_rules_next_to_its_code() -> None:
    stages = {rule.stage for rule in RULES}
    assert stages == {"events", "geo", "actors", "link"}
    for rule in RULES:
        assert (SOURCE / rule.stage / "rules.yaml").is_file()


def test_a_rule_without_examples_says_why() -> None:
    for rule in RULES:
        assert rule.examples or rule.no_example, rule.id
    with pytest.raises(ValueError, match="no_example"):
        Rule(id="a.b", field="event", statement="s", reason="r", examples=[])


def test_only_linking_examples_have_other_reports() -> None:
    linking = RuleExample(text="x", also=[ExampleReport(text="y")], expect={"same_incident": True})
    with pytest.raises(ValueError, match="only linking examples"):
        Rule(id="a.b", field="event", statement="s", reason="r", examples=[linking])
    rule = Rule(
        id="a.b", field="event", statement="s", reason="r", examples=[linking], stage="link"
    )
    assert [r.text for r in rule.examples[0].reports] == ["x", "y"]


def test_linking_rules_cannot_be_switched_off_in_extraction() -> None:
    with pytest.raises(ConfigError, match="applied by cross-report linking"):
        Engine().without("link.lowest-credible-toll")


def test_a_rule_id_declared_twice_is_refused() -> None:
    rule = RULES[0]
    with pytest.raises(LexiconError, match="declared twice"):
        RuleRegistry([rule, rule])


def test_an_unknown_rule_id_cannot_be_switched_off() -> None:
    with pytest.raises(ConfigError, match="no rule has the id 'toll.no-such-rule'"):
        Engine().without("toll.no-such-rule")


def test_an_example_must_expect_something_known() -> None:
    with pytest.raises(ValueError, match="expect names"):
        RuleExample(text="x", expect={"colour": "red"})
    with pytest.raises(ValueError, match="field"):
        Rule(
            id="a.b",
            field="mood",
            statement="s",
            reason="r",
            examples=[RuleExample(text="x", expect={"events": 1})],
        )


def _value(event: Event, name: str) -> object:
    if name in ("actor1", "actor2"):
        actor = getattr(event, name)
        return actor.name if actor else None
    if name in ("location", "admin1", "country", "geo_precision"):
        return getattr(event.place, name) if event.place else None
    if name == "event_date":
        return event.event_date.isoformat() if event.event_date else None
    return getattr(event, name)


def _meets(event: Event, expect: dict[str, object]) -> bool:
    for name, wanted in expect.items():
        if name in ("events", "no_event", "not_fired"):
            continue
        if name == "flag":
            if wanted not in event.flags:
                return False
        elif _value(event, name) != wanted:
            return False
    return True


def _outcome(coding: Extraction) -> list[tuple[object, ...]]:
    """What a reader of the output sees: ACLED's columns and sitrep's own."""
    return [
        (tuple(e.acled_row().items()), e.attack_method, e.attribution, tuple(e.flags))
        for e in coding.events
    ]


def _recorded(coding: Extraction) -> set[str]:
    """Every rule id in the report's decision records."""
    ids = {s.rule for s in coding.suppressions}
    for event in coding.events:
        for evidence in event.evidence.values():
            ids.update([evidence.rule or "", *evidence.amended_by])
    return ids


def _code(engine: Engine, example: RuleExample) -> Extraction:
    return engine.code(Report(text=example.text, published=example.date))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _linked(engine: Engine, example: RuleExample) -> tuple[list[list[Event]], IncidentIndex]:
    """Each report of the example coded on its own (its events), then all events linked."""
    coded = [
        engine.code(Report(text=r.text, published=r.date, source=r.source)).events
        for r in example.reports
    ]
    index = IncidentIndex()
    index.link_in_order(sorted((LinkView.of(e) for es in coded for e in es), key=link_order))
    return coded, index


def _record_of(events: list[Event], index: IncidentIndex, event: Event) -> Incident:
    incident_id = index.incident_of[event.event_id]
    members = [e for e in events if index.incident_of[e.event_id] == incident_id]
    return build_incident(incident_id, members)


def _check_link_example(engine: Engine, rule: Rule, example: RuleExample) -> None:
    coded, index = _linked(engine, example)
    events = [e for es in coded for e in es]
    assert all(coded), f"a report of the example yields no event: {[len(es) for es in coded]}"
    incidents = [{index.incident_of[e.event_id] for e in es} for es in coded]
    shown = {e.event_id: (e.acled_row(), index.incident_of[e.event_id]) for e in events}
    expect = dict(example.expect)
    if "same_incident" in expect:
        shared = set.intersection(*incidents) if expect["same_incident"] else set()
        apart = all(a.isdisjoint(b) for i, a in enumerate(incidents) for b in incidents[i + 1 :])
        assert bool(shared) if expect["same_incident"] else apart, shown
    if "incidents" in expect:
        assert len(set(index.incident_of.values())) == expect["incidents"], shown
    record = _record_of(events, index, coded[0][0])
    for name, wanted in expect.items():
        if name == "corroboration":
            assert record.corroboration == wanted, record.model_dump_json(indent=1)
        elif name == "flag":
            assert wanted in record.flags, record.model_dump_json(indent=1)
        elif name not in ("same_incident", "incidents", "not_fired"):
            assert _value(record.event, name) == wanted, record.model_dump_json(indent=1)
    records = [_record_of(events, index, e) for e in events]
    recorded = set(index.rule_of.values()) | {i for r in records for i in r.rules.values()}
    assert recorded <= load_rules().ids
    if expect.get("not_fired"):
        assert rule.id not in recorded
    else:
        assert rule.id in recorded, f"{rule.id} is not recorded: {sorted(recorded)}"


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_rule_example(engine: Engine, rule: Rule, example: RuleExample) -> None:
    if rule.stage == LINK_STAGE:
        _check_link_example(engine, rule, example)
        return
    coding = _code(engine, example)
    # every decision record names a declared rule (or none, for a rule switched off)
    assert _recorded(coding) - {""} <= load_rules().ids
    expect = dict(example.expect)
    shown = [e.acled_row() | {"flags": e.flags} for e in coding.events]
    if expect.get("no_event"):
        assert coding.events == [], shown
        assert coding.no_event_reason
    elif set(expect) - {"not_fired", "events"}:
        assert any(_meets(e, expect) for e in coding.events), shown
    if "events" in expect:
        assert len(coding.events) == expect["events"], shown
    without = _code(engine.without(rule.id), example)
    assert rule.id not in _recorded(without), f"{rule.id} is recorded though switched off"
    if expect.get("not_fired"):
        assert rule.id not in _recorded(coding)
    elif rule.id not in _recorded(coding):
        # A rule that leaves no record must at least change what comes out.
        assert _outcome(without) != _outcome(coding), f"{rule.id} neither recorded nor decisive"
