"""Finding the places a report names and resolving them at document level.

Names are found by gazetteer matching over the tokens (spaCy's small model misses most
Middle Eastern places), guarded against common words; each is resolved with the report's
country focus, the province it is said to be in, nearby places and its population; the
words around it set ACLED's geo_precision.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import TypedDict

from spacy.tokens import Doc

from sitrep.geo._gazetteer import GazetteerEntry
from sitrep.geo._geocoder import Geocoder, default_geocoder
from sitrep.geo._rules import ContextRules, Phrase, context_rules, english_words
from sitrep.geo._text import fold_words, is_article, key_of_words, name_key
from sitrep.models import Place, PlaceMention, Span

#: Entity labels whose longer spans are names of something else ("Aleppo Media Center").
_FOREIGN_ENTITY_LABELS = frozenset({"PERSON", "ORG"})
#: Entity labels spaCy gives to places: unknown ones are kept as unresolved mentions.
_PLACE_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
_HYPHENS = frozenset({"-", "–", "‐"})
#: Lower-case words a curated region name may hold ("Syrian coastal region").
_MAX_LOWER_WORDS = 2
#: Within this distance another mentioned place supports a candidate.
_NEARBY_KM = 120.0
#: A hamlet farther than this from every town the report names is likely a namesake.
_STRAY_KM = 50.0
#: A smaller place this close to a big city the report names is one of its districts.
_CITY_DISTRICT_KM = 8.0


class Hint(Enum):
    """What the words around a name say it denotes."""

    TOWN = 1  # the place itself: precision 1
    NEAR = 2  # near it, its outskirts or countryside: precision 2
    ADMIN = 3  # the province of that name: precision 3


@dataclass
class _Found:
    """A place name in the report, before and after resolution."""

    start: int  # token indexes, end exclusive
    end: int
    candidates: list[GazetteerEntry]
    hint: Hint = Hint.TOWN
    context: tuple[int, int] | None = None  # token range of the words behind `hint`
    container: _Found | None = None  # "X in Y": Y
    anchor: _Found | None = None  # "X near Y" / "X district of Y": Y
    is_district: bool = False
    chosen: GazetteerEntry | None = None
    scores: dict[int, float] = field(default_factory=dict)

    #: True when the gazetteer knew the name (even if no referent survived the guards)
    from_gazetteer: bool = False
    #: A one-word name that is also an English word ("Tall", "Hope"): needs a big town
    english_word: bool = False
    #: Words of the name other than articles ("al-Bab" has one)
    content_words: int = 1
    #: The matching key the name was found under, and the folded words as written
    key: str = ""
    words: list[str] = field(default_factory=list)
    #: Followed by "district" / "neighbourhood": part of a city, never a province
    part_of_city: bool = False
    #: Written as a possessive that lost its apostrophe ("Idlibs countryside")
    possessive: bool = False


@lru_cache(maxsize=65536)
def _token_words(text: str) -> tuple[str, ...]:
    return tuple(fold_words(text))


def _is_capitalised(text: str) -> bool:
    first = text[0]
    return first.isupper() or "\u0600" <= first <= "\u06ff"


class _Tokens:
    """The token attributes matching reads, copied out of the Doc once (each `doc[i]`
    builds a new Token object: too slow for a lookup per token and n-gram)."""

    def __init__(self, doc: Doc) -> None:
        self.text: list[str] = []
        self.lower: list[str] = []
        self.alpha: list[bool] = []
        self.sent_start: list[bool] = []
        self.proper: list[bool] = []
        self.glued: list[bool] = []
        self.offset: list[int] = []
        self.trailing: list[str] = []  # the whitespace after each token
        for token in doc:  # one pass: every doc[i] or iteration builds a Token object
            self.text.append(token.text)
            self.lower.append(token.lower_)
            self.alpha.append(token.is_alpha)
            self.sent_start.append(bool(token.is_sent_start))
            self.proper.append(token.pos_ == "PROPN")
            self.trailing.append(token.whitespace_)
            self.offset.append(token.idx)
        self.glued = [not space for space in self.trailing]
        self.words = [_token_words(t) for t in self.text]
        self.capitalised = [_is_capitalised(t) for t in self.text]
        self.hyphen = [t in _HYPHENS for t in self.text]
        self.article = [is_article(t) for t in self.lower]
        self.count = len(self.text)

    def at(self, i: int) -> str:
        """The lower-cased token at i, or "" past either end."""
        return self.lower[i] if 0 <= i < self.count else ""

    def folded(self, start: int, end: int) -> list[str]:
        """The folded words of the tokens from start (clipped to the text) to end."""
        return [w for k in range(max(0, start), end) for w in self.words[k]]


class _Matcher:
    """Longest gazetteer match at each token that can open a name."""

    def __init__(self, doc: Doc, tokens: _Tokens, geocoder: Geocoder, rules: ContextRules) -> None:
        self.doc = doc
        self.t = tokens
        self.geocoder = geocoder
        self.rules = rules
        self.max_words = geocoder.max_words
        self.english = english_words()
        # (start, end, label) of the entities whose longer spans name something else
        self.foreign_entities = [
            (e.start, e.end, e.label_) for e in doc.ents if e.label_ in _FOREIGN_ENTITY_LABELS
        ]

    def _can_open(self, i: int) -> bool:
        t = self.t
        if t.capitalised[i]:
            return True
        if i + 1 >= t.count:
            return False
        # "al-Bab", "el-Bab": a lower-case article glued to a name
        if t.article[i] and t.glued[i] and t.hyphen[i + 1]:
            return True
        return t.lower[i] in self.rules.name_openers and t.capitalised[i + 1]

    def match_at(self, i: int) -> _Found | None:
        t = self.t
        words: list[str] = []
        best: tuple[int, list[GazetteerEntry], str, list[str]] | None = None
        j = i
        lower_words = 0
        while j < t.count and len(words) <= self.max_words + 1:
            # Lower-case words may continue only curated region names ("the Syrian coast").
            if j > i and not (t.hyphen[j] or t.alpha[j]):
                break
            if not (t.capitalised[j] or t.article[j] or t.hyphen[j]):
                lower_words += 1
                if lower_words > _MAX_LOWER_WORDS:
                    break
            token_words = t.words[j]
            words.extend(token_words)
            j += 1
            if (
                not token_words
                or is_article(token_words[-1])
                or (j == i + 1 and t.lower[i] in self.rules.name_openers)
            ):
                continue
            key = key_of_words(words)
            candidates = self.geocoder.candidates(key)
            if (
                candidates
                and self._cased_as_name(i, j, candidates)
                and self._plausible(i, j, words)
            ):
                best = (j, list(candidates), key, list(words))
        possessive = False
        if best is None:
            best = self._lost_apostrophe(i)
            possessive = best is not None
        if best is None:
            return None
        end, candidates, key, words = best
        content = [w for w in words if not is_article(w)]
        english = len(content) == 1 and content[0] in self.english
        if (
            english
            and not t.proper[end - 1]
            and not any(c.is_country or c.is_admin1 for c in candidates)
        ):
            return None  # "Kill" in a headline: a capitalised verb, not Kiel
        return _Found(
            i,
            end,
            candidates,
            from_gazetteer=True,
            english_word=english,
            content_words=len(content),
            key=key,
            words=words,
            possessive=possessive,
        )

    def _lost_apostrophe(self, i: int) -> tuple[int, list[GazetteerEntry], str, list[str]] | None:
        """ "Aleppos Sukkari district", "Idlibs countryside": a possessive whose apostrophe
        was lost (scraped text often drops it); only for a big town, a province or a country,
        so that a plural never passes for a hamlet."""
        t = self.t
        words = t.words[i]
        if not t.capitalised[i] or len(words) != 1:
            return None
        word = words[0]
        stem = word[:-1]
        if len(word) < 5 or not word.endswith("s") or word in self.english:
            return None
        key = key_of_words([stem])
        candidates = list(self.geocoder.candidates(key))
        minimum = self.rules.english_word_min_population
        if not any(c.is_country or c.is_admin1 or c.population >= minimum for c in candidates):
            return None
        return i + 1, candidates, key, [stem]

    def _cased_as_name(self, start: int, end: int, candidates: Sequence[GazetteerEntry]) -> bool:
        """Every word capitalised, except articles, openers and inside curated regions."""
        if all(c.is_region for c in candidates):
            return True
        t = self.t
        return all(
            t.capitalised[k]
            or t.hyphen[k]
            or t.article[k]
            or (k == start and t.lower[k] in self.rules.name_openers)
            for k in range(start, end)
        )

    def _plausible(self, start: int, end: int, words: list[str]) -> bool:
        """Guards against common words and names of other things."""
        t = self.t
        content = [w for w in words if not is_article(w)]
        if len(content) == 1:
            k = end - 1 if t.article[start] else start
            if content[0] in self.rules.stopwords or content[0] in self.rules.demonyms:
                return False
            letters = [ch for ch in t.text[k] if ch.isalpha()]
            if len(letters) <= 3 and t.text[k].isupper():
                return False  # IS, UN, US: acronyms, not places
            if t.sent_start[k] and not t.proper[k]:
                return False  # "Air strikes hit...": capitalised only because it opens the sentence
        if self._closes_longer_name(start, end):
            return False
        if _names_a_group(t, end, self.rules):
            return False
        return not any(
            ent_start <= start
            and end <= ent_end
            and (ent_end - ent_start) > (end - start)
            and (label == "PERSON" or self._names_an_organisation(ent_start, ent_end, start, end))
            and not self._lists_places(ent_start, ent_end)
            for ent_start, ent_end, label in self.foreign_entities
        )

    def _lists_places(self, ent_start: int, ent_end: int) -> bool:
        """ "hit Tartous Homs and Hasakeh": scraped text lost the commas of a list of provinces
        or cities, and the tagger read two of them as a person's name; every word of that
        "name" is a province or a big town."""
        t = self.t
        minimum = self.rules.english_word_min_population
        words = [k for k in range(ent_start, ent_end) if t.alpha[k] and not t.article[k]]
        return len(words) > 1 and all(
            any(
                c.is_admin1 or c.population >= minimum
                for c in self.geocoder.candidates(key_of_words(list(t.words[k])))
            )
            for k in words
        )

    def _one_word(self, start: int, end: int) -> bool:
        """At most one token of start..end is a word other than an article."""
        t = self.t
        return sum(1 for k in range(start, end) if t.alpha[k] and not t.article[k]) <= 1

    def _longer_name_end(self, f: _Found) -> int | None:
        """ "Deir" in "Deir al-Adas", "Tal" in "Tal Al Senowbarat", "Bab" in "Bab Touma": a
        one-word match that opens a longer name the gazetteer does not know (a name of
        several words is specific enough on its own); the end of that name's next word."""
        t = self.t
        end = f.end
        if f.possessive or not self._one_word(f.start, end):
            return None
        countries = frozenset(c.country for c in f.candidates)
        if end + 1 < t.count and t.article[end] and t.hyphen[end + 1]:
            return min(end + 3, t.count)
        if end + 1 < t.count and t.article[end] and self._name_word(end + 1):
            # "Tal Al Senowbarat", "Busra al Harir": an article standing apart binds the words
            # around it into one name as a glued one does, even when the next word is a town
            return end + 2
        if end < t.count and self._unknown_name_word(end, countries):
            return end + 1
        if end < t.count and t.capitalised[end] and t.lower[end] in self.rules.city_parts:
            # "Tahrir Square", "Zahra Hospital": a square or building named after a village
            # elsewhere; a big town keeps its name ("Aleppo University" is in Aleppo)
            minimum = self.rules.english_word_min_population
            if not any(
                c.is_admin1 or c.is_country or c.population >= minimum for c in f.candidates
            ):
                return end + 1
        return None

    def _closes_longer_name(self, start: int, end: int) -> bool:
        """ "Safi" in "Aqareb es Safi", "Sham" in "Fateh al-Sham": a one-word match after a
        word of a name the gazetteer does not know."""
        t = self.t
        before = start - 1
        if before > 0 and t.article[before]:
            before -= 1
        return (
            self._one_word(start, end)
            and before >= 0
            and not t.sent_start[start]
            and self._unknown_name_word(before)
        )

    def _name_word(self, k: int) -> bool:
        """A capitalised word that is not English, an acronym nor a context word."""
        t = self.t
        if not t.alpha[k] or not t.capitalised[k] or t.text[k].isupper() or t.article[k]:
            return False  # acronyms ("NGO", "SDF") follow names without being part of them
        words = t.words[k]
        rules = self.rules
        if any(w in self.english or w in rules.stopwords or w in rules.demonyms for w in words):
            return False
        return not any(
            w in rules.admin_after or w in rules.near_after or w in rules.district_words
            for w in words
        )

    def _unknown_name_word(self, k: int, beside: frozenset[str] | None = None) -> bool:
        """A capitalised word that is not English, not a context word and no place itself.
        Right after a place of the countries `beside`, it is no place either when every name
        the gazetteer reads from it is a small town elsewhere: "Touma" (towns in Japan and
        Russia) after "Bab" (Syria) makes "Bab Touma" one name, not Al Bab and a second place;
        "Raqqa Deir al-Zor" stays two."""
        if not self._name_word(k):
            return False
        words = self.t.words[k]
        if beside is None:
            known = bool(self.geocoder.candidates(key_of_words(list(words))))
        else:
            match = self.match_at(k)
            known = match is not None and any(
                self._could_be_beside(c, beside) for c in match.candidates
            )
        if known:
            return False
        # "Syrias Aleppo": a possessive that lost its apostrophe
        return not (
            words[-1].endswith("s") and self.geocoder.candidates(key_of_words([words[-1][:-1]]))
        )

    def _could_be_beside(self, c: GazetteerEntry, countries: frozenset[str]) -> bool:
        """Two names side by side are two places ("Tartous Homs", a list that lost its commas)
        only in one country, or when the second is a country, a province or a big city."""
        return (
            c.country in countries
            or c.is_country
            or c.is_admin1
            or c.is_region
            or c.population >= self.rules.foreign_min_population
        )

    def _names_an_organisation(self, ent_start: int, ent_end: int, start: int, end: int) -> bool:
        rules = self.rules
        # "and" joins two places as often as two words of a name ("Tadmur and Salamia")
        organisation_words = (
            rules.stopwords
            - (rules.near_after | rules.admin_after | rules.district_words | rules.directions)
            - {"and"}
        )
        outside = [k for k in range(ent_start, ent_end) if k < start or k >= end]
        return any(set(self.t.words[k]) & organisation_words for k in outside)

    def find_all(self) -> list[_Found]:
        found: list[_Found] = []
        i = 0
        while i < self.t.count:
            match = self.match_at(i) if self._can_open(i) else None
            if match is None:
                i += 1
                continue
            longer_end = self._longer_name_end(match)
            if longer_end is not None:
                i = longer_end  # its words are no places on their own
                continue
            found.append(match)
            i = match.end
        return found


# Unknown names ---------------------------------------------------------------------------------


def _name_run(t: _Tokens, i: int) -> int:
    """End of the run of capitalised words (with articles and hyphens) starting at i."""
    j = i
    while j < t.count and (t.capitalised[j] or t.hyphen[j] or (j > i and t.article[j])):
        j += 1
    while j > i and (t.hyphen[j - 1] or t.article[j - 1]):
        j -= 1
    return j


def _ends_with(words: list[str], phrases: tuple[Phrase, ...]) -> Phrase | None:
    for phrase in phrases:
        if len(phrase) <= len(words) and tuple(words[len(words) - len(phrase) :]) == phrase:
            return phrase
    return None


def _after_openers(t: _Tokens, k: int, rules: ContextRules) -> int:
    """The first token from k that is no lower-case opener ("in rural Aleppo")."""
    while t.at(k) in rules.name_openers:
        k += 1
    return k


def _names_a_group(t: _Tokens, end: int, rules: ContextRules) -> bool:
    """ "the Hazm movement": the name ending before `end` is an armed group's."""
    return end < t.count and bool(set(t.words[end]) & rules.group_nouns_after)


def _unknown_names(doc: Doc, t: _Tokens, found: list[_Found], rules: ContextRules) -> list[_Found]:
    """Names that announce themselves as places but are not in the gazetteer."""
    english = english_words()
    taken = {i for f in found for i in range(f.start, f.end)}
    starts = {f.start: f for f in found}
    ends = {f.end - 1 for f in found}
    unknown: list[_Found] = []

    def keep(start: int, end: int) -> None:
        if end <= start or any(i in taken for i in range(start, end)):
            return
        if _names_a_group(t, end, rules):
            return
        tokens = [doc[k] for k in range(start, end) if t.alpha[k] and not t.article[k]]
        # A lone English-looking word can still be a village ("Kinda"); several, making up
        # most of a run of capitalised words, are a headline ("Terrorist Attacks", "Daesh
        # Ridiculous Syrian Army Encircles Daesh").
        several = len(tokens) > 1

        def ordinary(word: str) -> bool:
            return (
                word in rules.stopwords or word in rules.demonyms or (several and word in english)
            )

        common = sum(1 for w in tokens if ordinary(w.lower_) or ordinary(w.lemma_.lower()))
        if not tokens or common == len(tokens) or (several and 2 * common > len(tokens)):
            return
        unknown.append(_Found(start, end, [], words=t.folded(start, end)))
        taken.update(range(start, end))

    for i in range(t.count):
        if i in taken or not t.capitalised[i] or t.sent_start[i]:
            continue
        before = t.folded(i - 4, i)
        end = _name_run(t, i)
        if _ends_with(before, rules.place_cues):
            keep(i, end)
            continue
        # "Aleppo's Sukkari district", "the Sukkari district of Aleppo"
        if (
            end < t.count
            and t.lower[end] in rules.district_words
            and (
                (i >= 2 and t.lower[i - 1] in ("'s", "’s") and (i - 2) in ends)
                or (end + 2 < t.count and t.lower[end + 1] in ("of", "in") and (end + 2) in starts)
            )
        ):
            keep(i, end)
            continue
        # "shelled Kinda in Idleb", "near Kinda (Harim, Idleb)": an unknown name between a
        # verb or preposition of place and a known place it is said to be in or near
        if (
            before
            and before[-1] in rules.place_verbs
            and end < t.count
            and t.lower[end] in ("in", "near", ",", "(")
            and ((end + 1) in starts or _after_openers(t, end + 1, rules) in starts)
        ):
            keep(i, end)
    for ent in doc.ents:
        if ent.label_ in _PLACE_ENTITY_LABELS:
            start, end = ent.start, ent.end
            while start < end and not (t.capitalised[start] or t.article[start] or t.hyphen[start]):
                start += 1  # "the Bustan al-Qasr district": the name, not "the" ("al-" stays)
            while end > start and not t.capitalised[end - 1]:
                end -= 1  # "Aqareb es Safi village": the name, not the noun after it
            if end - start == 1 and t.sent_start[start]:
                # one word opening a sentence ("Gunmen killed ..."): capitalised because it
                # opens it, as the loop above assumes too
                continue
            keep(start, end)
    return unknown


# Context words ---------------------------------------------------------------------------------


def _hint_before(f: _Found, t: _Tokens, rules: ContextRules) -> tuple[Hint, tuple[int, int]] | None:
    """ "near (the town of) X", "province of X", "in the area of X": the context phrase
    nearest the name, across the filler words between them."""
    first = max(0, f.start - 7)
    before_end = f.start
    while True:
        before = t.folded(first, before_end)
        admin = _ends_with(before, rules.admin_before)
        if admin:
            return Hint.ADMIN, (before_end - len(admin), before_end)
        near = _ends_with(before, rules.near_before)
        if near:
            return Hint.NEAR, (before_end - len(near), before_end)
        if before_end <= first or t.lower[before_end - 1] not in rules.fillers:
            return None
        if (
            t.lower[before_end - 1] == "of"
            and before_end > 1
            and t.lower[before_end - 2] not in rules.fillers
        ):
            return None  # "the evacuation of X": the "of" belongs to the word before it
        before_end -= 1


def _set_hint(f: _Found, t: _Tokens, rules: ContextRules) -> None:
    before = _hint_before(f, t, rules)
    if before is not None:
        f.hint, f.context = before
        if f.hint is Hint.ADMIN:
            return
    elif (
        t.at(f.start - 1) in rules.directions
        and t.at(f.start - 1) != "central"  # "central Baghdad" is the city's centre
        and t.at(f.end) != "city"
        and any(c.is_admin1 for c in f.candidates)
    ):
        # "western Anbar", "northern Aleppo": a part of the province (ACLED codes "eastern
        # Mosul", a part of a city, to the city)
        f.hint, f.context = Hint.ADMIN, (f.start - 1, f.start)
        return
    # After the name: "X province", "X's (northern) countryside"
    j = f.end
    if t.at(j) in ("'s", "’s"):
        j += 1
    if t.at(j) in rules.directions:
        j += 1
    if t.at(f.end) in rules.district_words:
        f.part_of_city = True
    word = t.at(j)
    if word in rules.admin_after:
        f.hint, f.context = Hint.ADMIN, (f.end, j + 1)
    elif word in rules.near_after and f.hint is Hint.TOWN:
        f.hint, f.context = Hint.NEAR, (f.end, j + 1)


def _listed_together(left: _Found, right: _Found, t: _Tokens) -> bool:
    """ "Idlib and Hama", "Idlib, Hama": two names of one list."""
    return t.lower[left.end : right.start] in (["and"], [","], [",", "and"])


def _spread_plural_admin(found: list[_Found], t: _Tokens) -> None:
    """ "Idlib and Hama provinces": the plural admin word covers both names; "between Hit
    and Haditha": so does "between" (the event is near both, at neither)."""
    for left, right in itertools.pairwise(found):
        if right.hint is Hint.ADMIN and left.hint is Hint.TOWN and _listed_together(left, right, t):
            left.hint, left.context = Hint.ADMIN, right.context
        elif (
            left.hint is Hint.NEAR
            and left.context is not None
            and t.lower[left.context[0]] == "between"
            and right.hint is Hint.TOWN
            and _listed_together(left, right, t)
        ):
            right.hint, right.context = Hint.NEAR, left.context


#: Words that may sit between a name and the place it is said to be in.
_LINK_FILLERS = frozenset({"the", "in", "of"})
_MAX_LINK_WORDS = 6


def _link(found: list[_Found], t: _Tokens, rules: ContextRules) -> None:
    """ "X in Y", "X, Y", "X (Y)", "X near Y", "the X district of Y", "Y's X district"."""
    by_start = {f.start: f for f in found}
    for f in found:
        j = f.end
        if t.at(j) in rules.district_words and t.at(j + 1) in ("of", "in"):
            other = by_start.get(j + 2) or by_start.get(j + 3)
            if other is not None:
                f.anchor, f.is_district = other, True
                continue
        while t.at(j) in rules.fillers:
            j += 1  # "Kinda village in ...", "the town of ..."
        if t.at(j) in ("in", ",", "near", "("):
            k = j + 1
            # "in the Syrian Hama province", ", in the eastern countryside of Deir Ezzor"
            while (
                k - j <= _MAX_LINK_WORDS
                and k not in by_start  # "in rural Damascus" names the province
                and (
                    t.at(k) in _LINK_FILLERS
                    or t.at(k) in rules.demonyms
                    or t.at(k) in rules.directions
                    or t.at(k) in rules.name_openers
                    or t.at(k) in rules.near_after
                )
            ):
                k += 1
            other = by_start.get(k) or _first_in_brackets(found, t, j)
            if other is None:
                continue
            if t.at(j) == "near":
                f.anchor = other
            else:
                f.container = other
    for f in found:
        # "Aleppo's Sukkari district"
        other = by_start.get(f.end + 1) if t.at(f.end) in ("'s", "’s") else None
        if other is not None and t.at(other.end) in rules.district_words:
            other.anchor, other.is_district = f, True


def _first_in_brackets(found: list[_Found], t: _Tokens, opening: int) -> _Found | None:
    """ "Al Atarib (Jebel Saman, Aleppo)": the first known name inside the brackets after a
    name says where it is, even after a district name the gazetteer lacks."""
    if t.at(opening) != "(":
        return None
    closing = next((k for k in range(opening + 1, t.count) if t.at(k) == ")"), opening)
    return next((f for f in found if opening < f.start and f.end <= closing), None)


# Resolution ------------------------------------------------------------------------------------


def _distance_km(a: GazetteerEntry, b: GazetteerEntry) -> float:
    lat = math.radians((a.latitude + b.latitude) / 2)
    dx = math.radians(a.longitude - b.longitude) * math.cos(lat)
    dy = math.radians(a.latitude - b.latitude)
    return 6371.0 * math.hypot(dx, dy)


@dataclass
class _Focus:
    country: str | None
    neighbours: tuple[str, ...]
    #: countries the report names ("Russia", "Turkey"): their towns are plausible referents
    named_countries: frozenset[str]
    admin1_share: dict[str, float]
    foreign_min_population: int = 0


def _theatre(geocoder: Geocoder, rules: ContextRules) -> frozenset[str]:
    """The monitored countries and their neighbours."""
    countries = set(rules.monitored)
    for iso2 in rules.monitored:
        country = geocoder.country(iso2)
        countries.update(country.neighbours if country else ())
    return frozenset(countries)


def _far_hamlets_only(
    candidates: list[GazetteerEntry], theatre: frozenset[str], least: int
) -> bool:
    """Every referent is a small town far from the monitored theatre: the gazetteer lacks
    most villages of the theatre, so their names meet small namesakes on other continents
    ("Taji" is also Taiji, Japan) that say nothing of where the report happens."""
    return all(
        c.feature_class == "P" and c.country not in theatre and c.population < least
        for c in candidates
    )


def _country_focus(
    found: list[_Found], t: _Tokens, geocoder: Geocoder, rules: ContextRules
) -> str | None:
    """The country the report is about: named countries, then places, then nationalities."""
    weights: dict[str, float] = defaultdict(float)
    theatre = _theatre(geocoder, rules)
    for f in found:
        pool = _pool(f) if f.hint is Hint.ADMIN else f.candidates
        candidates = [
            c
            for c in pool
            if not f.english_word
            or c.is_country
            or c.is_admin1
            or c.population >= rules.english_word_min_population
        ]
        if not candidates or _far_hamlets_only(candidates, theatre, rules.foreign_min_population):
            continue
        countries = [c for c in candidates if c.is_country]
        if countries:
            # as much as one town: a country is named as an actor as often as a place ("jets
            # from Russia struck Hreitan and Tall Rifaat" happens in Syria)
            weights[countries[0].country] += 1.0
            continue
        single = len({c.country for c in candidates}) == 1
        # A name shared across countries ("Samarra" is also Samara, Russia) is evidence of
        # the monitored country where it names a place there, not of its biggest namesake.
        monitored = [c for c in candidates if c.country in rules.monitored]
        top = monitored[0] if monitored and not single else candidates[0]
        hamlets = all(c.feature_class == "P" and not c.population for c in candidates)
        division = any(c.is_admin1 for c in candidates)  # "Aleppo" is an English word too
        if (f.english_word and not division) or (hamlets and f.content_words == 1):
            # "Air" may be Ayr: weak evidence of Scotland; and a one-word name known only as
            # hamlets ("Hayat", "Tahrir" of a group's name) is weak evidence of their country
            weight = 0.25
        elif single:
            weight = 2.0 if f.hint is Hint.ADMIN else 1.0
        else:
            weight = 0.75
        weights[top.country] += weight
    for lower in t.lower:
        iso2 = rules.demonyms.get(lower)
        if iso2 is not None:
            weights[iso2] += 0.5
    if not weights:
        return None
    for iso2 in rules.monitored:
        weights[iso2] += 0.25
    return max(weights, key=lambda iso2: weights[iso2])


def _pool(f: _Found) -> list[GazetteerEntry]:
    """The candidates the context allows: the province when the words say province."""
    if f.hint is Hint.ADMIN:
        divisions = [c for c in f.candidates if c.is_admin1]
        if divisions:
            return divisions
    if f.part_of_city:
        return [c for c in f.candidates if c.feature_class == "P"]
    not_divisions = [c for c in f.candidates if not c.is_admin1]
    return not_divisions or list(f.candidates)


def _within_container(f: _Found, pool: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """ "Tall Tamr in Hasakeh", "Zummar, Ninewa", "X (Ar Rastan, Homs)": the province the
    text puts a name in chooses among its homonyms, whatever their size; when none of them
    is there, the place is one the gazetteer lacks (coded to the province)."""
    outer = f.container
    container = outer.chosen if outer is not None else None
    if outer is None or container is None or container.is_country or not container.admin1:
        return pool
    inside = [c for c in pool if (c.country, c.admin1) == (container.country, container.admin1)]
    division = container.is_admin1 or outer.hint is Hint.ADMIN
    return inside if division or inside else pool


def _at_home(f: _Found, focus: _Focus) -> list[GazetteerEntry]:
    """The referents a name may have in the report's country: when it has one there, a
    namesake across a border is what the report means only in a country the text names
    ("Arsal in Lebanon") or as a city big enough to be named from abroad."""
    home = [c for c in f.candidates if c.country == focus.country]
    if focus.country is None or not home:
        return f.candidates
    return [
        c
        for c in f.candidates
        if c in home
        or c.is_country
        or c.country in focus.named_countries
        or c.population >= focus.foreign_min_population
    ]


def _score(
    c: GazetteerEntry, f: _Found, focus: _Focus, geocoder: Geocoder, chosen: list[GazetteerEntry]
) -> float:
    score = 0.35 * math.log10(c.population + 1)
    if c.is_region or c.is_country:
        score += 1.0
    elif c.feature_class == "P":
        score += 0.3
    if focus.country is not None:
        if c.country == focus.country:
            score += 4.0 + 2.0 * focus.admin1_share.get(c.admin1, 0.0)
        else:
            score -= 1.5 if c.country in focus.neighbours else 6.0
    container = f.container.chosen if f.container is not None else None
    if container is not None and (c.country, c.admin1) == (container.country, container.admin1):
        score += 3.0
    if c.feature_class == "P" and any(
        o.feature_class == "P" and o is not c and _distance_km(c, o) < _NEARBY_KM for o in chosen
    ):
        score += 1.5
    return score


def _admissible(c: GazetteerEntry, f: _Found, focus: _Focus, rules: ContextRules) -> bool:
    """Small places far from the report's country, or named like English words, are not
    what the report means ("Palmyra" in a report about Syria is never Palmyra, New York)."""
    if c.is_country or focus.country is None or c.country == focus.country:
        return (
            not f.english_word
            or c.feature_class != "P"
            or (c.population >= rules.english_word_min_population)
        )
    if f.english_word and not (
        c.population >= rules.english_word_min_population and fold_words(c.name) == f.words
    ):
        return False  # "Aleppo" is in the English word lists too, but spelled as its name
    if c.is_admin1 or c.is_region:
        # another country's province only when the words say province
        return c.country in focus.neighbours and f.hint is Hint.ADMIN
    if c.country in focus.neighbours:
        # across the border only where the text says so: a country it names, or a city
        # big enough to be named without its country
        return c.country in focus.named_countries or c.population >= rules.foreign_min_population
    if c.country in focus.named_countries:
        return True
    # Far away and its country unnamed: only a big city called by its own name
    # ("Moscow", "The Hague"), not a town that shares a spelling variant ("al-Jadida").
    least = rules.foreign_min_population * (10 if f.content_words == 1 else 1)
    return c.population >= least and name_key(c.name) == f.key


def _resolve(found: list[_Found], t: _Tokens, geocoder: Geocoder, rules: ContextRules) -> None:
    """Choose each name's referent (`_Found.chosen`), twice: the second pass knows which
    provinces the report is about and which places it names near each other."""
    focus_country = _country_focus(found, t, geocoder, rules)
    country = geocoder.country(focus_country) if focus_country else None
    named = frozenset(c.country for f in found for c in f.candidates if c.is_country)
    focus = _Focus(
        focus_country,
        country.neighbours if country else (),
        named,
        {},
        rules.foreign_min_population,
    )
    for f in found:
        f.candidates = [c for c in f.candidates if _admissible(c, f, focus, rules)]
        f.candidates = _at_home(f, focus)
    for _ in range(2):
        chosen = [f.chosen for f in found if f.chosen is not None]
        # containers first, so "X in Y" can use Y's province
        for f in sorted(found, key=lambda f: f.container is not None):
            pool = _within_container(f, _pool(f))
            if pool:
                f.chosen = max(pool, key=lambda c: _score(c, f, focus, geocoder, chosen))
        in_focus = Counter(
            f.chosen.admin1
            for f in found
            if f.chosen is not None and f.chosen.country == focus_country and f.chosen.admin1
        )
        total = sum(in_focus.values())
        focus.admin1_share = {code: n / total for code, n in in_focus.items()} if total else {}
    for f in [f for f in found if _stray_hamlet(f, found)]:
        f.chosen = None


def _districts_of_named_cities(found: list[_Found], rules: ContextRules) -> None:
    """ "Aleppo ... shells fell on al-Zahraa": a place of no recorded population within a few
    kilometres of a big city the report names is a district of it, coded as ACLED codes city districts
    ("Aleppo - al-Zahraa", at its own point, precision 1), so it is one place with it."""
    cities = [
        f
        for f in found
        if f.chosen is not None
        and f.chosen.feature_class == "P"
        and f.chosen.population >= rules.foreign_min_population
        and f.hint is Hint.TOWN
    ]
    for f in found:
        c = f.chosen
        if c is None or c.feature_class != "P" or f.anchor is not None or f.hint is not Hint.TOWN:
            continue
        if c.population:
            continue  # a town with its own population is a town (Harasta beside Douma)
        near = [
            city
            for city in cities
            if city.chosen is not None
            and city.chosen.population > c.population
            and _distance_km(city.chosen, c) < _CITY_DISTRICT_KM
        ]
        if near:
            f.anchor = min(near, key=lambda city: abs(city.start - f.start))
            f.is_district = True


def _stray_hamlet(f: _Found, found: list[_Found]) -> bool:
    """A hamlet with no population on record, far from every other town the report names
    and in a province it names nowhere else, is likelier a namesake of a place the gazetteer
    lacks (a city district, a village) than the place the report means: common names
    ("Al Mansoura", "Al Qahira", "Hamdaniyeh") recur across the country, and the Syria and
    Iraq gazetteer has ten villages for each town, so one other town named is enough."""
    c = f.chosen
    if c is None or c.feature_class != "P" or c.population > 0:
        return False
    if f.container is not None or f.anchor is not None:
        return False  # the text says where it is
    others = [o.chosen for o in found if o is not f and o.chosen is not None]
    towns = [o for o in others if o.feature_class == "P"]
    if not towns or any((o.country, o.admin1) == (c.country, c.admin1) for o in others):
        return False
    return all(_distance_km(c, o) > _STRAY_KM for o in towns)


# Building the mentions -------------------------------------------------------------------------


def _ascii_name(name: str) -> str:
    """GeoNames' name without diacritics or ʿayn marks ("Ḩamāh" -> "Hamah"); a name
    already in plain ASCII keeps its apostrophes (ACLED writes "Dar'a")."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain if ch not in "'’‘ʿʾʼ`´")


class _CountryFields(TypedDict, total=False):
    country: str
    iso: int
    iso2: str


@dataclass
class _Coder:
    """Gazetteer entries as ACLED codes them: location label, admin names, point."""

    geocoder: Geocoder

    def country_fields(self, iso2: str) -> _CountryFields:
        country = self.geocoder.country(iso2)
        if country is None:
            return {}
        return {"country": country.name, "iso": country.iso_numeric, "iso2": country.iso2}

    def province(self, entry: GazetteerEntry, raw: str) -> Place:
        """The whole first-level division of `entry`, coded to its capital (precision 3)."""
        admin1 = self.geocoder.admin1(entry.country, entry.admin1)
        if admin1 is None:
            return self.town(entry, raw, 3)
        return Place(
            location=_ascii_name(admin1.location),
            admin1=admin1.name,
            latitude=admin1.latitude,
            longitude=admin1.longitude,
            geo_precision=3,
            geonameid=entry.geonameid if entry.is_admin1 else None,
            raw_name=raw,
            **self.country_fields(entry.country),
        )

    def label(self, entry: GazetteerEntry) -> str:
        """The location name: a provincial capital as its province names it, else GeoNames'."""
        admin1 = self.geocoder.admin1(entry.country, entry.admin1) if entry.admin1 else None
        if admin1 is not None and (admin1.latitude, admin1.longitude) == (
            entry.latitude,
            entry.longitude,
        ):
            return _ascii_name(admin1.location)
        return _ascii_name(entry.name)

    def town(self, entry: GazetteerEntry, raw: str, precision: int) -> Place:
        if entry.is_country:
            fields = self.country_fields(entry.country)
            return Place(
                location=fields.get("country", entry.name),
                geo_precision=3,
                geonameid=entry.geonameid,
                raw_name=raw,
                **fields,
            )
        if entry.is_admin1:
            return self.province(entry, raw)
        admin1 = self.geocoder.admin1(entry.country, entry.admin1) if entry.admin1 else None
        return Place(
            location=self.label(entry),
            admin1=admin1.name if admin1 else None,
            admin2=entry.admin2 or None,
            latitude=entry.latitude,
            longitude=entry.longitude,
            geo_precision=3 if entry.is_region else precision,  # type: ignore[arg-type]
            geonameid=entry.geonameid if entry.geonameid > 0 else None,
            raw_name=raw,
            **self.country_fields(entry.country),
        )


@dataclass
class _Builder(_Coder):
    tokens: _Tokens

    def span(self, start: int, end: int) -> Span:
        t = self.tokens
        words = [t.text[k] + t.trailing[k] for k in range(start, end - 1)] + [t.text[end - 1]]
        first = t.offset[start]
        return Span(start=first, end=t.offset[end - 1] + len(t.text[end - 1]), text="".join(words))

    def raw(self, f: _Found) -> str:
        return self.span(f.start, f.end).text

    def place(self, f: _Found) -> Place:
        raw = self.raw(f)
        anchor = f.anchor.chosen if f.anchor is not None else None
        container = f.container.chosen if f.container is not None else None
        if f.is_district and anchor is not None and anchor.feature_class == "P":
            chosen = f.chosen
            town = chosen is not None and chosen.feature_class == "P"
            if chosen is not None and town and _distance_km(chosen, anchor) < 25:
                district = self.town(chosen, raw, 1)
                return district.model_copy(update={"location": f"{self.label(anchor)} - {raw}"})
            # "Al-Marjeh neighbourhood of Aleppo": a namesake far away is not that district
            if chosen is None or town:
                # a part of the city the gazetteer lacks: the city itself, as ACLED codes it
                return _approximate(self.town(anchor, raw, 1))
        if f.chosen is not None:
            if f.hint is Hint.ADMIN:
                return self.province(f.chosen, raw)
            return self.town(f.chosen, raw, 2 if f.hint is Hint.NEAR else 1)
        # Not in the gazetteer: code it to what the text says it is in or near, a town at
        # precision 2, a province or region at its centre (3), and keep the unknown name.
        if anchor is not None:
            return _approximate(self.town(anchor, raw, 2))
        if container is not None:
            if container.is_admin1 or container.is_region or f.container.hint is Hint.ADMIN:  # type: ignore[union-attr]
                return _approximate(
                    self.province(container, raw)
                    if not container.is_region
                    else self.town(container, raw, 3)
                )
            return _approximate(self.town(container, raw, 2))
        return Place(location=raw, raw_name=raw, resolved=False, geo_precision=3)


def _placed_by_verb(f: _Found, t: _Tokens, rules: ContextRules) -> bool:
    """ "shelled Kinda in Idleb": a name after a verb or preposition of place and said to be
    in a known province is a village of it even when every namesake the gazetteer has is
    elsewhere (and even when it is also an English word)."""
    before = t.folded(f.start - 1, f.start)
    return f.container is not None and bool(before) and before[-1] in rules.place_verbs


def _approximate(place: Place) -> Place:
    return place.model_copy(update={"approximate": True})


def _containers_are_provinces(found: list[_Found], t: _Tokens, rules: ContextRules) -> None:
    """ "shelled Kinda in Idleb", "near Qamishli (Al Hasakeh)": the second name is the
    province here, not its capital (never precision 1)."""
    for f in found:
        container = f.container
        if container is None or container.hint is not Hint.TOWN:
            continue
        if f.words and f.words[-1] in rules.city_parts or t.at(container.start - 1) == "central":
            # "Tahrir Square in central Baghdad": a part of the city, coded to the city
            f.anchor, f.is_district, f.container = container, True, None
        elif any(c.is_admin1 for c in container.candidates):
            container.hint = Hint.ADMIN


def _is_dateline(f: _Found, t: _Tokens) -> bool:
    """ "DAMASCUS (Reuters) -", "BEIRUT -": a capitalised filing place before the story."""
    name = " ".join(t.text[f.start : f.end])
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) > 3 and name.isupper() and t.at(f.end) in ("(", "-", "–", "—", ":")


def _names_a_government(f: _Found, t: _Tokens, doc: Doc, rules: ContextRules) -> bool:
    """ "Ankara says", "told Tehran", "Damascus's ally", "Ankara's offensive", "Ankara sent
    tanks", "an agreement with Iran": the seat of a government, or its country, speaking,
    spoken to, allied with, acting or the counterpart of a deal."""
    apostrophe = t.at(f.end) in ("'s", "’s")
    after = t.at(f.end + 1) if apostrophe else t.at(f.end)
    possessive = apostrophe or f.possessive
    name = doc[f.end - 1]
    # The subject of a state's act, read from the parse: "east of Damascus killed" and
    # "a summit in Tehran calls" keep their places.
    acts = name.dep_ == "nsubj" and name.head.lemma_.lower() in rules.seat_acts_as_subject
    return (
        t.at(f.end) in rules.seat_verbs_after
        or after in rules.seat_nouns_after
        or (possessive and after in rules.seat_acts_after_possessive)
        or _ends_with(t.folded(f.start - 3, f.start), rules.seat_words_before) is not None
        or acts
    )


def _without_governments(
    found: list[_Found], t: _Tokens, doc: Doc, rules: ContextRules
) -> list[_Found]:
    """The names that are places: a government speaking or dealt with, and the names listed
    after it ("an agreement with Turkey and Russia"), are no evidence of where the report
    happens."""
    governments: set[int] = set()
    for i, f in enumerate(found):
        before = found[i - 1] if i else None
        if _names_a_government(f, t, doc, rules) or (
            before is not None and id(before) in governments and _listed_together(before, f, t)
        ):
            governments.add(id(f))
    return [f for f in found if id(f) not in governments]


def find_places(
    doc: Doc, geocoder: Geocoder | None = None, rules: ContextRules | None = None
) -> list[PlaceMention]:
    """Every place the report names, resolved in the context of the whole report.
    `geocoder` and `rules`: an engine's, by default the packaged ones."""
    geocoder = geocoder or default_geocoder()
    rules = rules or context_rules()
    tokens = _Tokens(doc)
    found = _Matcher(doc, tokens, geocoder, rules).find_all()
    found = sorted(found + _unknown_names(doc, tokens, found, rules), key=lambda f: f.start)
    found = _without_governments(found, tokens, doc, rules)
    for f in found:
        _set_hint(f, tokens, rules)
    _spread_plural_admin(found, tokens)
    _link(found, tokens, rules)
    _containers_are_provinces(found, tokens, rules)
    _resolve(found, tokens, geocoder, rules)
    _districts_of_named_cities(found, rules)
    builder = _Builder(geocoder, tokens)
    # Only a name the gazetteer knows is placed by the names after it; an unknown one is
    # coded to them ("the temple of Baalshamin in Palmyra" is coded to Palmyra), unless the
    # text puts the event near it ("near Jalawla (Khanaqin)" is not in Khanaqin).
    placed = [f for f in found if f.chosen is not None or f.hint is Hint.NEAR]
    locating = {id(f.container) for f in placed} | {id(f.anchor) for f in placed}
    mentions: list[PlaceMention] = []
    for f in found:
        if (
            f.from_gazetteer
            and f.chosen is None
            and not _placed_by_verb(f, tokens, rules)
            and (
                (f.english_word and len(f.words) == 1) or (f.anchor is None and f.container is None)
            )
        ):
            # every referent was implausible (a small town on another continent), and a bare
            # word of English with none ("Coalition Attacks in Syria") is no village either
            continue
        if _is_dateline(f, tokens):
            continue  # where the story was filed, not where anything happened
        context = builder.span(*f.context) if f.context else None
        mentions.append(
            PlaceMention(
                span=builder.span(f.start, f.end),
                place=builder.place(f),
                context=context,
                locates_another=id(f) in locating,
            )
        )
    return mentions


def place_of_entry(
    entry: GazetteerEntry, geo_precision: int = 1, geocoder: Geocoder | None = None
) -> Place:
    """A gazetteer entry as an event's place (an analyst's pick): a town at the precision
    given, a province or country at its centre (3)."""
    coder = _Coder(geocoder or default_geocoder())
    return coder.town(entry, entry.name, geo_precision)
