"""Swappable gazetteer backends: what toponym resolution asks of a gazetteer.

`GeoNamesGeocoder` reads the cached GeoNames index (plus imported dumps);
`InMemoryGeocoder` holds a handful of places given in code, for tests and small custom
gazetteers. Both answer the same `Geocoder` protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

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

    def lookup(self, name: str) -> Sequence[GazetteerEntry]:
        """Everything a name as written may refer to."""
        return self.candidates(name_key(name))


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
