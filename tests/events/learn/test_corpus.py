from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import CorpusError
from sitrep.events.learn import (
    POOL_FILE,
    SentencePointer,
    SourceData,
    blind_voa_stories,
    read_jsonl,
)

from .conftest import pointer_to


def test_a_pointer_reads_back_its_sentence(fixture_data: SourceData) -> None:
    pointer = pointer_to(
        fixture_data, "fakes", "102", "article_content", "No group claimed the attack."
    )
    assert fixture_data.text(pointer) == "No group claimed the attack."


def test_a_repeated_document_id_resolves_to_its_first_row(fixture_data: SourceData) -> None:
    assert fixture_data.documents("fakes")["101"]["article_content"].startswith(
        "Government artillery"
    )


def test_a_missing_data_folder_is_one_clear_error(tmp_path: Path) -> None:
    pointer = SentencePointer(
        sid="voa-1-0", source="voa", doc_id="1", field="text", start=0, end=5, split="train"
    )
    with pytest.raises(CorpusError, match="SITREP_SHARED_DATA"):
        SourceData(tmp_path).text(pointer)


def test_offsets_past_the_field_say_the_data_changed(fixture_data: SourceData) -> None:
    pointer = SentencePointer(
        sid="seed-x",
        source="seed",
        doc_id="seed_report",
        field="text",
        start=0,
        end=10**6,
        split="train",
    )
    with pytest.raises(CorpusError, match="rebuild the pool"):
        fixture_data.text(pointer)


def test_a_bad_pool_line_is_named_by_number(tmp_path: Path) -> None:
    path = tmp_path / "pool.jsonl"
    path.write_text('{"sid": "a", "source": "nowhere"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"pool.jsonl:1: "):
        read_jsonl(path, SentencePointer)


def test_the_blind_stories_are_a_fifth_and_do_not_depend_on_order() -> None:
    ids = [str(n) for n in range(100)]
    blind = blind_voa_stories(ids)
    assert len(blind) == 20
    assert blind == blind_voa_stories(reversed(ids))


def test_the_committed_pool_resolves_against_the_shared_data(real_data: SourceData) -> None:
    pointers = read_jsonl(POOL_FILE, SentencePointer)
    assert len(pointers) >= 4000
    assert len({p.sid for p in pointers}) == len(pointers)
    by_source: dict[str, int] = {}
    for pointer in pointers:
        by_source[pointer.source] = by_source.get(pointer.source, 0) + 1
        text = real_data.text(pointer)
        assert text == text.strip() and len(text) >= 25
    assert set(by_source) == {"fakes", "voa", "ucdp", "maverick", "seed"}
    assert max(by_source.values()) <= len(pointers) / 2
    blind = blind_voa_stories(real_data.documents("voa"))
    assert {p.doc_id for p in pointers if p.split == "blind"} == blind
    assert all(p.source == "voa" for p in pointers if p.split == "blind")
