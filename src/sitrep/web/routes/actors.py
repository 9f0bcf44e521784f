"""API for the correction form's actor fields: the actor dictionary's names and inter codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sitrep.store.actor_directory import KnownActor, search_actors
from sitrep.web.deps import ViewerDep

router = APIRouter(prefix="/api/actors", tags=["actors"])


@router.get("", response_model=list[KnownActor])
def actors(
    _: ViewerDep, q: Annotated[str, Query(min_length=1, description="Part of a name")]
) -> list[KnownActor]:
    """Actor names of the dictionary containing `q` (names starting with it first), with
    their ACLED inter codes."""
    return search_actors(q)
