"""From a parsed report to events: triggers, coded by their arguments, merged per incident.

One sentence's triggers of one family (violence, detention, demonstration, agreement...)
describe one happening; its most specific trigger codes it. Arguments come from the parse
(`_roles`), deaths from death expressions (`fatalities`), dates from the sentence's DATE
expressions (`dates`), the place from the geo stage (`locate`), the source from
`attribution`. Events of one actor pair, place and day are then merged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as TokenSpan

from sitrep.events._context import irrealis_reason
from sitrep.events._lexicon import context_lexicon, fatality_lexicon, trigger_lexicon
from sitrep.events._roles import is_misread_name, is_verb, trigger_arguments
from sitrep.events._triggers import Trigger, find_triggers
from sitrep.events.attribution import Attribution, attribution_for
from sitrep.events.dates import EventDate, event_date
from sitrep.events.fatalities import DeathCount, death_counts
from sitrep.events.notes import note_for
from sitrep.models import (
    VIOLENT_EVENT_TYPES,
    Actor,
    ActorMention,
    Event,
    Evidence,
    Place,
    PlaceMention,
    Report,
    Span,
)

#: `place_for_event` of the geo stage: (mentions, the event's clause, the text) -> place.
Locator = Callable[[list[PlaceMention], Span, str], tuple[Place, Evidence] | None]
#: `generic_actor` of the actors stage: (kind, country) -> an ACLED generic actor.
GenericActors = Callable[[str, str | None], Actor]

#: Confidence of an argument read from the parse, from word order, or filled by convention.
PARSE_CONFIDENCE = 0.85
ORDER_CONFIDENCE = 0.55
CONVENTION_CONFIDENCE = 0.5
#: A state actor (inter code 1) detaining people makes an arrest; these codes abduct.
NON_STATE_INTER = frozenset({2, 3, 4})
#: Entities whose words are names, never triggers ("March" is a month, not a march).
NAME_ENTITIES = frozenset({"DATE", "TIME", "GPE", "PERSON"})
#: Below this, a place was not named in the event's own clause (geo's confidence scale).
OWN_CLAUSE_PLACE = 0.85
#: Triggers at or below this priority are plain words of violence ("killed", "attack").
GENERIC_PRIORITY = 2
#: Letters of an all-capital word read as an acronym, not a dateline.
ACRONYM_MAX = 4
UNNAMED_PERPETRATOR = "no perpetrator named"
INFERRED_PERPETRATOR = "weapon only one side fields (inferred)"
#: Roles filled by convention or inference, not named by the report.
CONVENTIONAL_RULES = (UNNAMED_PERPETRATOR, INFERRED_PERPETRATOR)


@dataclass
class _Role:
    actor: Actor
    evidence: Evidence


@dataclass
class _Draft:
    """An event being coded: its fields and the words behind each."""

    event_type: str
    sub_event_type: str
    attack_method: str | None
    priority: int
    triggers: list[Trigger]
    sentences: list[TokenSpan]
    actor1: _Role | None = None
    actor2: _Role | None = None
    deaths: list[DeathCount] = field(default_factory=list)
    place: tuple[Place, Evidence] | None = None
    when: EventDate | None = None
    attribution: Attribution | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    """What every draft of one report is coded against."""

    doc: Doc
    #: `doc.text`, kept once (spaCy rebuilds it on every access).
    text: str
    report: Report
    mentions: list[tuple[ActorMention, TokenSpan]]
    places: list[PlaceMention]
    locate: Locator
    generic: GenericActors
    country: str | None
    #: Token index where the headline ends (0 without one).
    headline_end: int


def _span(doc: Doc, tokens: TokenSpan) -> Span:
    # The span's own text, not `doc.text[...]`: spaCy rebuilds `doc.text` on every access.
    return Span(start=tokens.start_char, end=tokens.end_char, text=tokens.text)


def _token_mentions(doc: Doc, actors: list[ActorMention]) -> list[tuple[ActorMention, TokenSpan]]:
    located = []
    for mention in actors:
        tokens = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if tokens is not None:
            located.append((mention, tokens))
    return located


def _names_an_organisation(doc: Doc, mention: PlaceMention) -> bool:
    """A "place" written as a short acronym ("SANA", the news agency; "NNA") or exactly an
    organisation's name in capitals is where no event happens (datelines such as "BEIRUT"
    are longer than an acronym)."""
    text = mention.span.text
    if text.isupper() and len(text) <= ACRONYM_MAX:
        return True
    tokens = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return (
        tokens is not None
        and text.isupper()
        and any(
            ent.label_ == "ORG" and ent.start == tokens.start and ent.end == tokens.end
            for ent in doc.ents
        )
    )


def focus_country(places: list[PlaceMention]) -> str | None:
    """The country the report's places name most: the country its events are coded in."""
    countries = Counter(p.place.country for p in places if p.place.country)
    return countries.most_common(1)[0][0] if countries else None


def _anchors_event(trigger: Trigger, all_triggers: list[Trigger]) -> bool:
    """A realised trigger that names a happening, not a thing ("battle field", "mortar
    positions" are things; "mortar shells" still counts: its head is a trigger too)."""
    head = trigger.head
    if all(token.ent_type_ in NAME_ENTITIES for token in trigger.span):
        return False
    if head.dep_ == "compound":
        heads_trigger = any(t.span.start <= head.head.i < t.span.end for t in all_triggers)
        if not heads_trigger:
            return False
    # "10,000 troops deployed along the border": a participle describing a state of affairs.
    # (A sentence whose root is that noun has no other verb: the participle is its verb.)
    verbless = head.head.dep_ == "ROOT" and not is_verb(head.head)
    describes_state = head.dep_ in ("acl", "amod") and head.tag_ == "VBN" and not verbless
    if describes_state and trigger.entry.family not in ("violence",):
        return False
    return irrealis_reason(head) is None


def _groups(triggers: list[Trigger]) -> Iterator[tuple[TokenSpan, list[Trigger]]]:
    """Triggers of one family within one sentence, in text order."""
    grouped: dict[tuple[int, str], list[Trigger]] = {}
    for trigger in triggers:
        sentence = trigger.span.sent
        grouped.setdefault((sentence.start, trigger.entry.family), []).append(trigger)
    for (start, family), group in list(grouped.items()):
        # Force used on demonstrators is part of the demonstration event, not a second one.
        demonstration = grouped.get((start, "demonstration"))
        if family == "violence" and demonstration is not None:
            demonstration.extend(group)
            del grouped[(start, family)]
    for group in sorted(grouped.values(), key=lambda g: g[0].span.start):
        yield group[0].span.sent, sorted(group, key=lambda t: t.span.start)


#: Prepositions that keep a phrase on the side of the noun they follow ("strikes by
#: Russian jets", "fighters of IS", "militants from Nusra"); any other ("strikes on the IS
#: capital", "attacks against the terrorists") leads to someone else.
SAME_SIDE_PREPOSITIONS = frozenset({"by", "of", "from"})


def _through_other_side(token: Token, arg: Token) -> bool:
    """The path from `token` up to `arg` passes a preposition leading to another party."""
    while token.i != arg.i and token.head.i != token.i:
        if token.dep_ == "prep" and token.lower_ not in SAME_SIDE_PREPOSITIONS:
            return True
        token = token.head
    return False


def _mentions_in(
    arg: Token, ctx: _Context, *, own_side: bool = False
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


def _is_speaker(tokens: TokenSpan) -> bool:
    """The subject of a reporting verb, or its agent in the passive ("the deal touted by the
    rebels"), unless the verb also tells who did it ("the attack claimed by IS")."""
    lexicon = context_lexicon()
    root = tokens.root
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        verb = root.head.head.lemma_.lower()
        return verb in lexicon.reporting_verbs and verb not in lexicon.perpetration_verbs
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in lexicon.reporting_verbs


def _role(
    mention: ActorMention, tokens: TokenSpan, ctx: _Context, confidence: float, rule: str
) -> _Role:
    actor = mention.actor
    if mention.generic and actor.inter in GENERIC_KINDS:
        actor = ctx.generic(GENERIC_KINDS[actor.inter], ctx.country)
    return _Role(
        actor=actor,
        evidence=Evidence(spans=[_span(ctx.doc, tokens)], confidence=confidence, rule=rule),
    )


def _same_actor(a: Actor, b: Actor) -> bool:
    return a.name == b.name and a.associated == b.associated


def _generic_role(
    kind: str, words: TokenSpan | None, ctx: _Context, country: str | None, rule: str
) -> _Role:
    spans = [_span(ctx.doc, words)] if words is not None else []
    return _Role(
        actor=ctx.generic(kind, country),
        evidence=Evidence(spans=spans, confidence=CONVENTION_CONFIDENCE, rule=rule),
    )


def _phrase(token: Token) -> TokenSpan:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def _classify(primary: Trigger, group: list[Trigger]) -> tuple[str, str, str | None, int]:
    """Event type, sub-event type, attack method and priority from the group's triggers;
    a weapon word ("warplanes") decides what a plain action word ("struck") was."""
    actions = [t for t in group if t.entry.kind != "instrument"]
    instruments = [t for t in group if t.entry.kind == "instrument"]
    entry = primary.entry
    plain_attack = any(t.entry.kind in ("attack", "bombing") for t in actions)
    if instruments and plain_attack:
        best = max(instruments, key=lambda t: t.entry.priority).entry
        if best.priority >= entry.priority:
            return best.event_type, best.sub_event_type, best.attack_method, best.priority
    methods = [t.entry.attack_method for t in actions if t.entry.attack_method]
    return (
        entry.event_type,
        entry.sub_event_type,
        entry.attack_method or (methods[0] if methods else None),
        entry.priority,
    )


#: How a word qualifies a trigger noun by naming its author ("army shelling", "IS attack",
#: "the regime's bombardment").
AUTHOR_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod"})


def _trigger_modifier(actions: list[Trigger], target: _Role | None, ctx: _Context) -> _Role | None:
    """A party named as part of the trigger noun ("Syria army shelling", "government
    bombardment"): the author of the act the noun names."""
    for trigger in sorted(actions, key=lambda t: t.entry.priority, reverse=True):
        head = trigger.head
        if head.pos_ not in ("NOUN", "PROPN"):
            continue
        for mention, tokens in ctx.mentions:
            if mention.generic or (target is not None and _same_actor(mention.actor, target.actor)):
                continue
            overlaps = tokens.start <= head.i < tokens.end
            qualifies = tokens.root.head.i == head.i and tokens.root.dep_ in AUTHOR_MODIFIERS
            if overlaps or qualifies:
                return _role(mention, tokens, ctx, PARSE_CONFIDENCE, "qualifies the trigger noun")
    return None


def _victim_noun(token: Token) -> Token:
    """The noun naming the victims: "three members of a family" -> "family"."""
    if (
        token.lemma_.lower() in context_lexicon().partitive_nouns
        or token.lower_ in context_lexicon().partitive_nouns
    ):
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return obj
    return token


def _code_group(
    sentence: TokenSpan, group: list[Trigger], deaths: list[DeathCount], ctx: _Context
) -> _Draft | None:
    actions = [t for t in group if t.entry.kind != "instrument"]
    if not actions:
        return None
    demonstrations = [t for t in actions if t.entry.family == "demonstration"]
    primary = max(demonstrations or actions, key=lambda t: (t.entry.priority, -t.span.start))
    event_type, sub_event_type, method, priority = _classify(primary, group)
    lexicon = context_lexicon()

    agents: list[Token] = []
    patients: list[Token] = []
    for trigger in sorted(actions, key=lambda t: t.entry.priority, reverse=True):
        args = trigger_arguments(trigger.span)
        agents.extend(args.agents)
        patients.extend(args.patients)
    counts_dead = event_type in VIOLENT_EVENT_TYPES or event_type == "Protests"
    victims = [_victim_noun(d.victims) for d in deaths] if counts_dead else []
    patients = [_victim_noun(t) for t in patients]

    draft = _Draft(event_type, sub_event_type, method, priority, group, [sentence])
    if counts_dead:
        draft.deaths = deaths
    for arg in agents:
        found = _mentions_in(arg, ctx, own_side=True)
        if found:
            draft.actor1 = _role(
                *found[0], ctx, PARSE_CONFIDENCE, "subject or agent of the trigger"
            )
            # "Russian officers and rebel commanders signed": the second party is actor2.
            for other in arg.conjuncts:
                for mention, tokens in _mentions_in(other, ctx):
                    if not _same_actor(mention.actor, draft.actor1.actor):
                        draft.actor2 = _role(
                            mention, tokens, ctx, PARSE_CONFIDENCE, "coordinated with the subject"
                        )
                        break
                if draft.actor2 is not None:
                    break
            break
    for arg in [] if draft.actor2 is not None else patients + victims:
        for mention, tokens in _mentions_in(arg, ctx):
            if draft.actor1 is None or not _same_actor(mention.actor, draft.actor1.actor):
                draft.actor2 = _role(
                    mention, tokens, ctx, PARSE_CONFIDENCE, "object or victims of the trigger"
                )
                break
        if draft.actor2 is not None:
            break
    if draft.actor1 is None:
        draft.actor1 = _trigger_modifier(actions, draft.actor2, ctx)
    if draft.actor1 is None:
        # The parse named no perpetrator: the nearest actor named before the trigger, unless
        # it is only the one speaking about it ("the Coalition condemned the bombing").
        before = [
            (m, t)
            for m, t in ctx.mentions
            if sentence.start <= t.start
            and t.end <= primary.span.start
            and not m.generic
            and (draft.actor2 is None or not _same_actor(m.actor, draft.actor2.actor))
            and not _is_speaker(t)
            and _is_subject(t)
        ]
        if before:
            draft.actor1 = _role(
                *before[-1], ctx, ORDER_CONFIDENCE, "nearest actor before the trigger"
            )
    if draft.actor1 is None and event_type == "Strategic developments":
        # A group's own change ("we decided to splinter and leave the territory of IS") is
        # coded to the group the sentence names, the one changed or left.
        named = [
            (m, t)
            for m, t in ctx.mentions
            if sentence.start <= t.start < sentence.end and not m.generic
        ]
        if named:
            nearest = min(named, key=lambda item: abs(item[1].start - primary.span.start))
            draft.actor1 = _role(*nearest, ctx, ORDER_CONFIDENCE, "the group the sentence names")
            if draft.actor2 is not None and _same_actor(draft.actor2.actor, draft.actor1.actor):
                draft.actor2 = None

    if counts_dead and draft.actor1 is not None and draft.actor1.actor.inter == 7:
        # Civilians are never the perpetrators of violence: named first, they are its victims.
        draft.actor1, draft.actor2 = None, draft.actor2 or draft.actor1
    dead = {m.actor.name for victim in victims for m, _ in _mentions_in(victim, ctx)}
    # "132 IS militants were killed in fighting with Kurdish forces": those who died were
    # acted upon; the other side is actor1.
    if (
        draft.actor1 is not None
        and draft.actor2 is not None
        and draft.actor1.actor.name in dead
        and draft.actor2.actor.name not in dead
    ):
        draft.actor1, draft.actor2 = draft.actor2, draft.actor1
    draft.place = _event_place(sentence, ctx)
    country = ctx.country

    victim_words = [t for t in patients + victims if t.lemma_.lower() in lexicon.civilian_nouns]
    fighter_words = [t for t in patients + victims if t.lemma_.lower() in lexicon.combatant_nouns]
    armed_target = draft.actor2 is not None and draft.actor2.actor.inter != 7
    civilian_target = (draft.actor2 is not None and draft.actor2.actor.inter == 7) or (
        bool(victim_words) and not armed_target and not fighter_words
    )
    # A weapon word decided the type ("warplanes struck"): the target no longer does.
    kind = primary.entry.kind if sub_event_type == primary.entry.sub_event_type else "fixed"
    if kind == "attack":
        if civilian_target:
            draft.event_type, draft.sub_event_type = "Violence against civilians", "Attack"
        else:
            draft.event_type, draft.sub_event_type = "Battles", "Armed clash"
    elif kind == "territory" and draft.actor1 is not None and draft.actor1.actor.inter == 1:
        draft.sub_event_type = "Government regains territory"
    elif (
        kind == "detention"
        and draft.actor1 is not None
        and draft.actor1.actor.inter in NON_STATE_INTER
    ):
        draft.event_type, draft.sub_event_type = (
            "Violence against civilians",
            "Abduction/forced disappearance",
        )
    elif kind == "protest":
        draft.sub_event_type = _protest_outcome(sentence)

    _fill_conventional_actors(draft, civilian_target, victim_words, country, ctx)
    draft.when = event_date(sentence, primary.span, ctx.report.published)
    draft.attribution = attribution_for(sentence, primary.span, ctx.report.source)
    return draft


def _is_country_only(place: Place) -> bool:
    return place.admin1 is None


def _event_place(sentence: TokenSpan, ctx: _Context) -> tuple[Place, Evidence] | None:
    """The geo stage's place for the sentence; a bare country ("in Syria") only when the
    report names nothing finer, since ACLED codes the town or province where it can."""
    clause = _span(ctx.doc, sentence)
    # A dateline in capitals ("DAMASCUS (Sputnik) -") is where the story was filed; it
    # places the event only when the report names nothing else.
    written = [m for m in ctx.places if not m.span.text.isupper()]
    finer = [m for m in written if not _is_country_only(m.place)]
    # A report about one country names others in passing (where a ministry spoke, where the
    # wounded were taken): the report's own country is tried first.
    at_home = [m for m in finer if m.place.country == ctx.country]
    for candidates in (at_home, finer, written, ctx.places):
        found = ctx.locate(candidates, clause, ctx.text) if candidates else None
        if found is not None:
            return found
    return None


def _inferred_perpetrator(method: str | None, country: str | None) -> Actor | None:
    for rule in trigger_lexicon().inferred_perpetrators:
        if method in rule.attack_methods and country == rule.country:
            return rule.actor
    return None


def _protest_outcome(sentence: TokenSpan) -> str:
    lexicon = context_lexicon()
    doc = sentence.doc
    following = doc[sentence.end : min(len(doc), sentence.end + 40)]
    text = f" {sentence.text} {following.text} ".lower()
    if any(f" {w}" in text for w in lexicon.protest_force_lethal):
        return "Excessive force against protesters"
    if any(f" {w}" in text for w in lexicon.protest_intervention):
        return "Protest with intervention"
    return "Peaceful protest"


def _fill_conventional_actors(
    draft: _Draft,
    civilian_target: bool,
    victim_words: list[Token],
    country: str | None,
    ctx: _Context,
) -> None:
    """ACLED's conventions where the report names no one: civilian victims are "Civilians
    (country)"; an unnamed perpetrator of violence is an "Unidentified Armed Group";
    demonstrators are "Protesters"/"Rioters"."""
    victims_phrase = _phrase(victim_words[0]) if victim_words else None
    unnamed_victims = draft.actor2 is None or (
        draft.actor2.actor.inter != 7 and draft.event_type == "Violence against civilians"
    )
    if civilian_target and unnamed_victims:
        draft.actor2 = _generic_role(
            "civilians", victims_phrase, ctx, country, "victims are civilians"
        )
    if draft.event_type == "Protests" and (draft.actor1 is None or draft.actor1.actor.inter != 6):
        # The force that intervened is actor2; the demonstrators are actor1.
        intervening = draft.actor1
        protesters = (
            draft.actor2 if draft.actor2 is not None and draft.actor2.actor.inter == 6 else None
        )
        draft.actor1 = protesters or _generic_role(
            "protesters", draft.triggers[0].span, ctx, country, "demonstrators"
        )
        draft.actor2 = intervening if draft.sub_event_type != "Peaceful protest" else None
    elif draft.event_type == "Riots" and (draft.actor1 is None or draft.actor1.actor.inter != 5):
        draft.actor1 = _generic_role("rioters", draft.triggers[0].span, ctx, country, "rioters")
    elif draft.event_type in VIOLENT_EVENT_TYPES and draft.actor1 is None:
        inferred = _inferred_perpetrator(draft.attack_method, country)
        if inferred is not None:
            draft.actor1 = _Role(
                actor=inferred,
                evidence=Evidence(
                    spans=[_span(ctx.doc, t.span) for t in draft.triggers if t.entry.attack_method],
                    confidence=ORDER_CONFIDENCE,
                    rule=INFERRED_PERPETRATOR,
                ),
            )
        else:
            draft.actor1 = _generic_role(
                "unidentified armed group", None, ctx, country, UNNAMED_PERPETRATOR
            )


def _phrase_head(token: Token) -> Token:
    """The head of the noun phrase a word belongs to ("State" -> "group" in "the Islamic
    State group")."""
    while (
        token.dep_ in ("compound", "amod", "nmod", "poss", "appos", "det") and token.head != token
    ):
        token = token.head
    return token


def _names_responsible(head: Token) -> bool:
    """The phrase headed by `head` is the one blamed for, claiming or carrying out an act."""
    lexicon = context_lexicon()
    governor = head.head
    if head.dep_ == "dobj" and governor.lemma_.lower() in lexicon.blame_verbs:
        return True
    if head.dep_ == "nsubj" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in lexicon.responsibility_nouns
        for c in governor.children
    ):
        return True
    by_agent = head.dep_ == "pobj" and governor.dep_ == "agent"
    return by_agent and governor.head.lemma_.lower() in lexicon.perpetration_verbs


def _name_the_responsible(draft: _Draft, told: set[int], ctx: _Context) -> None:
    """An unnamed perpetrator of violence takes the party the report names as responsible
    in the incident's sentences or the few after them that tell no incident of their own
    (`told`: where sentences with a trigger start)."""
    if draft.actor1 is None or draft.actor1.evidence.rule != UNNAMED_PERPETRATOR:
        return
    doc = ctx.doc
    first, last = draft.sentences[0], max(draft.sentences, key=lambda s: s.end)
    end, following = last.end, 0
    own = {sentence.start for sentence in draft.sentences}
    while end < len(doc) and following < context_lexicon().responsibility_window:
        if end in told and end not in own:
            break
        end = doc[end].sent.end
        following += 1
    for mention, tokens in ctx.mentions:
        if not first.start <= tokens.start < end or mention.generic or mention.actor.inter == 7:
            continue
        if not _names_responsible(_phrase_head(tokens.root)):
            continue
        if draft.actor2 is not None and _same_actor(draft.actor2.actor, mention.actor):
            # "blamed IS for the attack" read IS as the attack's object: it is its author.
            if not any(span.start == tokens.start_char for span in draft.actor2.evidence.spans):
                continue
            draft.actor2 = None
        draft.actor1 = _role(
            mention, tokens, ctx, ORDER_CONFIDENCE, "named responsible for the incident"
        )
        return


def _same_day_as_before(draft: _Draft, previous: EventDate | None) -> None:
    """ "On the same day", "that night": the date of the event told before."""
    if previous is None or (draft.when is not None and draft.when.span is not None):
        return
    anaphora = context_lexicon().same_day_anaphora
    for ent in draft.sentences[0].ents:
        if ent.label_ in ("DATE", "TIME") and any(a in ent.text.lower() for a in anaphora):
            draft.when = EventDate(
                day=previous.day,
                precision=previous.precision,
                span=ent,
                rule="same day as the event before",
            )
            return


def _is_history(draft: _Draft, report_date: date | None) -> bool:
    when = draft.when
    if when is None or when.span is None or report_date is None:
        return False
    return (report_date - when.day).days > context_lexicon().max_event_age_days


def _named_actors(draft: _Draft) -> set[str]:
    """The armed actors a draft names for sure: not an unidentified group, not one coded by
    convention, not civilians (the victims of most incidents, they tell none apart)."""
    return {
        role.actor.name
        for role in (draft.actor1, draft.actor2)
        if role is not None
        and role.evidence.rule not in CONVENTIONAL_RULES
        and not role.actor.name.startswith("Unidentified")
        and role.actor.inter != 7
    }


def _compatible_actors(a: _Draft, b: _Draft) -> bool:
    """Either draft's named actors are among the other's: the same pair, in any order."""
    mine, theirs = _named_actors(a), _named_actors(b)
    return mine <= theirs or theirs <= mine


def _same_place(a: _Draft, b: _Draft) -> bool:
    """b may have happened where a did: only two places each named in their own clause,
    both finer than a country and different, tell two incidents apart."""
    if a.place is None or b.place is None:
        return True
    (pa, ea), (pb, eb) = a.place, b.place
    if min(ea.confidence, eb.confidence) < OWN_CLAUSE_PLACE:
        return True
    if _is_country_only(pa) or _is_country_only(pb):
        return pa.country == pb.country or None in (pa.country, pb.country)
    if pa.geo_precision == 3 or pb.geo_precision == 3:
        return pa.admin1 == pb.admin1
    # "Jaramana - Damascus" is in Damascus: a district and its city are one place here.
    return pa.location in pb.location or pb.location in pa.location


def _same_day(a: _Draft, b: _Draft) -> bool:
    """Only two dates each stated in their own sentence can tell incidents apart."""
    if a.when is None or b.when is None or a.when.span is None or b.when.span is None:
        return True
    return a.when.day == b.when.day


def _adjacent(a: _Draft, b: _Draft) -> bool:
    """b follows a closely: at most two sentences between them."""
    doc = a.sentences[-1].doc
    last, first = a.sentences[-1], b.sentences[0]
    sentences_between = sum(1 for token in doc[last.end : first.start] if token.is_sent_start)
    return sentences_between <= 2


def _refers_back(draft: _Draft) -> bool:
    """ "The attack killed 32", "the blast struck the crossing": a definite event noun with no
    date of its own tells more of an incident already told."""
    head = max(draft.triggers, key=lambda t: t.entry.priority).head
    # "the attack had killed more than 50": the event noun that kills is the one told before
    trigger_heads = {t.head.i for t in draft.triggers}
    killers = [
        c
        for d in draft.deaths
        for c in d.death_word.children
        if c.dep_ == "nsubj" and c.i in trigger_heads
    ]
    return any(_is_definite_noun(token) for token in [head, *killers])


def _is_definite_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" and any(
        c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their")
        for c in token.children
    )


def _mergeable(a: _Draft, b: _Draft) -> bool:
    both_violent = a.event_type in VIOLENT_EVENT_TYPES and b.event_type in VIOLENT_EVENT_TYPES
    if both_violent and _refers_back(b) and _adjacent(a, b):
        return True  # "the strikes hit ...": the words themselves point back
    # The same number of dead told twice is one incident told twice ("Three people were
    # killed in a rocket attack ... rockets fired on the neighbourhood killed three").
    if both_violent and _lead_count(a) is not None and _lead_count(a) == _lead_count(b):
        return _restates_toll(a, b)
    if both_violent and _another_estimate(a, b):
        return True
    if not _compatible_actors(a, b):
        return False
    if not (_same_place(a, b) and _same_day(a, b)):
        return False
    same_type = (a.event_type, a.sub_event_type) == (b.event_type, b.sub_event_type)
    if a.event_type == b.event_type == "Protests":
        # One demonstration told over several sentences: its outcome is the gravest told.
        return _adjacent(a, b)
    # A plain "killed"/"attacked" sentence, or one with no date of its own, right after an
    # incident tells more of that incident ("The shelling hit a market. Five people were
    # killed."), not a new one; a new incident comes with its own place or date.
    undated = b.when is None or b.when.span is None
    close_elaboration = (min(a.priority, b.priority) <= GENERIC_PRIORITY or undated) and _adjacent(
        a, b
    )
    elaborates = both_violent and (close_elaboration or _refers_back(b))
    return (same_type and (_adjacent(a, b) or _fully_identified(a, b))) or elaborates


def _restates_toll(a: _Draft, b: _Draft) -> bool:
    """b gives a's toll again, for an incident of the same kind: a large toll wherever it
    is placed (headlines name places loosely), a small one only at the same place."""
    toll = _lead_count(a)
    if toll is None or toll != _lead_count(b):
        return False
    if not _same_kind_of_violence(a, b):
        return False  # "six executed" and "six killed in airstrikes" are two incidents
    return toll >= fatality_lexicon().restated_toll_min or _same_place(a, b)


def _same_kind_of_violence(a: _Draft, b: _Draft) -> bool:
    """No two methods of different event types ("executed" and "airstrikes")."""
    if not (a.attack_method and b.attack_method):
        return True
    kinds = {trigger_lexicon().event_type_of(m) for m in (a.attack_method, b.attack_method)}
    return len(kinds) == 1


def _another_estimate(a: _Draft, b: _Draft) -> bool:
    """b gives another source's figure for a's incident ("at least 58 killed" by one
    source, "more than 50" by another): the same kind of weapon, place and day, and a toll
    within the margin sources differ by."""
    first, second = _lead_count(a), _lead_count(b)
    if first is None or second is None or not (a.attack_method and b.attack_method):
        return False
    margin = fatality_lexicon().estimate_margin * max(first, second)
    return (
        _same_kind_of_violence(a, b)
        and abs(first - second) <= margin
        and _same_place(a, b)
        and _same_day(a, b)
    )


def _lead_count(draft: _Draft) -> int | None:
    counts = [d.value for d in draft.deaths if d.value > 0]
    return counts[0] if counts else None


def _fully_identified(a: _Draft, b: _Draft) -> bool:
    """Same actor pair, place and day, all known: one event whatever the distance."""
    return all(x is not None for x in (a.actor1, b.actor1, a.place, b.place, a.when, b.when))


#: Protest outcomes, gravest first: a merged demonstration keeps the gravest.
PROTEST_SEVERITY = (
    "Excessive force against protesters",
    "Protest with intervention",
    "Peaceful protest",
)


def _merge_into(a: _Draft, b: _Draft) -> None:
    if a.event_type == b.event_type == "Protests":
        a.sub_event_type = min(a.sub_event_type, b.sub_event_type, key=PROTEST_SEVERITY.index)
    elif a.priority <= GENERIC_PRIORITY < b.priority:
        # A plain "killed" sentence takes the type its elaboration names ("... in shelling");
        # an incident already coded keeps its type whatever later sentences add.
        a.event_type, a.sub_event_type, a.priority = b.event_type, b.sub_event_type, b.priority
        a.attack_method = b.attack_method or a.attack_method
    elif (
        a.event_type == b.event_type
        and b.attack_method
        and b.priority > a.priority
        and not any(
            t.entry.kind == "bombing" and t.entry.priority == b.priority for t in b.triggers
        )
    ):
        # A later telling names the weapon more precisely ("the blast" -> "a car bomb"); a
        # bare bomb word names nothing more precise.
        a.sub_event_type, a.priority = b.sub_event_type, b.priority
        a.attack_method = b.attack_method
    a.attack_method = a.attack_method or b.attack_method
    a.triggers += b.triggers
    a.sentences += [s for s in b.sentences if s not in a.sentences]
    a.deaths += b.deaths
    own_actor1 = a.actor1
    a.actor1 = _better_role(a.actor1, b.actor1)
    a.actor2 = _better_role(a.actor2, b.actor2)
    if a.actor1 is not None and a.actor2 is not None:
        # One telling names a party as the target, another as the author: the author is
        # the other party a telling names ("Army kills 70 ISIL" + "70 ISIL were killed").
        target = a.actor2.actor
        if _same_actor(a.actor1.actor, target):
            others = [
                r
                for r in (own_actor1, b.actor1)
                if r
                and r.evidence.rule not in CONVENTIONAL_RULES
                and not _same_actor(r.actor, target)
            ]
            a.actor1 = others[0] if others else a.actor1
    if b.place is not None and (a.place is None or b.place[1].confidence > a.place[1].confidence):
        a.place = b.place
    if a.attribution is None or (a.attribution.span is None and b.attribution is not None):
        a.attribution = b.attribution
    if a.when is None or (a.when.span is None and b.when is not None and b.when.span is not None):
        a.when = b.when
    a.flags += [f for f in b.flags if f not in a.flags]


def _better_role(a: _Role | None, b: _Role | None) -> _Role | None:
    if a is None or (b is not None and b.evidence.confidence > a.evidence.confidence):
        return b
    return a


#: A first paragraph of at most this many words, not ending a sentence and followed by
#: more text, is a headline.
HEADLINE_MAX_TOKENS = 30


def _headline_end(doc: Doc, text: str) -> int:
    """Token index where the headline ends (0 when the report has none)."""
    cut = text.find("\n\n")
    if cut <= 0 or not text[cut:].strip() or text[:cut].rstrip().endswith((".", "!", "?")):
        return 0  # no first paragraph, nothing after it, or it is a sentence of the body
    tokens = doc.char_span(0, cut, alignment_mode="contract")
    if tokens is None or len(tokens) > HEADLINE_MAX_TOKENS:
        return 0
    return tokens.end


def _tag_list_chars(doc: Doc) -> set[int]:
    """Where the page's keyword lists stand ("Tags Syria Aleppo Rebels Car Bomb At least
    ..."): the capitalised words after a tag marker name topics, not what happened.
    Returned as the start offsets of their tokens."""
    markers = context_lexicon().tag_list_markers
    starts: set[int] = set()
    for token in doc:
        if token.text not in markers:
            continue
        for word in doc[token.i + 1 :]:
            if not (word.is_title or word.is_upper or word.is_punct):
                break
            starts.add(word.idx)
    return starts


def _story_end(text: str, doc: Doc, headline_end: int) -> int:
    """Token index where the story ends: the first page-furniture marker after the
    headline ("Related News ...", or a bare "Related" list closing the page), else the end
    of the text."""
    lexicon = context_lexicon()
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


def _same_region(a: _Draft, b: _Draft) -> bool:
    """Headlines name places broadly ("Bomb kills 18 in Damascus suburb"): the same
    first-level division, or a place too vague to tell, is enough."""
    if a.place is None or b.place is None:
        return True
    pa, pb = a.place[0], b.place[0]
    if pa.country != pb.country:
        return False
    return pa.admin1 is None or pb.admin1 is None or pa.admin1 == pb.admin1


def _headline_merged(drafts: list[_Draft], end: int) -> list[_Draft]:
    """A headline announces the report's main incident: its drafts join the first body
    draft of the same family that fits (the body's wording codes it)."""
    headline = [d for d in drafts if d.sentences[0].start < end]
    body = [d for d in drafts if d.sentences[0].start >= end]
    kept = []
    for draft in headline:
        family = draft.triggers[0].entry.family
        candidates = [
            b for b in body if b.triggers[0].entry.family == family and _same_region(draft, b)
        ]
        target = next((b for b in candidates if _compatible_actors(draft, b)), None)
        if target is None:
            kept.append(draft)
            continue
        coded = (target.event_type, target.sub_event_type, target.priority)
        _merge_into(target, draft)
        target.event_type, target.sub_event_type, target.priority = coded
    return kept + body


def _merged(drafts: list[_Draft]) -> list[_Draft]:
    merged: list[_Draft] = []
    for draft in drafts:
        # An earlier draft with the same toll is the likeliest one this retells; a sentence
        # with no toll goes on telling the incident of the armed actor it names.
        for earlier in sorted(
            merged,
            key=lambda e: (
                not _restates_toll(e, draft),
                not draft.deaths and not _named_actors(e) & _named_actors(draft),
            ),
        ):
            if _mergeable(earlier, draft):
                _merge_into(earlier, draft)
                break
        else:
            merged.append(draft)
    return merged


def _without_summary_totals(drafts: list[_Draft]) -> list[_Draft]:
    """A toll that sums up several incidents told before it ("the day's toll rose to five"
    after three and two) repeats their dead: it is no incident and adds no deaths."""
    kept: list[_Draft] = []
    for draft in drafts:
        totals = [d.value for d in draft.deaths if d.is_total]
        earlier = [c for c in (_lead_count(k) for k in kept) if c is not None]
        sums_up = bool(totals) and len(totals) == len(draft.deaths) and len(earlier) >= 2
        if sums_up and max(totals) >= sum(earlier):
            draft.deaths = []
            if draft.priority <= GENERIC_PRIORITY:
                continue
        kept.append(draft)
    return kept


def sums_of_the_tolls_after(tolls: list[int]) -> set[int]:
    """Positions of the tolls that the tolls right after them add up to exactly, in two
    parts or more ([5, 2, 3] -> {0}): a round-up's lead ("Five killed in attacks in Aleppo
    and Hama") followed by each incident ("two killed in Aleppo", "three in Hama")."""
    sums: set[int] = set()
    for at, toll in enumerate(tolls):
        later = [count for count in tolls[at + 1 :] if count > 0]
        told = 0
        for parts, count in enumerate(later, start=1):
            told += count
            if told >= toll:
                if told == toll and parts >= 2:
                    sums.add(at)
                break
    return sums


def _without_lead_summaries(drafts: list[_Draft], headline_end: int) -> list[_Draft]:
    """A round-up's lead whose incidents are told after it is their sum, not one more
    incident."""
    summaries = sums_of_the_tolls_after([_fatalities(d, headline_end)[0] for d in drafts])
    return [d for at, d in enumerate(drafts) if at not in summaries]


def _without_period_recaps(drafts: list[_Draft]) -> list[_Draft]:
    """Tolls counted over days ("68 have been killed since Saturday") recap incidents, some
    told on their own: when the report gives any incident's own toll, they add no deaths,
    and a sentence that only recaps is no incident."""
    if not any(not d.over_a_period for draft in drafts for d in draft.deaths):
        return drafts  # the recap is all the report says of its dead
    kept = []
    for draft in drafts:
        own = [d for d in draft.deaths if not d.over_a_period]
        if draft.deaths and not own:
            continue
        draft.deaths = own
        kept.append(draft)
    return kept


def _without_vague_retellings(drafts: list[_Draft]) -> list[_Draft]:
    """Where a report gives figures, its "dozens were killed" retells them loosely (or
    recalls other days): a vague quantity counts only when the report gives no figure."""
    if any(not d.is_vague for draft in drafts for d in draft.deaths):
        for draft in drafts:
            draft.deaths = [d for d in draft.deaths if not d.is_vague]
    return drafts


def _fatalities(draft: _Draft, headline_end: int) -> tuple[int, Evidence | None]:
    """One figure for the incident, never a sum across sentences (each restates the same
    dead): the highest summary total ("the toll rose to 30") when there is one, else the
    figure of the first body sentence that gives one (the lead states the incident's count;
    later ones break it down or quote other claims), else the headline's."""
    if not draft.deaths:
        return 0, None
    totals = [d for d in draft.deaths if d.is_total]
    body = [d for d in draft.deaths if d.span.start >= headline_end]
    if totals:
        best = max(totals, key=lambda d: d.value)
    else:
        best = min(body or draft.deaths, key=lambda d: d.span.start)
    doc = best.span.doc
    spans = [_span(doc, best.span), _span(doc, doc[best.death_word.i : best.death_word.i + 1])]
    rule = "summary total" if best.is_total else "death expression tied to the event"
    return best.value, Evidence(spans=spans, confidence=0.8, rule=rule)


def _to_event(draft: _Draft, ctx: _Context) -> Event:
    doc = ctx.doc
    trigger_spans = [_span(doc, t.span) for t in draft.triggers]
    type_evidence = Evidence(
        spans=trigger_spans, confidence=0.8, rule=f"trigger {draft.triggers[0].span.text!r}"
    )
    evidence: dict[str, Evidence] = {"event_type": type_evidence, "sub_event_type": type_evidence}
    flags = list(draft.flags)
    if draft.actor1 and draft.actor1.evidence.rule == UNNAMED_PERPETRATOR:
        flags.append("perpetrator_unnamed")
    if draft.actor1 and draft.actor1.evidence.rule == INFERRED_PERPETRATOR:
        flags.append("perpetrator_inferred")
    if draft.actor1:
        evidence["actor1"] = draft.actor1.evidence
    if draft.actor2:
        evidence["actor2"] = draft.actor2.evidence
    place = None
    if draft.place is not None:
        place, place_evidence = draft.place
        for name in (
            "location",
            "admin1",
            "admin2",
            "country",
            "latitude",
            "longitude",
            "geo_precision",
        ):
            evidence[name] = place_evidence
        if not place.resolved:
            flags.append("place_unresolved")
    else:
        flags.append("no_place")
    fatalities, fatality_evidence = _fatalities(draft, ctx.headline_end)
    if fatality_evidence is not None:
        evidence["fatalities"] = fatality_evidence
    method = draft.attack_method
    if method:
        method_spans = [_span(doc, t.span) for t in draft.triggers if t.entry.attack_method]
        evidence["attack_method"] = Evidence(
            spans=method_spans or trigger_spans, confidence=0.8, rule="weapon or method named"
        )
    when = draft.when
    if when is None:
        flags.append("undated")
    else:
        evidence["event_date"] = Evidence(
            spans=[_span(doc, when.span)] if when.span is not None else [],
            confidence=0.85 if when.span is not None else 0.6,
            rule=when.rule,
        )
    attribution = draft.attribution
    if attribution is not None:
        evidence["attribution"] = Evidence(
            spans=[_span(doc, attribution.span)] if attribution.span is not None else [],
            confidence=0.8 if attribution.span is not None else 0.5,
            rule=f"source: {attribution.kind}",
        )
        if attribution.kind == "party":
            flags.append("claim_by_party")
    event = Event(
        event_type=draft.event_type,
        sub_event_type=draft.sub_event_type,
        event_date=when.day if when else None,
        time_precision=when.precision if when else None,
        actor1=draft.actor1.actor if draft.actor1 else None,
        actor2=draft.actor2.actor if draft.actor2 else None,
        place=place,
        fatalities=fatalities,
        attack_method=method,
        source=ctx.report.source,
        attribution=attribution.text if attribution else None,
        evidence=evidence,
        flags=flags,
        trigger=trigger_spans[0],
    )
    confidences = [e.confidence for e in evidence.values()]
    event.confidence = round(sum(confidences) / len(confidences), 3)
    event.notes = note_for(event)
    return event


def find_events(
    doc: Doc,
    report: Report,
    *,
    actors: list[ActorMention],
    places: list[PlaceMention],
    locate: Locator,
    generic: GenericActors,
) -> list[Event]:
    """Code a parsed report into events (ids are left to the caller)."""
    text = doc.text
    tags = _tag_list_chars(doc)
    ctx = _Context(
        doc=doc,
        text=text,
        report=report,
        mentions=[(m, t) for m, t in _token_mentions(doc, actors) if t.start_char not in tags],
        places=[
            p for p in places if not _names_an_organisation(doc, p) and p.span.start not in tags
        ],
        locate=locate,
        generic=generic,
        country=focus_country(places),
        headline_end=_headline_end(doc, text),
    )
    triggers = find_triggers(doc)
    story_end = _story_end(text, doc, ctx.headline_end)
    realised = [
        t
        for t in triggers
        if _anchors_event(t, triggers)
        and t.span.start < story_end
        and t.span.start_char not in tags
    ]
    drafts: list[_Draft] = []
    deaths_by_sentence: dict[int, list[DeathCount]] = {}
    previous_date: EventDate | None = None
    for sentence, group in _groups(realised):
        if sentence.start not in deaths_by_sentence:
            deaths_by_sentence[sentence.start] = death_counts(sentence)
        draft = _code_group(sentence, group, deaths_by_sentence[sentence.start], ctx)
        if draft is None:
            continue
        _same_day_as_before(draft, previous_date)
        if draft.when is not None and draft.when.span is not None:
            previous_date = draft.when
        if not _is_history(draft, report.published):
            drafts.append(draft)
    if any(d.event_type in VIOLENT_EVENT_TYPES for d in drafts):
        drafts = [d for d in drafts if d.triggers[0].entry.family != "movement"]
    drafts = _without_vague_retellings(_without_period_recaps(_without_summary_totals(drafts)))
    merged = _without_lead_summaries(
        _merged(_headline_merged(drafts, ctx.headline_end)), ctx.headline_end
    )
    told = {t.span.sent.start for t in realised}
    for draft in merged:
        _name_the_responsible(draft, told, ctx)
    return [_to_event(draft, ctx) for draft in merged]
