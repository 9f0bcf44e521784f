"""Annotation: one cached spaCy pipeline turns report text into a parsed `Doc`.

It is the English model of `load_model()` with every component kept (tagger, parser,
lemmatizer, NER: the event stage reads dependency arcs and lemmas, the date and number rules
read entities) plus one cheap component of our own: a blank line ends a sentence, so a
headline or a dateline never runs into the first sentence of the body. It is loaded apart
from `load_model()`, which stays the bare model the throughput benchmark compares against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.errors import InputError
from sitrep.nlp.model import installed_model_package

#: Documents per `nlp.pipe` batch: large enough to amortise, small enough for memory.
BATCH_SIZE = 32
PARAGRAPH_BREAKS = "sitrep_paragraph_breaks"


def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (set before the parser, which respects it)."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def annotation_pipeline() -> Language:
    """The English model with paragraph-aware sentence starts (cached)."""
    # Registered here, not at import: importing sitrep touches no global registry.
    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    nlp = spacy.load(installed_model_package())
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise InputError(
            f"report of {len(text):,} characters exceeds the annotation limit of {limit:,}; "
            "split it into smaller reports"
        )


def annotate(text: str) -> Doc:
    """Parse one report's text (tokens, lemmas, dependencies, entities)."""
    nlp = annotation_pipeline()
    _check_length(text, nlp.max_length)
    return nlp(text)


def annotate_many(texts: Iterable[str]) -> Iterator[Doc]:
    """Parse many texts in batches (`nlp.pipe`), yielding one Doc per text, in order."""
    nlp = annotation_pipeline()

    def checked() -> Iterator[str]:
        for text in texts:
            _check_length(text, nlp.max_length)
            yield text

    yield from nlp.pipe(checked(), batch_size=BATCH_SIZE)
