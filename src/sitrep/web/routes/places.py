"""API for the place picker: gazetteer places whose name starts with what the analyst typed.

GET /api/places?q=...&country=... answers name, country, admin1, admin2, lat, lon and
precision: the contract of the places issue (12), built here on the existing gazetteer index
(src/sitrep/geo) until that issue's search lands, so the two can be merged.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sitrep.errors import InputError
from sitrep.geo._gazetteer import GazetteerEntry, GazetteerIndex, load_index
from sitrep.geo._text import name_key
from sitrep.web.deps import ViewerDep

router = APIRouter(prefix="/api", tags=["places"])

#: GeoNames feature codes coded as a whole region (ACLED geo precision 3): a division or a
#: report region is coded to its centre; any other place is the named place (precision 1).
REGION_CODES = frozenset({"ADM1", "ADM2", "ADM3", "RGN", "PCLI", "PCL"})


class PlaceHit(BaseModel):
    name: str
    country: str
    iso2: str
    admin1: str | None
    admin2: str | None
    lat: float
    lon: float
    precision: int
    geonameid: int


@router.get("/places", response_model=list[PlaceHit])
def places(
    _: ViewerDep,
    q: Annotated[str, Query(min_length=2, description="The start of a place name")],
    country: Annotated[
        str | None, Query(description="Only places in this country (name or ISO2 code)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[PlaceHit]:
    """Places whose name starts with `q` (any case, accents and 'al-' ignored as the
    geocoder ignores them), most populous first."""
    return search_places(load_index(), q, country=country, limit=limit)


def search_places(
    index: GazetteerIndex, query: str, *, country: str | None = None, limit: int = 10
) -> list[PlaceHit]:
    prefix = name_key(query)
    if not prefix:
        raise InputError(f"{query!r} has no letters to look up: type the start of a name")
    wanted_country = _country_code(index, country) if country else None
    positions = {
        position
        for key, found in index.keys.items()
        if key.startswith(prefix)
        for position in found
    }
    entries = [index.entries[p] for p in positions]
    if wanted_country is not None:
        entries = [e for e in entries if e.country == wanted_country]
    entries.sort(key=lambda e: (not name_key(e.name).startswith(prefix), -e.population, e.name))
    return [_hit(index, entry) for entry in entries[:limit]]


def _country_code(index: GazetteerIndex, country: str) -> str:
    wanted = country.strip().casefold()
    for code, known in index.countries.items():
        if wanted in (code.casefold(), known.name.casefold()):
            return code
    raise InputError(f"unknown country {country!r}: give its English name or ISO2 code (SY)")


def _hit(index: GazetteerIndex, entry: GazetteerEntry) -> PlaceHit:
    division = index.admin1s.get((entry.country, entry.admin1))
    country = index.countries.get(entry.country)
    return PlaceHit(
        name=entry.name,
        country=country.name if country else entry.country,
        iso2=entry.country,
        admin1=division.name if division else None,
        admin2=entry.admin2 or None,
        lat=entry.latitude,
        lon=entry.longitude,
        precision=3 if entry.feature_code in REGION_CODES else 1,
        geonameid=entry.geonameid,
    )
