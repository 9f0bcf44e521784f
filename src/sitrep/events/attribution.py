"""Who asserts an event: a named monitor, an official, an anonymous source, a party to the
conflict, or, when the report names no one, the outlet itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from sitrep.events._lexicon import ContextLexicon

SourceKind = Literal["party", "monitor", "named", "outlet"]


@dataclass(frozen=True)
class Attribution:
    text: str
    kind: SourceKind
    #: The words naming the source (None when it is the outlet by default).
    span: TokenSpan | None


def _phrase(token: Token) -> TokenSpan:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _kind(phrase: str, lexicon: ContextLexicon) -> SourceKind:
    padded = f" {phrase.lower()} "
    if any(f" {word} " in padded for word in lexicon.party_sources):
        return "party"
    if any(f" {word} " in padded for word in lexicon.monitor_sources):
        return "monitor"
    return "named"


def _source_phrases(
    sentence: TokenSpan, trigger: TokenSpan, lexicon: ContextLexicon
) -> list[TokenSpan]:
    phrases: list[TokenSpan] = []
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            to = token.doc[token.i + 1]
            phrases.extend(_phrase(obj) for obj in to.children if obj.dep_ == "pobj")
        elif token.lemma_.lower() in lexicon.reporting_verbs and token.pos_ == "VERB":
            governs_trigger = trigger.root.is_ancestor(token) is False and token.is_ancestor(
                trigger.root
            )
            if governs_trigger or token.dep_ == "ROOT":
                phrases.extend(_phrase(c) for c in token.children if c.dep_ == "nsubj")
    return [p for p in phrases if not (p.start <= trigger.start < p.end)]


def attribution_for(
    sentence: TokenSpan, trigger: TokenSpan, outlet: str | None, lexicon: ContextLexicon
) -> Attribution:
    """The source asserting the event anchored on `trigger` in `sentence`."""
    for phrase in _source_phrases(sentence, trigger, lexicon):
        pronoun = phrase.root.pos_ == "PRON" and phrase.root.lower_ != "we"
        nobody = any(t.dep_ in ("det", "neg") and t.lower_ in ("no", "none") for t in phrase)
        if pronoun or nobody or phrase.root.lower_ == "nobody":
            continue
        return Attribution(text=phrase.text, kind=_kind(phrase.text, lexicon), span=phrase)
    return Attribution(text=outlet or "the report", kind="outlet", span=None)
