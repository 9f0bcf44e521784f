"""Geocoding: the places a report names, resolved as an ACLED coder would code them.

`find_places(doc)` finds and resolves every place name of a report; `place_for_event`
picks one event's place among them
(`place_evidence` gives each place field its evidence and rule id); `home_country` names the country the report's
towns and provinces are in; `same_admin1` compares province spellings and `acled_admin1`
gives ACLED's.
"""

from sitrep.geo._event import (
    acled_admin1,
    home_country,
    place_evidence,
    place_for_event,
    same_admin1,
)
from sitrep.geo._gazetteer import (
    Admin1,
    Country,
    GazetteerEntry,
    build_cache,
    cache_path,
    import_geonames_dump,
)
from sitrep.geo._geocoder import Geocoder, GeoNamesGeocoder, InMemoryGeocoder
from sitrep.geo._places import find_places, place_of_entry
from sitrep.geo._rules import ContextRules, context_rules

__all__ = [
    "Admin1",
    "ContextRules",
    "Country",
    "GazetteerEntry",
    "GeoNamesGeocoder",
    "Geocoder",
    "InMemoryGeocoder",
    "acled_admin1",
    "build_cache",
    "cache_path",
    "context_rules",
    "find_places",
    "home_country",
    "import_geonames_dump",
    "place_evidence",
    "place_for_event",
    "place_of_entry",
    "same_admin1",
]
