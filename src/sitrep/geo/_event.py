"""Choosing an event's place among the report's place mentions, and comparing provinces."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from sitrep.geo._geocoder import Geocoder, default_geocoder
from sitrep.geo._rules import ContextRules, context_rules
from sitrep.geo._text import fold_words, name_key
from sitrep.models import PLACE_FIELDS, Evidence, Place, PlaceMention, Span
from sitrep.rules import RuleSwitch, every_rule_on

#: How sure the event's place is, by where it came from.
CLAUSE_CONFIDENCE = 0.9
UNRESOLVED_CONFIDENCE = 0.5
PARAGRAPH_CONFIDENCE = 0.6
FOCUS_CONFIDENCE = 0.35
#: An unknown place of the event's clause coded to the province its paragraph names, or
#: the report names most: the province is right more often than the point.
CONTEXT_PROVINCE_CONFIDENCE = 0.5
DOCUMENT_PROVINCE_CONFIDENCE = 0.3

# Rule ids (declared in rules.yaml): which place an event takes ...
CLAUSE_PLACE = "geo.event-clause-place"
PARAGRAPH_PLACE = "geo.earlier-in-paragraph"
SENTENCE_PLACE = "geo.later-in-sentence"
DOCUMENT_FOCUS = "geo.document-focus"
CONTEXT_PROVINCE = "geo.unknown-place-takes-context-province"


#: A country's name (or nationality word) weighs this much as evidence of where a report's story happens (a town
#: or province weighs 1): countries are named as actors as often as places.
COUNTRY_NAME_WEIGHT = 0.25


def _specificity(mention: PlaceMention) -> tuple[int, int, int]:
    """Smaller is better: resolved, finer than a country, finer precision."""
    place = mention.place
    is_country_only = place.admin1 is None and place.latitude is None and place.resolved
    return (0 if place.resolved else 1, 1 if is_country_only else 0, place.geo_precision)


def _paragraph_start(text: str, position: int) -> int:
    """Where the paragraph holding `position` starts (after the last line break)."""
    return text.rfind("\n", 0, position) + 1


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def _sentence_end(text: str, position: int) -> int:
    """Where the sentence holding `position` ends (its full stop or line break)."""
    end = _SENTENCE_END.search(text, position)
    return end.start() if end else len(text)


def _evidence(mention: PlaceMention, confidence: float, rule: str) -> Evidence:
    spans = [mention.span] + ([mention.context] if mention.context else [])
    return Evidence(spans=sorted(spans, key=lambda s: s.start), confidence=confidence, rule=rule)


@lru_cache(maxsize=8)
def _nationality_words(text: str, rules: ContextRules) -> Counter[str]:
    """Country code (ISO2) -> how often the text uses its nationality word ("Syrian",
    "Turks"). Cached: every event of a report asks again with the same text."""
    counts: Counter[str] = Counter()
    for word, count in Counter(re.findall(r"[^\W\d_]+", text)).items():
        folded = fold_words(word)
        iso2 = rules.demonyms.get(folded[0]) if len(folded) == 1 else None
        if iso2:
            counts[iso2] += count
    return counts


def _after_place_word(mention: PlaceMention, text: str, rules: ContextRules) -> bool:
    """The name follows a word of place or attack ("in", "near", "shelled"): where
    something happened, not a name in another role ("Hayat Tahrir al-Sham attacked") nor
    the end or start of a movement ("withdrew towards Raqqa")."""
    before = text[max(0, mention.span.start - 20) : mention.span.start].split()
    word = before[-1].lower() if before else ""
    return word not in _MOVEMENT_WORDS and word in rules.place_verbs


#: Words of place that tell where a movement goes or comes from, not where it happens.
_MOVEMENT_WORDS = frozenset({"to", "toward", "towards", "into", "from"})


def home_country(
    mentions: list[PlaceMention],
    text: str,
    geocoder: Geocoder | None = None,
    rules: ContextRules | None = None,
) -> str | None:
    """The country the report's story happens in: the country its places are in, weighed
    by role; None on a tie.

    A town or province counts more than a country's name ("Turkey", "Russia" and "Iran" are
    named as actors as often as places), and a name after a word of place or attack ("in",
    "near", "shelled") counts double: that is where something happened. Nationality words
    ("Syrian", "Turkish") weigh as much as a country's name. `geocoder` and `rules`: an
    engine's, by default the packaged ones."""
    rules = rules or context_rules()
    weights: dict[str, float] = defaultdict(float)
    for m in mentions:
        place = m.place
        if not (place.resolved and place.country):
            continue
        weight = 1.0 if place.admin1 else COUNTRY_NAME_WEIGHT
        if _after_place_word(m, text, rules):
            weight *= 2
        weights[place.country] += weight
    geocoder = geocoder or default_geocoder()
    for iso2, count in _nationality_words(text, rules).items():
        country = geocoder.country(iso2)
        if country is not None:
            weights[country.name] += COUNTRY_NAME_WEIGHT * count
    ranked = sorted(weights.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(weights, key=lambda country: weights[country])


def place_for_event(
    mentions: list[PlaceMention],
    clause: Span,
    text: str,
    enabled: RuleSwitch = every_rule_on,
    geocoder: Geocoder | None = None,
    rules: ContextRules | None = None,
) -> tuple[Place, Evidence] | None:
    """The event's place: its own clause's, else the nearest earlier one in the paragraph,
    else the report's focus (at coarser precision and lower confidence); None without any.

    A place abroad (outside the country most of the report's places are in) is the event's
    place only when the event's own clause names it and names no place at home: a border
    town across the frontier or a capital named in an earlier sentence is context."""
    geocoder = geocoder or default_geocoder()
    rules = rules or context_rules()
    home = home_country(mentions, text, geocoder, rules)

    def abroad(m: PlaceMention) -> bool:
        return home is not None and m.place.resolved and m.place.country != home

    own = [m for m in mentions if m.span.start < clause.end and m.span.end > clause.start]
    # "near Hajin (Abu Kamal, Deir-ez-Zor)": the names that only locate Hajin do not compete
    # with it, even though "near" makes Hajin the less precise.
    own = [m for m in own if not m.locates_another] or own
    if own and enabled("geo.event-clause-place"):

        def rank(m: PlaceMention) -> tuple[object, ...]:
            resolved, country_only, precision = _specificity(m)
            placed = not _after_place_word(m, text, rules)
            return (abroad(m), resolved, country_only, precision, placed, m.span.start)

        best = min(own, key=rank)
        if not best.place.resolved and enabled(CONTEXT_PROVINCE):
            at_home = [m for m in mentions if not abroad(m)]
            province = _context_province(best, at_home, text, geocoder)
            if province is not None:
                return province
        confidence = CLAUSE_CONFIDENCE if best.place.resolved else UNRESOLVED_CONFIDENCE
        return best.place, _evidence(best, confidence, CLAUSE_PLACE)
    paragraph = _paragraph_start(text, clause.start)
    earlier = [
        m
        for m in mentions
        if paragraph <= m.span.start and m.span.end <= clause.start and not abroad(m)
    ]
    # as in the clause, a name that only locates another ("X in Idleb") does not compete
    earlier = [m for m in earlier if not m.locates_another] or earlier
    finer = [m for m in earlier if _specificity(m)[:2] == (0, 0)]
    if (finer or earlier) and enabled("geo.earlier-in-paragraph"):
        nearest = max(finer or earlier, key=lambda m: m.span.start)
        return nearest.place, _evidence(nearest, PARAGRAPH_CONFIDENCE, PARAGRAPH_PLACE)
    # "gunmen kidnapped two activists as they left the square in Kut": a clause of the
    # same sentence says where the event's own clause happened
    sentence_end = _sentence_end(text, clause.end)
    later = [
        m
        for m in mentions
        if clause.end <= m.span.start and m.span.end <= sentence_end and not abroad(m)
    ]
    if later and enabled("geo.later-in-sentence"):
        nearest = min(later, key=lambda m: m.span.start)
        return nearest.place, _evidence(nearest, PARAGRAPH_CONFIDENCE, SENTENCE_PLACE)
    if not enabled(DOCUMENT_FOCUS):
        return None
    return _document_focus([m for m in mentions if not abroad(m)] or mentions)


def _context_province(
    unknown: PlaceMention, mentions: list[PlaceMention], text: str, geocoder: Geocoder
) -> tuple[Place, Evidence] | None:
    """ "a shell killed two children in the village of X" after a paragraph about Daraa: a
    place the gazetteer lacks is coded to the province its paragraph names last before it,
    else to the province the report names most, at that province's centre (precision 3),
    flagged approximate, with the unknown name kept."""
    paragraph = _paragraph_start(text, unknown.span.start)
    located = [m for m in mentions if m.place.resolved and m.place.admin1]
    earlier = [m for m in located if paragraph <= m.span.start < unknown.span.start]
    if earlier:
        sources = [max(earlier, key=lambda m: m.span.start)]
        confidence = CONTEXT_PROVINCE_CONFIDENCE
    else:
        counts = Counter((m.place.country, m.place.admin1) for m in located)
        if not counts:
            return None
        division, _ = counts.most_common(1)[0]
        sources = [m for m in located if (m.place.country, m.place.admin1) == division]
        confidence = DOCUMENT_PROVINCE_CONFIDENCE
    place = _province_place(sources[0].place, unknown.place.raw_name or unknown.span.text, geocoder)
    spans = sorted([unknown.span, *(m.span for m in sources)], key=lambda s: s.start)
    return place, Evidence(spans=spans, confidence=confidence, rule=CONTEXT_PROVINCE)


def _province_place(inside: Place, raw_name: str, geocoder: Geocoder) -> Place:
    """The province `inside` is in, coded to its centre, standing for an unknown place."""
    point = (inside.latitude, inside.longitude)
    location = inside.admin1 or inside.location
    for country, code in geocoder.admin1_divisions(name_key(inside.admin1 or "")):
        division = geocoder.admin1(country, code)
        if division is not None and country == inside.iso2:
            point = (division.latitude, division.longitude)
            location = division.location
            break
    return inside.model_copy(
        update={
            "location": location,
            "admin2": None,
            "latitude": point[0],
            "longitude": point[1],
            "geo_precision": 3,
            "geonameid": None,
            "raw_name": raw_name,
            "approximate": True,
        }
    )


def place_evidence(place: Place, evidence: Evidence) -> dict[str, Evidence]:
    """The evidence of each place field of an event: the place's own, whose spans hold the
    name and the words around it that set geo_precision ("near", "countryside of")."""
    return dict.fromkeys(PLACE_FIELDS, evidence)


def _document_focus(mentions: list[PlaceMention]) -> tuple[Place, Evidence] | None:
    """The most-mentioned first-level division (then place) of the report, coarsened."""
    resolved = [m for m in mentions if m.place.resolved]
    if not resolved:
        return None
    by_admin1 = Counter((m.place.country, m.place.admin1) for m in resolved if m.place.admin1)
    if by_admin1:
        division, _ = by_admin1.most_common(1)[0]
        group = [m for m in resolved if (m.place.country, m.place.admin1) == division]
    else:
        group = resolved
    by_place = Counter(m.place.location for m in group)
    location, _ = by_place.most_common(1)[0]
    chosen = [m for m in group if m.place.location == location]
    place = chosen[0].place
    coarser = place.model_copy(update={"geo_precision": max(place.geo_precision, 2)})
    evidence = Evidence(
        spans=[m.span for m in group],
        confidence=FOCUS_CONFIDENCE,
        rule=DOCUMENT_FOCUS,
    )
    return coarser, evidence


def same_admin1(a: str, b: str, geocoder: Geocoder | None = None) -> bool:
    """True when two spellings name the same first-level division (Idleb / Idlib,
    Rural Damascus / Rif Dimashq, Deir-ez-Zor / Dayr az Zawr, FA-KES' "hasakeh" ...).

    Strict: Damascus and Rural Damascus are two divisions (FA-KES' "damascus" covers both;
    that is the evaluator's rule, not a spelling)."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    geocoder = geocoder or default_geocoder()
    divisions_a = set(geocoder.admin1_divisions(key_a))
    return bool(divisions_a & set(geocoder.admin1_divisions(key_b)))


def acled_admin1(name: str, geocoder: Geocoder | None = None) -> str | None:
    """The first-level division a spelling names, as ACLED writes it ("Idlib" -> "Idleb",
    "Rif Dimashq" -> "Rural Damascus"); None when the gazetteer knows no such division or
    the spelling names divisions of different names in several countries."""
    key = name_key(name)
    if not key:
        return None
    geocoder = geocoder or default_geocoder()
    names = {
        admin1.name
        for country, code in geocoder.admin1_divisions(key)
        if (admin1 := geocoder.admin1(country, code)) is not None
    }
    return names.pop() if len(names) == 1 else None
