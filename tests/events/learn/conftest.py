"""A tiny shared-data folder of our own sentences, and the real one when it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.events.learn import SentencePointer, SourceData

FIXTURE_DATA = Path(__file__).with_name("fixtures") / "shared"
REAL_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


@pytest.fixture
def fixture_data() -> SourceData:
    return SourceData(FIXTURE_DATA)


@pytest.fixture
def real_data() -> SourceData:
    if not (REAL_DATA / "voa_stories.jsonl").is_file():
        pytest.skip(f"shared dev data not found at {REAL_DATA}: the corpus points into it")
    return SourceData(REAL_DATA)


def pointer_to(
    data: SourceData, source: str, doc_id: str, field: str, words: str
) -> SentencePointer:
    """A train pointer to the first occurrence of `words` in a fixture field."""
    text = data.documents(source)[doc_id][field]
    start = text.index(words)
    return SentencePointer(
        sid=f"{source}-{doc_id}-{start}",
        source=source,  # type: ignore[arg-type]
        doc_id=doc_id,
        field=field,
        start=start,
        end=start + len(words),
        split="train",
    )
