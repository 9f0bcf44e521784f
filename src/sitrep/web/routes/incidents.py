"""The incident page: one incident's reports side by side, disagreements highlighted, and
the analyst's linking acts (merge two incidents, split an event out, confirm a link),
each audited in `link_decisions` and replayed by `sitrep link --rebuild`. The API: the
incidents list, one incident, and the same three acts as JSON (one function per act, which
the page's forms call too)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.link import Incident
from sitrep.link.store import Incidents, LinkConflict
from sitrep.models import Event
from sitrep.store.review import NotFoundError
from sitrep.web.deps import AnalystDep, FilterDep, Principal, ServicesDep, StoreDep, ViewerDep
from sitrep.web.routes.events import PageLimit, PageOffset
from sitrep.web.routes.pages import render
from sitrep.web.schemas import ConfirmIn, IncidentPage, MergeIn, SplitIn

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


@api.get("", response_model=IncidentPage)
def list_incidents(
    _: ViewerDep,
    store: StoreDep,
    filters: FilterDep,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> IncidentPage:
    """Incidents holding at least one event that matches the filters, in the order of their
    first such event; each record is built from its events that pass the review filter
    (rejected ones stay out unless asked for). `total` counts incidents, not events."""
    incidents = Incidents(store)
    ids = incidents.matching_ids(filters)
    return IncidentPage(
        total=len(ids),
        limit=limit,
        offset=offset,
        items=incidents.records(ids[offset : offset + limit], filters.review),
    )


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


# The analyst's acts: one function each, called by the API and by the page's forms ---------


def merge_incidents(
    services: ServicesDep, incident_id: str, other: str, analyst: str, note: str | None
) -> Incident:
    """Merge incident `other` into `incident_id`; the merged incident."""
    Incidents(services.store).merge(incident_id, other.strip(), analyst, _note(note))
    return _incident(services, incident_id)


def split_out(
    services: ServicesDep, incident_id: str, event_id: str, analyst: str, note: str | None
) -> Incident:
    """Take `event_id` out of `incident_id` into an incident of its own; that incident."""
    _member(services, incident_id, event_id)
    new_id = Incidents(services.store).split(event_id, analyst, _note(note))
    return _incident(services, new_id)


def confirm_link(
    services: ServicesDep,
    incident_id: str,
    event_id: str,
    analyst: str,
    note: str | None,
    other_event_id: str | None = None,
) -> Incident:
    """Confirm that `event_id` belongs in `incident_id` (with `other_event_id`, by default
    the incident's first other event); the incident."""
    incident = _member(services, incident_id, event_id)
    others = [e.event_id for e in incident.events if e.event_id != event_id]
    if other_event_id == event_id:
        raise InputError("an event is not confirmed with itself: name another event")
    if other_event_id is not None:
        _member(services, incident_id, other_event_id)
    elif not others:
        raise LinkConflict("an incident of one report has no link to confirm")
    other = other_event_id or others[0]
    Incidents(services.store).confirm(event_id, other, analyst, _note(note))
    return _incident(services, incident_id)


@api.post("/{incident_id}/merge", response_model=Incident)
def merge_api(
    incident_id: str, body: MergeIn, principal: AnalystDep, services: ServicesDep
) -> Incident:
    """Merge incident `other` into this one (analysts). 404 for an unknown incident, 409
    when both hold events of one report (split it out first), 422 for itself."""
    return merge_incidents(services, incident_id, body.other, principal.user.name, body.note)


@api.post("/{incident_id}/split", response_model=Incident, status_code=201)
def split_api(
    incident_id: str, body: SplitIn, principal: AnalystDep, services: ServicesDep
) -> Incident:
    """Split event `event_id` out of this incident into one of its own (`S-<event id>`,
    which the machine adds nothing to); answers that new incident. 409 when the event is
    not in this incident."""
    return split_out(services, incident_id, body.event_id, principal.user.name, body.note)


@api.post("/{incident_id}/confirm", response_model=Incident)
def confirm_api(
    incident_id: str, body: ConfirmIn, principal: AnalystDep, services: ServicesDep
) -> Incident:
    """Confirm that event `event_id` belongs in this incident (with `other_event_id`, by
    default another of its events). 409 when an event is not in it, or it has one report."""
    return confirm_link(
        services,
        incident_id,
        body.event_id,
        principal.user.name,
        body.note,
        other_event_id=body.other_event_id,
    )


@router.post("/incidents/{incident_id}/merge")
async def merge_form(
    incident_id: str,
    request: Request,
    principal: AnalystDep,
    services: ServicesDep,
    other: Annotated[str, Form()],
    note: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        await run_in_threadpool(
            merge_incidents, services, incident_id, other, principal.user.name, note
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
    new = split_out(services, incident_id, event_id, principal.user.name, note)
    return RedirectResponse(f"/incidents/{new.incident_id}", status.HTTP_303_SEE_OTHER)


@router.post("/incidents/{incident_id}/confirm")
def confirm_form(
    incident_id: str,
    principal: AnalystDep,
    services: ServicesDep,
    event_id: Annotated[str, Form()],
    note: Annotated[str | None, Form()] = None,
) -> Response:
    confirm_link(services, incident_id, event_id, principal.user.name, note)
    return RedirectResponse(f"/incidents/{incident_id}", status.HTTP_303_SEE_OTHER)


def _member(services: ServicesDep, incident_id: str, event_id: str) -> Incident:
    incident = _incident(services, incident_id)
    if event_id not in {e.event_id for e in incident.events}:
        raise LinkConflict(f"event {event_id!r} is not in incident {incident_id}")
    return incident


def _note(note: str | None) -> str | None:
    return (note or "").strip() or None
