"""Cut a report's text into pieces, each with the event fields whose evidence covers it."""

from __future__ import annotations

import itertools

from pydantic import BaseModel

from sitrep.models import Event


class Segment(BaseModel):
    text: str
    #: The fields whose evidence spans cover this piece (empty: plain text).
    fields: list[str]


def evidence_segments(text: str, event: Event) -> list[Segment]:
    """The whole text, in order, split wherever an evidence span starts or ends."""
    spans: list[tuple[int, int, str]] = [
        (span.start, span.end, field)
        for field, evidence in event.evidence.items()
        for span in evidence.spans
        if 0 <= span.start < span.end <= len(text)
    ]
    if event.trigger is not None and event.trigger.end <= len(text):
        spans.append((event.trigger.start, event.trigger.end, "trigger"))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        covering = sorted({field for s, e, field in spans if s <= start and end <= e})
        segments.append(Segment(text=text[start:end], fields=covering))
    return segments
