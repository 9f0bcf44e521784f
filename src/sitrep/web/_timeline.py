"""Events and fatalities per week by event type, laid out as a stacked bar chart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from pydantic import BaseModel

from sitrep.models import EVENT_TYPES, Event

CHART_HEIGHT = 220
#: The bars share this width; each stays between the two bounds (then the chart scrolls).
CHART_WIDTH = 1000
MIN_BAR_WIDTH, MAX_BAR_WIDTH = 3, 60
MAX_BAR_GAP = 4
#: Least room between two week labels on the axis, in pixels.
LABEL_SPACING = 70


class Bar(BaseModel):
    """One event type's part of one week's bar, in chart coordinates."""

    event_type: str
    css_class: str
    events: int
    y: float
    height: float


class Week(BaseModel):
    monday: date
    events: int
    fatalities: int
    by_type: dict[str, int]
    fatalities_by_type: dict[str, int]
    x: float
    #: The axis label ("04 Mar 24"), on every few weeks only so labels never overlap.
    label: str | None
    #: Where the fatalities line passes this week.
    fatalities_y: float
    bars: list[Bar]


class Timeline(BaseModel):
    weeks: list[Week]
    event_types: list[str]
    undated: int
    max_events: int
    max_fatalities: int
    width: float
    height: int = CHART_HEIGHT
    bar_width: float
    #: Points of the fatalities line, "x,y x,y ..." scaled to the chart.
    fatalities_line: str


def css_class(event_type: str) -> str:
    return "type-" + "".join(ch if ch.isalnum() else "-" for ch in event_type.lower())


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


def timeline(events: Iterable[Event]) -> Timeline:
    """Count events and fatalities per week and event type; empty weeks in between are kept."""
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deaths: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    for event in events:
        if event.event_date is None:
            undated += 1
            continue
        monday = week_of(event.event_date)
        counts[monday][event.event_type] += 1
        deaths[monday][event.event_type] += event.fatalities
    event_types = [t for t in EVENT_TYPES if any(t in c for c in counts.values())]
    mondays: list[date] = []
    if counts:
        monday, last = min(counts), max(counts)
        while monday <= last:
            mondays.append(monday)
            monday += timedelta(days=7)
    max_events = max((sum(c.values()) for c in counts.values()), default=0)
    max_deaths = max((sum(d.values()) for d in deaths.values()), default=0)
    scale = CHART_HEIGHT / max_events if max_events else 0.0
    slot = CHART_WIDTH / max(len(mondays), 1)
    gap = min(MAX_BAR_GAP, max(1.0, slot / 5))
    bar_width = min(MAX_BAR_WIDTH, max(MIN_BAR_WIDTH, slot - gap))
    step = bar_width + gap
    label_every = max(1, -(-LABEL_SPACING // int(step)))
    weeks, points = [], []
    for index, monday in enumerate(mondays):
        x = index * step
        bars, top = [], float(CHART_HEIGHT)
        for event_type in event_types:
            n = counts[monday].get(event_type, 0)
            if n:
                top -= n * scale
                bars.append(
                    Bar(
                        event_type=event_type,
                        css_class=css_class(event_type),
                        events=n,
                        y=top,
                        height=n * scale,
                    )
                )
        fatalities = sum(deaths[monday].values())
        y = CHART_HEIGHT - (fatalities / max_deaths * CHART_HEIGHT if max_deaths else 0.0)
        points.append(f"{x + bar_width / 2:.1f},{y:.1f}")
        weeks.append(
            Week(
                monday=monday,
                events=sum(counts[monday].values()),
                fatalities=fatalities,
                by_type=dict(counts[monday]),
                fatalities_by_type=dict(deaths[monday]),
                x=x,
                label=monday.strftime("%d %b %y") if index % label_every == 0 else None,
                fatalities_y=y,
                bars=bars,
            )
        )
    return Timeline(
        weeks=weeks,
        event_types=event_types,
        undated=undated,
        max_events=max_events,
        max_fatalities=max_deaths,
        width=max(len(mondays) * step, bar_width),
        bar_width=bar_width,
        fatalities_line=" ".join(points),
    )
