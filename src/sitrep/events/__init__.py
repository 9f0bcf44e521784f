"""Events: trigger-anchored ACLED events with evidence, from a parsed report.

`find_events(doc, report, actors=..., places=..., locate=..., generic=...)` codes a report;
the lexicons it reads (triggers.yaml, context.yaml, fatalities.yaml, dates.yaml,
notes.yaml) sit next to this file and can be extended without touching Python.
`EventLexicons` bundles them (`default_lexicons()` the packaged ones): an engine holds one
and the stage reads only the one it is given.
"""

from sitrep.events._lexicon import EventLexicons, default_lexicons
from sitrep.events.dates import EventDate, event_date, parse_expression
from sitrep.events.detect import GenericActors, Locator, find_events, focus_country
from sitrep.events.fatalities import DeathCount, death_counts

__all__ = [
    "DeathCount",
    "EventDate",
    "EventLexicons",
    "GenericActors",
    "Locator",
    "death_counts",
    "default_lexicons",
    "event_date",
    "find_events",
    "focus_country",
    "parse_expression",
]
