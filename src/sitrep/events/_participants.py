"""Who an incident's parties are: the perpetrator and the target from the parse, the
party named responsible nearby, and ACLED's conventional actors where none is named."""

from __future__ import annotations

from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from sitrep.events._draft import (
    CONVENTION_CONFIDENCE,
    INFERRED_PERPETRATOR,
    ORDER_CONFIDENCE,
    PARSE_CONFIDENCE,
    UNNAMED_PERPETRATOR,
    CodingContext,
    Draft,
    Role,
    same_actor,
    span_of,
)
from sitrep.events._lexicon import ContextLexicon
from sitrep.events._roles import is_misread_name, trigger_arguments
from sitrep.events._triggers import Trigger
from sitrep.models import (
    VIOLENT_EVENT_TYPES,
    Actor,
    ActorMention,
    Evidence,
)

#: Prepositions that keep a phrase on the side of the noun they follow ("strikes by
#: Russian jets", "fighters of IS", "militants from Nusra"); any other ("strikes on the IS
#: capital", "attacks against the terrorists") leads to someone else.
SAME_SIDE_PREPOSITIONS = frozenset({"by", "of", "from"})


#: Objects of a verb inside the phrase ("the blast which wiped out the IS meeting"): the
#: one the phrase's own clause acts on, another party.
OBJECT_DEPENDENCIES = frozenset({"dobj", "dative"})


def _through_other_side(token: Token, arg: Token) -> bool:
    """The path from `token` up to `arg` passes a preposition leading to another party, or
    the object of a verb within the phrase."""
    while token.i != arg.i and token.head.i != token.i:
        if token.dep_ == "prep" and token.lower_ not in SAME_SIDE_PREPOSITIONS:
            return True
        if token.dep_ in OBJECT_DEPENDENCIES:
            return True
        token = token.head
    return False


def _mentions_in(
    arg: Token, ctx: CodingContext, *, own_side: bool = False
) -> list[tuple[ActorMention, TokenSpan]]:
    """Actor mentions inside the phrase headed by `arg`, nearest to its head first; with
    `own_side`, only those of the party the phrase names ("airstrikes on the IS capital"
    name the attacker's weapon, not IS)."""
    left, right = arg.left_edge.i, arg.right_edge.i
    found = [
        (m, t)
        for m, t in ctx.mentions
        if left <= t.start
        and t.end - 1 <= right
        and not (own_side and _through_other_side(t.root, arg))
    ]
    return sorted(
        found,
        key=lambda item: 0 if item[1].start <= arg.i < item[1].end else abs(item[1].start - arg.i),
    )


#: Generic actors by inter code: their country follows the event's place, not the mention's.
GENERIC_KINDS = {7: "civilians", 6: "protesters", 5: "rioters"}


def _is_subject(tokens: TokenSpan) -> bool:
    """The words name a verb's subject or agent, or qualify one ("IS fighters", "the
    army's units"), as a perpetrator named outside the trigger's own phrases would be."""
    root = tokens.root
    if root.dep_ in ("nsubj", "nsubjpass", "poss") or root.head.dep_ in ("nsubj", "nsubjpass"):
        return True
    if is_misread_name(root):
        return True
    return root.dep_ == "pobj" and root.head.dep_ == "agent"


def _is_speaker(tokens: TokenSpan, lexicon: ContextLexicon) -> bool:
    """The subject of a reporting verb, or its agent in the passive ("the deal touted by the
    rebels"), unless the verb also tells who did it ("the attack claimed by IS")."""
    root = tokens.root
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        verb = root.head.head.lemma_.lower()
        return verb in lexicon.reporting_verbs and verb not in lexicon.perpetration_verbs
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in lexicon.reporting_verbs


def _amended(evidence: Evidence, rule: str) -> Evidence:
    """The evidence of a field a later rule changed: that rule is recorded beside the one
    that decided it."""
    return evidence.model_copy(update={"amended_by": [*evidence.amended_by, rule]})


def _role_for(
    mention: ActorMention, tokens: TokenSpan, ctx: CodingContext, confidence: float, rule: str
) -> Role:
    actor = mention.actor
    # A country the words give ("Afghan civilians") stays; otherwise the event's country.
    if mention.generic and actor.inter in GENERIC_KINDS and actor.country in (None, ctx.country):
        actor = ctx.generic(GENERIC_KINDS[actor.inter], ctx.country)
    return Role(
        actor=actor,
        evidence=Evidence(spans=[span_of(ctx.doc, tokens)], confidence=confidence, rule=rule),
        authority=mention.authority,
    )


def _generic_role(
    kind: str, words: TokenSpan | None, ctx: CodingContext, country: str | None, rule: str
) -> Role:
    spans = [span_of(ctx.doc, words)] if words is not None else []
    return Role(
        actor=ctx.generic(kind, country),
        evidence=Evidence(spans=spans, confidence=CONVENTION_CONFIDENCE, rule=rule),
    )


def _phrase(token: Token) -> TokenSpan:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


#: How a word qualifies a trigger noun by naming its author ("army shelling", "IS attack",
#: "the regime's bombardment").
AUTHOR_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})
#: The places of a noun in a clause: a word there is a noun whatever its tag.
NOMINAL_DEPENDENCIES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})


def _trigger_modifier(
    actions: list[Trigger], target: Role | None, ctx: CodingContext
) -> Role | None:
    """A party named as part of the trigger noun ("Syria army shelling", "government
    bombardment"): the author of the act the noun names. Words naming the party and the
    act together count whatever the tagger made of the act's word (headlines' "army
    shelling" is often read as a verb); so does a word in a noun's place ("in Nusra Front
    Shelling")."""
    for trigger in sorted(actions, key=lambda t: t.entry.priority, reverse=True):
        head = trigger.head
        noun = head.pos_ in ("NOUN", "PROPN") or head.dep_ in NOMINAL_DEPENDENCIES
        for mention, tokens in ctx.mentions:
            if mention.generic or (target is not None and same_actor(mention.actor, target.actor)):
                continue
            overlaps = tokens.start <= head.i < tokens.end
            qualifies = (
                noun and tokens.root.head.i == head.i and tokens.root.dep_ in AUTHOR_MODIFIERS
            )
            if overlaps or qualifies:
                return _role_for(
                    mention, tokens, ctx, PARSE_CONFIDENCE, "actor.trigger-noun-modifier"
                )
    return None


def _victim_noun(token: Token, lexicon: ContextLexicon) -> Token:
    """The noun naming the victims: "three members of a family" -> "family"."""
    if token.lemma_.lower() in lexicon.partitive_nouns or token.lower_ in lexicon.partitive_nouns:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return obj
    return token


def _inferred_perpetrator(draft: Draft, country: str | None, ctx: CodingContext) -> Actor | None:
    """The side that alone fields the weapon of an unattributed attack in the country (an
    air strike in a country where one air force flies), unless the report tells whose the
    aircraft were ("Turkish jets") or that nobody knows ("unidentified warplanes")."""
    if not ctx.enabled(INFERRED_PERPETRATOR) or _weapon_owner_told(draft, ctx.lexicons.context):
        return None
    for rule in ctx.lexicons.triggers.inferred_perpetrators:
        if draft.attack_method in rule.attack_methods and country == rule.country:
            return rule.actor
    return None


def _weapon_owner_told(draft: Draft, lexicon: ContextLexicon) -> bool:
    """A word before the weapon's words says whose it is (a nationality: "Turkish jets",
    "Russian-made" is not one) or that it is not known ("unidentified", "unknown")."""
    unknown = lexicon.unidentified_words
    for trigger in draft.triggers:
        if not trigger.entry.attack_method:
            continue
        head = trigger.head
        for word in head.doc[head.left_edge.i : head.i + 1]:
            if word.lower_ in unknown:
                return True
            if word.ent_type_ == "NORP" and word.dep_ in ("amod", "compound", "nmod", "poss"):
                return True
    return False


def fill_conventional_actors(
    draft: Draft,
    civilian_target: bool,
    victim_words: list[Token],
    country: str | None,
    ctx: CodingContext,
) -> None:
    """ACLED's conventions where the report names no one: civilian victims are "Civilians
    (country)"; an unnamed perpetrator of violence is an "Unidentified Armed Group";
    demonstrators are "Protesters"/"Rioters"."""
    victims_phrase = _phrase(victim_words[0]) if victim_words else None
    unnamed_victims = draft.actor2 is None or (
        draft.actor2.actor.inter != 7 and draft.event_type == "Violence against civilians"
    )
    if civilian_target and unnamed_victims and ctx.enabled("actor.civilian-victims"):
        draft.actor2 = _generic_role(
            "civilians", victims_phrase, ctx, country, "actor.civilian-victims"
        )
    if (
        draft.event_type == "Protests"
        and (draft.actor1 is None or draft.actor1.actor.inter != 6)
        and ctx.enabled("actor.protesters")
    ):
        # The force that intervened is actor2; the demonstrators are actor1.
        intervening = draft.actor1
        protesters = (
            draft.actor2 if draft.actor2 is not None and draft.actor2.actor.inter == 6 else None
        )
        draft.actor1 = protesters or _generic_role(
            "protesters", draft.triggers[0].span, ctx, country, "actor.protesters"
        )
        draft.actor2 = intervening if draft.sub_event_type != "Peaceful protest" else None
    elif (
        draft.event_type == "Riots"
        and (draft.actor1 is None or draft.actor1.actor.inter != 5)
        and ctx.enabled("actor.rioters")
    ):
        draft.actor1 = _generic_role(
            "rioters", draft.triggers[0].span, ctx, country, "actor.rioters"
        )
    elif draft.event_type in VIOLENT_EVENT_TYPES and draft.actor1 is None:
        inferred = _inferred_perpetrator(draft, country, ctx)
        if inferred is not None:
            draft.actor1 = Role(
                actor=inferred,
                evidence=Evidence(
                    spans=[
                        span_of(ctx.doc, t.span) for t in draft.triggers if t.entry.attack_method
                    ],
                    confidence=ORDER_CONFIDENCE,
                    rule=INFERRED_PERPETRATOR,
                ),
            )
        elif ctx.enabled(UNNAMED_PERPETRATOR):
            draft.actor1 = _generic_role(
                "unidentified armed group", None, ctx, country, UNNAMED_PERPETRATOR
            )


def recheck_inferred_perpetrator(draft: Draft, ctx: CodingContext) -> None:
    """A perpetrator inferred from one telling's weapon ("the bomber struck", read as an
    aircraft) does not hold for an incident whose tellings merged into another weapon (a
    suicide bombing): the convention is decided on the incident, not on one telling."""
    if draft.actor1 is None or draft.actor1.evidence.rule != INFERRED_PERPETRATOR:
        return
    if _inferred_perpetrator(draft, ctx.country, ctx) is None:
        draft.actor1 = (
            _generic_role("unidentified armed group", None, ctx, ctx.country, UNNAMED_PERPETRATOR)
            if ctx.enabled(UNNAMED_PERPETRATOR)
            else None
        )


#: How a perpetrator is coded when the incident's words do not name it: by convention, or
#: by word order alone. A party the report names responsible is better evidence than these.
NEAREST_BEFORE_TRIGGER = "actor.nearest-before-trigger"
GUESSED_PERPETRATOR_RULES = (UNNAMED_PERPETRATOR, INFERRED_PERPETRATOR, NEAREST_BEFORE_TRIGGER)


def _phrase_head(token: Token) -> Token:
    """The head of the noun phrase a word belongs to ("State" -> "group" in "the Islamic
    State group")."""
    while (
        token.dep_ in ("compound", "amod", "nmod", "poss", "appos", "det") and token.head != token
    ):
        token = token.head
    return token


def _names_responsible(head: Token, lexicon: ContextLexicon) -> bool:
    """The phrase headed by `head` is the one blamed for, claiming or carrying out an act."""
    governor = head.head
    # "the regime blamed IS for the blast", "IS was blamed".
    blamed = head.dep_ in ("dobj", "nsubjpass")
    if blamed and governor.lemma_.lower() in lexicon.blame_verbs:
        return True
    if _claims_responsibility(head, lexicon):
        return True
    by_agent = head.dep_ == "pobj" and governor.dep_ == "agent"
    return by_agent and governor.head.lemma_.lower() in lexicon.perpetration_verbs


_UNIDENTIFIED = "unidentified armed group"


def _claims_responsibility(head: Token, lexicon: ContextLexicon) -> bool:
    """ "X claimed responsibility", "X took credit": the party claims the act itself."""
    return head.dep_ == "nsubj" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in lexicon.responsibility_nouns
        for c in head.head.children
    )


def name_the_responsible(draft: Draft, told: set[int], ctx: CodingContext) -> None:
    """A perpetrator of violence coded by convention or by word order only gives way to
    the party the report names as responsible in the incident's sentences or the few after
    them that tell no incident of their own (`told`: where sentences with a trigger
    start); one coded as an unidentified group gives way to a party claiming it ("Militants
    attacked ... X claimed responsibility")."""
    if draft.actor1 is None:
        return
    guessed = draft.actor1.evidence.rule in GUESSED_PERPETRATOR_RULES
    unidentified = draft.actor1.actor.name.startswith(ctx.generic(_UNIDENTIFIED, None).name)
    if not (guessed or unidentified):
        return
    if not ctx.enabled("actor.named-responsible"):
        return
    doc, lexicon = ctx.doc, ctx.lexicons.context
    first, last = draft.sentences[0], max(draft.sentences, key=lambda s: s.end)
    end, following = last.end, 0
    own = {sentence.start for sentence in draft.sentences}
    while end < len(doc) and following < lexicon.responsibility_window:
        if end in told and end not in own:
            break
        end = doc[end].sent.end
        following += 1
    for mention, tokens in ctx.mentions:
        if not first.start <= tokens.start < end or mention.generic or mention.actor.inter == 7:
            continue
        head = _phrase_head(tokens.root)
        responsible = (
            _names_responsible(head, lexicon) if guessed else _claims_responsibility(head, lexicon)
        )
        if not responsible:
            continue
        if draft.actor2 is not None and same_actor(draft.actor2.actor, mention.actor):
            # "blamed IS for the attack" read IS as the attack's object: it is its author.
            if not any(span.start == tokens.start_char for span in draft.actor2.evidence.spans):
                continue
            draft.actor2 = None
        draft.actor1 = _role_for(mention, tokens, ctx, ORDER_CONFIDENCE, "actor.named-responsible")
        return


def _both_sides(phrase: Token, ctx: CodingContext) -> tuple[Role, Role | None] | None:
    """The parties of "clashes between IS and the SDF" in the order the phrase names
    them: the first is actor1, the next other one actor2."""
    named = sorted(_mentions_in(phrase, ctx), key=lambda item: item[1].start)
    if not named:
        return None
    first = _role_for(*named[0], ctx, PARSE_CONFIDENCE, "actor.sides-in-order")
    other = next(((m, t) for m, t in named[1:] if not same_actor(m.actor, first.actor)), None)
    second = _role_for(*other, ctx, PARSE_CONFIDENCE, "actor.sides-in-order") if other else None
    return first, second


def hand_to_recipient(draft: Draft, trigger: Trigger, ctx: CodingContext) -> None:
    """The side a place is handed to ("handed the base over to X") takes control: it is
    actor1, and the side handing it over actor2."""
    recipients = [
        found
        for prep in trigger.head.children
        if prep.dep_ == "prep" and prep.lower_ == "to"
        for obj in prep.children
        if obj.dep_ == "pobj"
        for found in _mentions_in(obj, ctx)
    ]
    if not recipients:
        return
    giver = draft.actor1
    draft.actor1 = _role_for(*recipients[0], ctx, PARSE_CONFIDENCE, "actor.handover-recipient")
    draft.actor2 = giver


def assign_parties(
    draft: Draft, actions: list[Trigger], primary: Trigger, ctx: CodingContext
) -> list[Token]:
    """Fill the draft's actor1 (who acts) and actor2 (who is acted on) from the parse of its
    sentence; returns the words naming its targets and dead, for the caller to code the
    kind of violence."""
    sentence = draft.sentences[0]
    agents: list[Token] = []
    patients: list[Token] = []
    head_only: set[int] = set()
    sides: list[Token] = []
    for trigger in sorted(actions, key=lambda t: t.entry.priority, reverse=True):
        args = trigger_arguments(trigger.span, ctx.lexicons.context)
        agents.extend(args.agents)
        patients.extend(args.patients)
        head_only |= args.head_only
        sides.extend(args.sides)
    # "Clashes between IS and the SDF" names both parties when no act names its author.
    agents.extend(sides)
    victims = [_victim_noun(d.victims, ctx.lexicons.context) for d in draft.deaths]
    patients = [_victim_noun(t, ctx.lexicons.context) for t in patients]

    for arg in agents if ctx.enabled("actor.agent-of-trigger") else sides:
        if arg in sides:
            pair = _both_sides(arg, ctx) if ctx.enabled("actor.sides-in-order") else None
            if pair is None:
                continue
            draft.actor1, draft.actor2 = pair
            break
        found = _mentions_in(arg, ctx, own_side=True)
        if arg.i in head_only:
            found = [(m, t) for m, t in found if t.start <= arg.i < t.end]
        if found:
            draft.actor1 = _role_for(*found[0], ctx, PARSE_CONFIDENCE, "actor.agent-of-trigger")
            # "Russian officers and rebel commanders signed": the second party is actor2.
            for other in arg.conjuncts if ctx.enabled("actor.coordinated-subject") else []:
                for mention, tokens in _mentions_in(other, ctx):
                    if not same_actor(mention.actor, draft.actor1.actor):
                        draft.actor2 = _role_for(
                            mention, tokens, ctx, PARSE_CONFIDENCE, "actor.coordinated-subject"
                        )
                        break
                if draft.actor2 is not None:
                    break
            break
    objects_rule = ctx.enabled("actor.object-of-trigger")
    for arg in patients + victims if draft.actor2 is None and objects_rule else []:
        for mention, tokens in _mentions_in(arg, ctx):
            if draft.actor1 is None or not same_actor(mention.actor, draft.actor1.actor):
                draft.actor2 = _role_for(
                    mention, tokens, ctx, PARSE_CONFIDENCE, "actor.object-of-trigger"
                )
                break
        if draft.actor2 is not None:
            break
    if draft.actor1 is None and ctx.enabled("actor.trigger-noun-modifier"):
        draft.actor1 = _trigger_modifier(actions, draft.actor2, ctx)
    if draft.actor1 is None and ctx.enabled(NEAREST_BEFORE_TRIGGER):
        # The parse named no perpetrator: the nearest actor named before the trigger, unless
        # it is only the one speaking about it ("the Coalition condemned the bombing").
        before = [
            (m, t)
            for m, t in ctx.mentions
            if sentence.start <= t.start
            and t.end <= primary.span.start
            and not m.generic
            and (draft.actor2 is None or not same_actor(m.actor, draft.actor2.actor))
            and not _is_speaker(t, ctx.lexicons.context)
            and _is_subject(t)
        ]
        if before:
            draft.actor1 = _role_for(*before[-1], ctx, ORDER_CONFIDENCE, NEAREST_BEFORE_TRIGGER)
    if (
        draft.actor1 is None
        and draft.event_type == "Strategic developments"
        and ctx.enabled("actor.group-the-sentence-names")
    ):
        # A group's own change ("we chose to break away and quit IS's land") is
        # coded to the group the sentence names, the one changed or left.
        named = [
            (m, t)
            for m, t in ctx.mentions
            if sentence.start <= t.start < sentence.end and not m.generic
        ]
        if named:
            nearest = min(named, key=lambda item: abs(item[1].start - primary.span.start))
            draft.actor1 = _role_for(
                *nearest, ctx, ORDER_CONFIDENCE, "actor.group-the-sentence-names"
            )
            if draft.actor2 is not None and same_actor(draft.actor2.actor, draft.actor1.actor):
                draft.actor2 = None

    counts_dead = draft.event_type in VIOLENT_EVENT_TYPES or draft.event_type == "Protests"
    first = draft.actor1
    civilian_first = first is not None and first.actor.inter == 7
    if (
        counts_dead
        and first is not None
        and civilian_first
        and ctx.enabled("actor.civilians-are-victims")
    ):
        # Civilians are never the perpetrators of violence: named first, they are its victims.
        victims_role = draft.actor2 or first
        victims_role.evidence = _amended(victims_role.evidence, "actor.civilians-are-victims")
        draft.actor1, draft.actor2 = None, victims_role
    dead = {m.actor.name for victim in victims for m, _ in _mentions_in(victim, ctx)}
    # "132 IS militants were killed in fighting with Kurdish forces": those who died were
    # acted upon; the other side is actor1.
    if (
        draft.actor1 is not None
        and draft.actor2 is not None
        and draft.actor1.actor.name in dead
        and draft.actor2.actor.name not in dead
        and ctx.enabled("actor.the-dead-were-acted-upon")
    ):
        draft.actor1, draft.actor2 = draft.actor2, draft.actor1
        for role in (draft.actor1, draft.actor2):
            role.evidence = _amended(role.evidence, "actor.the-dead-were-acted-upon")
    return patients + victims
