"""The geo stage's public API is what the other stages code against."""

import sitrep.geo


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.geo.__all__) == sorted(
        [
            "Admin1",
            "acled_admin1",
            "Country",
            "GazetteerEntry",
            "GeoNamesGeocoder",
            "Geocoder",
            "InMemoryGeocoder",
            "build_cache",
            "cache_path",
            "ContextRules",
            "context_rules",
            "find_places",
            "home_country",
            "import_geonames_dump",
            "place_evidence",
            "place_for_event",
            "place_of_entry",
            "same_admin1",
        ]
    )
    for name in sitrep.geo.__all__:
        assert hasattr(sitrep.geo, name)
