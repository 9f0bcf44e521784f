"""sitrep: conflict reports in, verified, geocoded ACLED-style events with evidence out.

>>> import sitrep
>>> events = sitrep.extract(text, date="2015-11-20")
"""

from sitrep.errors import (
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
from sitrep.models import Actor, Event, Evidence, Place, Report, Span
from sitrep.pipeline import extract, extract_report

__all__ = [
    "Actor",
    "CorpusError",
    "EvaluationError",
    "Event",
    "Evidence",
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
    "extract",
    "extract_report",
]
