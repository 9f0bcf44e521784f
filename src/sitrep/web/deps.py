"""What every route depends on: the services, who is asking, and what they may do.

A request is authenticated by an API token (`Authorization: Bearer sitrep_...`) or by a
browser session cookie. A session's state-changing requests must also carry its CSRF token
(the `X-CSRF-Token` header, or a `csrf_token` form field); a token request needs none,
since a browser never attaches it on its own.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, get_args

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from sitrep.errors import InputError
from sitrep.geo import GeoNamesGeocoder
from sitrep.ingest import Extractor
from sitrep.store import EventFilter, ReviewFilter, Store
from sitrep.store.accounts import Accounts, Role, User
from sitrep.store.filter_names import resolve_names
from sitrep.store.review import Reviews
from sitrep.web._throttle import LoginThrottle
from sitrep.web._uploads import UploadJobs
from sitrep.web.settings import Settings

SESSION_COOKIE = "sitrep_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Services:
    """Everything the routes use, built once by `create_app` and kept on `app.state`."""

    settings: Settings
    store: Store
    accounts: Accounts
    reviews: Reviews
    extractor: Extractor
    templates: Jinja2Templates
    uploads: UploadJobs
    #: Failed logins per name and address, and the bound on concurrent password checks.
    throttle: LoginThrottle
    #: The gazetteer the place picker searches (its index loads on the first search).
    geocoder: GeoNamesGeocoder = field(default_factory=GeoNamesGeocoder)


@dataclass(frozen=True)
class Principal:
    """Who is asking: the user, and their session's CSRF token (None for API tokens)."""

    user: User
    csrf_token: str | None


class NotAuthenticated(Exception):
    """No valid token or session: the API answers 401, pages redirect to the login page."""


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_store(services: ServicesDep) -> Store:
    return services.store


def get_reviews(services: ServicesDep) -> Reviews:
    return services.reviews


StoreDep = Annotated[Store, Depends(get_store)]
ReviewsDep = Annotated[Reviews, Depends(get_reviews)]


def identify(request: Request, services: Services) -> Principal:
    """Who sent the request, by API token or session cookie; NotAuthenticated if nobody."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials:
        user = services.accounts.user_for_token(credentials.strip())
        if user is None:
            raise NotAuthenticated(
                "the API token is not valid (mistyped or revoked): ask an admin for a new one "
                "(`sitrep tokens create NAME`)"
            )
        return Principal(user=user, csrf_token=None)
    session_id = request.cookies.get(SESSION_COOKIE)
    web_session = services.accounts.get_session(session_id) if session_id else None
    if web_session is None:
        raise NotAuthenticated(
            "not logged in: log in at /login or send an API token as 'Authorization: Bearer ...'"
        )
    return Principal(user=web_session.user, csrf_token=web_session.csrf_token)


async def get_principal(request: Request, services: ServicesDep) -> Principal:
    # Async only to read a form's CSRF field; the database look-up runs off the event loop.
    principal = await run_in_threadpool(identify, request, services)
    if principal.csrf_token is not None and request.method not in _SAFE_METHODS:
        await _check_csrf(request, principal.csrf_token)
    return principal


async def _check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # cached by Starlette: the route can still read it
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if sent is None or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "missing or wrong CSRF token: reload the page and try again "
            f"(API clients: send the {CSRF_HEADER} header or use an API token)",
        )


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def client_address(request: Request) -> str:
    """The address a request came from, as the server sees it (behind a proxy, the proxy's)."""
    return request.client.host if request.client else "unknown"


def with_article(noun: str) -> str:
    """ "an analyst", "an admin", "a viewer"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def require(role: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets through users whose role includes `role`, 403 for others."""

    def check(principal: PrincipalDep) -> Principal:
        if not principal.user.may(role):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"this needs the {role} role; {principal.user.name} is "
                f"{with_article(principal.user.role)}",
            )
        return principal

    return check


ViewerDep = Annotated[Principal, Depends(require("viewer"))]
AnalystDep = Annotated[Principal, Depends(require("analyst"))]
AdminDep = Annotated[Principal, Depends(require("admin"))]


REVIEW_FILTERS: tuple[str, ...] = get_args(ReviewFilter)


def event_filter(
    services: ServicesDep,
    country: Annotated[str | None, Query(description="Country, any case")] = None,
    admin1: Annotated[
        str | None, Query(description="First-level division, any of its names (Idlib, Idleb)")
    ] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type")] = None,
    sub_event_type: Annotated[str | None, Query()] = None,
    actor: Annotated[
        str | None,
        Query(description="Part of an actor's name (actor1, actor2, associated) or an alias"),
    ] = None,
    search: Annotated[
        str | None,
        Query(description="Words all found in the report, its title, the note or actor names"),
    ] = None,
    report_id: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query(description="First day, YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="Last day, YYYY-MM-DD")] = None,
    min_fatalities: Annotated[str | None, Query()] = None,
    review: Annotated[
        str | None,
        Query(
            description="unreviewed, verified, rejected or all; "
            "none given: every event but the rejected"
        ),
    ] = None,
    order: Annotated[
        str | None,
        Query(description="date, -date, fatalities, -fatalities, event_id or queue"),
    ] = None,
    flag: Annotated[
        str | None, Query(description="A flag the event carries, e.g. date_implausible")
    ] = None,
) -> EventFilter:
    """The event filters of a request; blank values (as an HTML form sends them) mean none.
    A value that cannot be meant (an unknown type, a date that is not one) is refused."""
    given = {
        "country": country,
        "admin1": admin1,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor": actor,
        "search": search,
        "report_id": report_id,
        "since": since,
        "until": until,
        "min_fatalities": min_fatalities,
        "review": review,
        "order": order,
        "flag": flag,
    }
    values = {name: value.strip() for name, value in given.items() if value and value.strip()}
    if "review" in values and values["review"] not in REVIEW_FILTERS:
        raise InputError(
            f"review={values['review']!r} is not a review status: use {', '.join(REVIEW_FILTERS)}"
        )
    for day in ("since", "until"):
        if day in values:
            try:
                date.fromisoformat(values[day])
            except ValueError:
                raise InputError(f"{day}={values[day]!r} is not a date: use YYYY-MM-DD") from None
    try:
        filters = EventFilter.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(f"invalid filter {first['loc'][0]}: {message}") from None
    return resolve_names(services.store, filters, services.geocoder)


FilterDep = Annotated[EventFilter, Depends(event_filter)]
