"""Incidents in the database: which incident each stored event belongs to, linking new
events incrementally, rebuilding, and analysts' decisions (merge, split, confirm).

Tables (revision 0004_i14_incidents):
- `incident_links`: one row per linked event: its incident id and the score that linked it
  (none for an incident's first event or an analyst's placement);
- `link_decisions`: every analyst act, in order, with who, when and why. It is the audit
  trail, and `rebuild` replays it after the machine has re-linked everything, so no
  decision is lost to a rebuild.

Incident ids: `I-<event id>` for an incident the machine started with that event,
`S-<event id>` for an event an analyst split out (the machine never adds to those).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, cast

from pydantic import BaseModel
from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Select,
    String,
    Text,
    delete,
    false,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from sitrep.errors import InputError
from sitrep.link._cluster import CLOSED_PREFIX as SPLIT_PREFIX
from sitrep.link._cluster import IncidentIndex, Scorer, link_order
from sitrep.link._features import LinkView, link_settings
from sitrep.link._incident import Incident, build_incident
from sitrep.models import Event
from sitrep.store import Base, EventFilter, ReviewFilter, Store
from sitrep.store._common import NotFoundError, store_errors
from sitrep.store._schema import EventRow
from sitrep.store._store import distinct_values

Action = Literal["merge", "split", "confirm"]
#: Incidents read per query (well under any database's limit of bound parameters).
_CHUNK = 500


class LinkConflict(InputError):
    """An analyst's linking act that contradicts how the events are linked now (an event
    that is not in the incident named, two incidents holding one report, ...)."""


class IncidentLinkRow(Base):
    __tablename__ = "incident_links"

    event_id: Mapped[str] = mapped_column(
        String(80), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True
    )
    incident_id: Mapped[str] = mapped_column(String(100), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    linked_at: Mapped[datetime] = mapped_column(DateTime)


class LinkDecisionRow(Base):
    __tablename__ = "link_decisions"

    decision_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(80), index=True)
    other_event_id: Mapped[str | None] = mapped_column(String(80))
    analyst: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime)


class LinkDecision(BaseModel):
    """An analyst's linking act: merge (event's incident with other_event's), split (the
    event out of its incident), confirm (the event belongs with other_event)."""

    action: Action
    event_id: str
    other_event_id: str | None = None
    analyst: str
    note: str | None = None
    decided_at: datetime


class LinkSummary(BaseModel):
    events_linked: int
    incidents: int
    #: Linked to an incident that already had another report.
    joined: int


class Incidents:
    """The incidents of a store's events."""

    def __init__(self, store: Store, scorer: Scorer | None = None) -> None:
        self.store = store
        self.scorer = scorer

    # Linking ---------------------------------------------------------------------------

    @store_errors
    def link_pending(self) -> LinkSummary:
        """Link every event that has no incident yet, comparing each only with the stored
        events of its country within reach of its date (incremental)."""
        with self.store.session(write=True) as session:
            unlinked = (
                select(EventRow.current)
                .outerjoin(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id)
                .where(IncidentLinkRow.event_id.is_(None))
            )
            linked, joined = self._link(session, unlinked)
            return LinkSummary(events_linked=linked, incidents=self._count(session), joined=joined)

    @store_errors
    def link_new(self, event_ids: Collection[str]) -> int:
        """Link the events just stored (what ingest runs after each report), as
        `link_pending` would if nothing else were pending: its cost does not grow with the
        database, which `link_pending` reads whole to find what is unlinked. Returns how
        many events were linked."""
        with self.store.session(write=True) as session:
            new = (
                select(EventRow.current)
                .outerjoin(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id)
                .where(EventRow.event_id.in_(sorted(event_ids)))
                .where(IncidentLinkRow.event_id.is_(None))
            )
            return self._link(session, new)[0]

    def _link(self, session: Session, unlinked: Select[Any]) -> tuple[int, int]:
        """Link the events `unlinked` selects; how many, and how many joined an incident."""
        pending = [
            _view(current)
            for (current,) in session.execute(
                unlinked.order_by(EventRow.event_date, EventRow.event_id)
            )
        ]
        if not pending:
            return 0, 0
        index = IncidentIndex(self.scorer)
        self._seed_neighbours(session, index, pending)
        placed = {view.event_id: index.add(view) for view in sorted(pending, key=link_order)}
        _write_links(session, index, placed)
        return len(placed), sum(1 for e in placed if e in index.scores)

    @store_errors
    def rebuild(self) -> LinkSummary:
        """Re-link every stored event from scratch, then replay analysts' decisions."""
        with self.store.session(write=True) as session:
            decisions = _decisions(session)
            split_out = frozenset(d.event_id for d in decisions if d.action == "split")
            index = IncidentIndex(self.scorer)
            ordered = session.execute(
                select(EventRow.current).order_by(
                    EventRow.event_date.asc().nulls_last(), EventRow.event_id
                )
            )
            index.link_in_order((_view(current) for (current,) in ordered), split_out)
            placed = dict(index.incident_of)
            _replay(placed, decisions)
            session.execute(delete(IncidentLinkRow))
            _write_links(session, index, placed)
            return LinkSummary(
                events_linked=len(placed),
                incidents=len(set(placed.values())),
                joined=sum(1 for e in placed if e in index.scores),
            )

    def _seed_neighbours(
        self, session: Session, index: IncidentIndex, pending: list[LinkView]
    ) -> None:
        """Load the linked events any pending event could be compared with."""
        reach = timedelta(days=2 * max(link_settings().date_tolerance_days.values()))
        windows: dict[str, list[date]] = defaultdict(list)
        for view in pending:
            if view.event_date is not None:
                windows[view.country].append(view.event_date)
        # The stored spellings of each country, compared as they are: the country-and-date
        # index then reads only the country's events within reach, not every event in
        # reach of any country, as lower(country) made it.
        spelled = distinct_values(session, "country")
        for country, days in windows.items():
            same_country = (
                EventRow.country.in_([v for v in spelled if v.casefold() == country])
                if country
                else EventRow.country.is_(None)
            )
            rows = session.execute(
                select(EventRow.current, IncidentLinkRow.incident_id)
                .join(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id)
                .where(same_country)
                # The index's next key is (event_date IS NULL): naming it lets the date
                # range below be read off the index (`between` alone already drops NULLs).
                .where(EventRow.event_date.is_(None) == false())
                .where(EventRow.event_date.between(min(days) - reach, max(days) + reach))
            )
            for current, incident_id in rows:
                view = _view(current)
                if view.country == country:
                    index.seed(view, incident_id)

    def _count(self, session: Session) -> int:
        return session.scalar(select(func.count(func.distinct(IncidentLinkRow.incident_id)))) or 0

    # Reading ---------------------------------------------------------------------------

    @store_errors
    def incident_of(self, event_id: str) -> str | None:
        with self.store.session() as session:
            row = session.get(IncidentLinkRow, event_id)
            return row.incident_id if row is not None else None

    def get(self, incident_id: str, review: ReviewFilter | None = None) -> Incident | None:
        """One incident's record, from its events that pass `review` (rejected ones stay
        out unless asked for); None when it has no such event."""
        found = self.records([incident_id], review)
        return found[0] if found else None

    @store_errors
    def matching_ids(self, filters: EventFilter | None = None) -> list[str]:
        """The ids of the incidents holding at least one event that matches `filters`, in
        the order of their first such event (the filters' order). Events stored without a
        link (an analyst's added event, a database older than linking) are linked first."""
        self._link_unlinked()
        unpaged = (filters or EventFilter()).model_copy(update={"limit": None, "offset": 0})
        query = self.store.event_query(
            unpaged,
            select(IncidentLinkRow.incident_id)
            .select_from(EventRow)
            .join(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id),
        )
        with self.store.session() as session:
            return list(dict.fromkeys(session.scalars(query)))

    def matching(self, filters: EventFilter | None = None) -> Iterator[Incident]:
        """The records of the incidents `matching_ids` names, `filters.limit` and `offset`
        applied to incidents, streamed in chunks (bounded memory for exports of any size)."""
        wanted = filters or EventFilter()
        ids = self.matching_ids(wanted)
        end = None if wanted.limit is None else wanted.offset + wanted.limit
        chosen = ids[wanted.offset : end]
        for start in range(0, len(chosen), _CHUNK):
            yield from self.records(chosen[start : start + _CHUNK], wanted.review)

    @store_errors
    def records(
        self, incident_ids: list[str], review: ReviewFilter | None = None
    ) -> list[Incident]:
        """The records of these incidents (in this order), each built from its events that
        pass the `review` filter: rejected events stay out unless asked for, as everywhere."""
        members: dict[str, list[Event]] = defaultdict(list)
        columns = cast(
            Select[Any],
            select(EventRow.current, IncidentLinkRow.incident_id)
            .select_from(EventRow)
            .join(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id)
            .where(IncidentLinkRow.incident_id.in_(incident_ids)),
        )
        query = self.store.event_query(EventFilter(review=review, order="event_id"), columns)
        with self.store.session() as session:
            for current, incident_id in session.execute(query):
                members[incident_id].append(Event.model_validate_json(current))
            confirmed = _confirmed(_decisions(session))
        return [
            build_incident(
                incident_id,
                members[incident_id],
                confirmed=all(e.event_id in confirmed for e in members[incident_id]),
            )
            for incident_id in incident_ids
            if members[incident_id]
        ]

    def _link_unlinked(self) -> None:
        with self.store.session() as session:
            unlinked = session.scalar(
                select(EventRow.event_id)
                .outerjoin(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id)
                .where(IncidentLinkRow.event_id.is_(None))
                .limit(1)
            )
        if unlinked is not None:
            self.link_pending()

    @store_errors
    def decisions(self, event_ids: Iterable[str] | None = None) -> list[LinkDecision]:
        """Analysts' decisions (about these events, when given), oldest first."""
        with self.store.session() as session:
            every = _decisions(session)
        if event_ids is None:
            return every
        wanted = set(event_ids)
        return [d for d in every if d.event_id in wanted or d.other_event_id in wanted]

    # Analysts' decisions ---------------------------------------------------------------

    @store_errors
    def merge(
        self, incident_id: str, other_incident_id: str, analyst: str, note: str | None = None
    ) -> str:
        """Merge `other_incident_id` into `incident_id`; the merged incident's id.

        Refused when the two hold events of the same report (one report's events are
        never one incident)."""
        with self.store.session(write=True) as session:
            first = _members(session, incident_id)
            second = _members(session, other_incident_id)
            if incident_id == other_incident_id:
                raise InputError("an incident cannot be merged with itself")
            reports = {row.report_id for row in first} & {row.report_id for row in second}
            if reports:
                raise LinkConflict(
                    f"incidents {incident_id} and {other_incident_id} both hold report "
                    f"{min(reports)}: one report's events are never merged; split it out first"
                )
            _record(session, "merge", first[0].event_id, second[0].event_id, analyst, note)
            for row in second:
                _place(session, row.event_id, incident_id)
        return incident_id

    @store_errors
    def split(self, event_id: str, analyst: str, note: str | None = None) -> str:
        """Take an event out of its incident into one of its own; the new incident's id."""
        with self.store.session(write=True) as session:
            if session.get(IncidentLinkRow, event_id) is None:
                raise NotFoundError(f"event {event_id!r} is not linked (run `sitrep link`)")
            _record(session, "split", event_id, None, analyst, note)
            return _place(session, event_id, SPLIT_PREFIX + event_id)

    @store_errors
    def confirm(
        self, event_id: str, other_event_id: str, analyst: str, note: str | None = None
    ) -> None:
        """Confirm that two events (already in one incident) tell one incident."""
        with self.store.session(write=True) as session:
            link = session.get(IncidentLinkRow, event_id)
            other = session.get(IncidentLinkRow, other_event_id)
            if link is None or other is None:
                raise NotFoundError("both events must be linked (run `sitrep link`)")
            if link.incident_id != other.incident_id:
                raise LinkConflict(
                    f"events {event_id} and {other_event_id} are in different incidents: merge them"
                )
            _record(session, "confirm", event_id, other_event_id, analyst, note)


# Helpers ----------------------------------------------------------------------------------


def _view(current: str) -> LinkView:
    return LinkView.of(Event.model_validate_json(current))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _write_links(session: Session, index: IncidentIndex, placed: dict[str, str]) -> None:
    """Insert the links of events that have none (all of them after a rebuild's delete)."""
    now = _now()
    rows = [
        {
            "event_id": event_id,
            "incident_id": incident_id,
            "score": index.scores.get(event_id),
            "linked_at": now,
        }
        for event_id, incident_id in placed.items()
    ]
    if rows:
        session.execute(insert(IncidentLinkRow), rows)


def _members(session: Session, incident_id: str) -> list[EventRow]:
    rows = session.scalars(
        select(EventRow)
        .join(IncidentLinkRow, IncidentLinkRow.event_id == EventRow.event_id)
        .where(IncidentLinkRow.incident_id == incident_id)
        .order_by(EventRow.event_id)
    ).all()
    if not rows:
        raise NotFoundError(f"no incident {incident_id!r}")
    return list(rows)


def _place(session: Session, event_id: str, incident_id: str) -> str:
    row = session.get(IncidentLinkRow, event_id)
    if row is None:
        raise NotFoundError(f"event {event_id!r} is not linked (run `sitrep link`)")
    row.incident_id, row.score, row.linked_at = incident_id, None, _now()
    return incident_id


def _record(
    session: Session,
    action: Action,
    event_id: str,
    other_event_id: str | None,
    analyst: str,
    note: str | None,
) -> None:
    session.add(
        LinkDecisionRow(
            action=action,
            event_id=event_id,
            other_event_id=other_event_id,
            analyst=analyst,
            note=note,
            decided_at=_now(),
        )
    )


def _decisions(session: Session) -> list[LinkDecision]:
    rows = session.scalars(select(LinkDecisionRow).order_by(LinkDecisionRow.decision_id))
    return [
        LinkDecision(
            action=row.action,  # type: ignore[arg-type]
            event_id=row.event_id,
            other_event_id=row.other_event_id,
            analyst=row.analyst,
            note=row.note,
            decided_at=row.decided_at,
        )
        for row in rows
    ]


def _confirmed(decisions: list[LinkDecision]) -> set[str]:
    """Events an analyst has placed with another (merge or confirm)."""
    return {
        event_id
        for d in decisions
        if d.action in ("merge", "confirm")
        for event_id in (d.event_id, d.other_event_id)
        if event_id is not None
    }


def _replay(placed: dict[str, str], decisions: list[LinkDecision]) -> None:
    """Apply analysts' decisions, in the order they were made, to a fresh linking.
    Decisions about events no longer stored (re-extracted reports) are skipped."""
    for decision in decisions:
        if decision.event_id not in placed:
            continue
        if decision.action == "split":
            placed[decision.event_id] = SPLIT_PREFIX + decision.event_id
            continue
        other = decision.other_event_id
        if other is None or other not in placed:
            continue
        target, moving = placed[decision.event_id], placed[other]
        for event_id, incident_id in placed.items():
            if incident_id == moving:
                placed[event_id] = target
