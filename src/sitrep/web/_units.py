"""What the table, map and timeline count: events (one per report that tells an incident) or
incidents (the reports of one incident linked into one record: its lowest credible toll,
its place and date by the sources' agreement).

Pages count incidents unless asked for events (the database promises deduplication); the
API endpoints keep counting events unless asked for incidents, as their clients expect.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import Query

from sitrep.link.store import Incidents
from sitrep.models import Event
from sitrep.store import EventFilter, Store

Unit = Literal["events", "incidents"]

#: The `unit` query parameter; its default is the route's (pages incidents, API events).
UnitQuery = Annotated[
    Unit,
    Query(description="events (one per report) or incidents (one incident's reports as one)"),
]


def counted_events(store: Store, filters: EventFilter, unit: Unit) -> Iterator[Event]:
    """The events matching `filters`, or in `incidents` the records of the incidents
    holding them, each as one event (its id the incident's, its toll the lowest credible)."""
    if unit == "events":
        return store.iter_events(filters)
    return (incident.event for incident in Incidents(store).matching(filters))
