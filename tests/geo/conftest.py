"""Shared fixtures of the geo tests: the spaCy model once per session, the real gazetteer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.geo import GeoNamesGeocoder


@pytest.fixture(scope="session")
def nlp() -> Language:
    from sitrep.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def geonames() -> GeoNamesGeocoder:
    return GeoNamesGeocoder()


@pytest.fixture(scope="session")
def parse(nlp: Language) -> Callable[[str], Doc]:
    return nlp
