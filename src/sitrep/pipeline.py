"""The per-report pipeline: a pure function from a Report to its Events."""

from __future__ import annotations

from datetime import date as Date

from sitrep.models import Event, Report


def extract_report(report: Report) -> list[Event]:
    """Code one report into events, each with evidence for its fields."""
    raise NotImplementedError("being built: see issue 3")


def extract(
    text: str,
    *,
    date: Date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> list[Event]:
    """Code a report's text into ACLED-style events (no database needed).

    `date` is the report's publication date (a `datetime.date` or an ISO string); relative
    expressions such as "yesterday" are resolved against it.
    """
    published = Date.fromisoformat(date) if isinstance(date, str) else date
    return extract_report(
        Report(text=text, published=published, source=source, url=url, title=title)
    )
