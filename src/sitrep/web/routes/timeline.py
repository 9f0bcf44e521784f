"""API for the timeline: events (or incidents) and fatalities per week by event type, the
numbers the timeline page draws."""

from __future__ import annotations

from fastapi import APIRouter

from sitrep.web._timeline import Timeline, timeline
from sitrep.web._units import UnitQuery, counted_events
from sitrep.web.deps import FilterDep, StoreDep, ViewerDep

router = APIRouter(prefix="/api/timeline", tags=["timeline"])


@router.get("", response_model=Timeline)
def timeline_weeks(
    _: ViewerDep, store: StoreDep, filters: FilterDep, unit: UnitQuery = "events"
) -> Timeline:
    """Per week: how many events (with `unit=incidents`, incidents: one incident's reports
    count once, with its lowest credible toll) and fatalities, by event type."""
    return timeline(counted_events(store, filters.model_copy(update={"limit": None}), unit))
