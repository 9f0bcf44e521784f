"""Filters as people type them: a province or an actor under any of its names, and a clear
refusal of values that cannot match (an event type ACLED does not have).

`resolve_names(store, filters)` checks the filter and fills `EventFilter.admin1_aliases` and
`EventFilter.actor_names` with every spelling that names the same thing: "Idlib" finds
events stored under ACLED's "Idleb" (the gazetteer's first-level divisions and their
aliases), "HTS" events of "Hayat Tahrir al-Sham" (the actor dictionary's aliases and
abbreviations). The web app, the API and the command line all filter through it.
"""

from __future__ import annotations

from sitrep.actors import load_dictionary
from sitrep.errors import InputError
from sitrep.geo import GeoNamesGeocoder, acled_admin1
from sitrep.geo._text import name_key
from sitrep.models import EVENT_TYPES
from sitrep.store._store import EventFilter, Store


def check_types(filters: EventFilter) -> None:
    """Refuse an event or sub-event type ACLED does not have (any case is accepted)."""
    types = {name.lower() for name in EVENT_TYPES}
    subs = {sub.lower() for subs in EVENT_TYPES.values() for sub in subs}
    if filters.event_type is not None and filters.event_type.lower() not in types:
        raise InputError(
            f"unknown event type {filters.event_type!r}; ACLED's are: {', '.join(EVENT_TYPES)}"
        )
    if filters.sub_event_type is not None and filters.sub_event_type.lower() not in subs:
        raise InputError(
            f"unknown sub-event type {filters.sub_event_type!r}: see the list at "
            "`sitrep events --help` or the filter form"
        )


def resolve_names(
    store: Store, filters: EventFilter, geocoder: GeoNamesGeocoder | None = None
) -> EventFilter:
    check_types(filters)
    update: dict[str, object] = {}
    if filters.admin1:
        geocoder = geocoder or GeoNamesGeocoder()
        stored = _admin1_spellings(store, filters.admin1, geocoder)
        # events carry ACLED's spelling of a province, whatever spelling the analyst typed
        acled = acled_admin1(filters.admin1, geocoder)
        spellings = [*filters.admin1_aliases, *([acled] if acled else []), *stored]
        update["admin1_aliases"] = list(dict.fromkeys(spellings))
    if filters.actor:
        update["actor_names"] = _actor_names(filters.actor)
    return filters.model_copy(update=update)


def _admin1_spellings(store: Store, wanted: str, geocoder: GeoNamesGeocoder) -> list[str]:
    """The stored admin1 values naming the same division as `wanted`."""
    key = name_key(wanted)
    divisions = set(geocoder.admin1_divisions(key))
    same = [
        stored
        for stored in store.admin1_values()
        if name_key(stored) == key or divisions & set(geocoder.admin1_divisions(name_key(stored)))
    ]
    return list(dict.fromkeys(same))


def _actor_names(wanted: str) -> tuple[str, ...]:
    """`wanted`, and the names and aliases of the actors it is an alias or abbreviation of
    (an event may be stored under the canonical name or, corrected by hand, an alias)."""
    folded = wanted.casefold().strip()
    names = [wanted]
    for entry in load_dictionary().actors:
        aliases = {alias.casefold() for alias in (*entry.aliases, *entry.abbreviations)}
        if folded in aliases:
            names.extend(name for name in (entry.name, *entry.names.values()) if name)
            names.extend(entry.aliases)
    return tuple(dict.fromkeys(names))
