"""Actors: the armed groups, state forces and generic actors a report names.

`find_actors(doc)` finds them and normalises them to ACLED canonical names and inter codes
from the project's actor dictionary (YAML files in `sitrep/actors/data`);
`generic_actor(kind, country)` gives the generic ACLED actors ("Civilians (Syria)");
`named_for_date(actor, day)` the name of state forces in the government period of a day;
`named_for_event(actor, day, place)` adds the conventions of a place and time (Operation
Peace Spring) and names the rule that renamed it; `naming_flag(actor)` says whether a name
lacks its country or is not in the dictionary.
"""

from sitrep.actors._dictionary import (
    UNLISTED_RULE,
    ActorDictionary,
    ActorEntry,
    generic_actor,
    load_dictionary,
    named_for_date,
    named_for_event,
    naming_flag,
)
from sitrep.actors._matching import ActorMatchers, actor_matchers, find_actors

__all__ = [
    "UNLISTED_RULE",
    "ActorDictionary",
    "ActorEntry",
    "ActorMatchers",
    "actor_matchers",
    "find_actors",
    "generic_actor",
    "load_dictionary",
    "named_for_date",
    "named_for_event",
    "naming_flag",
]
