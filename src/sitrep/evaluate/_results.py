"""What an evaluation produces: metric values, and every miss with its evidence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field

from sitrep.evaluate._metrics import share
from sitrep.models import Event

GoldFormat = Literal["fakes", "acled"]


class Miss(BaseModel):
    """One field of one gold row that the pipeline got wrong."""

    row_id: str
    field: str
    gold: str
    predicted: str
    #: The report's words the pipeline based its value on ("" when it found nothing).
    evidence: str = ""


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


def tally(
    gold_format: GoldFormat, n: int, metric_names: Iterable[str], checks: Iterable[Check]
) -> EvaluationResult:
    """Metric values (share of rows right) and the misses, from per-row checks."""
    verdicts: dict[str, list[bool]] = {name: [] for name in metric_names}
    misses: list[Miss] = []
    for check in checks:
        verdicts[check.metric].append(check.ok)
        if not check.ok and check.field is not None:
            misses.append(
                Miss(
                    row_id=check.row_id,
                    field=check.field,
                    gold=str(check.gold),
                    predicted=str(check.predicted),
                    evidence=check.evidence,
                )
            )
    metrics = {name: share(values) for name, values in verdicts.items()}
    return EvaluationResult(format=gold_format, n=n, metrics=metrics, misses=misses)


def evidence_text(event: Event | None, *fields: str) -> str:
    """The quoted words behind the first of `fields` the event has evidence for."""
    if event is None:
        return ""
    for field in fields:
        evidence = event.evidence.get(field)
        if evidence and evidence.spans:
            return " … ".join(span.text for span in evidence.spans)
    return ""
