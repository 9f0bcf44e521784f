"""What later stages read of a parsed Doc many times, computed once per Doc.

spaCy rebuilds `doc.text` on every access, `Span.ents` walks all the document's entities and
`.sent` walks to the sentence's edges on every call, so reading them per mention, trigger or
event makes a report's cost grow with the square of its length (or of a sentence's). These helpers keep the result in `doc.user_data` (the Doc's
own store, so nothing outlives the report).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token

_TEXT = "sitrep.index.text"
_LOWER_TEXT = "sitrep.index.lower_text"
_ENTITIES = "sitrep.index.entities"
_SENTENCES = "sitrep.index.sentences"
_CHILDREN = "sitrep.index.children"


def text_of(doc: Doc) -> str:
    """`doc.text`, built once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return str(text)


def lower_text_of(doc: Doc) -> str:
    """`doc.text.lower()`, built once."""
    lowered = doc.user_data.get(_LOWER_TEXT)
    if lowered is None:
        lowered = doc.user_data[_LOWER_TEXT] = text_of(doc).lower()
    return str(lowered)


def entities_in(span: Span) -> list[Span]:
    """The document's entities that lie wholly inside `span` (as `span.ents`), found by
    bisection instead of a walk over every entity of the document."""
    doc = span.doc
    index = doc.user_data.get(_ENTITIES)
    if index is None:
        entities = list(doc.ents)  # sorted by start, never overlapping
        index = doc.user_data[_ENTITIES] = ([e.start for e in entities], entities)
    starts, entities = index
    first, last = bisect_left(starts, span.start), bisect_right(starts, span.end)
    return [entity for entity in entities[first:last] if entity.end <= span.end]


def sentence_of(span: Span | Token) -> Span:
    """The sentence `span` (or token) starts in (as `.sent`), found by bisection instead of
    a walk to the sentence's edges."""
    doc = span.doc
    index = doc.user_data.get(_SENTENCES)
    if index is None:
        sentences = list(doc.sents)
        index = doc.user_data[_SENTENCES] = ([s.start for s in sentences], sentences)
    starts, sentences = index
    position = span.i if isinstance(span, Token) else span.start
    return sentences[bisect_right(starts, position) - 1]


def children_of(token: Token) -> list[Token]:
    """`list(token.children)`, from one pass over the document: spaCy walks every token
    between the token's left and right edges on each call, the whole sentence for its root."""
    doc = token.doc
    children = doc.user_data.get(_CHILDREN)
    if children is None:
        children = doc.user_data[_CHILDREN] = [[] for _ in range(len(doc))]
        for child in doc:
            if child.head.i != child.i:
                children[child.head.i].append(child)
    return list(children[token.i])
