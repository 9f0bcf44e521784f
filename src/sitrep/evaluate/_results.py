"""What an evaluation produces: metric values, and every miss with its evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field

from sitrep.evaluate._metrics import share
from sitrep.models import Event

GoldFormat = Literal["fakes", "acled", "maverick", "ucdp"]


class Miss(BaseModel):
    """One field of one gold row that the pipeline got wrong."""

    row_id: str
    field: str
    gold: str
    predicted: str
    #: The report's words the pipeline based its value on ("" when it found nothing).
    evidence: str = ""
    #: The id of the rule that decided the predicted value ("" when none did).
    rule: str = ""


class RuleScore(BaseModel):
    """How one rule did on a gold set: how often it fired, and how often the field it
    decided matched gold where a metric checks that field."""

    rule: str
    #: Times it is recorded in the predicted events' evidence or the reports' suppressions.
    fired: int = 0
    #: Gold checks of a field it decided, and how many of them were right.
    scored: int = 0
    right: int = 0

    @property
    def misses(self) -> int:
        return self.scored - self.right


class EvaluationResult(BaseModel):
    format: GoldFormat
    n: int
    metrics: dict[str, float]
    misses: list[Miss] = Field(default_factory=list)
    #: Rows skipped for a bad gold value, or scored as finding nothing because extraction
    #: failed: each with its reason, so nothing drops out unseen.
    problems: list[str] = Field(default_factory=list)
    #: Gold rows that contradict each other (the same article labelled twice differently).
    gold_contradictions: list[str] = Field(default_factory=list)
    #: Per rule id (`sitrep evaluate --by-rule`), most fired first.
    by_rule: list[RuleScore] = Field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """The one JSON object `sitrep evaluate --json` prints."""
        return {"format": self.format, "n": self.n, "metrics": self.metrics}


class Check(NamedTuple):
    """One metric's verdict on one gold row."""

    row_id: str
    metric: str
    ok: bool
    gold: object
    predicted: object
    evidence: str = ""
    #: The field a miss is filed under; None when another check already files it.
    field: str | None = None
    #: The id of the rule that decided the predicted value.
    rule: str = ""


def tally(
    gold_format: GoldFormat, n: int, metric_names: Iterable[str], checks: Iterable[Check]
) -> EvaluationResult:
    """Metric values (share of rows right) and the misses, from per-row checks."""
    verdicts: dict[str, list[bool]] = {name: [] for name in metric_names}
    misses: list[Miss] = []
    scores: dict[str, RuleScore] = {}
    for check in checks:
        verdicts[check.metric].append(check.ok)
        if check.rule and check.field is not None:
            score = scores.setdefault(check.rule, RuleScore(rule=check.rule))
            score.scored += 1
            score.right += check.ok
        if not check.ok and check.field is not None:
            misses.append(
                Miss(
                    row_id=check.row_id,
                    field=check.field,
                    gold=str(check.gold),
                    predicted=str(check.predicted),
                    evidence=check.evidence,
                    rule=check.rule,
                )
            )
    metrics = {name: share(values) for name, values in verdicts.items()}
    return EvaluationResult(
        format=gold_format, n=n, metrics=metrics, misses=misses, by_rule=list(scores.values())
    )


def evidence_rule(event: Event | None, *fields: str) -> str:
    """The id of the rule behind the first of `fields` the event has evidence for."""
    if event is None:
        return ""
    for field in fields:
        evidence = event.evidence.get(field)
        if evidence is not None:
            return evidence.rule or ""
    return ""


def evidence_text(event: Event | None, *fields: str) -> str:
    """The quoted words behind the first of `fields` the event has evidence for."""
    if event is None:
        return ""
    for field in fields:
        evidence = event.evidence.get(field)
        if evidence and evidence.spans:
            return " … ".join(span.text for span in evidence.spans)
    return ""
