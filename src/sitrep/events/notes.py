"""The one-sentence note of an event, in our own words, generated from its fields."""

from __future__ import annotations

import re

from sitrep.events._lexicon import NotePhrases, note_phrases
from sitrep.models import Event

_OPTIONAL = re.compile(r"\[([^\]]*)\]")


def note_for(event: Event, phrases: NotePhrases | None = None) -> str:
    """E.g. "2015-11-19: Islamic State (Syria) clashed with ... near Tadmur (Homs), 5 killed.".
    `phrases`: an engine's (notes.yaml), by default the packaged ones."""
    actor2 = event.actor2.name if event.actor2 else None
    template = (phrases or note_phrases()).phrases[event.sub_event_type]
    phrase = _OPTIONAL.sub(lambda m: m.group(1).format(a2=actor2) if actor2 else "", template)
    when = event.event_date.isoformat() if event.event_date else "Undated"
    who = event.actor1.name if event.actor1 else "An unidentified actor"
    where = ""
    if event.place is not None:
        near = "near " if event.place.geo_precision == 2 else "in "
        region = (
            f" ({event.place.admin1})"
            if event.place.admin1 and event.place.admin1 != event.place.location
            else ""
        )
        where = f" {near}{event.place.location}{region}"
    dead = f", {event.fatalities} killed" if event.fatalities else ""
    return f"{when}: {who} {phrase}{where}{dead}."
