"""The ACLED actor names analysts choose from when they correct an event: every name of
the actor dictionary (sitrep/actors/data) with its inter code, the generic actors of each
country the dictionary knows ("Civilians (Syria)"), and the government periods of state
forces ("Military Forces of Iraq (2018-2020)")."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel

from sitrep.actors import load_dictionary


class KnownActor(BaseModel):
    name: str
    inter: int


@cache
def known_actors() -> tuple[KnownActor, ...]:
    """Every actor name of the dictionary with its inter code, sorted by name."""
    dictionary = load_dictionary()
    found: dict[str, int] = {}
    for entry in dictionary.actors:
        for name in (entry.name, *entry.names.values(), *(p.name for p in entry.periods)):
            if name:
                found.setdefault(name, entry.inter)
    for country in dictionary.countries:
        for generic in dictionary.generic.values():
            found.setdefault(generic.actor(country.country).name, generic.inter)
    return tuple(KnownActor(name=name, inter=inter) for name, inter in sorted(found.items()))


def inter_of(name: str) -> int | None:
    """The dictionary's inter code of an ACLED actor name (any case), None if unknown."""
    wanted = name.casefold()
    return next((a.inter for a in known_actors() if a.name.casefold() == wanted), None)


def search_actors(query: str, limit: int = 20) -> list[KnownActor]:
    """Actors whose name contains `query` (any case), names starting with it first."""
    wanted = query.casefold().strip()
    hits = [actor for actor in known_actors() if wanted in actor.name.casefold()]
    hits.sort(key=lambda actor: not actor.name.casefold().startswith(wanted))
    return hits[:limit]
