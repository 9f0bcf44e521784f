"""Finding trigger words in a parsed report: longest lexicon match wins, no overlaps."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sitrep.events._lexicon import TriggerEntry, TriggerLexicon


@dataclass(frozen=True)
class Trigger:
    """A lexicon match: the words of the report and the entry they match."""

    span: Span
    entry: TriggerEntry

    @property
    def head(self) -> Token:
        return self.span.root


def _acts_on(span: Span, objects: frozenset[str]) -> bool:
    """The words a verb acts on: its objects (with their conjuncts) or its passive subject."""
    heads = [c for c in span.root.children if c.dep_ in ("dobj", "nsubjpass")]
    acted_on = heads + [c for h in heads for c in h.conjuncts]
    return any(t.lemma_.lower() in objects or t.lower_ in objects for t in acted_on)


def _token_matches(token: Token, word: str) -> bool:
    """A word matches its written form or its lemma; "=strikes" matches the written form
    only (the noun "strikes", not the verb "struck")."""
    if word.startswith("="):
        return token.lower_ == word[1:]
    return token.lower_ == word or token.lemma_.lower() == word


def _match_end(doc: Doc, start: int, words: tuple[str, ...]) -> int | None:
    """Where a term matched from `start` ends, or None: an adjective may stand inside it
    ("took full control", "opened heavy fire"), before the noun it describes."""
    at = start
    for k, word in enumerate(words):
        while (
            k > 0
            and at < len(doc)
            and not _token_matches(doc[at], word)
            and doc[at].pos_ == "ADJ"
            and doc[at].dep_ == "amod"
        ):
            at += 1
        if at >= len(doc) or not _token_matches(doc[at], word):
            return None
        at += 1
    return at


def find_triggers(doc: Doc, lexicon: TriggerLexicon) -> list[Trigger]:
    """Every trigger of the lexicon in the document, in text order, none overlapping."""
    index = lexicon.term_index
    found: list[Trigger] = []
    i = 0
    while i < len(doc):
        token = doc[i]
        candidates = (
            index.get(token.lower_, [])
            + index.get(token.lemma_.lower(), [])
            + index.get("=" + token.lower_, [])
        )
        best: tuple[int, TriggerEntry] | None = None
        for words, entry in candidates:
            end = _match_end(doc, i, words)
            if end is None or (best is not None and end <= best[0]):
                continue
            if not entry.objects or _acts_on(doc[i:end], entry.objects):
                best = (end, entry)
        if best is None:
            i += 1
            continue
        found.append(Trigger(span=doc[i : best[0]], entry=best[1]))
        i = best[0]
    return found
