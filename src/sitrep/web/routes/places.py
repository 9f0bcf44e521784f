"""API: the gazetteer, for the place picker of the correction form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sitrep.web.deps import ServicesDep, ViewerDep
from sitrep.web.schemas import PlaceChoice

router = APIRouter(prefix="/api/places", tags=["places"])

MAX_CHOICES = 50


@router.get("", response_model=list[PlaceChoice])
def search_places(
    _: ViewerDep,
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, description="The start of a place name")],
    country: Annotated[
        str | None, Query(description="Only places in this country (ISO2 code or name)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_CHOICES)] = 10,
) -> list[PlaceChoice]:
    """Places whose names start with `q`, exact names first, then the most populous; pick
    one and PATCH the event with its `place_id` to move the event there."""
    geocoder = services.geocoder
    return [PlaceChoice.of(entry, geocoder) for entry in geocoder.search(q, country, limit)]
