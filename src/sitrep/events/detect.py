"""From a parsed report to events: triggers, coded by their arguments, merged per incident.

One sentence's triggers of one family (violence, detention, demonstration, agreement...)
describe one happening; its most specific trigger codes it. Its parties come from
`_participants`, deaths from death expressions (`fatalities`), dates from the sentence's
DATE expressions (`dates`), the place from the geo stage (`locate`), the source from
`attribution`. `_merge` then makes one event of each incident's retellings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as TokenSpan

from sitrep.events._context import Irrealis, irrealis_reason
from sitrep.events._draft import (
    INFERRED_PERPETRATOR,
    UNNAMED_PERPETRATOR,
    CodingContext,
    Draft,
    GenericActors,
    Locator,
    is_country_only,
    span_of,
)
from sitrep.events._layout import find_headline_end, find_story_end, tag_list_chars
from sitrep.events._lexicon import ContextLexicon, EventLexicons, TriggerLexicon, default_lexicons
from sitrep.events._merge import incident_toll, incidents
from sitrep.events._model import (
    NO_EVENT_RULE,
    SUB_TYPE_RULE,
    Readings,
    SentenceModel,
    amend_sub_type,
    gate_triggers,
    read_sentences,
)
from sitrep.events._participants import (
    assign_parties,
    fill_conventional_actors,
    hand_to_recipient,
    name_the_responsible,
    recheck_inferred_perpetrator,
)
from sitrep.events._roles import is_verb
from sitrep.events._triggers import Trigger, find_triggers
from sitrep.events.attribution import Attribution, attribution_for
from sitrep.events.dates import DateOrder, EventDate, date_order, entity_day, event_date
from sitrep.events.fatalities import DeathCount, death_counts
from sitrep.events.notes import note_for
from sitrep.geo import place_evidence
from sitrep.models import (
    VIOLENT_EVENT_TYPES,
    ActorMention,
    Event,
    Evidence,
    Place,
    PlaceMention,
    Report,
    Span,
    Suppression,
)
from sitrep.nlp.index import entities_in, sentence_of
from sitrep.rules import RuleSwitch, every_rule_on

#: A state actor (inter code 1) detaining people makes an arrest, and so does a group
#: acting as the authority of the area it holds; other groups of these codes abduct.
NON_STATE_INTER = frozenset({2, 3, 4})


#: Families told in one sentence as part of another family's event: force used on or by
#: demonstrators is part of the demonstration; the troop movement and the deal behind a
#: handover ("deployed in the town under an agreement, without any fighting") are the
#: transfer of territory.
PART_OF = {"violence": "demonstration", "movement": "transfer", "agreement": "transfer"}


#: What demonstrators do that makes their demonstration a riot: violence, or destroying
#: property (the `looting` family of triggers.yaml).
CROWD_FORCE_FAMILIES = frozenset({"violence", "looting"})


#: Clauses beside the event's own, and the subjects that make them tell something else.
SIDE_CLAUSE_DEPS = frozenset({"advcl", "conj", "ccomp", "parataxis"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})

#: Entities whose words are names, never triggers ("March" is a month, not a march).
NAME_ENTITIES = frozenset({"DATE", "TIME", "GPE", "PERSON"})


#: Letters of an all-capital word read as an acronym, not a dateline.
ACRONYM_MAX = 4


SAME_DAY_RULE = "date.same-day-as-before"


#: The rule that decides who asserts an event, by the kind of source found.
SOURCE_RULES = {
    "party": "source.party-to-the-conflict",
    "monitor": "source.monitor",
    "named": "source.named",
    "outlet": "source.the-outlet",
}


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
    """The country the report's places name most: the country its events are coded in
    when the caller has no better reading of the report's country."""
    countries = Counter(p.place.country for p in places if p.place.country)
    return countries.most_common(1)[0][0] if countries else None


def _not_an_event(
    trigger: Trigger, trigger_tokens: frozenset[int], ctx: CodingContext
) -> Irrealis | None:
    """Why a trigger anchors no event (the rule's id and what it saw), or None for a
    realised trigger that names a happening, not a thing ("battle field", "mortar
    positions" are things; "mortar shells" still counts: its head is a trigger too)."""
    head, enabled = trigger.head, ctx.enabled
    names = all(token.ent_type_ in NAME_ENTITIES for token in trigger.span)
    if names and enabled("trigger.name-not-act"):
        return "trigger.name-not-act", f"part of a name ({trigger.span.text!r})"
    thing = head.dep_ == "compound" and head.head.i not in trigger_tokens
    if thing and enabled("trigger.thing-not-act"):
        return "trigger.thing-not-act", f"describes {head.head.text!r}"
    # "10,000 troops deployed along the border": a participle describing a state of affairs.
    # (A sentence whose root is that noun has no other verb: the participle is its verb.)
    verbless = head.head.dep_ == "ROOT" and not is_verb(head.head)
    describes_state = head.dep_ in ("acl", "amod") and head.tag_ == "VBN" and not verbless
    if (
        describes_state
        and trigger.entry.family not in ("violence",)
        and enabled("trigger.state-participle")
    ):
        return "trigger.state-participle", f"describes {head.head.text!r}"
    acted_upon = trigger.entry.attack_method and enabled("trigger.weapon-acted-upon")
    if acted_upon and _acted_upon(head, ctx.lexicons.triggers):
        return "trigger.weapon-acted-upon", f"{head.text!r} is acted upon"
    return irrealis_reason(head, ctx.lexicons.context, enabled)


def _acted_upon(head: Token, lexicon: TriggerLexicon) -> bool:
    """A weapon or attacker noun that an action is done to ("destroyed their mortar shells",
    "killed 75 militants including the suicide bombers"): a thing, not an act."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    # "6 bombers killed", "the weapons seized": a participle after the noun tells what
    # was done to it.
    if any(
        c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in lexicon.acted_upon_verbs
        for c in head.children
    ):
        return True
    token = head
    while True:
        if token.dep_ in ("conj", "appos"):
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ in lexicon.member_prepositions:
            token = token.head.head
        else:
            break
    verb = token.head
    if verb.lemma_.lower() not in lexicon.acted_upon_verbs:
        return False
    # A passive verb takes no direct object ("were killed in clashes, bombings and strikes"
    # parsed with "bombings" as its object is a misparse), and a verb one: a second direct
    # object is a parse running two sentences together.
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    objects = [] if passive else [c for c in verb.children if c.dep_ == "dobj"]
    # A headline's passive drops its auxiliary: "6 Bombers Killed" is "6 bombers were killed".
    headline_passive = (
        token.dep_ == "nsubj"
        and verb.tag_ == "VBN"
        and not objects
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )
    return token.dep_ == "nsubjpass" or headline_passive or objects[:1] == [token]


def _groups(
    triggers: list[Trigger], enabled: RuleSwitch
) -> Iterator[tuple[TokenSpan, list[Trigger]]]:
    """Triggers of one family within one sentence, in text order."""
    grouped: dict[tuple[int, str], list[Trigger]] = {}
    for trigger in triggers:
        sentence = sentence_of(trigger.span)
        grouped.setdefault((sentence.start, trigger.entry.family), []).append(trigger)
    if enabled("event.means-of-another"):
        for (start, family), group in list(grouped.items()):
            _join_the_event_they_were_means_of(grouped, start, family, group)
    for (start, family), group in list(grouped.items()):
        whole = grouped.get((start, PART_OF.get(family, "")))
        if whole is not None and enabled("event.part-of-another"):
            whole.extend(group)
            del grouped[(start, family)]
            continue
        # Property demonstrators destroy is part of their demonstration; property others
        # destroy is an event of its own.
        demonstration = grouped.get((start, "demonstration"))
        if demonstration is not None and family in CROWD_FORCE_FAMILIES:
            theirs = [t for t in group if _done_by_the_crowd(t, demonstration)]
            demonstration.extend(theirs)
            others = [t for t in group if t not in theirs]
            if others:
                grouped[(start, family)] = others
            else:
                del grouped[(start, family)]
    for group in sorted(grouped.values(), key=lambda g: g[0].span.start):
        yield sentence_of(group[0].span), sorted(group, key=lambda t: t.span.start)


def _join_the_event_they_were_means_of(
    grouped: dict[tuple[int, str], list[Trigger]], start: int, family: str, group: list[Trigger]
) -> None:
    """A group made only of words telling how another family's event of the sentence was
    carried out joins that event ("raided a house and detained six": the arrest)."""
    ends = {t.entry.means_of for t in group}
    if len(ends) != 1 or None in ends:
        return
    whole = grouped.get((start, str(ends.pop())))
    if whole is not None:
        whole.extend(group)
        del grouped[(start, family)]


def _classify(
    primary: Trigger, group: list[Trigger], enabled: RuleSwitch
) -> tuple[str, str, str | None, int]:
    """Event type, sub-event type, attack method and priority from the group's triggers;
    a weapon word ("warplanes") decides what a plain action word ("struck") was."""
    actions = [t for t in group if t.entry.kind != "instrument"]
    instruments = [t for t in group if t.entry.kind == "instrument"]
    entry = primary.entry
    plain_attack = any(t.entry.kind in ("attack", "bombing") for t in actions)
    if instruments and plain_attack and enabled("type.weapon-decides"):
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


def _primary_trigger(actions: list[Trigger], enabled: RuleSwitch) -> Trigger:
    """The most specific action word of the group codes it; a bare bomb word ("bombing")
    gives way to a weapon its sentence names ("regime bombing and air strikes")."""
    demonstrations = [t for t in actions if t.entry.family == "demonstration"]
    candidates = demonstrations or actions
    named = [
        t
        for t in candidates
        if t.entry.kind != "bombing"
        and t.entry.attack_method
        and t.entry.event_type == "Explosions/Remote violence"
    ]
    primary = max(candidates, key=lambda t: (t.entry.priority, -t.span.start))
    if primary.entry.kind == "bombing" and named and enabled("type.named-weapon-over-bombing"):
        primary = max(named, key=lambda t: (t.entry.priority, -t.span.start))
    return primary


def _code_group(
    sentence: TokenSpan, group: list[Trigger], deaths: list[DeathCount], ctx: CodingContext
) -> Draft | None:
    actions = [t for t in group if t.entry.kind != "instrument"]
    if not actions:
        return None
    enabled = ctx.enabled
    primary = _primary_trigger(actions, enabled)
    event_type, sub_event_type, method, priority = _classify(primary, group, enabled)
    lexicon = ctx.lexicons.context

    counts_dead = event_type in VIOLENT_EVENT_TYPES or event_type == "Protests"
    draft = Draft(event_type, sub_event_type, method, priority, group, [sentence])
    if (event_type, sub_event_type) != (primary.entry.event_type, primary.entry.sub_event_type):
        draft.type_rule = "type.weapon-decides"
    if counts_dead:
        draft.deaths = deaths
    targets = assign_parties(draft, actions, primary, ctx)
    draft.place = _event_place(_event_clause(sentence, group), ctx)
    country = ctx.country

    former = [t for t in targets if _is_former_combatant(t, lexicon)]
    victim_words = [t for t in targets if t.lemma_.lower() in lexicon.civilian_nouns] + former
    fighter_words = [
        t for t in targets if t.lemma_.lower() in lexicon.combatant_nouns and t not in former
    ]
    armed_target = draft.actor2 is not None and draft.actor2.actor.inter != 7
    civilian_target = (draft.actor2 is not None and draft.actor2.actor.inter == 7) or (
        bool(victim_words) and not armed_target and not fighter_words
    )
    # A weapon word decided the type ("warplanes struck"): the target no longer does.
    kind = primary.entry.kind if sub_event_type == primary.entry.sub_event_type else "fixed"
    coded: tuple[str, str, str] | None = None
    if kind == "attack":
        if enabled("type.mob-violence") and _done_by_a_mob(primary, lexicon):
            coded = ("Riots", "Mob violence", "type.mob-violence")
        elif civilian_target and enabled("type.attack-on-civilians"):
            coded = ("Violence against civilians", "Attack", "type.attack-on-civilians")
        elif enabled("type.attack-is-armed-clash"):
            coded = ("Battles", "Armed clash", "type.attack-is-armed-clash")
    elif (
        kind == "territory"
        and draft.actor1 is not None
        and draft.actor1.actor.inter == 1
        and enabled("type.government-regains-territory")
    ):
        coded = (
            draft.event_type,
            "Government regains territory",
            "type.government-regains-territory",
        )
    elif (
        kind == "detention"
        and draft.actor1 is not None
        and draft.actor1.actor.inter in NON_STATE_INTER
        and not draft.actor1.authority
        and enabled("type.non-state-detention-is-abduction")
    ):
        coded = (
            "Violence against civilians",
            "Abduction/forced disappearance",
            "type.non-state-detention-is-abduction",
        )
    elif kind == "handover" and enabled("actor.handover-recipient"):
        hand_to_recipient(draft, primary, ctx)
    elif (
        kind == "protest"
        and enabled("type.demonstrators-use-force")
        and _demonstrators_use_force(group)
    ):
        coded = ("Riots", "Violent demonstration", "type.demonstrators-use-force")
    elif kind == "protest" and enabled("type.protest-outcome"):
        coded = (draft.event_type, _protest_outcome(sentence, lexicon), "type.protest-outcome")
    if coded is not None:
        draft.event_type, draft.sub_event_type, draft.type_rule = coded

    fill_conventional_actors(draft, civilian_target, victim_words, country, ctx)
    draft.when = _dated(sentence, primary, ctx)
    draft.attribution = attribution_for(sentence, primary.span, ctx.report.source, lexicon)
    if not enabled(SOURCE_RULES[draft.attribution.kind]):
        outlet = Attribution(text=ctx.report.source or "the report", kind="outlet", span=None)
        draft.attribution = outlet if enabled(SOURCE_RULES["outlet"]) else None
    return draft


def _dated(sentence: TokenSpan, primary: Trigger, ctx: CodingContext) -> EventDate | None:
    """The event's date (`dates.event_date`); with the sentence's date rule off, the
    report's date, and with that off too, none."""
    report = ctx.report
    published = report.published
    order = date_order(report.source, report.url, ctx.lexicons)
    when = event_date(sentence, primary.span, published, order, ctx.lexicons)
    if when is None or ctx.enabled(when.rule):
        return when
    if when.span is not None and published is not None and ctx.enabled("date.report-date"):
        return EventDate(day=published, precision=2, span=None, rule="date.report-date")
    return None


def _is_former_combatant(token: Token, lexicon: ContextLexicon) -> bool:
    """ "a former opposition commander", "an ex-soldier": no longer a fighter."""
    if token.lemma_.lower() not in lexicon.combatant_nouns:
        return False
    modifiers = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound", "nmod")}
    return bool(modifiers & lexicon.former_words)


def _event_clause(sentence: TokenSpan, group: list[Trigger]) -> TokenSpan:
    """The part of the sentence that tells the event: without the clauses before or after
    its triggers that have a subject of their own ("... killed 43 as the rebels pushed
    towards Raqqa"): those tell something else, and their places are not the event's.
    Relative clauses stay ("blasts that hit Tartous"): they describe the event."""
    inside = {token.i for trigger in group for token in trigger.span}
    first, last = min(inside), max(inside)
    start, end = sentence.start, sentence.end
    for token in sentence:
        if token.dep_ not in SIDE_CLAUSE_DEPS:
            continue
        if not any(child.dep_ in SUBJECT_DEPS for child in token.children):
            continue
        left, right = token.left_edge.i, token.right_edge.i
        if right < first:
            start = max(start, right + 1)
        elif left > last:
            end = min(end, left)
    return sentence.doc[start:end]


def _event_place(clause_tokens: TokenSpan, ctx: CodingContext) -> tuple[Place, Evidence] | None:
    """The geo stage's place for the event's clause; a bare country ("in Syria") only when
    the report names nothing finer, since ACLED codes the town or province where it can."""
    clause = span_of(ctx.doc, clause_tokens)
    # A place told about another time ("used the same weapons in Aleppo last year") is
    # background: it places no event but one in its own clause.
    places = [
        m
        for m in ctx.places
        if m.span.start not in ctx.past_places or clause.start <= m.span.start < clause.end
    ]
    # A dateline in capitals ("DAMASCUS (Sputnik) -") is where the story was filed; it
    # places the event only when the report names nothing else.
    written = [m for m in places if not m.span.text.isupper()]
    finer = [m for m in written if not is_country_only(m.place)]
    # A report about one country names others in passing (where a ministry spoke, where the
    # wounded were taken): the report's own country is tried first.
    # A name the gazetteer lacks is tried with them: the geo stage codes it to the province
    # the report places it in.
    at_home = [
        m
        for m in written
        if m.place.country == ctx.country and not is_country_only(m.place) or not m.place.resolved
    ]
    for candidates in (at_home, finer, written, places):
        found = ctx.locate(candidates, clause, ctx.text) if candidates else None
        if found is not None:
            return found
    return None


def _places_told_of_the_past(
    places: list[PlaceMention],
    doc: Doc,
    report_date: date | None,
    order: DateOrder,
    lexicons: EventLexicons,
) -> frozenset[int]:
    """The place mentions of sentences whose every date is older than an event can be
    ("the rebels used the same weapons in Aleppo last year")."""
    if report_date is None:
        return frozenset()
    oldest = lexicons.context.max_event_age_days
    past: set[int] = set()
    for sentence in doc.sents:
        days = [
            parsed[0]
            for ent in entities_in(sentence)
            if ent.label_ == "DATE"
            and (parsed := entity_day(ent, report_date, order, lexicons)) is not None
        ]
        if days and all((report_date - day).days > oldest for day in days):
            past.update(
                m.span.start
                for m in places
                if sentence.start_char <= m.span.start < sentence.end_char
            )
    return frozenset(past)


def _done_by_the_crowd(trigger: Trigger, group: list[Trigger]) -> bool:
    """The demonstrators of the group are the subject of the act ("protesters stormed the
    consulate", "residents protested and burned tyres")."""
    crowd = {t.head.i for t in group if t.entry.family == "demonstration"}
    verb = trigger.head
    while verb.dep_ == "conj":
        verb = verb.head  # "stormed and set fire": the subject is the first verb's
        if verb.i in crowd:
            return True
    return any(c.dep_ == "nsubj" and c.i in crowd for c in verb.children)


def _done_by_a_mob(trigger: Trigger, lexicon: ContextLexicon) -> bool:
    """Unarmed people are the subject of the violence ("residents caught a man and beat him
    to death"): ACLED's mob violence."""
    verb = trigger.head
    while verb.pos_ != "VERB" and verb.head.i != verb.i:
        verb = verb.head
    while verb.dep_ == "conj":
        verb = verb.head  # "caught a man and beat him": the subject is the first verb's
    mob = lexicon.mob_nouns
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in mob for c in verb.children)


def _demonstrators_use_force(group: list[Trigger]) -> bool:
    """The crowd is the subject of violence or destruction, so the demonstration is a riot
    (ACLED: demonstrators engaging in violence or destruction of property)."""
    return any(
        t.entry.family in CROWD_FORCE_FAMILIES and _done_by_the_crowd(t, group) for t in group
    )


def _told_as_the_cause(token: Token, lexicon: ContextLexicon) -> bool:
    """The word names what the protest is about ("his killing sparked demonstrations",
    "protests over the killing"), not what was done to the protesters."""
    for word in [token, *token.ancestors]:
        governor = word.head
        lemma = governor.lemma_.lower()
        if word.dep_ in ("nsubj", "nsubjpass") and lemma in lexicon.protest_cause_verbs:
            return True
        if word.dep_ in ("pobj", "dobj") and lemma in lexicon.protest_about_words:
            return True
        if word.dep_ not in ("pobj", "prep", "compound", "amod", "poss"):
            return False
    return False


def _protest_outcome(sentence: TokenSpan, lexicon: ContextLexicon) -> str:
    doc = sentence.doc
    following = doc[sentence.end : min(len(doc), sentence.end + 40)]
    told = [t for t in (*sentence, *following) if not _told_as_the_cause(t, lexicon)]
    text = " " + "".join(t.text_with_ws for t in told).lower() + " "
    if any(f" {w}" in text for w in lexicon.protest_force_lethal):
        return "Excessive force against protesters"
    if any(f" {w}" in text for w in lexicon.protest_intervention):
        return "Protest with intervention"
    return "Peaceful protest"


def _same_day_as_before(draft: Draft, previous: EventDate | None, ctx: CodingContext) -> None:
    """ "On the same day", "that night": the date of the event told before."""
    if previous is None or (draft.when is not None and draft.when.span is not None):
        return
    if not ctx.enabled(SAME_DAY_RULE):
        return
    anaphora = ctx.lexicons.context.same_day_anaphora
    for ent in entities_in(draft.sentences[0]):
        if ent.label_ in ("DATE", "TIME") and any(a in ent.text.lower() for a in anaphora):
            draft.when = EventDate(
                day=previous.day,
                precision=previous.precision,
                span=ent,
                rule=SAME_DAY_RULE,
            )
            return


def _is_old(draft: Draft, report_date: date | None, max_age_days: int) -> bool:
    """The event's own date is older than an event a report tells as news (a monthly
    bulletin, a back-filled archive, or history the report recalls): kept, and flagged."""
    when = draft.when
    if when is None or when.span is None or report_date is None:
        return False
    return (report_date - when.day).days > max_age_days


def _to_event(draft: Draft, ctx: CodingContext) -> Event:
    doc = ctx.doc
    trigger_spans = [span_of(doc, t.span) for t in draft.triggers]
    type_evidence = Evidence(spans=trigger_spans, confidence=0.8, rule=draft.type_rule)
    evidence: dict[str, Evidence] = {"event_type": type_evidence, "sub_event_type": type_evidence}
    if draft.model_sub_type is not None and draft.model_sub_type[0] == draft.sub_event_type:
        # The model read the whole sentence (its words, not the blank lines after it); its
        # probability is the field's confidence.
        sentence = draft.sentences[0]
        words_end = sentence.start_char + len(sentence.text.rstrip())
        evidence["sub_event_type"] = Evidence(
            spans=[Span.of(ctx.text, sentence.start_char, words_end)],
            confidence=round(draft.model_sub_type[1], 3),
            rule=draft.type_rule,
            amended_by=[SUB_TYPE_RULE],
        )
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
        place, where = draft.place
        evidence.update(place_evidence(place, where))
        if not place.resolved:
            flags.append("place_unresolved")
        if place.approximate:
            flags.append("place_approximate")
    else:
        flags.append("no_place")
    fatalities, fatality_evidence = incident_toll(draft, ctx.headline_end, ctx.enabled)
    if fatality_evidence is not None:
        evidence["fatalities"] = fatality_evidence
    method = draft.attack_method if ctx.enabled("method.weapon-named") else None
    if method:
        method_spans = [span_of(doc, t.span) for t in draft.triggers if t.entry.attack_method]
        evidence["attack_method"] = Evidence(
            spans=method_spans or trigger_spans, confidence=0.8, rule="method.weapon-named"
        )
    when = draft.when
    if when is None:
        flags.append("undated")
    else:
        flags.extend(flag for flag in when.flags if flag not in flags)
        evidence["event_date"] = Evidence(
            spans=[span_of(doc, when.span)] if when.span is not None else [],
            confidence=0.85 if when.span is not None else 0.6,
            rule=when.rule,
            amended_by=["date.old-event"] if "old_event" in flags else [],
        )
    attribution = draft.attribution
    if attribution is not None:
        evidence["attribution"] = Evidence(
            spans=[span_of(doc, attribution.span)] if attribution.span is not None else [],
            confidence=0.8 if attribution.span is not None else 0.5,
            rule=SOURCE_RULES[attribution.kind],
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
    event.notes = note_for(event, ctx.lexicons.notes)
    return event


def find_events(
    doc: Doc,
    report: Report,
    *,
    actors: list[ActorMention],
    places: list[PlaceMention],
    locate: Locator,
    generic: GenericActors,
    country: str | None = None,
    enabled: RuleSwitch = every_rule_on,
    suppressions: list[Suppression] | None = None,
    model: SentenceModel | None = None,
    lexicons: EventLexicons | None = None,
) -> list[Event]:
    """Code a parsed report into events (ids are left to the caller); `country` is the
    country the report's story happens in, by default the one its places name most.

    Rules switched off by `enabled` do not fire; what the rules drop is appended to
    `suppressions` with the deciding rule's id. With `model`, the event classifier reads
    each sentence holding a trigger and may gate it or amend its sub-event type.
    `lexicons`: an engine's (the stage reads no other), by default the packaged ones."""
    lexicons = lexicons or default_lexicons()
    text = doc.text
    tags = tag_list_chars(doc, lexicons.context) if enabled("layout.tag-list") else set()
    named_organisation = enabled("place.acronym-names-an-organisation")
    ctx = CodingContext(
        doc=doc,
        text=text,
        report=report,
        mentions=[(m, t) for m, t in _token_mentions(doc, actors) if t.start_char not in tags],
        places=[
            p
            for p in places
            if not (named_organisation and _names_an_organisation(doc, p))
            and p.span.start not in tags
        ],
        locate=locate,
        generic=generic,
        country=country or focus_country(places),
        lexicons=lexicons,
        headline_end=find_headline_end(doc, text),
        past_places=_places_told_of_the_past(
            places,
            doc,
            report.published,
            date_order(report.source, report.url, lexicons),
            lexicons,
        )
        if enabled("place.past-sentence-places-nothing")
        else frozenset(),
        enabled=enabled,
        suppressions=[] if suppressions is None else suppressions,
    )
    # Without the lexicon's reading of trigger words nothing anchors an event.
    triggers = find_triggers(doc, lexicons.triggers) if enabled("type.trigger-lexicon") else []
    story_end = (
        find_story_end(text, doc, ctx.headline_end, lexicons.context)
        if enabled("layout.page-furniture")
        else len(doc)
    )
    trigger_tokens = frozenset(i for t in triggers for i in range(t.span.start, t.span.end))
    realised = []
    for trigger in triggers:
        if trigger.span.start >= story_end:
            ctx.suppress("layout.page-furniture", trigger.span, "after the story's end")
        elif trigger.span.start_char in tags:
            ctx.suppress("layout.tag-list", trigger.span, "in the page's keyword list")
        elif (why := _not_an_event(trigger, trigger_tokens, ctx)) is not None:
            ctx.suppress(why[0], trigger.span, why[1])
        else:
            realised.append(trigger)
    readings: Readings = read_sentences(realised, model) if model is not None else {}
    if model is not None and enabled(NO_EVENT_RULE):
        realised = gate_triggers(realised, readings, model.gate, ctx)
    drafts: list[Draft] = []
    deaths_by_sentence: dict[int, list[DeathCount]] = {}
    previous_date: EventDate | None = None
    for sentence, group in _groups(realised, enabled):
        if sentence.start not in deaths_by_sentence:
            deaths_by_sentence[sentence.start] = death_counts(sentence, enabled, lexicons)
        draft = _code_group(sentence, group, deaths_by_sentence[sentence.start], ctx)
        if draft is None:
            continue
        if model is not None and enabled(SUB_TYPE_RULE):
            amend_sub_type(draft, readings[sentence.start], model.gate)
        _same_day_as_before(draft, previous_date, ctx)
        if draft.when is not None and draft.when.span is not None:
            previous_date = draft.when
        if enabled("date.old-event") and _is_old(
            draft, report.published, lexicons.context.max_event_age_days
        ):
            draft.flags.append("old_event")
        drafts.append(draft)
    if enabled("event.movement-in-fighting") and any(
        d.event_type in VIOLENT_EVENT_TYPES for d in drafts
    ):
        movements = [d for d in drafts if all(t.entry.family == "movement" for t in d.triggers)]
        for draft in movements:
            ctx.suppress(
                "event.movement-in-fighting", draft.triggers[0].span, "a report of fighting"
            )
        drafts = [d for d in drafts if d not in movements]
    merged = incidents(drafts, ctx)
    told = {sentence_of(t.span).start for t in realised}
    for draft in merged:
        recheck_inferred_perpetrator(draft, ctx)
        name_the_responsible(draft, told, ctx)
    return [_to_event(draft, ctx) for draft in merged]
