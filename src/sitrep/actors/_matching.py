"""Finding the actors a parsed report names, normalised to ACLED actors.

Four kinds of words name an actor:
- a name, alias or abbreviation of the dictionary ("Daesh", "SAA", "Tiger Forces");
- a nationality (or an actor's adjective) with a military noun ("Russian warplanes",
  "regime helicopters", "coalition aircraft"), a country in the possessive ("Russia's
  jets") or a country as the subject of a verb ("Turkey shelled ...");
- a generic word ("civilians", "gunmen", "protesters");
- an anaphor ("the organisation"), only after the actor it stands for was named.
Overlapping candidates give way to the longest. Sub-groups ("Chechen fighters in IS") are
then tied to their parent group, and every mention is resolved in the report's country.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitrep.actors._dictionary import (
    ActorDictionary,
    ActorEntry,
    UnlistedLexicon,
    load_dictionary,
)
from sitrep.actors._unlisted import find_unlisted
from sitrep.models import Actor, ActorMention, Span
from sitrep.nlp.index import text_of

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_COORDINATORS = frozenset({"and", "-", ",", "/", "or", "&"})
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their"})
#: Words between a link and the group named ("of the so-called Jaish al-Islam").
_BEFORE_NAME = frozenset({"the", "so", "-", "called", "so-called"})
#: The generic kind of unnamed armed labels ("terrorists", "gunmen").
_ARMED = "unidentified armed group"

# Candidate kinds, best first when two candidates cover the same words ("blocked": words of
# a name that is no actor, such as "Syrian National Coalition"; "described": actor words
# that describe a place or someone else, such as "rebel-held", "pro-opposition").
#: Candidates naming an actor the dictionary knows, or words that are no actor: a group
#: the dictionary lacks never overlaps them ("Al-Nusra Front" inside a longer capitalised
#: run; a state's bare word such as "Army" in "Free Tigray Army" does not count).
_KNOWN = ("name", "unit", "subgroup", "blocked", "described")

_KIND_RANK = {
    "blocked": -1,
    "described": -1,
    "subgroup": 0,
    "name": 1,
    "unit": 1,
    "force": 2,
    "state": 2,
    "generic": 3,
    "anaphor": 4,
    "unlisted": 5,
}


@dataclass(frozen=True)
class _Candidate:
    """Words that may name an actor, before the report's country is known."""

    start: int  # token offsets, end exclusive
    end: int
    kind: str
    #: Actor ids (or, for "generic", the generic kind) the words name outright.
    strong: tuple[str, ...] = ()
    #: Actor ids the words stand for only if named earlier (anaphors).
    weak: tuple[str, ...] = ()
    associated: tuple[str, ...] = ()
    #: Generic kind of an anaphor with no antecedent ("terrorists": an unidentified group).
    fallback: str | None = None
    #: The country the words themselves give ("Afghan civilians"), else the event's.
    country: str | None = None
    #: A unit ACLED appends to the force's name ("Gendarmerie").
    named_unit: str | None = None
    #: A group the dictionary lacks: its name (may hold "{country}") and inter code.
    unlisted: tuple[str, int] | None = None

    @property
    def named(self) -> bool:
        return self.kind in ("name", "unit", "force", "subgroup")

    def overlaps(self, other: _Candidate) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class ActorMatchers:
    """Phrase matchers and word sets built once per vocabulary from one dictionary
    (`actor_matchers`); an engine keeps its own (`Engine.actor_matchers`)."""

    dictionary: ActorDictionary
    lower: PhraseMatcher
    exact: PhraseMatcher
    military_nouns: frozenset[str]
    military_modifiers: frozenset[str]
    police_nouns: frozenset[str]
    government_verbs: frozenset[str]
    fighter_nouns: frozenset[str]
    grouping_nouns: frozenset[str]
    place_participles: frozenset[str]
    place_nouns: frozenset[str]
    stance_prefixes: frozenset[str]
    links: tuple[tuple[str, ...], ...]
    unlisted: UnlistedLexicon
    #: A country's lower-cased names and adjectives -> the country.
    country_words: dict[str, str]
    #: Those words and the peoples' ("Chechen"): origins of sub-groups.
    origins: frozenset[str]
    #: Match key -> (kind, payload) for every phrase added to the matchers.
    keys: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)


def _variants(phrase: str) -> set[str]:
    """Spelling variants reports use: hyphen or space, with or without apostrophes."""
    phrase = phrase.replace("’", "'")
    forms = {phrase, phrase.replace("-", " ")}
    forms |= {form.replace("'", "") for form in forms}
    forms |= {form.replace("'", "’") for form in forms}
    return {" ".join(form.split()) for form in forms if form.strip()}


def _is_exact(phrase: str) -> bool:
    """Short capital abbreviations ("US", "YPG") and phrases holding a capital word that is
    also an English word ("IS militants": not "is militants") are matched only as written."""
    letters = phrase.replace(".", "")
    if letters.isupper() and len(letters) <= 4:
        return True
    return any(w.isupper() and w.lower() in STOP_WORDS for w in phrase.split())


class _Builder:
    def __init__(self, vocab: Vocab) -> None:
        self.tokenizer = spacy.blank("en", vocab=vocab).tokenizer
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.keys: dict[int, tuple[str, tuple[str, ...]]] = {}
        self.vocab = vocab

    def add(
        self, kind: str, payload: tuple[str, ...], phrases: Iterable[str], *, exact: bool = False
    ) -> None:
        label = "|".join((kind, *payload))
        key = self.vocab.strings.add(label)
        self.keys[key] = (kind, payload)
        forms = sorted({form for phrase in phrases for form in _variants(phrase)})
        lower = [f for f in forms if not exact and not _is_exact(f)]
        written = [f for f in forms if exact or _is_exact(f)]
        if lower:
            self.lower.add(label, [self.tokenizer(f) for f in lower])
        if written:
            self.exact.add(label, [self.tokenizer(f) for f in written])


def actor_matchers(vocab: Vocab, dictionary: ActorDictionary) -> ActorMatchers:
    """Matchers for a vocabulary and a dictionary (a few hundred milliseconds to build)."""
    builder = _Builder(vocab)
    for entry in dictionary.actors:
        builder.add("name", (entry.id,), entry.aliases)
        builder.add("name", (entry.id,), entry.abbreviations, exact=True)
        builder.add("anaphor", (entry.id,), entry.anaphors)
        # "Assads troops": the possessive as written by reports stripped of apostrophes.
        possessives = [f"{a}s" for a in entry.adjectives if not _is_exact(a)]
        builder.add("adjective", (entry.id,), [*entry.adjectives, *possessives])
        for unit, phrases in entry.units.items():
            builder.add("unit", (entry.id, unit), phrases)
        for unit, phrases in entry.named_units.items():
            builder.add("named_unit", (entry.id, unit), phrases)
    for kind, generic in dictionary.generic.items():
        builder.add("generic", (kind,), generic.words)
    state = dictionary.state_words
    builder.add("state", ("military",), state.military)
    builder.add("state", ("police",), state.police)
    builder.add("state_adjective", ("military",), state.adjectives)
    builder.add("blocked", (), dictionary.lexicon.not_actors)
    for country in dictionary.countries:
        builder.add("nationality", (country.country,), country.adjectives)
        builder.add("country", (country.country,), country.names)
        # Reports stripped of apostrophes write the possessive "Syrias", "Russias".
        spelled = [f"{name}s" for name in country.names if not _is_exact(name)]
        builder.add("country_possessive", (country.country,), spelled)
        for adjective in country.adjectives:
            builder.add("origin", (adjective,), [adjective])
    for people in (*dictionary.peoples.foreign, *dictionary.peoples.local):
        builder.add("origin", (people,), [people])
    lexicon = dictionary.lexicon
    country_words = {
        word.lower(): c.country for c in dictionary.countries for word in (*c.names, *c.adjectives)
    }
    links = sorted(
        {tuple(t.lower_ for t in builder.tokenizer(link)) for link in lexicon.subgroups.links},
        key=len,
        reverse=True,
    )
    return ActorMatchers(
        dictionary=dictionary,
        lower=builder.lower,
        exact=builder.exact,
        military_nouns=frozenset(w.lower() for w in lexicon.military_nouns),
        military_modifiers=frozenset(w.lower() for w in lexicon.military_modifiers),
        police_nouns=frozenset(w.lower() for w in lexicon.police_nouns),
        government_verbs=frozenset(w.lower() for w in lexicon.government_verbs),
        fighter_nouns=frozenset(w.lower() for w in lexicon.subgroups.fighter_nouns),
        grouping_nouns=frozenset(w.lower() for w in lexicon.subgroups.grouping_nouns),
        place_participles=frozenset(w.lower() for w in lexicon.place_descriptions.participles),
        place_nouns=frozenset(w.lower() for w in lexicon.place_descriptions.nouns),
        stance_prefixes=frozenset(w.lower() for w in lexicon.stance_prefixes),
        links=tuple(links),
        unlisted=lexicon.unlisted,
        country_words=country_words,
        origins=frozenset(country_words)
        | {p.lower() for p in (*dictionary.peoples.foreign, *dictionary.peoples.local)},
        keys=builder.keys,
    )


@lru_cache(maxsize=4)
def _default_matchers(vocab: Vocab) -> ActorMatchers:
    """Matchers of the packaged dictionary, for callers without an engine."""
    return actor_matchers(vocab, load_dictionary())


# Candidates ------------------------------------------------------------------------------


def _raw_matches(
    doc: Doc, matchers: ActorMatchers
) -> Iterator[tuple[str, tuple[str, ...], int, int]]:
    for matcher in (matchers.lower, matchers.exact):
        for key, start, end in matcher(doc):
            kind, payload = matchers.keys[key]
            yield kind, payload, start, end


def _written_in_capitals(doc: Doc, start: int, end: int) -> bool:
    """True when the words around a match are capitals too (a headline in upper case)."""
    neighbours = [
        t
        for t in (doc[start - 1] if start > 0 else None, doc[end] if end < len(doc) else None)
        if t is not None
    ]
    words = [t for t in neighbours if t.is_alpha and len(t) > 1]
    return bool(words) and all(t.is_upper for t in words)


def _abbreviation_ok(doc: Doc, start: int, end: int) -> bool:
    """An abbreviation that is also an English word ("IS", "US") must not be that word."""
    if end - start != 1 or not doc[start].is_upper or doc[start].lower_ not in STOP_WORDS:
        return True
    return not _written_in_capitals(doc, start, end)


def _force_end(
    doc: Doc, start: int, matchers: ActorMatchers, adjective_ends: dict[int, int]
) -> tuple[int, str] | None:
    """End of "[modifiers] military-noun" from `start`, and the noun; coordination skipped.

    "Syrian and Russian warplanes": from after "Syrian", the coordinator and the next
    adjective are skipped, so both adjectives reach "warplanes".
    """
    last: tuple[int, str] | None = None
    i = start
    while i < len(doc):
        word = doc[i].lower_
        if word in matchers.military_nouns or word in matchers.police_nouns:
            last = (i + 1, word)
        if word in matchers.military_modifiers or word in matchers.military_nouns:
            i += 1
            continue
        if word in matchers.police_nouns:
            return last
        if last is None and word in _COORDINATORS and i + 1 in adjective_ends:
            i = adjective_ends[i + 1]
            continue
        break
    return last


def _candidates(
    doc: Doc, matchers: ActorMatchers, dictionary: ActorDictionary
) -> tuple[list[_Candidate], list[tuple[str, int, int]]]:
    """Every candidate mention, and the sub-group origins ("Chechen") with their offsets."""
    named: dict[tuple[int, int], list[str]] = {}
    weak: dict[tuple[int, int], list[str]] = {}
    generic: dict[tuple[int, int], str] = {}
    found: list[_Candidate] = []
    adjectives: list[tuple[tuple[str, ...], int, int]] = []  # (actor ids, start, end)
    nationalities: list[tuple[tuple[str, ...], int, int]] = []
    countries: list[tuple[str, int, int, bool]] = []  # (country, start, end, possessive)
    origins: list[tuple[str, int, int]] = []
    state_adjectives: list[tuple[int, int]] = []
    #: Where a nationality adjective ends -> its country ("Afghan" before "civilians").
    nationality_ends: dict[int, tuple[int, str]] = {}
    for kind, payload, start, end in _raw_matches(doc, matchers):
        if kind == "name":
            if not _abbreviation_ok(doc, start, end):
                continue
            named.setdefault((start, end), []).append(payload[0])
        elif kind == "anaphor":
            weak.setdefault((start, end), []).append(payload[0])
        elif kind == "unit":
            found.append(_Candidate(start, end, "unit", (payload[0],), associated=(payload[1],)))
        elif kind == "named_unit":
            found.append(_Candidate(start, end, "unit", (payload[0],), named_unit=payload[1]))
        elif kind == "state":
            found.append(_Candidate(start, end, "state", (payload[0],)))
        elif kind == "state_adjective":
            state_adjectives.append((start, end))
        elif kind == "generic":
            generic[(start, end)] = payload[0]
        elif kind == "blocked":
            # "the opposition" is a political side, "the opposition fighters" are armed.
            armed = matchers.fighter_nouns | matchers.military_nouns
            if end == len(doc) or doc[end].lower_ not in armed:
                found.append(_Candidate(start, end, kind, payload))
        elif kind == "adjective":
            adjectives.append(((payload[0],), start, end))
        elif kind == "nationality":
            nationality_ends[end] = (start, payload[0])
            forces = _state_ids(dictionary, payload[0])
            if forces:
                nationalities.append((forces, start, end))
        elif kind == "country":
            countries.append((payload[0], start, end, False))
        elif kind == "country_possessive":
            countries.append((payload[0], start, end, True))
        elif kind == "origin":
            origins.append((payload[0], start, end))

    for (start, end), ids in named.items():
        anaphors = tuple(weak.pop((start, end), ()))
        # "Daesh militants", "HTS fighters": the members are the group (unless the longer
        # words are a name of their own: "regime militiamen" is a militia).
        stop = end
        while stop < len(doc) and doc[stop].lower_ in matchers.fighter_nouns:
            stop += 1
        if (start, stop) in named:
            stop = end
        # "the Nusra Front terrorist group": an unnamed label after a name is that group.
        stop = next((e for (s, e), k in generic.items() if s == stop and k == _ARMED), stop)
        found.append(_Candidate(start, stop, "name", _unique(ids), anaphors))
    # Groups the dictionary lacks, unless a name it knows overlaps them.
    unlisted = [
        c
        for c in _unlisted_candidates(doc, matchers, dictionary)
        if not any(c.overlaps(k) for k in found if k.kind in _KNOWN)
    ]
    found.extend(_labels_of_named_groups(doc, [*found, *unlisted], generic, matchers))
    for (start, end), ids in weak.items():
        # "the militants" with no group named before: the generic words inside it.
        fallback = next((k for (s, e), k in generic.items() if start <= s and e <= end), None)
        found.append(_Candidate(start, end, "anaphor", (), _unique(ids), fallback=fallback))
    for (start, end), kind in generic.items():
        if (start, end) in weak:
            continue
        # "Afghan civilians", "Colombian protesters": the words give the country.
        origin = nationality_ends.get(start)
        if origin is not None:
            found.append(_Candidate(origin[0], end, "generic", (kind,), country=origin[1]))
        else:
            found.append(_Candidate(start, end, "generic", (kind,)))
    found.extend(_force_candidates(doc, matchers, dictionary, adjectives, nationalities, countries))
    found.extend(_state_adjective_candidates(doc, matchers, state_adjectives))
    known = [c for c in found if c.kind in _KNOWN]
    found.extend(c for c in unlisted if not any(c.overlaps(k) for k in known))
    actor_words = [(c.start, c.end) for c in found] + [(s, e) for _, s, e in adjectives]
    found.extend(_place_descriptions(doc, actor_words, matchers, nouns=True))
    # A nationality before a place noun is where the place lies ("the Iraqi city of
    # Mosul"), which tells the report's country: only "Turkish-held" is a description.
    origin_words = [(s, e) for _, s, e in [*nationalities, *origins]]
    origin_words += [(s, e) for _, s, e, _ in countries]
    found.extend(_place_descriptions(doc, origin_words, matchers, nouns=False))
    return found, origins


def _place_descriptions(
    doc: Doc, spans: Iterable[tuple[int, int]], matchers: ActorMatchers, *, nouns: bool
) -> Iterator[_Candidate]:
    """Actor words describing a place ("rebel-held areas", "rebel territory", "areas held
    by IS"): the place is described, no actor acts. So are its supporters or opponents
    ("pro-opposition groups") unless a name starts with the prefix ("pro-government
    forces")."""
    spans = list(spans)
    starts = {start for start, _ in spans}
    for start, end in spans:
        hyphen = end < len(doc) and doc[end].text == "-"
        after = doc[end + 1 if hyphen else end] if end + hyphen < len(doc) else None
        # Unhyphenated, the participle is the actor's verb: "ISIS held the town".
        described = matchers.place_participles if hyphen else matchers.place_nouns
        if after is not None and (hyphen or nouns) and after.lower_ in described:
            yield _Candidate(start, after.i + 1, "described")
        elif start >= 2:
            link, word = doc[start - 1].lower_, doc[start - 2].lower_
            held_by = link == "by" and word in matchers.place_participles
            stance = link == "-" and word in matchers.stance_prefixes and start - 2 not in starts
            if held_by or stance:
                yield _Candidate(start - 2, end, "described")


def _labels_of_named_groups(
    doc: Doc, named: list[_Candidate], generic: dict[tuple[int, int], str], matchers: ActorMatchers
) -> Iterator[_Candidate]:
    """An unnamed label tied to the group named after it: "gunmen of the group
    called X", "militants from ISIS" are that group."""
    by_start = {c.start: c for c in named}
    for (start, end), kind in generic.items():
        if kind != _ARMED:
            continue
        words = [t.lower_ for t in doc[end : end + 6]]
        for link in matchers.links:
            if tuple(words[: len(link)]) != link:
                continue
            at = end + len(link)
            while at < len(doc) and doc[at].lower_ in _BEFORE_NAME:
                at += 1
            group = by_start.get(at)
            if group is not None:
                kind = "unlisted" if group.unlisted else "name"
                yield _Candidate(
                    start, group.end, kind, group.strong, group.weak, unlisted=group.unlisted
                )
                break


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _state_ids(
    dictionary: ActorDictionary, country: str, *, police: bool = False
) -> tuple[str, ...]:
    entry = dictionary.state_forces(country, police=police)
    return (entry.id,) if entry else ()


def _force_candidates(
    doc: Doc,
    matchers: ActorMatchers,
    dictionary: ActorDictionary,
    adjectives: list[tuple[tuple[str, ...], int, int]],
    nationalities: list[tuple[tuple[str, ...], int, int]],
    countries: list[tuple[str, int, int, bool]],
) -> Iterator[_Candidate]:
    """State forces named by a nationality or a country, and actors by their adjective."""
    adjective_ends = {start: end for _, start, end in [*adjectives, *nationalities]}
    nationality_starts = {start for _, start, _ in nationalities}
    theatres = {c.country for c in dictionary.countries if c.theatre}
    for ids, start, end in [*adjectives, *nationalities]:
        # "the regime's helicopters", "Assad's troops"
        after = end + 1 if end < len(doc) and doc[end].text in _POSSESSIVE else end
        # "Russian Syrian airstrikes": two nationalities side by side share the noun.
        if after in nationality_starts:
            after = adjective_ends[after]
        reach = _force_end(doc, after, matchers, adjective_ends)
        if reach is None:
            continue
        noun_end, noun = reach
        if noun in matchers.police_nouns:
            ids = _police_variant(dictionary, ids)
        # A coordinated adjective ("Syrian" in "Syrian and Russian jets") keeps its own word.
        coordinated = end < len(doc) and (
            doc[end].lower_ in _COORDINATORS or end in nationality_starts
        )
        yield _Candidate(start, end if coordinated else noun_end, "force", ids)
    for country, start, end, possessive in countries:
        ids = _state_ids(dictionary, country)
        if not ids:
            continue
        if not possessive and end < len(doc) and doc[end].text in _POSSESSIVE:
            possessive, end = True, end + 1
        if possessive:
            reach = _force_end(doc, end, matchers, adjective_ends)
            if reach is not None:
                if reach[1] in matchers.police_nouns:
                    ids = _police_variant(dictionary, ids)
                yield _Candidate(start, reach[0], "force", ids)
        elif country not in theatres and _is_subject(doc, start, end, matchers):
            # "Turkey shelled ...": a foreign state acting; a theatre country as subject is
            # its government speaking ("Syria accused ...").
            yield _Candidate(start, end, "force", ids)


def _unlisted_candidates(
    doc: Doc, matchers: ActorMatchers, dictionary: ActorDictionary
) -> Iterator[_Candidate]:
    """Organisation names the dictionary lacks acting as armed parties; a name of a
    country's state words only ("Pakistan Army") is that state's forces."""
    for found in find_unlisted(
        doc, matchers.unlisted, matchers.country_words, matchers.origins, matchers.links
    ):
        if found.state_of is None:
            yield _Candidate(found.start, found.end, "unlisted", unlisted=(found.name, found.inter))
            continue
        ids = _state_ids(dictionary, found.state_of, police=found.police)
        if ids:
            yield _Candidate(found.start, found.end, "force", ids)


def _state_adjective_candidates(
    doc: Doc, matchers: ActorMatchers, spans: list[tuple[int, int]]
) -> Iterator[_Candidate]:
    """ "government troops", "army helicopters": the forces of the event's country."""
    for start, end in spans:
        reach = _force_end(doc, end, matchers, {})
        if reach is not None:
            kind = "police" if reach[1] in matchers.police_nouns else "military"
            yield _Candidate(start, reach[0], "state", (kind,))


def _police_variant(dictionary: ActorDictionary, ids: tuple[str, ...]) -> tuple[str, ...]:
    entries = [dictionary.by_id(i) for i in ids]
    return tuple(
        _state_ids(dictionary, e.country, police=True)[0] if e.state and e.country else e.id
        for e in entries
    )


def _is_subject(doc: Doc, start: int, end: int, matchers: ActorMatchers) -> bool:
    """A country acting as the subject of a verb ("Turkey shelled", "Russia has bombed"),
    not speaking or taking a position ("Turkey says")."""
    if not doc.has_annotation("DEP"):
        return False
    word = doc[end - 1]
    verb = word.head
    return (
        word.dep_ == "nsubj"
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() not in matchers.government_verbs
    )


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, the longest first (then by kind), in text order."""
    ranked = sorted(candidates, key=lambda c: (c.start - c.end, _KIND_RANK[c.kind], c.start))
    taken: list[_Candidate] = []
    covered: set[int] = set()  # tokens of the candidates taken: a mention is a few tokens
    for candidate in ranked:
        tokens = range(candidate.start, candidate.end)
        if covered.isdisjoint(tokens):
            taken.append(candidate)
            covered.update(tokens)
    return sorted(taken, key=lambda c: c.start)


# The report's country ----------------------------------------------------------------------


def _country_focus(
    doc: Doc, chosen: list[_Candidate], matchers: ActorMatchers, dictionary: ActorDictionary
) -> str | None:
    """The theatre country named most often, by place names and single-country actors."""
    theatres = {c.country for c in dictionary.countries if c.theatre}
    votes: Counter[str] = Counter()
    covered = {i for c in chosen for i in range(c.start, c.end)}
    naming = ("country", "country_possessive", "nationality")
    for kind, payload, start, _ in _raw_matches(doc, matchers):
        if kind in naming and payload[0] in theatres and start not in covered:
            votes[payload[0]] += 1
    for candidate in chosen:
        if not candidate.named or len(candidate.strong) != 1:
            continue
        entry = dictionary.by_id(candidate.strong[0])
        home = set(entry.active_in) if not entry.state else {entry.country or ""}
        (theatre, *others) = home & theatres or {""}
        if theatre and not others:
            votes[theatre] += 1
    if not votes:
        return None  # never a default country: the caller flags the event instead
    best = max(votes.values())
    return next(country for country, count in votes.items() if count == best)


# Sub-groups -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Subgroup:
    origin: str
    start: int
    end: int
    #: Named by a fighter noun ("fighters"), not a grouping noun ("members", "battalion").
    armed: bool

    @property
    def label(self) -> str:
        return f"{self.origin[:1].upper()}{self.origin[1:]} fighters"


def _subgroups(
    doc: Doc, origins: list[tuple[str, int, int]], matchers: ActorMatchers
) -> list[_Subgroup]:
    members = matchers.fighter_nouns | matchers.grouping_nouns
    found = []
    for origin, start, end in origins:
        stop = end
        while stop < len(doc) and doc[stop].lower_ in members:
            stop += 1
        if stop > end:
            armed = any(t.lower_ in matchers.fighter_nouns for t in doc[end:stop])
            found.append(_Subgroup(origin, start, stop, armed))
    return found


def _parent_of(
    doc: Doc, group: _Subgroup, chosen: list[_Candidate], matchers: ActorMatchers
) -> tuple[_Candidate, int, int] | None:
    """The named group a sub-group belongs to by the words around it, with the phrase span."""
    by_end = {c.end: c for c in chosen if c.kind in ("name", "unit")}
    by_start = {c.start: c for c in chosen if c.kind in ("name", "unit")}
    before = group.start
    if before > 0 and doc[before - 1].text in _POSSESSIVE and before - 1 in by_end:
        parent = by_end[before - 1]  # "IS's Chechen fighters"
        return parent, parent.start, group.end
    if before in by_end:
        parent = by_end[before]  # "ISIS foreign fighters"
        return parent, parent.start, group.end
    words = [t.lower_ for t in doc[group.end : group.end + 6]]
    for link in matchers.links:
        if tuple(words[: len(link)]) != link:
            continue
        at = group.end + len(link)
        if at < len(doc) and doc[at].lower_ in _ARTICLES:
            at += 1
        if at in by_start:  # "Chechen fighters in IS"
            parent = by_start[at]
            return parent, group.start, parent.end
    return None


def _tie_subgroups(
    doc: Doc,
    chosen: list[_Candidate],
    groups: list[_Subgroup],
    matchers: ActorMatchers,
    dictionary: ActorDictionary,
) -> list[_Candidate]:
    """Code sub-groups as their parent group, with the sub-group as associated actor."""
    ties: dict[str, tuple[str, ...]] = {}
    result = list(chosen)
    loose: list[_Subgroup] = []
    for group in groups:
        found = _parent_of(doc, group, result, matchers)
        if found is None:
            parent = _pronoun_parent(doc, group, result, dictionary)
            if parent is None:
                loose.append(group)
                continue
            found = (parent, group.start - 1, group.end)
        parent, start, end = found
        ties.setdefault(group.origin.lower(), parent.strong)
        result = _replace(result, _subgroup(group, start, end, parent.strong, dictionary))
    main = _main_armed_group(result, dictionary)
    # Only origins listed as foreign: "Afghan" or "Iraqi" fighters in Syria may be on any side.
    foreign = {p.lower() for p in dictionary.peoples.foreign}
    for group in loose:
        origin = group.origin.lower()
        parent_ids = ties.get(origin) or (main if group.armed and origin in foreign else None)
        if not parent_ids:
            continue
        candidate = _subgroup(group, group.start, group.end, parent_ids, dictionary)
        if not any(candidate.overlaps(c) for c in result):
            result = _replace(result, candidate)
    return result


def _subgroup(
    group: _Subgroup, start: int, end: int, parent_ids: tuple[str, ...], dictionary: ActorDictionary
) -> _Candidate:
    """The parent group, with the sub-group as associated actor unless it is of the parent's
    own nationality ("the Lebanese group Hezbollah" is Hezbollah itself)."""
    homes = {dictionary.by_id(i).country for i in parent_ids}
    own = any(group.origin in c.adjectives and c.country in homes for c in dictionary.countries)
    associated = () if own else (group.label,)
    return _Candidate(start, end, "subgroup", parent_ids, associated=associated)


def _pronoun_parent(
    doc: Doc, group: _Subgroup, chosen: list[_Candidate], dictionary: ActorDictionary
) -> _Candidate | None:
    """ "its Chechen fighters": the nearest armed group named before the pronoun."""
    if group.start == 0 or doc[group.start - 1].lower_ not in _POSSESSIVE_PRONOUNS:
        return None
    earlier = [c for c in chosen if c.end <= group.start - 1 and _non_state_group(c, dictionary)]
    return earlier[-1] if earlier else None


def _non_state_group(candidate: _Candidate, dictionary: ActorDictionary) -> bool:
    if candidate.kind not in ("name", "unit", "subgroup") or not candidate.strong:
        return False
    return not any(dictionary.by_id(i).state for i in candidate.strong)


def _main_armed_group(
    chosen: list[_Candidate], dictionary: ActorDictionary
) -> tuple[str, ...] | None:
    """The non-state armed group the report names most (the first on ties)."""
    counts: Counter[tuple[str, ...]] = Counter(
        c.strong for c in chosen if _non_state_group(c, dictionary)
    )
    return counts.most_common(1)[0][0] if counts else None


def _replace(chosen: list[_Candidate], new: _Candidate) -> list[_Candidate]:
    kept = [c for c in chosen if not c.overlaps(new)]
    return sorted([*kept, new], key=lambda c: c.start)


# Resolution --------------------------------------------------------------------------------


def _pick(ids: tuple[str, ...], focus: str | None, dictionary: ActorDictionary) -> ActorEntry:
    """Among actors sharing words, the one active in the report's country, else the first."""
    entries = [dictionary.by_id(i) for i in ids]
    return next((e for e in entries if e.is_active_in(focus)), entries[0])


def _resolve(
    doc: Doc, chosen: list[_Candidate], focus: str | None, dictionary: ActorDictionary
) -> list[ActorMention]:
    mentions: list[ActorMention] = []
    named_so_far: list[str] = []  # actor ids in text order
    # Words of bodies named before that are no actor: "the Coalition" after "the Syrian
    # Coalition" is that body again, not the US-led coalition.
    bodies: set[str] = set()
    text = text_of(doc)
    for candidate in chosen:
        if candidate.kind == "blocked":
            bodies.add(doc[candidate.end - 1].lower_)  # the head noun of the name
            continue
        if candidate.kind == "described" or _bare_word(doc, candidate) in bodies:
            continue
        first, last = doc[candidate.start], doc[candidate.end - 1]
        span = Span.of(text, first.idx, last.idx + len(last))
        entry: ActorEntry | None = None
        if candidate.weak:
            wanted = set(candidate.weak) | set(candidate.strong)
            earlier = next((i for i in reversed(named_so_far) if i in wanted), None)
            entry = dictionary.by_id(earlier) if earlier else None
        generic_kind = candidate.strong[0] if candidate.kind == "generic" else candidate.fallback
        if entry is None and generic_kind is not None:
            generic = dictionary.generic[generic_kind]
            actor = generic.actor(candidate.country or focus)
            mentions.append(ActorMention(span=span, actor=actor, generic=True))
            continue
        if candidate.unlisted is not None:
            name, inter = candidate.unlisted
            name = name.format(country=focus) if focus else name.replace(" ({country})", "")
            mentions.append(ActorMention(span=span, actor=Actor(name=name, inter=inter)))
            continue
        if candidate.kind == "state":
            police = candidate.strong[0] == "police"
            entry = dictionary.state_forces(focus, police=police) if focus else None
            if entry is None:
                # No country known: the name without it, never another country's forces.
                name = "Police Forces" if police else "Military Forces"
                mentions.append(ActorMention(span=span, actor=Actor(name=name, inter=1)))
                continue
        if entry is None and candidate.strong:
            entry = _pick(candidate.strong, focus, dictionary)
        if entry is None:
            continue
        if entry.local_label and focus is not None and not entry.is_active_in(focus):
            generic = dictionary.generic[_ARMED]
            mentions.append(ActorMention(span=span, actor=generic.actor(focus), generic=True))
            continue
        named_so_far.append(entry.id)
        mentions.append(
            ActorMention(
                span=span,
                actor=entry.actor(focus, candidate.associated, candidate.named_unit),
                authority=entry.authority,
            )
        )
    return mentions


def _bare_word(doc: Doc, candidate: _Candidate) -> str | None:
    """The one word of a candidate after its article ("the Coalition" -> "coalition")."""
    words = [t.lower_ for t in doc[candidate.start : candidate.end] if t.lower_ not in _ARTICLES]
    return words[0] if len(words) == 1 else None


def find_actors(
    doc: Doc, country: str | None = None, matchers: ActorMatchers | None = None
) -> list[ActorMention]:
    """Every actor the report names, in text order, as ACLED actors with their words.

    `country` is the country of the report's events when the caller knows it (the
    geocoder's document focus); otherwise the theatre country the report names most,
    else the dictionary's default. It picks country-dependent names ("Islamic State
    (Iraq)"), the actor meant by shared words ("government forces") and inter 8 for state
    forces abroad. `matchers` carry the dictionary (an engine's); by default the packaged
    one's.
    """
    matchers = matchers or _default_matchers(doc.vocab)
    dictionary = matchers.dictionary
    candidates, origins = _candidates(doc, matchers, dictionary)
    chosen = _select(candidates)
    focus = country or _country_focus(doc, chosen, matchers, dictionary)
    chosen = _tie_subgroups(doc, chosen, _subgroups(doc, origins, matchers), matchers, dictionary)
    return _resolve(doc, chosen, focus, dictionary)
