"""The context words and guards of toponym resolution, read from context.yaml and
stopwords.yaml (see those files for what each list means)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sitrep.geo._text import fold_words, load_data

Phrase = tuple[str, ...]


def _phrases(items: list[str]) -> tuple[Phrase, ...]:
    # Longest first, so "km north of" wins over "north of".
    return tuple(sorted({tuple(fold_words(p)) for p in items}, key=len, reverse=True))


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(w for item in items for w in fold_words(item))


# eq=False: compared and hashed by identity, so an engine's rules key a cache.
@dataclass(frozen=True, eq=False)
class ContextRules:
    near_before: tuple[Phrase, ...]
    near_after: frozenset[str]
    admin_after: frozenset[str]
    admin_before: tuple[Phrase, ...]
    directions: frozenset[str]
    name_openers: frozenset[str]
    district_words: frozenset[str]
    #: words between a name and its context word: "near (the small town of) X"
    fillers: frozenset[str]
    city_parts: frozenset[str]
    place_cues: tuple[Phrase, ...]
    place_verbs: frozenset[str]
    #: "Ankara says", "told Tehran": the name stands for the government seated there
    seat_verbs_after: frozenset[str]
    #: "told Tehran", "an agreement with Iran": the name is a party to the act
    seat_words_before: tuple[Phrase, ...]
    seat_nouns_after: frozenset[str]
    #: "the Hazm movement", "Farouq brigades": the name is the group's, not a place
    group_nouns_after: frozenset[str]
    seat_acts_after_possessive: frozenset[str]
    seat_acts_as_subject: frozenset[str]
    #: folded nationality word -> ISO2 of its country
    demonyms: dict[str, str]
    stopwords: frozenset[str]
    #: countries whose reports sitrep is set up for: a tie-breaker for the country focus
    monitored: frozenset[str]
    foreign_min_population: int
    english_word_min_population: int


@cache
def context_rules() -> ContextRules:
    data = load_data("context.yaml")
    stop = load_data("stopwords.yaml")
    demonyms = {word: iso2 for iso2, words in data["demonyms"].items() for word in _words(words)}
    return ContextRules(
        near_before=_phrases(data["near_before"]),
        near_after=_words(data["near_after"]),
        admin_after=_words(data["admin_after"]),
        admin_before=_phrases(data["admin_before"]),
        directions=_words(data["directions"]),
        name_openers=_words(data["name_openers"]),
        district_words=_words(data["district_words"]),
        fillers=_words(data["fillers"]),
        city_parts=_words(data["city_parts"]),
        place_cues=_phrases(data["place_cues"]),
        place_verbs=_words(data["place_verbs"]),
        seat_verbs_after=_words(data["seat_verbs_after"]),
        seat_words_before=_phrases(data["seat_words_before"]),
        seat_nouns_after=_words(data["seat_nouns_after"]),
        group_nouns_after=_words(data["group_nouns_after"]),
        seat_acts_after_possessive=_words(data["seat_acts_after_possessive"]),
        seat_acts_as_subject=_words(data["seat_acts_as_subject"]),
        demonyms=demonyms,
        stopwords=_words(stop["words"]),
        monitored=frozenset(str(c) for c in data["monitored_countries"]),
        foreign_min_population=int(data["foreign_min_population"]),
        english_word_min_population=int(data["english_word_min_population"]),
    )


@cache
def english_words() -> frozenset[str]:
    """Common English words, from the word lists of the spaCy model's lemmatizer."""
    from sitrep.nlp import load_model

    nlp = load_model()
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
    if not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(w for words in lookups.get_table("lemma_index").values() for w in words)
