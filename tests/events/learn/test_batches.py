from __future__ import annotations

import json
from pathlib import Path

from sitrep.events.learn import BatchPlan, SentencePointer, SourceData, export_batches

from .conftest import pointer_to


def _pointers(data: SourceData) -> list[SentencePointer]:
    pointers = []
    for story in data.documents("voa"):
        text = data.documents("voa")[story]["text"]
        first, second = text.split("\n\n")[:2]
        pointers.append(pointer_to(data, "voa", story, "text", first))
        pointers.append(pointer_to(data, "voa", story, "text", second))
    pointers.append(
        pointer_to(
            data, "ucdp", "3", "source_headline", "Air strikes target villages in southern Idlib"
        )
    )
    pointers.append(
        pointer_to(data, "fakes", "102", "article_content", "No group claimed the attack.")
    )
    return pointers


def _read(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batches_keep_documents_whole_and_d_files_repeat_their_group(
    tmp_path: Path, fixture_data: SourceData
) -> None:
    pointers = _pointers(fixture_data)
    written = export_batches(
        pointers, fixture_data, tmp_path, BatchPlan(batches=4, double_files=2, double_share=0.3)
    )
    batches = {name: _read(tmp_path / name) for name in written.counts}
    b_files = [name for name in batches if name.startswith("b")]
    assert sorted(b_files) == ["b01.jsonl", "b02.jsonl", "b03.jsonl", "b04.jsonl"]
    every = [line["sid"] for name in b_files for line in batches[name]]
    assert sorted(every) == sorted(p.sid for p in pointers)  # each sentence once
    documents = {p.sid: (p.source, p.doc_id) for p in pointers}
    for name in b_files:  # a document never spans two batches
        others = {
            documents[line["sid"]] for other in b_files if other != name for line in batches[other]
        }
        assert not {documents[line["sid"]] for line in batches[name]} & others
    assert written.overlaps == {
        "d01.jsonl": ["b01.jsonl", "b02.jsonl"],
        "d02.jsonl": ["b03.jsonl", "b04.jsonl"],
    }
    for d_file, members in written.overlaps.items():
        repeated = {line["sid"] for line in batches[d_file]}
        assert repeated and repeated <= {line["sid"] for name in members for line in batches[name]}
    # The second sentence of a story reads with the first as its context.
    story = next(
        line
        for name in b_files
        for line in batches[name]
        if line["text"].startswith("The governor")
    )
    assert story["context_before"].startswith("Drones struck") and story["source"] == "voa"
