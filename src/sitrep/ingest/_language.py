"""Which language a report is written in (py3langid: a small model shipped in the package)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Below this many letters the guess is too unreliable to refuse a report on it.
_MIN_LETTERS = 40
#: Normalised probability the guess needs before it is believed (lists of place and group
#: names in English often score below 0.3 for a wrong language; real prose far above).
_MIN_PROBABILITY = 0.5
_SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or uncertain."""
    sample = text[:_SAMPLE_CHARS]
    if sum(char.isalpha() for char in sample) < _MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= _MIN_PROBABILITY else None
