"""Choosing an event's place among the report's place mentions, and comparing provinces."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from sitrep.geo._geocoder import Geocoder, default_geocoder
from sitrep.geo._rules import context_rules
from sitrep.geo._text import fold_words, name_key
from sitrep.models import Evidence, Place, PlaceMention, Span
from sitrep.rules import RuleSwitch, every_rule_on

#: How sure the event's place is, by where it came from.
CLAUSE_CONFIDENCE = 0.9
UNRESOLVED_CONFIDENCE = 0.5
PARAGRAPH_CONFIDENCE = 0.6
FOCUS_CONFIDENCE = 0.35
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
def _nationality_words(text: str) -> Counter[str]:
    """Country code (ISO2) -> how often the text uses its nationality word ("Syrian",
    "Turks"). Cached: every event of a report asks again with the same text."""
    rules = context_rules()
    counts: Counter[str] = Counter()
    for word, count in Counter(re.findall(r"[^\W\d_]+", text)).items():
        folded = fold_words(word)
        iso2 = rules.demonyms.get(folded[0]) if len(folded) == 1 else None
        if iso2:
            counts[iso2] += count
    return counts


def home_country(
    mentions: list[PlaceMention], text: str, geocoder: Geocoder | None = None
) -> str | None:
    """The country the report's story happens in: the country its places are in, weighed
    by role; None on a tie.

    A town or province counts more than a country's name ("Turkey", "Russia" and "Iran" are
    named as actors as often as places), and a name after a word of place or attack ("in",
    "near", "shelled") counts double: that is where something happened. Nationality words
    ("Syrian", "Turkish") weigh as much as a country's name."""
    rules = context_rules()
    weights: dict[str, float] = defaultdict(float)
    for m in mentions:
        place = m.place
        if not (place.resolved and place.country):
            continue
        weight = 1.0 if place.admin1 else COUNTRY_NAME_WEIGHT
        before = text[max(0, m.span.start - 20) : m.span.start].split()
        if before and before[-1].lower() in rules.place_verbs:
            weight *= 2
        weights[place.country] += weight
    geocoder = geocoder or default_geocoder()
    for iso2, count in _nationality_words(text).items():
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
) -> tuple[Place, Evidence] | None:
    """The event's place: its own clause's, else the nearest earlier one in the paragraph,
    else the report's focus (at coarser precision and lower confidence); None without any.

    A place abroad (outside the country most of the report's places are in) is the event's
    place only when the event's own clause names it and names no place at home: a border
    town across the frontier or a capital named in an earlier sentence is context."""
    home = home_country(mentions, text, geocoder)

    def abroad(m: PlaceMention) -> bool:
        return home is not None and m.place.resolved and m.place.country != home

    own = [m for m in mentions if m.span.start < clause.end and m.span.end > clause.start]
    # "near Hajin (Abu Kamal, Deir-ez-Zor)": the names that only locate Hajin do not compete
    # with it, even though "near" makes Hajin the less precise.
    own = [m for m in own if not m.locates_another] or own
    if own and enabled("geo.event-clause-place"):
        best = min(own, key=lambda m: (abroad(m), *_specificity(m), m.span.start))
        confidence = CLAUSE_CONFIDENCE if best.place.resolved else UNRESOLVED_CONFIDENCE
        return best.place, _evidence(best, confidence, "geo.event-clause-place")
    paragraph = _paragraph_start(text, clause.start)
    earlier = [
        m
        for m in mentions
        if paragraph <= m.span.start and m.span.end <= clause.start and not abroad(m)
    ]
    finer = [m for m in earlier if _specificity(m)[:2] == (0, 0)]
    if (finer or earlier) and enabled("geo.earlier-in-paragraph"):
        nearest = max(finer or earlier, key=lambda m: m.span.start)
        return nearest.place, _evidence(nearest, PARAGRAPH_CONFIDENCE, "geo.earlier-in-paragraph")
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
        return nearest.place, _evidence(nearest, PARAGRAPH_CONFIDENCE, "geo.later-in-sentence")
    if not enabled("geo.document-focus"):
        return None
    return _document_focus([m for m in mentions if not abroad(m)] or mentions)


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
        rule="geo.document-focus",
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
