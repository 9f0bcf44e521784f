"""Annotation batches: the pool cut into files for annotators, documents kept whole.

The b-files hold every pool sentence once. The d-files repeat about a tenth of them (whole
documents, every source, some blind) for a second, independent annotator: d-file k takes
its documents from three b-files only, so it must go to someone who labels none of those.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from sitrep.events.learn.corpus import SentencePointer, SourceData, write_jsonl

DocKey = tuple[str, str]


class BatchPlan(BaseModel):
    seed: int = 11
    batches: int = 12
    double_files: int = 4
    #: Share of each b-file group's sentences annotated twice.
    double_share: float = 0.095


class BatchFiles(BaseModel):
    """What was written: file name -> sentence count, and which b-files each d-file repeats."""

    counts: dict[str, int]
    overlaps: dict[str, list[str]]


def _documents(pointers: list[SentencePointer]) -> dict[DocKey, list[SentencePointer]]:
    documents: dict[DocKey, list[SentencePointer]] = defaultdict(list)
    for pointer in pointers:
        documents[(pointer.source, pointer.doc_id)].append(pointer)
    for sentences in documents.values():
        sentences.sort(key=lambda p: p.start)
    return dict(documents)


def assign_batches(
    documents: dict[DocKey, list[SentencePointer]], batches: int, rng: random.Random
) -> list[list[DocKey]]:
    """Whole documents into `batches` groups of near-equal size, sources mixed in each."""
    keys = sorted(documents)
    rng.shuffle(keys)
    # Largest first, each to the emptiest batch: sizes end within one article of each other.
    keys.sort(key=lambda k: len(documents[k]), reverse=True)
    groups: list[list[DocKey]] = [[] for _ in range(batches)]
    sizes = [0] * batches
    for key in keys:
        emptiest = sizes.index(min(sizes))
        groups[emptiest].append(key)
        sizes[emptiest] += len(documents[key])
    for group in groups:
        rng.shuffle(group)
    return groups


def choose_double(
    documents: dict[DocKey, list[SentencePointer]],
    candidates: list[DocKey],
    share: float,
    rng: random.Random,
) -> list[DocKey]:
    """Whole documents, about `share` of each source's sentences, at least one per source
    and one blind document when the candidates have any."""
    by_source: dict[str, list[DocKey]] = defaultdict(list)
    for key in sorted(candidates):
        by_source[key[0]].append(key)
    chosen: list[DocKey] = []
    for keys in by_source.values():
        rng.shuffle(keys)
        # Blind documents first, so the blind set has double labels too.
        keys.sort(key=lambda k: documents[k][0].split != "blind")
        target = math.ceil(share * sum(len(documents[k]) for k in keys))
        taken = 0
        for key in keys:
            size = len(documents[key])
            if taken and taken + size > target * 1.2:
                continue
            chosen.append(key)
            taken += size
            if taken >= target:
                break
    return chosen


def _lines(
    documents: dict[DocKey, list[SentencePointer]], keys: list[DocKey], data: SourceData
) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for key in keys:
        previous = ""
        for pointer in documents[key]:
            text = data.text(pointer)
            lines.append(
                {
                    "sid": pointer.sid,
                    "source": pointer.source,
                    "text": text,
                    "context_before": previous,
                }
            )
            previous = text
    return lines


def export_batches(
    pointers: list[SentencePointer], data: SourceData, out_dir: Path, plan: BatchPlan | None = None
) -> BatchFiles:
    """Write b01..bNN.jsonl and d01..dMM.jsonl to `out_dir` (outside the repository)."""
    plan = plan or BatchPlan()
    rng = random.Random(plan.seed)
    documents = _documents(pointers)
    groups = assign_batches(documents, plan.batches, rng)
    counts: dict[str, int] = {}
    for number, group in enumerate(groups, 1):
        name = f"b{number:02d}.jsonl"
        counts[name] = write_jsonl(out_dir / name, _lines(documents, group, data))
    overlaps: dict[str, list[str]] = {}
    per_file = math.ceil(plan.batches / plan.double_files)
    for number in range(plan.double_files):
        members = range(number * per_file, min((number + 1) * per_file, plan.batches))
        candidates = [key for index in members for key in groups[index]]
        chosen = choose_double(documents, candidates, plan.double_share, rng)
        name = f"d{number + 1:02d}.jsonl"
        counts[name] = write_jsonl(out_dir / name, _lines(documents, chosen, data))
        overlaps[name] = [f"b{index + 1:02d}.jsonl" for index in members]
    return BatchFiles(counts=counts, overlaps=overlaps)
