"""Pieces every module of the store shares (package-internal API, not for other stages).

`Store`, `Accounts` and `Reviews` each work in the same database: they report its failures
the same way (`store_errors`) and write an event's searchable columns the same way
(`fill_event_columns`), so a correction and a fresh extraction can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Literal, ParamSpec, TypeVar, get_args

from sqlalchemy.exc import SQLAlchemyError

from sitrep.errors import SitrepError, StoreError
from sitrep.models import Event
from sitrep.store._schema import EventRow

ReviewStatus = Literal["unreviewed", "verified", "rejected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)


class NotFoundError(SitrepError):
    """The event, report or token asked for is not in the database."""


class ConflictError(SitrepError):
    """A correction was based on an older version of the event than the one stored: someone
    else saved in between. Carries what is stored now, so the client can show both."""

    def __init__(self, message: str, *, current: Event, version: int) -> None:
        super().__init__(message)
        self.current = current
        self.version = version


_P = ParamSpec("_P")
_T = TypeVar("_T")


def store_errors(method: Callable[_P, _T]) -> Callable[_P, _T]:
    """Turn a database failure into a one-line StoreError (the CLI prints it as is)."""

    @wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return method(*args, **kwargs)
        except SQLAlchemyError as error:
            raise StoreError(f"database error in {method.__name__}: {first_line(error)}") from error

    return wrapper


def first_line(error: SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and links."""
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def fill_event_columns(row: EventRow, event: Event) -> None:
    """Copy the fields people filter and sort on out of `event` into its row's columns."""
    place = event.place
    row.event_date = event.event_date
    row.event_type = event.event_type
    row.sub_event_type = event.sub_event_type
    row.country = place.country if place else None
    row.admin1 = place.admin1 if place else None
    row.location = place.location if place else None
    row.latitude = place.latitude if place else None
    row.longitude = place.longitude if place else None
    row.actor1 = event.actor1.name if event.actor1 else None
    row.actor2 = event.actor2.name if event.actor2 else None
    row.fatalities = event.fatalities
    row.confidence = event.confidence
    row.flag_count = len(event.flags)
