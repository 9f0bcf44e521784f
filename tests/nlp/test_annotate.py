"""Annotation: one cached pipeline, parsed docs, a clear error past the length limit."""

from __future__ import annotations

import pytest

from sitrep.errors import InputError
from sitrep.nlp import annotate, annotate_many, load_model

pytestmark = pytest.mark.slow


def test_annotate_parses_lemmas_dependencies_and_entities() -> None:
    doc = annotate("Government forces shelled the town of Douma on Tuesday.")
    shelled = doc[2]
    assert shelled.lemma_ == "shell" and shelled.dep_ == "ROOT"
    assert any(ent.label_ == "DATE" for ent in doc.ents)


def test_the_model_is_loaded_once() -> None:
    assert load_model() is load_model()


def test_annotate_many_keeps_the_order() -> None:
    texts = ["Clashes erupted in Azaz.", "A bomb exploded in Raqqa.", "Protesters marched."]
    assert [doc.text for doc in annotate_many(texts)] == texts


def test_a_text_past_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_model(), "max_length", 10)
    with pytest.raises(InputError, match="exceeds the annotation limit of 10"):
        annotate("A report far longer than ten characters.")
