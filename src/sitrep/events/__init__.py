"""Events: trigger-anchored ACLED events with evidence, from a parsed report.

`find_events(doc, report, actors=..., places=..., locate=..., generic=...)` codes a report;
the lexicons it reads (triggers.yaml, context.yaml, fatalities.yaml, dates.yaml,
notes.yaml) sit next to this file and can be extended without touching Python.
"""

from sitrep.events.dates import EventDate, event_date, parse_expression
from sitrep.events.detect import GenericActors, Locator, find_events, focus_country
from sitrep.events.fatalities import DeathCount, death_counts

__all__ = [
    "DeathCount",
    "EventDate",
    "GenericActors",
    "Locator",
    "death_counts",
    "event_date",
    "find_events",
    "focus_country",
    "parse_expression",
]
