"""Is a trigger reporting an incident? Negation, modality, intention, denial and background
(history, habit) all say no. Decided on the dependency path from the trigger to its root."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from spacy.tokens import Doc, Token
from spacy.tokens import Span as TokenSpan

from sitrep.events._lexicon import ContextLexicon
from sitrep.nlp.index import children_of, sentence_of
from sitrep.rules import RuleSwitch, every_rule_on

#: Heads followed up from a trigger. Clauses of real sentences nest a dozen levels at most;
#: a parse that chains thousands of tokens (a word repeated, a list without punctuation)
#: would otherwise cost the length of the sentence per trigger.
_MAX_PATH = 40
_MARKERS = "sitrep.events.clause_markers"
_BACKGROUND = "sitrep.events.background_phrase"
#: A head's negating or modal child: (the child, negates, modal).
Marker = tuple[Token, bool, bool]


def _path_to_root(token: Token) -> Iterator[Token]:
    yield token
    for _ in range(_MAX_PATH):
        if token.head.i == token.i:
            return
        token = token.head
        yield token


def _markers(doc: Doc, lexicon: ContextLexicon) -> dict[int, list[Marker]]:
    """Each head's negating and modal children in order, found in one pass over the
    document rather than by walking every head's children per trigger."""
    markers = doc.user_data.get(_MARKERS)
    if markers is None:
        markers = doc.user_data[_MARKERS] = {}
        for child in doc:
            lemma = child.lemma_.lower()
            negates = child.dep_ == "neg" or (child.dep_ == "det" and lemma in lexicon.negation)
            modal = child.dep_ in ("aux", "mark") and lemma in lexicon.irrealis
            if (negates or modal) and child.head.i != child.i:
                markers.setdefault(child.head.i, []).append((child, negates, modal))
    return cast(dict[int, list[Marker]], markers)


def _background_phrase(sentence: TokenSpan, lexicon: ContextLexicon) -> str | None:
    """The phrase that makes a sentence background ("for years"), searched once per sentence
    (per trigger, a long sentence's text would be searched once for each of its triggers)."""
    found: dict[int, str | None] = sentence.doc.user_data.setdefault(_BACKGROUND, {})
    if sentence.start not in found:
        text = sentence.text.lower()
        found[sentence.start] = next((p for p in lexicon.background if p in text), None)
    return found[sentence.start]


def is_said_of_the_war(token: Token, lexicon: ContextLexicon) -> bool:
    """ "The toll of the seven years of war": a figure for the whole war."""
    war = lexicon.war_nouns
    return any(
        obj.lemma_.lower() in war
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in ("from", "of", "in", "since", "during")
        for obj in prep.children
        if obj.dep_ == "pobj"
    )


def recall_phrase(sentence: TokenSpan, lexicon: ContextLexicon) -> str | None:
    """The past-time expression that places a sentence's incident before the report's main
    one ("Earlier this week ...", "last month"), if any."""
    text = sentence.text.lower()
    return next((p for p in lexicon.recalled_before if p in text), None)


def opens_another_incident(sentence: TokenSpan, lexicon: ContextLexicon) -> bool:
    """The sentence opens as news of another incident ("Separately, ...", "Elsewhere")."""
    text = sentence.text.lower().lstrip(" \"'(")
    return any(
        text.startswith(opener) and not text[len(opener) : len(opener) + 1].isalpha()
        for opener in lexicon.new_incident_openers
    )


#: Why a word reports no realised incident: the id of the rule that says so, and the words.
Irrealis = tuple[str, str]


def irrealis_reason(
    trigger_head: Token, lexicon: ContextLexicon, enabled: RuleSwitch = every_rule_on
) -> Irrealis | None:
    """Why the trigger does not report a realised event (None when it does): the deciding
    rule's id and what it saw. Rules switched off are passed over."""
    return next((r for r in _irrealis_reasons(trigger_head, lexicon) if enabled(r[0])), None)


def _irrealis_reasons(trigger_head: Token, lexicon: ContextLexicon) -> Iterator[Irrealis]:
    # Negation binds within the trigger's own clause ("it is not known who carried out the
    # bombing" still reports a bombing); modality and intention reach down from any verb
    # above ("threatened to execute", "denied that its jets bombed").
    for child in children_of(trigger_head):
        # "planned attacks", "organised attacks": the modifier makes them intentions.
        if child.dep_ in ("amod", "advmod") and child.lemma_.lower() in lexicon.irrealis:
            yield "context.planned-or-organised", f"modified by {child.text!r}"
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in lexicon.war_nouns:
            yield "context.said-of-the-war", f"the war is its subject ({child.text!r})"
    participle = trigger_head.dep_ == "acl" and trigger_head.tag_ == "VBG"
    if participle and trigger_head.lemma_.lower() in lexicon.descriptive_participles:
        yield "context.describes-a-party", f"describes a party ({trigger_head.text!r})"
    in_own_clause = True
    for token in _path_to_root(trigger_head):
        lemma = token.lemma_.lower()
        describes_someone = token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN")
        if token.i != trigger_head.i and lemma in lexicon.accusation_verbs and describes_someone:
            yield "context.accusation", f"what someone is accused of ({token.text!r})"
        if token.i != trigger_head.i and lemma in lexicon.irrealis:
            yield "context.governed-by-irrealis", f"governed by {token.text!r}"
        if token.i != trigger_head.i and token.pos_ == "NOUN" and lemma in lexicon.war_nouns:
            yield "context.said-of-the-war", f"said of the war as a whole ({token.text!r})"
        for child, negates, modal in _markers(token.doc, lexicon).get(token.i, ()):
            if negates and in_own_clause:
                yield "context.negated", f"negated by {child.text!r}"
            if modal:
                yield "context.modal", f"modal {child.text!r}"
        if token.pos_ in ("VERB", "AUX"):
            in_own_clause = False
    if trigger_head.dep_ == "pobj" and trigger_head.head.lower_ == "of":
        counted = trigger_head.head.head
        if (
            counted.lemma_.lower() in lexicon.duration_nouns
            or counted.lower_ in lexicon.duration_nouns
        ):
            yield "context.period-of", f"a period ({counted.text!r} of ...)"
    # Every background phrase is the one rule: the first found stands for them all.
    phrase = _background_phrase(sentence_of(trigger_head), lexicon)
    if phrase is not None:
        yield "context.background", f"background ({phrase!r})"
