"""The parts of a report page that are not its story: the headline, keyword lists and
the furniture after the story."""

from __future__ import annotations

from spacy.tokens import Doc

from sitrep.events._lexicon import ContextLexicon

#: A first paragraph of at most this many words, not ending a sentence and followed by
#: more text, is a headline.
HEADLINE_MAX_TOKENS = 30


def find_headline_end(doc: Doc, text: str) -> int:
    """Token index where the headline ends (0 when the report has none)."""
    cut = text.find("\n\n")
    if cut <= 0 or not text[cut:].strip() or text[:cut].rstrip().endswith((".", "!", "?")):
        return 0  # no first paragraph, nothing after it, or it is a sentence of the body
    tokens = doc.char_span(0, cut, alignment_mode="contract")
    if tokens is None or len(tokens) > HEADLINE_MAX_TOKENS:
        return 0
    return tokens.end


def tag_list_chars(doc: Doc, lexicon: ContextLexicon) -> set[int]:
    """Where the page's keyword lists stand ("Tags Syria Aleppo Rebels Car Bomb At least
    ..."): the capitalised words after a tag marker name topics, not what happened.
    Returned as the start offsets of their tokens."""
    markers = lexicon.tag_list_markers
    starts: set[int] = set()
    for token in doc:
        if token.text not in markers:
            continue
        for word in doc[token.i + 1 :]:
            if not (word.is_title or word.is_upper or word.is_punct):
                break
            starts.add(word.idx)
    return starts


def find_story_end(text: str, doc: Doc, headline_end: int, lexicon: ContextLexicon) -> int:
    """Token index where the story ends: the first page-furniture marker after the
    headline ("Related News ...", or a bare "Related" list closing the page), else the end
    of the text."""
    body_start = doc[headline_end].idx if headline_end < len(doc) else len(text)
    found = [
        at
        for marker in lexicon.boilerplate_markers
        for at in [text.find(marker, body_start)]
        if at >= 0
    ]
    second_half = (body_start + len(text)) // 2
    found += [
        token.idx
        for token in doc[headline_end:]
        if token.text in lexicon.closing_list_markers and token.idx >= second_half
    ]
    if not found:
        return len(doc)
    token = doc.char_span(min(found), len(text), alignment_mode="expand")
    return token.start if token is not None else len(doc)
