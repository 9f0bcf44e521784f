"""The per-report pipeline: a pure function from a Report to its Events.

annotate (spaCy) -> actors and places (their stages) -> events (triggers, arguments,
fatalities, dates, attribution, merged per incident) -> ids.
"""

from __future__ import annotations

from datetime import date as Date

from sitrep.actors import find_actors, generic_actor, named_for_date
from sitrep.errors import ParseError
from sitrep.events import find_events, focus_country
from sitrep.events.notes import note_for
from sitrep.geo import find_places, home_country, place_for_event
from sitrep.models import SUPPORTED_LANGUAGES, Event, Report
from sitrep.nlp import annotate


def extract_report(report: Report) -> list[Event]:
    """Code one report into events, each with evidence for its fields.

    Reports in a language the pipeline does not code yield no events (never invented ones).
    """
    if report.language is not None and report.language not in SUPPORTED_LANGUAGES:
        return []
    doc = annotate(report.text)
    places = find_places(doc)
    # The report's country: where its towns and provinces are, not the country it names
    # most (a report on Syria names Turkey and Iraq often).
    country = home_country(places, report.text) or focus_country(places)
    events = find_events(
        doc,
        report,
        # Country-dependent actor names ("Islamic State (Iraq)") follow the report's places.
        actors=find_actors(doc, country),
        places=places,
        locate=place_for_event,
        generic=generic_actor,
        country=country,
    )
    report_id = report.report_id
    for number, event in enumerate(events, start=1):
        event.report_id = report_id
        event.event_id = f"{report_id}-{number:02d}"
        _name_for_the_period(event)
    return events


def _name_for_the_period(event: Event) -> None:
    """State forces under ACLED's name for the government period of the event's day."""
    day = event.event_date
    event.actor1 = named_for_date(event.actor1, day) if event.actor1 else None
    event.actor2 = named_for_date(event.actor2, day) if event.actor2 else None
    event.notes = note_for(event)


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
    if isinstance(date, str):
        try:
            published: Date | None = Date.fromisoformat(date)
        except ValueError as exc:
            raise ParseError(f"report date {date!r} is not an ISO date (YYYY-MM-DD)") from exc
    else:
        published = date
    return extract_report(
        Report(text=text, published=published, source=source, url=url, title=title)
    )
