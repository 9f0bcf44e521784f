"""Named organisations the dictionary lacks, acting as armed parties (rule
actor.unlisted-named-group).

The parser's entity recogniser finds the names; the words of lexicon.yaml (`unlisted`)
decide whether a name is an armed party and which inter code it gets. A name made only of
a country's word and state words ("Pakistan Army", "Kenya Police") is that state's forces.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as TokenSpan

from sitrep.actors._dictionary import UnlistedLexicon

#: Entity labels of a group's name (peoples, places and persons are sub-groups, places
#: and leaders, never a group of their own).
_NAME_LABELS = frozenset({"ORG"})
_ARTICLES = frozenset({"the", "a", "an"})
#: ACLED's names of unlisted tribes and clans carry the event's country.
_COMMUNAL = "Communal Militia ({country})"
_KIND_NAMES = {
    "tribe": "Tribal Militia ({country})",
    "clan": "Clan Militia ({country})",
    "militia": _COMMUNAL,
}
#: Entity types naming an organisation or a people, not the place a militia is named after
#: (the small model often takes a village for a person, so places are not required).
_GROUPS = frozenset({"ORG", "NORP"})


@dataclass(frozen=True)
class Unlisted:
    """A name acting as an armed party: either a group of its own (`name`, `inter`; the
    name may hold "{country}") or a state's forces (`state_of`)."""

    start: int
    end: int
    name: str = ""
    inter: int = 3
    state_of: str | None = None
    police: bool = False


def find_unlisted(
    doc: Doc,
    lexicon: UnlistedLexicon,
    country_words: dict[str, str],
    origins: frozenset[str],
    links: tuple[tuple[str, ...], ...],
) -> Iterator[Unlisted]:
    """Every organisation name of `doc` acting as an armed party. `country_words` maps a
    country's lower-cased names and adjectives to it; `origins` are those words and the
    peoples' ("Uyghur"), which make sub-groups, not groups; `links` are the lower-cased
    words tying members to a group ("of", "from", "belonging to")."""
    names = [e for e in doc.ents if e.label_ in _NAME_LABELS]
    taken = {i for e in names for i in range(e.start, e.end)}
    names += [c for c in _armed_names(doc, lexicon) if not taken & set(range(c.start, c.end))]
    for name in names:
        found = _unlisted(doc, name, lexicon, country_words, origins, links)
        if found is not None:
            yield found
    yield from _tribes(doc, origins)


#: Lower-case words allowed inside a name ("Army of the Men of ...", "Front for ...").
_CONNECTORS = frozenset({"of", "the", "for", "and", "al", "el", "de", "du", "-"})


def _armed_names(doc: Doc, lexicon: UnlistedLexicon) -> Iterator[TokenSpan]:
    """Capitalised names ending on an armed word ("the Free Tigray Army") that the entity
    recogniser missed: two capitalised words at least."""
    armed = set(lexicon.armed_words)
    members = set(lexicon.member_nouns)
    for token in doc:
        if token.lower_ not in armed or not token.text[:1].isupper():
            continue
        start = token.i
        while (
            start > 0
            and doc[start - 1].lower_ not in members
            and (doc[start - 1].text[:1].isupper() or doc[start - 1].lower_ in _CONNECTORS)
        ):
            start -= 1
        while start < token.i and doc[start].lower_ in _CONNECTORS:
            start += 1
        if token.i - start >= 1:
            yield doc[start : token.i + 1]


def _tribes(doc: Doc, origins: frozenset[str]) -> Iterator[Unlisted]:
    """ "the Shammar tribe", "the Bani Malik and Al Garamsha tribes", "the Jaramana militia":
    tribes, clans and militias named after a place, as ACLED names them ("Shammar Tribal
    Militia (Syria)", "Jaramana Communal Militia (Syria)"), inter 4; coordinated names
    before a plural are one each."""
    for token in doc:
        kind = _KIND_NAMES.get(token.lemma_.lower())
        if kind is None:
            continue
        plural = token.lower_ != token.lemma_.lower()
        names: list[list[int]] = [[]]
        at = token.i - 1
        while at >= 0:
            word = doc[at]
            if word.text[:1].isupper() or word.text == "-":
                names[0].insert(0, at)
            elif plural and word.lower_ in ("and", ",") and names[0]:
                names.insert(0, [])
            else:
                break
            at -= 1
        for indices in names:
            words = [doc[i].text for i in indices if doc[i].text != "-"]
            if not words or {w.lower() for w in words} <= origins:
                continue
            if kind == _COMMUNAL and any(doc[i].ent_type_ in _GROUPS for i in indices):
                continue  # an organisation's militia is that group (see `_unlisted`)
            if doc[indices[0]].is_sent_start and len(words) == 1:
                continue  # "Tribe ..." at a sentence start is no name
            end = token.i + 1 if indices[-1] == token.i - 1 else indices[-1] + 1
            yield Unlisted(indices[0], end, name=f"{' '.join(words)} {kind}", inter=4)


def _unlisted(
    doc: Doc,
    entity: TokenSpan,
    lexicon: UnlistedLexicon,
    country_words: dict[str, str],
    origins: frozenset[str],
    links: tuple[tuple[str, ...], ...],
) -> Unlisted | None:
    start, end = entity.start, entity.end
    while start < end and doc[start].lower_ in _ARTICLES:
        start += 1
    while end > start and not doc[end - 1].text[:1].isupper() and not doc[end - 1].is_digit:
        end -= 1  # "... Front Shelling of": a name ends on a capitalised word
    if start == end:
        return None
    words = [t.text for t in doc[start:end]]
    lowered = [w.lower() for w in words]
    if set(lowered) & set(lexicon.institution_words) or set(lowered) <= origins:
        return None
    kind = doc[end].lower_ if end < len(doc) and doc[end].lower_ in lexicon.kind_nouns else None
    country = country_words.get(lowered[0])
    if country is not None and len(lowered) > 1 and set(lowered[1:]) <= set(lexicon.state_words):
        police = bool(set(lowered) & set(lexicon.police_words))
        return Unlisted(start, end, state_of=country, police=police)
    if not (
        kind is not None
        or set(lowered) & set(lexicon.armed_words)
        or _members_around(doc, start, end, lexicon, links)
        or _claims(entity, lexicon)
    ):
        return None
    if kind is not None:
        end += 1
        name = f"{' '.join(words)} {_KIND_NAMES.get(kind, kind.title())}"
    else:
        name = " ".join(words)
    abbreviation = _abbreviation_after(doc, end)
    if abbreviation:
        name = f"{abbreviation}: {name}"
    return Unlisted(start, end, name=name, inter=lexicon.inter_of([*lowered, kind or ""]))


def _members_around(
    doc: Doc, start: int, end: int, lexicon: UnlistedLexicon, links: tuple[tuple[str, ...], ...]
) -> bool:
    """ "X militants", or "fighters of (the) X"."""
    if end < len(doc) and doc[end].lower_ in lexicon.member_nouns:
        return True
    at = start - 1 if start > 0 and doc[start - 1].lower_ in _ARTICLES else start
    for link in links:
        before = at - len(link)
        if before < 1 or tuple(t.lower_ for t in doc[before:at]) != link:
            continue
        if doc[before - 1].lower_ in lexicon.member_nouns:
            return True
    return False


def _claims(entity: TokenSpan, lexicon: UnlistedLexicon) -> bool:
    """ "X claimed responsibility", "the attack was claimed by X"."""
    root = entity.root
    verb = root.head
    if root.dep_ == "pobj" and verb.dep_ == "agent":
        verb = verb.head
    elif root.dep_ != "nsubj":
        return False
    return verb.lemma_.lower() in lexicon.claim_verbs


def _abbreviation_after(doc: Doc, end: int) -> str | None:
    """ "X (BLA)" or "X, or BLA,": the abbreviation the report gives the name."""
    words = [t.text for t in doc[end : end + 4]]
    if len(words) >= 3 and words[0] == "(" and words[2] == ")" and words[1].isupper():
        return words[1]
    if len(words) >= 3 and words[0] == "," and words[1] == "or" and words[2].isupper():
        return words[2]
    return None
