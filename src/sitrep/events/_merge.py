"""From drafts to incidents: retellings of one incident merged, recaps and sums of
other tolls dropped, and one toll chosen for each incident."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from sitrep.events._context import opens_another_incident, recall_phrase
from sitrep.events._draft import (
    CONVENTIONAL_RULES,
    GENERIC_PRIORITY,
    OWN_CLAUSE_PLACE,
    CodingContext,
    Draft,
    Role,
    is_country_only,
    same_actor,
    span_of,
)
from sitrep.events._lexicon import ContextLexicon, EventLexicons
from sitrep.events.fatalities import DeathCount
from sitrep.models import (
    VIOLENT_EVENT_TYPES,
    Evidence,
)
from sitrep.rules import RuleSwitch, every_rule_on


def _named_actors(draft: Draft) -> set[str]:
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


def _compatible_actors(a: Draft, b: Draft) -> bool:
    """Either draft's named actors are among the other's: the same pair, in any order."""
    mine, theirs = _named_actors(a), _named_actors(b)
    return mine <= theirs or theirs <= mine


def _same_place(a: Draft, b: Draft) -> bool:
    """b may have happened where a did: only two places each named in their own clause,
    both finer than a country and different, tell two incidents apart."""
    if a.place is None or b.place is None:
        return True
    (pa, ea), (pb, eb) = a.place, b.place
    if min(ea.confidence, eb.confidence) < OWN_CLAUSE_PLACE:
        return True
    if is_country_only(pa) or is_country_only(pb):
        return pa.country == pb.country or None in (pa.country, pb.country)
    if pa.geo_precision == 3 or pb.geo_precision == 3:
        return pa.admin1 == pb.admin1
    # "Jaramana - Damascus" is in Damascus: a district and its city are one place here.
    return pa.location in pb.location or pb.location in pa.location


def _same_day(a: Draft, b: Draft) -> bool:
    """Only two dates each stated in their own sentence can tell incidents apart."""
    if a.when is None or b.when is None or a.when.span is None or b.when.span is None:
        return True
    return a.when.day == b.when.day


def _adjacent(a: Draft, b: Draft) -> bool:
    """b follows a closely: at most two sentences between them."""
    doc = a.sentences[-1].doc
    last, first = a.sentences[-1], b.sentences[0]
    sentences_between = sum(1 for token in doc[last.end : first.start] if token.is_sent_start)
    return sentences_between <= 2


def _refers_back(draft: Draft) -> bool:
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


def _mergeable(a: Draft, b: Draft, lexicons: EventLexicons) -> bool:
    both_violent = a.event_type in VIOLENT_EVENT_TYPES and b.event_type in VIOLENT_EVENT_TYPES
    if both_violent and _refers_back(b) and _adjacent(a, b):
        return True  # "the strikes hit ...": the words themselves point back
    # The same number of dead told twice is one incident told twice ("Three people were
    # killed in a rocket attack ... rockets fired on the neighbourhood killed three").
    if both_violent and _lead_count(a) is not None and _lead_count(a) == _lead_count(b):
        return _restates_toll(a, b, lexicons)
    if both_violent and _another_estimate(a, b, lexicons):
        return True
    if both_violent and _retells_a_part(a, b, lexicons):
        return True
    if not _compatible_actors(a, b):
        return False
    if not (_same_place(a, b) and _same_day(a, b)):
        return False
    same_type = (a.event_type, a.sub_event_type) == (b.event_type, b.sub_event_type)
    if a.event_type == b.event_type == "Protests":
        # One demonstration told over several sentences: its outcome is the gravest told.
        return _adjacent(a, b)
    if a.sub_event_type == "Excessive force against protesters" and _adjacent(a, b):
        # "Medics counted 25 dead": a plain death sentence after lethal force on a
        # demonstration tells its dead.
        return b.priority <= GENERIC_PRIORITY and not _named_actors(b)
    # A plain "killed"/"attacked" sentence, or one with no date of its own, right after an
    # incident tells more of that incident ("The shelling hit a market. Five people were
    # killed."), not a new one; a new incident comes with its own place or date.
    undated = b.when is None or b.when.span is None
    close_elaboration = (min(a.priority, b.priority) <= GENERIC_PRIORITY or undated) and _adjacent(
        a, b
    )
    elaborates = both_violent and (close_elaboration or _refers_back(b))
    return (same_type and (_adjacent(a, b) or _fully_identified(a, b))) or elaborates


def _restates_toll(a: Draft, b: Draft, lexicons: EventLexicons) -> bool:
    """b gives a's toll again, for an incident of the same kind: a large toll wherever it
    is placed (headlines name places loosely), a small one only at the same place."""
    toll = _lead_count(a)
    if toll is None or toll != _lead_count(b):
        return False
    if not _same_kind_of_violence(a, b, lexicons):
        return False  # "six executed" and "six killed in airstrikes" are two incidents
    return toll >= lexicons.fatalities.restated_toll_min or _same_place(a, b)


def _same_kind_of_violence(a: Draft, b: Draft, lexicons: EventLexicons) -> bool:
    """No two methods of different event types ("executed" and "airstrikes")."""
    if not (a.attack_method and b.attack_method):
        return True
    kinds = {lexicons.triggers.event_type_of(m) for m in (a.attack_method, b.attack_method)}
    return len(kinds) == 1


def _another_estimate(a: Draft, b: Draft, lexicons: EventLexicons) -> bool:
    """b gives another source's figure for a's incident ("at least 58 killed" by one
    source, "more than 50" by another): the same kind of weapon, place and day, and a toll
    within the margin sources differ by."""
    first, second = _lead_count(a), _lead_count(b)
    if first is None or second is None or not (a.attack_method and b.attack_method):
        return False
    margin = lexicons.fatalities.estimate_margin * max(first, second)
    return (
        _same_kind_of_violence(a, b, lexicons)
        and abs(first - second) <= margin
        and _same_place(a, b)
        and _same_day(a, b)
    )


def _retells_a_part(a: Draft, b: Draft, lexicons: EventLexicons) -> bool:
    """b gives again one part of a breakdown a told ("120 fighters and 60 mercenaries were
    killed in strikes" ... "more than 60 mercenaries were killed in the valley"): the same
    figure of the same dead, by the same kind of violence, is that part told again."""
    told = next((d for d in b.deaths if d.value > 0), None)
    if told is None or not _same_kind_of_violence(a, b, lexicons):
        return False
    return any((told.value, told.victims.lemma_.lower()) in d.parts for d in a.deaths)


def _is_a_part(count: DeathCount, counts: list[DeathCount]) -> bool:
    """Another count of the incident breaks this one's figure down as one of its parts
    ("50 fighters" beside "50 fighters and eight civilians"), or names these dead as a part
    of its own ("ten children" beside "48 people, ten children among them")."""
    own = (count.value, count.victims.lemma_.lower())
    return any(
        count.value in (value for value, _ in other.parts) or own in other.subsets
        for other in counts
        if other is not count
    )


def _lead_count(draft: Draft) -> int | None:
    counts = [d.value for d in draft.deaths if d.value > 0]
    return counts[0] if counts else None


def _fully_identified(a: Draft, b: Draft) -> bool:
    """Same actor pair, place and day, all known: one event whatever the distance."""
    return all(x is not None for x in (a.actor1, b.actor1, a.place, b.place, a.when, b.when))


#: Protest outcomes, gravest first: a merged demonstration keeps the gravest.
PROTEST_SEVERITY = (
    "Excessive force against protesters",
    "Protest with intervention",
    "Peaceful protest",
)


def _merge_into(a: Draft, b: Draft, enabled: RuleSwitch) -> None:
    if a.event_type == b.event_type == "Protests":
        a.sub_event_type = min(a.sub_event_type, b.sub_event_type, key=PROTEST_SEVERITY.index)
    elif a.priority <= GENERIC_PRIORITY < b.priority:
        # A plain "killed" sentence takes the type its elaboration names ("... in shelling");
        # an incident already coded keeps its type whatever later sentences add.
        a.event_type, a.sub_event_type, a.priority = b.event_type, b.sub_event_type, b.priority
        a.attack_method = b.attack_method or a.attack_method
        a.type_rule = b.type_rule
    elif (
        enabled("merge.precise-weapon-told-later")
        and a.event_type == b.event_type
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
        a.type_rule = "merge.precise-weapon-told-later"
    a.attack_method = a.attack_method or b.attack_method
    a.triggers += b.triggers
    told = {(s.start, s.end) for s in a.sentences}
    a.sentences += [s for s in b.sentences if (s.start, s.end) not in told]
    a.deaths += b.deaths
    own_actor1 = a.actor1
    a.actor1 = _better_role(a.actor1, b.actor1)
    a.actor2 = _better_role(a.actor2, b.actor2)
    if a.actor1 is not None and a.actor2 is not None:
        # One telling names a party as the target, another as the author: the author is
        # the other party a telling names ("Army kills 70 ISIL" + "70 ISIL were killed").
        target = a.actor2.actor
        if same_actor(a.actor1.actor, target):
            others = [
                r
                for r in (own_actor1, b.actor1)
                if r
                and r.evidence.rule not in CONVENTIONAL_RULES
                and not same_actor(r.actor, target)
            ]
            a.actor1 = others[0] if others else a.actor1
    if b.place is not None and (a.place is None or b.place[1].confidence > a.place[1].confidence):
        a.place = b.place
    if a.attribution is None or (a.attribution.span is None and b.attribution is not None):
        a.attribution = b.attribution
    if a.when is None or (a.when.span is None and b.when is not None and b.when.span is not None):
        a.when = b.when
    a.flags += [f for f in b.flags if f not in a.flags]


def _better_role(a: Role | None, b: Role | None) -> Role | None:
    if a is None or (b is not None and b.evidence.confidence > a.evidence.confidence):
        return b
    return a


def _same_region(a: Draft, b: Draft) -> bool:
    """Headlines name places broadly ("Bomb kills 18 in Damascus suburb"): the same
    first-level division, or a place too vague to tell, is enough."""
    if a.place is None or b.place is None:
        return True
    pa, pb = a.place[0], b.place[0]
    if pa.country != pb.country:
        return False
    return pa.admin1 is None or pb.admin1 is None or pa.admin1 == pb.admin1


def _headline_merged(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    """A headline announces the report's main incident: its drafts join the first body
    draft of the same family that fits (the body's wording codes it)."""
    end = ctx.headline_end
    if not ctx.enabled("merge.headline-into-body"):
        return drafts
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
        coded = (target.event_type, target.sub_event_type, target.priority, target.type_rule)
        _merge_into(target, draft, ctx.enabled)
        target.event_type, target.sub_event_type, target.priority, target.type_rule = coded
        ctx.suppress(
            "merge.headline-into-body", draft.triggers[0].span, f"told again by {_words(target)!r}"
        )
    return kept + body


def _words(draft: Draft) -> str:
    return str(draft.triggers[0].span.text)


def _merged(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    if not ctx.enabled("merge.retelling"):
        return drafts
    lexicons = ctx.lexicons
    merged: list[Draft] = []
    for draft in drafts:
        # An earlier draft with the same toll is the likeliest one this retells; a sentence
        # with no toll goes on telling the incident of the armed actor it names.
        for earlier in sorted(
            merged,
            key=lambda e: (
                not _restates_toll(e, draft, lexicons),
                not draft.deaths and not _named_actors(e) & _named_actors(draft),
            ),
        ):
            if _mergeable(earlier, draft, lexicons):
                _merge_into(earlier, draft, ctx.enabled)
                ctx.suppress(
                    "merge.retelling", draft.triggers[0].span, f"retells {_words(earlier)!r}"
                )
                break
        else:
            merged.append(draft)
    return merged


def _without_summary_totals(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    """A toll that sums up several incidents told before it ("the day's toll rose to five"
    after three and two) repeats their dead: it is no incident and adds no deaths."""
    if not ctx.enabled("merge.summary-total"):
        return drafts
    kept: list[Draft] = []
    # The lead counts of the drafts kept so far, summed as they are kept (not recounted
    # per draft: a report of thousands of tolls would cost their square).
    earlier_counts = earlier_sum = 0
    for draft in drafts:
        totals = [d.value for d in draft.deaths if d.is_total]
        sums_up = bool(totals) and len(totals) == len(draft.deaths) and earlier_counts >= 2
        if sums_up and max(totals) >= earlier_sum:
            ctx.suppress(
                "merge.summary-total",
                draft.deaths[0].span,
                f"sums up the tolls told before ({earlier_sum})",
            )
            draft.deaths = []
            if draft.priority <= GENERIC_PRIORITY:
                continue
        kept.append(draft)
        lead = _lead_count(draft)
        if lead is not None:
            earlier_counts += 1
            earlier_sum += lead
    return kept


def breakdown_after(tolls: list[int], at: int) -> list[int]:
    """Positions of the tolls right after `at` that add up to it exactly, in two parts or
    more ([5, 2, 3], 0 -> [1, 2]); none when they do not (tolls of 0 are skipped)."""
    told, parts = 0, []
    for position in range(at + 1, len(tolls)):
        if tolls[position] <= 0:
            continue
        told += tolls[position]
        parts.append(position)
        if told >= tolls[at]:
            break
    return parts if told == tolls[at] and len(parts) >= 2 else []


def sums_of_the_tolls_after(tolls: list[int]) -> set[int]:
    """Positions of the tolls that the tolls right after them add up to exactly ([5, 2, 3]
    -> {0}): a round-up's lead ("Five killed in attacks in Aleppo and Hama") followed by
    each incident ("two killed in Aleppo", "three in Hama")."""
    return {at for at, toll in enumerate(tolls) if toll > 0 and breakdown_after(tolls, at)}


def _without_lead_summaries(
    drafts: list[Draft], ctx: CodingContext, *, before_merging: bool = False
) -> list[Draft]:
    """A round-up's lead whose incidents are told after it is their sum, not one more
    incident.

    Looked for twice: before the retellings are merged, where a lead is taken only when the
    incidents it sums each name a place of their own, two places at least ("Five killed in
    attacks on Monday. Two in Aleppo. Three in Hama."), so that the lead is not merged into
    its first incident as a retelling; and after, on the incidents themselves."""
    if not ctx.enabled("merge.round-up-lead"):
        return drafts
    tolls = [incident_toll(d, ctx.headline_end, ctx.enabled)[0] for d in drafts]
    summaries = sums_of_the_tolls_after(tolls)
    if before_merging:
        parts_of = {at: [drafts[p] for p in breakdown_after(tolls, at)] for at in summaries}
        summaries = {at for at, parts in parts_of.items() if _told_in_places_of_their_own(parts)}
        for at in summaries:
            _date_the_parts(drafts[at], parts_of[at])
    for at in sorted(summaries):
        ctx.suppress(
            "merge.round-up-lead",
            drafts[at].triggers[0].span,
            "its tolls are told one by one after it",
        )
    return [d for at, d in enumerate(drafts) if at not in summaries]


def _date_the_parts(lead: Draft, parts: list[Draft]) -> None:
    """ "Five killed in attacks on Monday. Two in Aleppo. Three in Hama.": the incidents
    happened on the lead's day unless they give their own."""
    if lead.when is None or lead.when.span is None:
        return
    for part in parts:
        if part.when is None or part.when.span is None:
            part.when = replace(lead.when, rule="merge.round-up-lead")


def _told_in_places_of_their_own(parts: list[Draft]) -> bool:
    """Each part names its place in its own clause, and they name two places at least."""
    places = [
        part.place[0].location
        for part in parts
        if part.place is not None and part.place[1].confidence >= OWN_CLAUSE_PLACE
    ]
    return len(places) == len(parts) and len(set(places)) >= 2


def _without_period_recaps(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    """Tolls counted over days ("68 have been killed since Saturday") recap incidents, some
    told on their own: when the report gives any incident's own toll, they add no deaths,
    and a sentence that only recaps is no incident."""
    if not ctx.enabled("merge.period-recap") or not any(
        not d.over_a_period for draft in drafts for d in draft.deaths
    ):
        return drafts  # the recap is all the report says of its dead
    # "112 killed since Sunday. The deaths include 65 ... another 42 ... five more": the
    # tolls right after a recap that add up to it are its breakdown, recap too.
    tolls = [_lead_count(d) or 0 for d in drafts]
    breakdown = {
        part
        for at, draft in enumerate(drafts)
        if draft.deaths and all(d.over_a_period for d in draft.deaths)
        for part in breakdown_after(tolls, at)
    }
    kept = []
    for at, draft in enumerate(drafts):
        own = [d for d in draft.deaths if not d.over_a_period and at not in breakdown]
        if draft.deaths and not own:
            ctx.suppress(
                "merge.period-recap", draft.deaths[0].span, "a toll counted over days or its parts"
            )
            continue
        draft.deaths = own
        kept.append(draft)
    return kept


def _without_vague_retellings(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    """Where a report gives figures, its "dozens were killed" retells them loosely (or
    recalls other days): a vague quantity counts only when the report gives no figure."""
    if not ctx.enabled("toll.vague-only-without-figures"):
        return drafts
    if any(not d.is_vague for draft in drafts for d in draft.deaths):
        for draft in drafts:
            draft.deaths = [d for d in draft.deaths if not d.is_vague]
    return drafts


def _without_recalled_incidents(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    """An incident told after the report's main one but placed before it ("Earlier this week
    a chemical attack killed 87", "On Sunday ..." in a story of Monday's strike) is recalled:
    it was reported when it happened, and coding it again would count its dead twice. The
    main incident is the first violent one the body tells with its dead (or at all)."""
    told = [
        d
        for d in drafts
        if d.event_type in VIOLENT_EVENT_TYPES and d.sentences[0].start >= ctx.headline_end
    ]
    main = next((d for d in told if d.deaths), told[0] if told else None)
    if main is None or not ctx.enabled("merge.recalled-incident"):
        return drafts
    after = drafts.index(main) + 1
    recalled = [d for d in drafts[after:] if _placed_before(d, main, ctx.lexicons.context)]
    for draft in recalled:
        ctx.suppress(
            "merge.recalled-incident", draft.triggers[0].span, f"told before {_words(main)!r}"
        )
    return [d for d in drafts if d not in recalled]


def _placed_before(draft: Draft, main: Draft, lexicon: ContextLexicon) -> bool:
    """A past-time expression, or a date of its own earlier than the main incident's,
    unless the sentence opens as news of another incident ("Separately, ...")."""
    if opens_another_incident(draft.sentences[0], lexicon):
        return False
    if recall_phrase(draft.sentences[0], lexicon) is not None:
        return True
    dates = [d.when for d in (draft, main)]
    stated = [w for w in dates if w is not None and w.span is not None]
    return len(stated) == 2 and stated[0].day < stated[1].day


def incident_toll(
    draft: Draft, headline_end: int, enabled: RuleSwitch = every_rule_on
) -> tuple[int, Evidence | None]:
    """One figure for the incident, never a sum across sentences (each restates the same
    dead): where the first sentence with a figure gives two sources' figures, the lowest;
    else the highest summary total ("the toll rose to 30") when there is one, else the
    figure of the first body sentence that gives one (the lead states the incident's count;
    later ones break it down or quote other claims), else the headline's; dead told as
    "more" add to the count told before them."""
    if not draft.deaths:
        return 0, None
    totals = [d for d in draft.deaths if d.is_total]
    # a part of a breakdown told beside it ("50 fighters" by "50 fighters and eight
    # civilians") is not the incident's whole toll
    whole = draft.deaths
    if enabled("toll.whole-not-part"):
        whole = [d for d in draft.deaths if not _is_a_part(d, draft.deaths)] or draft.deaths
    candidates = whole
    if enabled("toll.body-before-headline"):
        candidates = [d for d in whole if d.span.start >= headline_end] or whole
    first = min(candidates, key=lambda d: d.span.start)
    by_source = _toll_by_source(
        [d for d in candidates if d.death_word.sent.start == first.death_word.sent.start]
    )
    if len(by_source) >= 2 and enabled("toll.lowest-of-sources"):
        counted, rule = [min(by_source, key=lambda d: d.value)], "toll.lowest-of-sources"
    elif totals and enabled("toll.summary-total"):
        counted, rule = [max(totals, key=lambda d: d.value)], "toll.summary-total"
    elif not enabled("toll.first-figure"):
        # Switched off (an ablation): the incident's figures count as retellings of one
        # toll and ACLED's lowest is taken; no rule of the registry decided it.
        counted, rule = [min(candidates, key=lambda d: d.value)], None
    elif enabled("toll.more-adds"):
        counted = _told_more(first, [d for d in candidates if d.span.start > first.span.start])
        rule = "toll.more-adds" if len(counted) > 1 else "toll.first-figure"
    else:
        counted, rule = [first], "toll.first-figure"
    best = counted[0]
    doc = best.span.doc
    spans = [span_of(doc, best.span), span_of(doc, doc[best.death_word.i : best.death_word.i + 1])]
    spans += [span_of(doc, d.span) for d in counted[1:]]
    toll = sum(d.value for d in counted)
    return toll, Evidence(spans=spans, confidence=0.8, rule=rule)


def _toll_by_source(counts: list[DeathCount]) -> list[DeathCount]:
    """Each named source's toll among counts told together ("the QSD claimed 38 were
    killed; SOHR reported 14"): its highest total, else its first figure. ACLED codes the
    lowest where sources differ."""
    tolls = []
    for source in dict.fromkeys(d.source for d in counts if d.source):
        own = [d for d in counts if d.source == source]
        totals = [d for d in own if d.is_total]
        tolls.append(max(totals, key=lambda d: d.value) if totals else own[0])
    return tolls


def _told_more(first: DeathCount, later: list[DeathCount]) -> list[DeathCount]:
    """The counts the toll adds up: the first, unless "more" adds to a count past it ("a
    woman was killed ... later two more people were killed" is three). "More" adds to the
    count told just before it ("36 killed at the market, three more elsewhere" after a lead
    of 39 stays 39)."""
    best = chain = [first]
    for count in later:
        chain = [*chain, count] if count.is_additional else [count]
        if count.is_additional and sum(d.value for d in chain) > sum(d.value for d in best):
            best = chain
    return best


def incidents(drafts: list[Draft], ctx: CodingContext) -> list[Draft]:
    """One draft per incident: tolls that only recap or sum others are dropped, then the
    headline and every retelling join the incident they tell."""
    drafts = _without_summary_totals(drafts, ctx)
    drafts = _without_vague_retellings(_without_period_recaps(drafts, ctx), ctx)
    drafts = _without_lead_summaries(drafts, ctx, before_merging=True)
    merged = _without_recalled_incidents(_merged(_headline_merged(drafts, ctx), ctx), ctx)
    return _without_lead_summaries(merged, ctx)
