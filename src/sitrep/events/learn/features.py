"""Sentence representations for the event classifier, behind one small interface.

An encoder is any scikit-learn transformer from a list of sentences to a feature matrix.
The named feature sets below are the ones `sitrep corpus train` compares by cross-validation;
a multilingual sentence encoder for Arabic reports would be added here under a new name.
"""

from __future__ import annotations

from collections.abc import Callable

from sklearn.base import TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from sitrep.errors import ModelError

#: Feature caps keep the committed artifact small (it ships in the package).
_WORD_FEATURES = 20_000
_CHAR_FEATURES = 30_000


def _words() -> TfidfVectorizer:
    # Unigrams and bigrams carry the trigger and its object ("opened fire", "air strike").
    return TfidfVectorizer(
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        max_features=_WORD_FEATURES,
        token_pattern=r"(?u)\b\w[\w'-]*\b",
    )


def _characters() -> TfidfVectorizer:
    # Character n-grams inside words cover inflections and transliterations ("shelled",
    # "shellings", "al-Raqqah" / "Raqqa") that word features split apart.
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        max_features=_CHAR_FEATURES,
    )


def _words_and_characters() -> FeatureUnion:
    return FeatureUnion([("words", _words()), ("characters", _characters())])


#: Feature set name -> a fresh, unfitted encoder.
FEATURE_SETS: dict[str, Callable[[], TransformerMixin]] = {
    "words": _words,
    "words+chars": _words_and_characters,
}


def encoder(name: str) -> TransformerMixin:
    """A new encoder of the named feature set."""
    try:
        return FEATURE_SETS[name]()
    except KeyError:
        raise ModelError(
            f"unknown feature set {name!r}; use one of {', '.join(FEATURE_SETS)}"
        ) from None
