"""Annotation: one cached spaCy pipeline turns report text into a parsed `Doc`.

It is the English model of `load_model()` with every component kept (tagger, parser,
lemmatizer, NER: the event stage reads dependency arcs and lemmas, the date and number rules
read entities) plus two cheap components of our own: acronyms the model misreads get a
norm it reads right (name_norms.yaml: "IS" is not the verb "is"), and a line break starts a
sentence, so a headline or a dateline never runs into the first sentence of the body. It is
loaded apart from `load_model()`, which stays the bare model the throughput benchmark
compares against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.errors import LexiconError, ModelError
from sitrep.nlp.model import installed_model_package

#: Documents per `nlp.pipe` batch: large enough to amortise, small enough for memory.
BATCH_SIZE = 32
#: Longest text parsed with others in one `nlp.pipe` batch: a longer one is parsed alone,
#: within its report's time budget (a batch's parse cannot be interrupted per report).
PIPE_CHARS = 20_000
#: Longest text parsed in one piece: longer reports are parsed in pieces of this size.
CHUNK_CHARS = 100_000
PARAGRAPH_BREAKS = "sitrep_paragraph_breaks"
NAME_NORMS = "sitrep_name_norms"
NAME_NORMS_FILE = Path(__file__).with_name("name_norms.yaml")


@lru_cache(maxsize=1)
def name_norms() -> dict[str, str]:
    """Written form (case-sensitive) -> the norm the model is shown."""
    try:
        data = yaml.safe_load(NAME_NORMS_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{NAME_NORMS_FILE}: {str(exc).splitlines()[0]}; fix the file") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise LexiconError(f"{NAME_NORMS_FILE}: expected 'ACRONYM: norm' lines; fix the file")
    return {str(key): value for key, value in data.items()}


def fix_name_norms(doc: Doc) -> Doc:
    """Show the model a word it reads as a name for acronyms it misreads (set before tok2vec)."""
    norms = name_norms()
    for token in doc:
        norm = norms.get(token.text)
        if norm is not None:
            token.norm_ = norm
    return doc


def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (set before the parser, which respects it)."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc


def build_annotation_pipeline() -> Language:
    """A new English pipeline with paragraph-aware sentence starts (an engine holds one)."""
    # Registered here, not at import: importing sitrep touches no global registry.
    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=paragraph_breaks)
    if not Language.has_factory(NAME_NORMS):
        Language.component(NAME_NORMS, func=fix_name_norms)
    nlp = spacy.load(installed_model_package())
    nlp.add_pipe(NAME_NORMS, first=True)
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


def annotation_pipeline() -> Language:
    """The annotation pipeline of the default engine."""
    from sitrep.engine import default_engine  # the engine imports this module

    return default_engine().nlp


def chunks(text: str, size: int) -> list[str]:
    """`text` cut into pieces of at most `size` characters that join back into it, each cut
    after a line break where there is one (a line break starts a sentence anyway), else
    after a space, else anywhere."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n"), window.rfind(". "))
        if cut <= 0:
            cut = window.rfind(" ")
        end = start + (cut + 1 if cut > 0 else size)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def parse(nlp: Language, text: str) -> Doc:
    """`nlp(text)`; a text longer than CHUNK_CHARS is parsed in pieces joined into one Doc,
    so a report of any size the reader accepts is coded (spaCy's own limit is never
    reached) in memory that grows with the piece, not the report."""
    if len(text) <= CHUNK_CHARS:
        return nlp(text)
    doc = Doc.from_docs(list(nlp.pipe(chunks(text, CHUNK_CHARS))), ensure_whitespace=False)
    if doc.text != text:  # from_docs joins the pieces as they are: a change is a spaCy bug
        raise ModelError("spaCy changed the text while joining a long report's pieces")
    return doc


def annotate(text: str) -> Doc:
    """Parse one report's text (tokens, lemmas, dependencies, entities) with the default
    engine's pipeline."""
    return parse(annotation_pipeline(), text)


def annotate_many(texts: Iterable[str]) -> Iterator[Doc]:
    """Parse many texts in batches (`nlp.pipe`), yielding one Doc per text, in order."""
    nlp = annotation_pipeline()
    remaining = iter(texts)
    while batch := list(islice(remaining, BATCH_SIZE)):
        parsed = nlp.pipe([text for text in batch if len(text) <= CHUNK_CHARS])
        for text in batch:
            yield next(parsed) if len(text) <= CHUNK_CHARS else parse(nlp, text)
