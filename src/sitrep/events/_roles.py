"""Who acts on whom: the arguments of a trigger, read from the dependency parse.

Active subject and passive "by"-agent are the perpetrator side; direct object, passive
subject and "on/against/at/targeting" objects are the target side. Word order is never used
here; the event stage falls back to it, at lower confidence, only when the parse is silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from sitrep.events._lexicon import ContextLexicon

#: How far up a chain of coordinated or subordinate verbs a missing subject is inherited
#: ("IS fighters saw them and opened fire", "warplanes struck, killing 12").
SUBJECT_INHERITANCE = ("conj", "advcl", "xcomp", "pcomp")


@dataclass
class Arguments:
    """Heads of the phrases on each side of a trigger."""

    agents: list[Token] = field(default_factory=list)
    patients: list[Token] = field(default_factory=list)
    #: Agents that name the perpetrator only with their own word, not the words hanging on
    #: it: the noun an -ing clause qualifies ("gunmen firing on a car").
    head_only: set[int] = field(default_factory=set)
    #: Phrases naming both sides of a fight ("clashes between IS and the SDF"), in the
    #: order the parties are named there; the parse of the pair itself is often wrong.
    sides: list[Token] = field(default_factory=list)


def is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")


def _prep_objects(token: Token, prepositions: frozenset[str]) -> list[Token]:
    return [
        obj
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in prepositions
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def is_misread_name(token: Token) -> bool:
    """An auxiliary written in capitals ("IS militants attacked") is a name the small model
    read as the verb "is"."""
    return token.dep_ in ("aux", "auxpass") and token.text.isupper() and len(token) > 1


def _subject(verb: Token) -> tuple[list[Token], bool]:
    """The subject of a verb (inherited from the verb it hangs on), and whether passive."""
    current = verb
    for _ in range(3):
        children = list(current.children)
        passive = any(
            c.dep_ == "nsubjpass" or (c.dep_ == "auxpass" and not is_misread_name(c))
            for c in children
        )
        subjects = [c for c in children if c.dep_ in ("nsubj", "nsubjpass") or is_misread_name(c)]
        if subjects:
            return subjects, passive
        if current.dep_ not in SUBJECT_INHERITANCE or current.head.i == current.i:
            break
        current = current.head
    return [], False


def _speaker_of_pronoun(verb: Token, subjects: list[Token], lexicon: ContextLexicon) -> list[Token]:
    """A pronoun subject of a clause reported by a speaker is the speaker ("the army
    announced that it had taken the town": the army took it); other subjects stand."""
    speech = verb.head
    if not (
        len(subjects) == 1
        and subjects[0].pos_ == "PRON"
        and verb.dep_ == "ccomp"
        and speech.lemma_.lower() in lexicon.reporting_verbs
    ):
        return subjects
    speakers, passive = _subject(speech)
    return subjects if passive or not speakers else speakers


def _clause_resulted_from(participle: Token) -> Token | None:
    """The verb whose act a ", killing four" clause tells the result of, when the parse hung
    the clause on that verb's object ("soldiers engaged an IS group, killing four": the
    soldiers killed, not the group)."""
    after_comma = participle.i > 0 and participle.nbor(-1).text == ","
    if participle.dep_ != "acl" or participle.tag_ != "VBG" or not after_comma:
        return None
    governor = participle.head
    while not is_verb(governor) and governor.head.i != governor.i:
        governor = governor.head
    return governor if is_verb(governor) else None


def _verb_arguments(verb: Token, exclude: range, lexicon: ContextLexicon) -> Arguments:
    args = Arguments()
    subjects, passive = _subject(verb)
    if not passive:
        subjects = _speaker_of_pronoun(verb, subjects, lexicon)
    agents_by = _prep_objects(verb, frozenset({"by"})) + [
        obj for c in verb.children if c.dep_ == "agent" for obj in c.children if obj.dep_ == "pobj"
    ]
    if passive:
        args.agents.extend(agents_by)
        args.patients.extend(subjects)
    else:
        args.agents.extend(subjects)
    args.patients.extend(c for c in verb.children if c.dep_ in ("dobj", "dative"))
    args.patients.extend(_prep_objects(verb, lexicon.target_prepositions))
    # A participle hung on a noun: "fighters killed in the raid" were killed; with a direct
    # object of its own it is the noun's verb misread ("IS militants killed 80 men"); after
    # a comma it tells the result of the clause's act ("hit the wedding of an SDF member,
    # killing 22": the wedding did not kill); "gunmen firing on a car" fire.
    objects = any(c.dep_ == "dobj" for c in verb.children)
    result_of = _clause_resulted_from(verb)
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not objects:
        args.patients.append(verb.head)
    elif result_of is not None:
        outer, outer_passive = _subject(result_of)
        args.agents.extend([] if outer_passive else outer)
    elif verb.dep_ == "acl":
        args.agents.append(verb.head)
        args.head_only.add(verb.head.i)
    # A term that names its own subject ("jets bombed") keeps it: the words around it say
    # whose jets they were ("Iraqi Air Force jets bombed").
    args.agents = [t for t in args.agents if t.i not in exclude or t in subjects]
    args.patients = [t for t in args.patients if t.i not in exclude]
    return args


def _speaks_of(verb: Token, lexicon: ContextLexicon) -> bool:
    """A verb of speaking or blaming ("no group blamed anyone for the blast", "condemned
    them for the shelling"): its subject talks about the act, it did not do it."""
    lemma = verb.lemma_.lower()
    return lemma in lexicon.reporting_verbs and lemma not in lexicon.perpetration_verbs


def _noun_arguments(noun: Token, exclude: range, lexicon: ContextLexicon) -> Arguments:
    args = Arguments()
    args.sides.extend(_prep_objects(noun, lexicon.party_prepositions))
    if noun.dep_ == "nsubj" and is_verb(noun.head):  # "fighting broke out between ..."
        args.sides.extend(_prep_objects(noun.head, lexicon.party_prepositions))
    args.agents.extend(
        c for c in noun.children if c.dep_ in ("poss", "compound", "amod") and c.i not in exclude
    )
    args.agents.extend(_prep_objects(noun, frozenset({"by", "from"})))
    args.patients.extend(_prep_objects(noun, lexicon.target_prepositions | {"of"}))
    governor = noun.head
    if (
        noun.dep_ in ("dobj", "nsubj", "nsubjpass")
        and governor.lemma_.lower() in lexicon.light_verbs
    ):
        subjects, passive = _subject(governor)
        if not passive:
            args.agents.extend(subjects)
        args.patients.extend(_prep_objects(governor, lexicon.target_prepositions))
    elif noun.dep_ == "pobj" and is_verb(governor.head) and not _speaks_of(governor.head, lexicon):
        # "five civilians were killed in regime shelling": the victims of the governing verb.
        outer = _verb_arguments(governor.head, exclude, lexicon)
        args.agents.extend(outer.agents)
        args.head_only |= outer.head_only
        args.patients.extend(outer.patients)
    elif noun.dep_ in ("nsubj",) and is_verb(governor):
        # "the explosion killed six people": what the event noun does, it does to them.
        args.patients.extend(_verb_arguments(governor, exclude, lexicon).patients)
    return args


def trigger_arguments(trigger: TokenSpan, lexicon: ContextLexicon) -> Arguments:
    """Perpetrator-side and target-side phrase heads of a trigger."""
    head = trigger.root
    exclude = range(trigger.start, trigger.end)
    if is_verb(head):
        return _verb_arguments(head, exclude, lexicon)
    return _noun_arguments(head, exclude, lexicon)
