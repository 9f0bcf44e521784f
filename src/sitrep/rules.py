"""The rule registry: every extraction rule that decides, changes or suppresses an event or
a field, with a stable id, a statement, its reason and examples the project wrote.

Each stage declares its rules in a `rules.yaml` in its own folder (events/, geo/, actors/,
link/); `load_rules()` collects them all. The extraction stages record the deciding rule's
id in `Evidence.rule` of the field it decided, and in a `Suppression` for what it dropped;
`Engine.enabled(rule_id)` is asked where a rule fires, so `--without` switches it off.
Cross-report linking (link/) records its rule ids in the incident record (`Incident.rules`)
and in the linking index (`IncidentIndex.rule_of`); it runs after extraction, so its rules
are not switched by the engine. A linking example is several short reports, each coded on
its own, then linked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date as Date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sitrep.errors import ConfigError, LexiconError
from sitrep.models import CODED_FIELDS

HERE = Path(__file__).parent

#: The stage folders whose rules.yaml is read, in pipeline order.
RULE_STAGES = ("geo", "actors", "events", "link")
#: The stage that links events of several reports into incidents, after extraction.
LINK_STAGE = "link"

#: What only a linking example may expect: whether its reports tell one incident, how many
#: incidents its events make, and the incident's count of independent sources.
LINK_EXPECTABLE = frozenset({"same_incident", "incidents", "corroboration"})

#: What an example may expect: a field the event stage decides (actor names as strings), a
#: place field by its ACLED name, a flag, how many events, that the text yields no event,
#: or that the rule must not fire on it (`not_fired`: a case it is written to leave alone).
EXPECTABLE = frozenset(
    {*CODED_FIELDS, "location", "admin1", "country", "geo_precision"}
    | {"flag", "events", "no_event", "not_fired"}
    | LINK_EXPECTABLE
)

#: The fields a rule may decide: an event's fields, the place, `event` for detection and
#: suppression (and, in linking, whether events are one incident), or an incident's
#: `corroboration`.
DECIDABLE = frozenset({*CODED_FIELDS, "place", "geo_precision", "event", "corroboration"})

#: Whether a rule (by id) fires: `Engine.enabled`, handed to the stages.
RuleSwitch = Callable[[str], bool]


def every_rule_on(rule_id: str) -> bool:
    """The switch of an engine with no rule turned off."""
    return True


RULE_ID = r"^[a-z0-9]+\.[a-z0-9]+(-[a-z0-9]+)*$"


class ExampleReport(BaseModel):
    """One more report of a linking example: a sentence the project wrote."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    #: The report's date; the example's when not given.
    date: Date | None = None
    source: str | None = None


class RuleExample(BaseModel):
    """A sentence the project wrote, with what the pipeline must make of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    date: Date | None = None
    #: The outlet of the report (linking examples: who tells it).
    source: str | None = None
    #: Linking examples only: the other reports, each coded on its own, then linked.
    also: list[ExampleReport] = Field(default_factory=list)
    expect: dict[str, str | int | bool]

    @property
    def reports(self) -> list[ExampleReport]:
        """Every report of the example, the first one first."""
        first = ExampleReport(text=self.text, date=self.date, source=self.source)
        return [first, *(r.model_copy(update={"date": r.date or self.date}) for r in self.also)]

    @model_validator(mode="after")
    def _known_expectations(self) -> RuleExample:
        unknown = set(self.expect) - EXPECTABLE
        if unknown or not self.expect:
            raise ValueError(
                f"expect names {sorted(unknown) or 'nothing'}; use {sorted(EXPECTABLE)}"
            )
        return self


class Rule(BaseModel):
    """One extraction rule."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=RULE_ID)
    field: str
    statement: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    examples: list[RuleExample] = Field(default_factory=list)
    #: Why the rule has no example the test can run (an analyst's act needs a database);
    #: then where it is tested instead. A rule has examples or this, never neither.
    no_example: str | None = None
    #: The stage folder whose rules.yaml declares it (set by the loader).
    stage: str = ""

    @model_validator(mode="after")
    def _known_field(self) -> Rule:
        if self.field not in DECIDABLE:
            raise ValueError(f"field {self.field!r} is not one of {sorted(DECIDABLE)}")
        if not self.examples and not self.no_example:
            raise ValueError("a rule needs examples, or `no_example` saying why it has none")
        if self.stage != LINK_STAGE and any(
            example.also or set(example.expect) & LINK_EXPECTABLE for example in self.examples
        ):
            raise ValueError(
                f"only linking examples have other reports (`also`) or expect "
                f"{sorted(LINK_EXPECTABLE)}"
            )
        return self


class RuleRegistry:
    """Every declared rule by id, in declaration order."""

    def __init__(self, rules: list[Rule]) -> None:
        self._rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self._rules:
                raise LexiconError(
                    f"rule id {rule.id!r} is declared twice ({self._rules[rule.id].stage}, "
                    f"{rule.stage}); give one of them another id"
                )
            self._rules[rule.id] = rule

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._rules)

    def get(self, rule_id: str) -> Rule:
        rule = self._rules.get(rule_id)
        if rule is None:
            raise ConfigError(f"no rule has the id {rule_id!r}; `sitrep rules` lists them")
        return rule

    def check_ids(self, rule_ids: frozenset[str]) -> None:
        """Refuse ids nobody declared (a typo would otherwise switch nothing off), and
        linking's, which extraction does not apply."""
        unknown = sorted(rule_ids - self.ids)
        if unknown:
            raise ConfigError(
                f"no rule has the id {', '.join(map(repr, unknown))}; `sitrep rules` lists them"
            )
        linking = sorted(i for i in rule_ids if self._rules[i].stage == LINK_STAGE)
        if linking:
            raise ConfigError(
                f"{', '.join(map(repr, linking))} is applied by cross-report linking, not by "
                "extraction, so it cannot be switched off here; `sitrep evaluate --format "
                "maverick` measures linking"
            )


def _read_stage(stage: str) -> list[Rule]:
    path = HERE / stage / "rules.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: {str(exc).splitlines()[0]}; fix the file") from exc
    if not isinstance(data, list):
        raise LexiconError(f"{path}: expected a list of rules; fix the file")
    rules = []
    for number, entry in enumerate(data, start=1):
        try:
            rules.append(Rule.model_validate({**entry, "stage": stage}))
        except (ValidationError, TypeError) as exc:
            problem = " ".join(str(exc).split())[:300]
            raise LexiconError(f"{path}: rule {number}: {problem}; fix the file") from exc
    return rules


@cache
def load_rules() -> RuleRegistry:
    """Every stage's rules (a memo: the files ship with the code)."""
    return RuleRegistry([rule for stage in RULE_STAGES for rule in _read_stage(stage)])
