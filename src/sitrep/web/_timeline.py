"""Events and fatalities per week by event type, laid out as a stacked bar chart.

A date that would stretch the axis (a typo'd year, a date in the future) is kept off the
chart and listed to be checked: the event was flagged date_implausible when stored (see
store/date_check.py), or its date lies after the day the chart is drawn, or more than
`OUTLIER_GAP` before the next dated event while the rest of the events sit closer together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from pydantic import BaseModel

from sitrep.models import EVENT_TYPES, Event
from sitrep.store.date_check import date_plausibility

CHART_HEIGHT = 220
#: The bars share this width; each stays between the two bounds (then the chart scrolls).
CHART_WIDTH = 1000
MIN_BAR_WIDTH, MAX_BAR_WIDTH = 3, 60
MAX_BAR_GAP = 4
#: Least room between two week labels on the axis, in pixels.
LABEL_SPACING = 80
#: An event this far (or further) from every other event's date is an implausible date:
#: two years, far longer than the gaps of a real series of reports.
OUTLIER_GAP = timedelta(days=730)


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
    #: The axis label ("04 Mar 2024"), on every few weeks only so labels never overlap.
    label: str | None
    #: Where the fatalities line passes this week.
    fatalities_y: float
    bars: list[Bar]


class Implausible(BaseModel):
    """An event whose date was kept off the chart, listed to be checked."""

    event_id: str
    event_date: date
    event_type: str
    location: str | None


class Timeline(BaseModel):
    weeks: list[Week]
    #: Events whose dates would stretch the chart (typos, future dates): listed instead.
    implausible: list[Implausible] = []
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


def implausible_dates(events: list[Event], today: date) -> set[str]:
    """Ids of the events flagged date_implausible when stored, dated after `today`, or
    separated from all other dates by at least OUTLIER_GAP at either end of the series (a
    lone 1924 among 2024 reports)."""
    flag = date_plausibility().flag
    future = {
        e.event_id
        for e in events
        if e.event_date is not None and (e.event_date > today or flag in e.flags)
    }
    days = sorted(
        (e.event_date, e.event_id)
        for e in events
        if e.event_date is not None and e.event_id not in future
    )
    outliers: set[str] = set()
    # Peel lone dates off both ends while a wide gap separates them from the rest.
    while len(days) >= 3 and days[1][0] - days[0][0] >= OUTLIER_GAP:
        outliers.add(days.pop(0)[1])
    while len(days) >= 3 and days[-1][0] - days[-2][0] >= OUTLIER_GAP:
        outliers.add(days.pop()[1])
    return future | outliers


def timeline(events: Iterable[Event], today: date | None = None) -> Timeline:
    """Count events and fatalities per week and event type; empty weeks in between are kept."""
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deaths: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    undated = 0
    listed = list(events)
    odd = implausible_dates(listed, today or date.today())
    implausible = []
    for event in listed:
        if event.event_date is None:
            undated += 1
            continue
        if event.event_id in odd:
            implausible.append(
                Implausible(
                    event_id=event.event_id,
                    event_date=event.event_date,
                    event_type=event.event_type,
                    location=event.place.location if event.place else None,
                )
            )
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
                label=monday.strftime("%d %b %Y") if index % label_every == 0 else None,
                fatalities_y=y,
                bars=bars,
            )
        )
    return Timeline(
        weeks=weeks,
        implausible=implausible,
        event_types=event_types,
        undated=undated,
        max_events=max_events,
        max_fatalities=max_deaths,
        width=max(len(mondays) * step, bar_width),
        bar_width=bar_width,
        fatalities_line=" ".join(points),
    )
