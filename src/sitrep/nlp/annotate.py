"""Annotation: one cached spaCy pipeline turns report text into a parsed `Doc`.

Every component of the model is kept (tagger, parser, lemmatizer, NER): the event stage
reads dependency arcs and lemmas, the date and number rules read entities, so the
throughput comparison with bare spaCy runs the very same pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from sitrep.errors import InputError
from sitrep.nlp.model import load_model

#: Documents per `nlp.pipe` batch: large enough to amortise, small enough for memory.
BATCH_SIZE = 32


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise InputError(
            f"report of {len(text):,} characters exceeds the annotation limit of {limit:,}; "
            "split it into smaller reports"
        )


def annotate(text: str) -> Doc:
    """Parse one report's text (tokens, lemmas, dependencies, entities)."""
    nlp = load_model()
    _check_length(text, nlp.max_length)
    return nlp(text)


def annotate_many(texts: Iterable[str]) -> Iterator[Doc]:
    """Parse many texts in batches (`nlp.pipe`), yielding one Doc per text, in order."""
    nlp = load_model()

    def checked() -> Iterator[str]:
        for text in texts:
            _check_length(text, nlp.max_length)
            yield text

    yield from nlp.pipe(checked(), batch_size=BATCH_SIZE)
