"""Resolution logic against a tiny in-memory gazetteer (the Geocoder protocol's fake)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from sitrep.geo import Admin1, Country, GazetteerEntry, InMemoryGeocoder, find_places

pytestmark = pytest.mark.slow  # needs the spaCy model for parsing


def _town(
    gid: int, name: str, country: str, admin1: str, population: int, lat: float, lon: float
) -> GazetteerEntry:
    return GazetteerEntry(gid, name, lat, lon, country, admin1, "", population, "P", "PPL")


FAKE = InMemoryGeocoder(
    places=[
        (_town(1, "Qarnfield", "AA", "01", 90000, 10.0, 10.0), ["Qarnfeld"]),
        (_town(2, "Qarnfield", "BB", "07", 3000, 40.0, 60.0), []),
        (_town(3, "Northtown", "BB", "07", 4000, 40.1, 60.1), []),
        (_town(4, "Capitol", "BB", "07", 50000, 40.2, 60.2), []),
        (GazetteerEntry(70, "Lakeland", 40.2, 60.2, "BB", "07", "", 0, "A", "ADM1"), []),
    ],
    admin1s=[
        Admin1("AA", "01", "Westshire", "Big City", 10.0, 10.0),
        Admin1("BB", "07", "Lakeland", "Capitol", 40.2, 60.2),
    ],
    countries=[
        Country("AA", "Alphaland", 1, "EU"),
        Country("BB", "Betaland", 2, "AS", ("CC",)),
    ],
)


def test_the_bigger_referent_wins_without_other_clues(parse: Callable[[str], Doc]) -> None:
    (mention,) = find_places(parse("Fighting was reported in Qarnfield."), FAKE)
    assert mention.place.geonameid == 1 and mention.place.country == "Alphaland"


def test_nearby_places_and_country_focus_pull_the_small_referent(
    parse: Callable[[str], Doc],
) -> None:
    text = "Shells fell on Northtown and Capitol. Later Qarnfield was hit too."
    places = {m.span.text: m.place for m in find_places(parse(text), FAKE)}
    assert places["Qarnfield"].geonameid == 2
    assert places["Qarnfield"].admin1 == "Lakeland"


def test_province_words_code_to_the_capital_at_precision_3(parse: Callable[[str], Doc]) -> None:
    (mention,) = find_places(parse("Clashes spread across Lakeland province."), FAKE)
    place = mention.place
    assert (place.location, place.admin1, place.geo_precision) == ("Capitol", "Lakeland", 3)
    assert (place.latitude, place.longitude) == (40.2, 60.2)
    assert mention.context is not None and mention.context.text == "province"


def test_alternate_names_resolve(parse: Callable[[str], Doc]) -> None:
    (mention,) = find_places(parse("A convoy left Qarnfeld."), FAKE)
    assert mention.place.geonameid == 1 and mention.place.raw_name == "Qarnfeld"
