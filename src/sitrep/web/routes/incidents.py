"""The incident page: one incident's reports side by side, disagreements highlighted, and
the analyst's linking acts (merge two incidents, split an event out, confirm a link),
each audited in `link_decisions` and replayed by `sitrep link --rebuild`. Also its JSON
at /api/incidents/{incident_id}."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.link import Incident
from sitrep.link.store import Incidents
from sitrep.models import Event
from sitrep.store.review import NotFoundError
from sitrep.web.deps import AnalystDep, Principal, ServicesDep, ViewerDep
from sitrep.web.routes.pages import render

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/incidents", tags=["incidents"])

#: The rows of the side-by-side table: (label, field whose evidence is shown, flag that
#: marks the row as disputed).
_ROWS: tuple[tuple[str, str, str | None], ...] = (
    ("date", "event_date", "date_disagrees"),
    ("type", "event_type", None),
    ("actor1", "actor1", "perpetrator_disagrees"),
    ("actor2", "actor2", None),
    ("place", "location", "place_disagrees"),
    ("fatalities", "fatalities", "tolls_disagree"),
    ("attack method", "attack_method", None),
    ("source", "attribution", None),
)


def _incident(services: ServicesDep, incident_id: str) -> Incident:
    incident = Incidents(services.store).get(incident_id)
    if incident is None:
        raise NotFoundError(f"no incident {incident_id!r}: run `sitrep link` or open an event")
    return incident


@api.get("/{incident_id}", response_model=Incident)
def get_incident(incident_id: str, _: ViewerDep, services: ServicesDep) -> Incident:
    """One incident: merged event, every report's event, tolls, corroboration, flags."""
    return _incident(services, incident_id)


@router.get("/events/{event_id}/incident")
def event_incident(event_id: str, _: ViewerDep, services: ServicesDep) -> Response:
    """The incident an event belongs to (linked now if it was not yet)."""
    incidents = Incidents(services.store)
    incident_id = incidents.incident_of(event_id)
    if incident_id is None:
        incidents.link_pending()
        incident_id = incidents.incident_of(event_id)
    if incident_id is None:
        raise NotFoundError(f"no event {event_id!r}")
    return RedirectResponse(f"/incidents/{incident_id}", status.HTTP_303_SEE_OTHER)


@router.get("/incidents/{incident_id}")
def incident_page(
    incident_id: str,
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
) -> Response:
    return _page(incident_id, request, principal, services)


def _page(
    incident_id: str,
    request: Request,
    principal: Principal,
    services: ServicesDep,
    *,
    error: str | None = None,
) -> Response:
    incident = _incident(services, incident_id)
    decisions = Incidents(services.store).decisions(e.event_id for e in incident.events)
    flags = set(incident.flags)
    rows = [
        {
            "label": label,
            "disputed": flag in flags,
            "cells": [_cell(event, field) for event in incident.events],
        }
        for label, field, flag in _ROWS
    ]
    return render(
        request,
        services,
        principal,
        "incident.html",
        {"incident": incident, "rows": rows, "decisions": decisions, "error": error},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if error else 200,
    )


def _cell(event: Event, field: str) -> dict[str, Any]:
    place = event.place
    values: dict[str, object] = {
        "event_date": event.event_date or "undated",
        "event_type": f"{event.event_type} / {event.sub_event_type}",
        "actor1": event.actor1.name if event.actor1 else "",
        "actor2": event.actor2.name if event.actor2 else "",
        "location": ", ".join(p for p in (place.location, place.admin1) if p) if place else "",
        "fatalities": event.fatalities,
        "attack_method": event.attack_method or "",
        "attribution": event.attribution or event.source or "",
    }
    evidence = event.evidence.get(field)
    return {"value": values[field], "quotes": [s.text for s in evidence.spans] if evidence else []}


@router.post("/incidents/{incident_id}/merge")
async def merge_form(
    incident_id: str,
    request: Request,
    principal: AnalystDep,
    services: ServicesDep,
    other: Annotated[str, Form()],
    note: Annotated[str | None, Form()] = None,
) -> Response:
    incidents = Incidents(services.store)
    try:
        await run_in_threadpool(
            incidents.merge, incident_id, other.strip(), principal.user.name, _note(note)
        )
    except (InputError, NotFoundError) as problem:
        return _page(incident_id, request, principal, services, error=str(problem))
    return RedirectResponse(f"/incidents/{incident_id}", status.HTTP_303_SEE_OTHER)


@router.post("/incidents/{incident_id}/split")
def split_form(
    incident_id: str,
    principal: AnalystDep,
    services: ServicesDep,
    event_id: Annotated[str, Form()],
    note: Annotated[str | None, Form()] = None,
) -> Response:
    _member(services, incident_id, event_id)
    new_id = Incidents(services.store).split(event_id, principal.user.name, _note(note))
    return RedirectResponse(f"/incidents/{new_id}", status.HTTP_303_SEE_OTHER)


@router.post("/incidents/{incident_id}/confirm")
def confirm_form(
    incident_id: str,
    principal: AnalystDep,
    services: ServicesDep,
    event_id: Annotated[str, Form()],
    note: Annotated[str | None, Form()] = None,
) -> Response:
    incident = _member(services, incident_id, event_id)
    others = [e.event_id for e in incident.events if e.event_id != event_id]
    if not others:
        raise InputError("an incident of one report has no link to confirm")
    Incidents(services.store).confirm(event_id, others[0], principal.user.name, _note(note))
    return RedirectResponse(f"/incidents/{incident_id}", status.HTTP_303_SEE_OTHER)


def _member(services: ServicesDep, incident_id: str, event_id: str) -> Incident:
    incident = _incident(services, incident_id)
    if event_id not in {e.event_id for e in incident.events}:
        raise InputError(f"event {event_id!r} is not in incident {incident_id}")
    return incident


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None
