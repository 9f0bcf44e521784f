"""sitrep: conflict reports in, verified, geocoded ACLED-style events with evidence out.

>>> import sitrep
>>> events = sitrep.extract(text, date="2015-11-20")
"""

from sitrep.engine import Engine, EngineConfig
from sitrep.errors import (
    ConfigError,
    CorpusError,
    EvaluationError,
    GazetteerError,
    InputError,
    LexiconError,
    ModelError,
    ParseError,
    SitrepError,
    StoreError,
)
from sitrep.models import Actor, Event, Evidence, Extraction, Place, Report, Span, Suppression
from sitrep.pipeline import extract, extract_report

__all__ = [
    "Actor",
    "ConfigError",
    "CorpusError",
    "Engine",
    "EngineConfig",
    "EvaluationError",
    "Event",
    "Evidence",
    "Extraction",
    "GazetteerError",
    "InputError",
    "LexiconError",
    "ModelError",
    "ParseError",
    "Place",
    "Report",
    "SitrepError",
    "Span",
    "StoreError",
    "Suppression",
    "extract",
    "extract_report",
]
