"""Annotators' labels in, checked; agreement between two annotators of the same sentences.

Annotators write spans as text (docs/annotation.md); import finds each in the sentence and
stores offsets, so the corpus holds no third-party words. A line that cannot be taken is
rejected with its file, line number and reason; the other lines are kept.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sitrep.errors import CorpusError
from sitrep.events.learn.corpus import (
    SPAN_FIELDS,
    Offsets,
    SentenceLabel,
    SentencePointer,
    SourceData,
    sub_event_parent,
)
from sitrep.models import EVENT_TYPES

_OCCURRENCE = re.compile(r"^(?P<text>.*)@(?P<n>[1-9]\d*)$", re.DOTALL)
_SYNTHETIC_SID = re.compile(r"^syn-[A-Za-z0-9_.-]+-\d+$")
_KEYS = {"sid", "annotator", "event", "event_type", "sub_event_type", "note", "synthetic", "text"}


class ImportResult(BaseModel):
    labels: list[SentenceLabel]
    #: "file:line: reason" for each line not taken.
    rejects: list[str]


class Agreement(BaseModel):
    """Cohen's kappa over sentences two annotators labelled independently."""

    sentences: int
    event_kappa: float | None
    #: Over the sentences both called an event (the type question only arises there).
    sub_event_sentences: int
    sub_event_kappa: float | None
    #: sid -> (first annotator's reading, second's), for settling in the guidelines.
    disagreements: dict[str, tuple[str, str]]


def find_span(sentence: str, written: str) -> Offsets:
    """Offsets of an annotator's span text: first occurrence, or the n-th for "text@n"."""
    match = _OCCURRENCE.match(written)
    wanted, nth = (match["text"], int(match["n"])) if match else (written, 1)
    start = -1
    for _ in range(nth):
        start = sentence.find(wanted, start + 1)
        if start < 0:
            break
    if not wanted or start < 0:
        # A span ending in "@2" that is really text: accept it when found as written.
        if match and written in sentence:
            start = sentence.find(written)
            return Offsets(start=start, end=start + len(written))
        occurrence = f" (occurrence {nth})" if nth > 1 else ""
        raise CorpusError(f"span {written!r}{occurrence} is not in the sentence")
    return Offsets(start=start, end=start + len(wanted))


def _check_types(record: dict[str, Any]) -> None:
    event_type, sub_event_type = record.get("event_type"), record.get("sub_event_type")
    if not isinstance(record.get("event"), bool):
        raise CorpusError("'event' must be true or false")
    if not record["event"]:
        if event_type or sub_event_type:
            raise CorpusError("a no-event line has event_type and sub_event_type null")
        return
    if sub_event_parent(str(sub_event_type)) is None:
        raise CorpusError(
            f"sub_event_type {sub_event_type!r} is not one of ACLED's 25 (docs/annotation.md)"
        )
    if event_type not in EVENT_TYPES:
        raise CorpusError(f"event_type {event_type!r} is not one of ACLED's 6")
    if sub_event_parent(str(sub_event_type)) != event_type:
        raise CorpusError(
            f"{sub_event_type!r} is a sub-type of {sub_event_parent(str(sub_event_type))!r}, not {event_type!r}"
        )
    if not record.get("trigger"):
        raise CorpusError("an event needs its trigger span")


def parse_label(record: dict[str, Any], sentences: dict[str, str]) -> SentenceLabel:
    """One annotator line -> a label with offsets; CorpusError says what is wrong."""
    unknown = set(record) - _KEYS - set(SPAN_FIELDS)
    if unknown:
        raise CorpusError(f"unknown keys {sorted(unknown)}")
    for key in ("sid", "annotator", "event"):
        if key not in record:
            raise CorpusError(f"missing {key!r}")
    sid = str(record["sid"])
    if record.get("synthetic"):
        if not _SYNTHETIC_SID.match(sid) or not isinstance(record.get("text"), str):
            raise CorpusError("a synthetic line has sid 'syn-<annotator>-<n>' and its own 'text'")
        if record["event"] is not True:
            raise CorpusError("synthetic sentences are written for rare sub-types: event true")
        sentence = record["text"]
    elif sid in sentences:
        sentence = sentences[sid]
    else:
        raise CorpusError(f"sid {sid!r} is not in the pool (rebuilt pool? typo?)")
    _check_types(record)
    spans = {
        field: find_span(sentence, str(record[field])) for field in SPAN_FIELDS if record.get(field)
    }
    return SentenceLabel.model_validate(
        {
            **{k: record.get(k) for k in ("event_type", "sub_event_type")},
            "sid": sid,
            "annotator": str(record["annotator"]),
            "event": record["event"],
            "note": str(record.get("note") or ""),
            "synthetic": bool(record.get("synthetic")),
            "text": sentence if record.get("synthetic") else None,
            **spans,
        }
    )


def import_labels(
    files: list[Path], pointers: list[SentencePointer], data: SourceData
) -> ImportResult:
    """Every line of the annotators' files, checked against the pool's sentences."""
    sentences = {pointer.sid: data.text(pointer) for pointer in pointers}
    labels: list[SentenceLabel] = []
    rejects: list[str] = []
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            rejects.append(f"{path}: cannot read ({exc}); nothing taken from it")
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise CorpusError("a line is one JSON object")
                labels.append(parse_label(record, sentences))
            except (CorpusError, ValueError) as exc:  # ValueError: bad JSON, pydantic
                rejects.append(f"{path}:{number}: {str(exc).splitlines()[0]}")
    return ImportResult(labels=labels, rejects=rejects)


def merge_labels(existing: list[SentenceLabel], new: list[SentenceLabel]) -> list[SentenceLabel]:
    """The stored labels with the new ones; a re-imported (sid, annotator) replaces the old."""
    merged = {(label.sid, label.annotator): label for label in existing}
    merged.update({(label.sid, label.annotator): label for label in new})
    return sorted(merged.values(), key=lambda label: (label.sid, label.annotator))


def _reading(label: SentenceLabel) -> str:
    return str(label.sub_event_type) if label.event else "no event"


def agreement(labels: list[SentenceLabel]) -> Agreement:
    """Cohen's kappa (scikit-learn) on event/no event and on sub-event type.

    For each sentence labelled by two or more annotators, the first two by name are compared.
    """
    from sklearn.metrics import cohen_kappa_score

    by_sid: dict[str, list[SentenceLabel]] = defaultdict(list)
    for label in labels:
        if not label.synthetic:
            by_sid[label.sid].append(label)
    pairs = [
        tuple(sorted(found, key=lambda label: label.annotator)[:2])
        for found in by_sid.values()
        if len({label.annotator for label in found}) >= 2
    ]
    events_a = [a.event for a, _ in pairs]
    events_b = [b.event for _, b in pairs]
    both = [(a, b) for a, b in pairs if a.event and b.event]

    def kappa(first: list[Any], second: list[Any]) -> float | None:
        if not first or len(set(first) | set(second)) < 2:
            return None  # undefined: no sentences, or one class only
        return float(cohen_kappa_score(first, second))

    return Agreement(
        sentences=len(pairs),
        event_kappa=kappa(events_a, events_b),
        sub_event_sentences=len(both),
        sub_event_kappa=kappa(
            [a.sub_event_type for a, _ in both], [b.sub_event_type for _, b in both]
        ),
        disagreements={
            a.sid: (f"{a.annotator}: {_reading(a)}", f"{b.annotator}: {_reading(b)}")
            for a, b in pairs
            if _reading(a) != _reading(b)
        },
    )


class CorpusStats(BaseModel):
    """What the pool holds and how far labelling has come."""

    #: "source/split" -> sentences in the pool.
    pool: dict[str, int]
    labelled_sentences: int
    #: Sub-event type -> real sentences labelled with it (by any annotator), and synthetic.
    sub_event_real: dict[str, int]
    sub_event_synthetic: dict[str, int]
    no_event: int
    agreement: Agreement


def corpus_stats(pointers: list[SentencePointer], labels: list[SentenceLabel]) -> CorpusStats:
    pool: dict[str, int] = defaultdict(int)
    for pointer in pointers:
        pool[f"{pointer.source}/{pointer.split}"] += 1
    # One reading per sentence for the counts: the first annotator's by name.
    first: dict[str, SentenceLabel] = {}
    for label in sorted(labels, key=lambda label: label.annotator):
        first.setdefault(label.sid, label)
    real = {name: 0 for subs in EVENT_TYPES.values() for name in subs}
    synthetic = dict(real)
    for label in first.values():
        if label.event and label.sub_event_type:
            (synthetic if label.synthetic else real)[label.sub_event_type] += 1
    return CorpusStats(
        pool=dict(sorted(pool.items())),
        labelled_sentences=sum(not label.synthetic for label in first.values()),
        sub_event_real=real,
        sub_event_synthetic=synthetic,
        no_event=sum(not label.event for label in first.values()),
        agreement=agreement(labels),
    )
