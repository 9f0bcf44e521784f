"""Annotation: one cached pipeline, parsed docs, long texts parsed in pieces into one Doc."""

from __future__ import annotations

from importlib import import_module

import pytest

from sitrep.nlp import annotate, annotate_many, annotation_pipeline, load_model
from sitrep.nlp.annotate import chunks

# The module, not the function `sitrep.nlp.annotate` that shadows it on the package.
annotate_module = import_module("sitrep.nlp.annotate")

pytestmark = pytest.mark.slow


def test_annotate_parses_lemmas_dependencies_and_entities() -> None:
    doc = annotate("Government forces shelled the town of Douma on Tuesday.")
    shelled = doc[2]
    assert shelled.lemma_ == "shell" and shelled.dep_ == "ROOT"
    assert any(ent.label_ == "DATE" for ent in doc.ents)


def test_the_pipeline_is_loaded_once_and_the_bare_model_stays_bare() -> None:
    assert annotation_pipeline() is annotation_pipeline()
    assert annotation_pipeline().pipe_names == [
        "sitrep_name_norms",
        "tok2vec",
        "tagger",
        "sitrep_paragraph_breaks",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    assert not any(name.startswith("sitrep") for name in load_model().pipe_names)


def test_is_in_capitals_is_read_as_a_name_not_the_verb() -> None:
    doc = annotate("IS militants attacked the checkpoint. The town is quiet.")
    assert doc[0].text == "IS" and doc[0].pos_ == "PROPN" and doc[0].dep_ != "auxpass"
    assert doc[1].dep_ == "nsubj"
    assert [t.pos_ for t in doc if t.text == "is"] == ["AUX"]


def test_a_headline_never_runs_into_the_body() -> None:
    doc = annotate(
        "Eight civilians killed in Aleppo\n\nA Russian air strike hit the city on Saturday."
    )
    assert [sent.text.strip() for sent in doc.sents] == [
        "Eight civilians killed in Aleppo",
        "A Russian air strike hit the city on Saturday.",
    ]


def test_annotate_many_keeps_the_order() -> None:
    texts = ["Clashes erupted in Azaz.", "A bomb exploded in Raqqa.", "Protesters marched."]
    assert [doc.text for doc in annotate_many(texts)] == texts


def test_a_text_past_the_chunk_size_is_parsed_in_pieces_into_one_doc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # spaCy's own limit must never be what refuses a report: pieces stay under it.
    monkeypatch.setattr(annotation_pipeline(), "max_length", 120)
    monkeypatch.setattr(annotate_module, "CHUNK_CHARS", 100)
    text = "\n".join(
        f"Gunmen attacked checkpoint number {n} near Kirkuk on Monday." for n in range(8)
    )
    doc = annotate(text)
    assert doc.text == text
    assert [sent.text.strip() for sent in doc.sents] == text.split("\n")
    assert [ent.text for ent in doc.ents if ent.label_ == "GPE"] == ["Kirkuk"] * 8
    assert [d.text for d in annotate_many(["Short one.", text])][1] == text


def test_chunks_cut_after_line_breaks_and_join_back() -> None:
    text = "first line\nsecond line\n" + "word " * 30
    pieces = chunks(text, size=40)
    assert "".join(pieces) == text
    assert pieces[0] == "first line\nsecond line\n"
    assert all(len(piece) <= 40 for piece in pieces)
    assert chunks("x" * 95, size=40) == ["x" * 40, "x" * 40, "x" * 15]
