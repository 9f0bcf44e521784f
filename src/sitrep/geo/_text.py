"""Folding place names to matching keys, the same way for the gazetteer and the report.

A key is a space-joined sequence of folded words: accents and apostrophes removed,
lower-cased, Arabic articles dropped and common transliteration differences levelled
(variants.yaml), so "Deir ez-Zor", "Deir Ezzor" and "Dayr al-Zor" meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from sitrep.errors import LexiconError

#: Letters that Unicode does not decompose to a base letter plus a mark.
_LETTER_TABLE = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        # Arabic letters written several ways in the same name
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
    }
)
#: Characters that transliterate ʿayn and hamza or mark possession: dropped, not split on.
_APOSTROPHES = re.compile(r"['’‘ʿʾʼ`´ʻ]")
_NON_WORD = re.compile(r"[^0-9a-z\u0600-\u06ff]+")


def load_data(name: str) -> Any:
    """A YAML data file of the geo stage, parsed."""
    path = resources.files("sitrep.geo") / "data" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(
            f"geo data file {name} cannot be read ({exc}); reinstall sitrep"
        ) from exc


@dataclass(frozen=True)
class VariantRules:
    articles: frozenset[str]
    assimilated: re.Pattern[str]
    folds: tuple[tuple[str, str], ...]
    final_h: re.Pattern[str]
    late_folds: tuple[tuple[str, str], ...]


@cache
def variant_rules() -> VariantRules:
    data = load_data("variants.yaml")
    letters = sorted(data["assimilated_article_letters"], key=len, reverse=True)
    alternatives = "|".join(re.escape(letter) for letter in letters)
    vowels = "".join(data["final_h_after"])
    return VariantRules(
        articles=frozenset(str(a) for a in data["articles"]),
        # "ezzor" -> "zor": a vowel, then the same consonant twice, then at least two letters
        assimilated=re.compile(rf"^[ae]({alternatives})\1(?=[a-z]{{2}})"),
        folds=tuple((str(a), str(b)) for a, b in data["folds"]),
        final_h=re.compile(rf"(?<=[a-z]{{2}})[{vowels}]h$"),
        late_folds=tuple((str(a), str(b)) for a, b in data["late_folds"]),
    )


def fold_words(text: str) -> list[str]:
    """Accent-free, lower-case words of `text` (Arabic script kept, without vowel marks)."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [w for w in _NON_WORD.split(bare.lower().translate(_LETTER_TABLE)) if w]


@lru_cache(maxsize=65536)
def word_form(word: str, inner: bool) -> str:
    """The matching form of one folded word; `inner` for words after the first of a name."""
    rules = variant_rules()
    if inner:
        glued = rules.assimilated.match(word)
        if glued:
            word = word[1 + len(glued.group(1)) :]
    for old, new in rules.folds:
        word = word.replace(old, new)
    word = re.sub(r"(.)\1+", r"\1", word)
    word = rules.final_h.sub("a", word)
    for old, new in rules.late_folds:
        word = word.replace(old, new)
    return word


def is_article(word: str) -> bool:
    return word in variant_rules().articles


def key_of_words(words: list[str]) -> str:
    """The matching key of a name given as folded words."""
    forms: list[str] = []
    last = len(words) - 1
    for i, word in enumerate(words):
        if i < last and is_article(word):
            continue
        forms.append(word_form(word, inner=bool(forms)))
    return " ".join(forms)


def name_key(name: str) -> str:
    """The matching key of a name as written ("Deir ez-Zor" -> "dair zor")."""
    return key_of_words(fold_words(name))
