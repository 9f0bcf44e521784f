"""Actors: the armed groups, state forces and generic actors a report names.

`find_actors(doc)` finds them and normalises them to ACLED canonical names and inter codes
from the project's actor dictionary (YAML files in `sitrep/actors/data`);
`generic_actor(kind, country)` gives the generic ACLED actors ("Civilians (Syria)");
`named_for_date(actor, day)` the name of state forces in the government period of a day.
"""

from sitrep.actors._dictionary import (
    ActorDictionary,
    ActorEntry,
    generic_actor,
    load_dictionary,
    named_for_date,
)
from sitrep.actors._matching import find_actors

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "find_actors",
    "generic_actor",
    "load_dictionary",
    "named_for_date",
]
