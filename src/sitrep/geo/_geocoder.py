"""Swappable gazetteer backends: what toponym resolution asks of a gazetteer.

`GeoNamesGeocoder` reads the cached GeoNames index (plus imported dumps);
`InMemoryGeocoder` holds a handful of places given in code, for tests and small custom
gazetteers. Both answer the same `Geocoder` protocol.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Protocol

from sitrep.errors import InputError
from sitrep.geo._gazetteer import Admin1, Country, GazetteerEntry, GazetteerIndex, load_index
from sitrep.geo._text import name_key


class Geocoder(Protocol):
    """Look-ups by matching key (see `sitrep.geo._text.name_key`)."""

    @property
    def max_words(self) -> int:
        """Words in the longest indexed name: longer n-grams need not be tried."""
        ...

    def candidates(self, key: str) -> Sequence[GazetteerEntry]:
        """Everything the key may name, most populous first; empty when unknown."""
        ...

    def admin1(self, country: str, code: str) -> Admin1 | None:
        """A first-level division by country (ISO2) and GeoNames admin1 code."""
        ...

    def admin1_divisions(self, key: str) -> Sequence[tuple[str, str]]:
        """The (country, admin1 code) pairs a division name may denote."""
        ...

    def country(self, iso2: str) -> Country | None: ...


class _IndexedGeocoder:
    """Answers the protocol from a `GazetteerIndex`."""

    #: Built on the first search or id look-up (a place picker's), not with the index.
    _keys: list[str] | None = None
    _ids: dict[int, GazetteerEntry] | None = None

    def _index(self) -> GazetteerIndex:
        raise NotImplementedError

    @property
    def max_words(self) -> int:
        return self._index().max_words

    def candidates(self, key: str) -> Sequence[GazetteerEntry]:
        index = self._index()
        return [index.entries[i] for i in index.keys.get(key, ())]

    def admin1(self, country: str, code: str) -> Admin1 | None:
        return self._index().admin1s.get((country, code))

    def admin1_divisions(self, key: str) -> Sequence[tuple[str, str]]:
        return self._index().admin1_keys.get(key, [])

    def country(self, iso2: str) -> Country | None:
        return self._index().countries.get(iso2)

    def lookup(self, name: str, country: str | None = None) -> Sequence[GazetteerEntry]:
        """Everything a name as written may refer to (in one country: ISO2 or its name)."""
        entries = self.candidates(name_key(name))
        if country is None:
            return entries
        iso2 = self.country_code(country)
        return [e for e in entries if e.country == iso2]

    def country_code(self, country: str) -> str:
        """The ISO2 code of a country given by code or name ("SY", "Syria")."""
        if self.country(country.upper()) is not None:
            return country.upper()
        named = [e.country for e in self.candidates(name_key(country)) if e.is_country]
        if not named:
            raise InputError(
                f"unknown country {country!r}: give its ISO 3166 code (SY, IQ) or English name"
            )
        return named[0]

    def search(
        self, text: str, country: str | None = None, limit: int = 10
    ) -> list[GazetteerEntry]:
        """Places whose names start with `text` (as folded for matching), for a place picker
        that searches as the analyst types: exact names first, then by population."""
        key = name_key(text)
        if not key:
            return []
        iso2 = self.country_code(country) if country else None
        keys = self._sorted_keys()
        found: dict[int, tuple[bool, GazetteerEntry]] = {}
        index = self._index()
        for position in range(bisect.bisect_left(keys, key), len(keys)):
            other = keys[position]
            if not other.startswith(key):
                break
            for i in index.keys[other]:
                entry = index.entries[i]
                if iso2 is None or entry.country == iso2:
                    exact = other == key or found.get(i, (False, entry))[0]
                    found[i] = (exact, entry)
        ranked = sorted(found.values(), key=lambda pair: (not pair[0], -pair[1].population))
        return [entry for _, entry in ranked[:limit]]

    def by_id(self, geonameid: int) -> GazetteerEntry | None:
        """The entry of a GeoNames id (or of sitrep's own negative ids)."""
        return self._by_id().get(geonameid)

    def _sorted_keys(self) -> list[str]:
        if self._keys is None:
            self._keys = sorted(self._index().keys)
        return self._keys

    def _by_id(self) -> dict[int, GazetteerEntry]:
        if self._ids is None:
            self._ids = {}
            for entry in self._index().entries:
                self._ids.setdefault(entry.geonameid, entry)
        return self._ids


class GeoNamesGeocoder(_IndexedGeocoder):
    """GeoNames cities500, admin divisions, countries, regions and imported dumps."""

    def _index(self) -> GazetteerIndex:
        return load_index()


class InMemoryGeocoder(_IndexedGeocoder):
    """A small gazetteer given in code: places with their names, divisions, countries."""

    def __init__(
        self,
        places: Iterable[tuple[GazetteerEntry, Sequence[str]]],
        admin1s: Iterable[Admin1] = (),
        countries: Iterable[Country] = (),
    ) -> None:
        self._built = GazetteerIndex()
        for country in countries:
            self._built.countries[country.iso2] = country
        for admin1 in admin1s:
            self._built.admin1s[(admin1.country, admin1.code)] = admin1
            self._built.add_admin1_names((admin1.country, admin1.code), [admin1.name])
        for entry, names in places:
            self._built.add(entry, [entry.name, *names])
        self._built.sort_candidates()

    def _index(self) -> GazetteerIndex:
        return self._built


_GEONAMES = GeoNamesGeocoder()


def default_geocoder() -> Geocoder:
    """The GeoNames geocoder every stage shares (its index loads on first use)."""
    return _GEONAMES
