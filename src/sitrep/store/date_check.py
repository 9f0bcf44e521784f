"""The `date_implausible` flag: set on a stored event whose date no report can mean.

Applied wherever the store writes an event's current state (a new report's events, a
correction, an event an analyst adds or splits off, a re-extraction), so the flag always
describes the date as it stands; the thresholds are in data/review_flags.yaml.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from importlib.resources import files

import yaml
from pydantic import BaseModel

from sitrep.models import Event


class DatePlausibility(BaseModel):
    flag: str
    days_after_report: int
    years_before_report: int
    earliest_year: int


@cache
def date_plausibility() -> DatePlausibility:
    text = (files("sitrep.store") / "data" / "review_flags.yaml").read_text(encoding="utf-8")
    return DatePlausibility.model_validate(yaml.safe_load(text)["date_implausible"])


def implausible(event_date: date | None, published: date | None, today: date) -> bool:
    """Whether an event dated `event_date`, told by a report of `published` (None: not
    known, then `today` stands in for the latest day only), has a date to check."""
    if event_date is None:
        return False
    rule = date_plausibility()
    if event_date.year < rule.earliest_year:
        return True
    if event_date > (published or today) + timedelta(days=rule.days_after_report):
        return True
    if published is None:
        return False
    try:
        oldest = published.replace(year=published.year - rule.years_before_report)
    except ValueError:  # 29 February in a year without one
        oldest = published.replace(year=published.year - rule.years_before_report, day=28)
    return event_date < oldest


def with_date_check(event: Event, published: date | None, today: date | None = None) -> Event:
    """`event` with the date_implausible flag set or cleared to match its date."""
    flag = date_plausibility().flag
    wanted = implausible(event.event_date, published, today or date.today())
    if wanted == (flag in event.flags):
        return event
    flags = [*event.flags, flag] if wanted else [f for f in event.flags if f != flag]
    return event.model_copy(update={"flags": flags})
