"""The incident record: one incident's events (one per report) read the way ACLED reads
several sources on one event.

- fatalities: the lowest credible figure (the lowest toll any source gives; a source that
  gives none says nothing about the toll), each source's figure kept;
- the other fields by agreement of the sources, ties broken by the more precise value;
- corroboration: independent sources, where outlets quoting one named source count once;
- contradiction flags, each with the values and the evidence of every report behind them.

Each decision records the id of its rule (link/rules.yaml) in `Incident.rules`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from sitrep.events.notes import note_for
from sitrep.link._cluster import CLOSED_PREFIX
from sitrep.link._features import LinkView, distance_km, link_settings
from sitrep.models import Event, Span

Flag = Literal["tolls_disagree", "perpetrator_disagrees", "date_disagrees", "place_disagrees"]
#: The rule (link/rules.yaml) that raises each flag.
FLAG_RULES: dict[str, str] = {
    "tolls_disagree": "link.tolls-disagree",
    "perpetrator_disagrees": "link.perpetrator-disagrees",
    "date_disagrees": "link.date-disagrees",
    "place_disagrees": "link.place-disagrees",
}


class SourceValue(BaseModel):
    """One report's value for a field, with the words that support it."""

    event_id: str
    report_id: str
    source: str | None
    value: str
    spans: list[Span] = Field(default_factory=list)


class Disagreement(BaseModel):
    """Sources that contradict each other on one field."""

    flag: Flag
    field: str
    #: "3-7" for tolls; the distinct values otherwise.
    summary: str
    values: list[SourceValue]


class Incident(BaseModel):
    """One incident: its merged event, its reports, corroboration and contradictions."""

    incident_id: str
    event: Event
    events: list[Event]
    #: Each source's death toll (the conservative one is `event.fatalities`).
    tolls: list[SourceValue]
    corroboration: int
    disagreements: list[Disagreement] = Field(default_factory=list)
    #: field -> id of the rule that decided it (link/rules.yaml).
    rules: dict[str, str] = Field(default_factory=dict)
    confirmed: bool = False

    @property
    def flags(self) -> list[str]:
        return [d.flag for d in self.disagreements]

    @property
    def report_ids(self) -> list[str]:
        return list(dict.fromkeys(e.report_id for e in self.events))

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(e.source or e.report_id for e in self.events))

    def acled_row(self) -> dict[str, object]:
        """ACLED's columns for the incident, then the incident's own."""
        row = self.event.acled_row()
        row["event_id_cnty"] = self.incident_id
        row["source"] = "; ".join(self.sources)
        figures = sorted({t.value for t in self.tolls}, key=int)
        row.update(
            {
                "events": "; ".join(e.event_id for e in self.events),
                "reports": "; ".join(self.report_ids),
                "corroboration": self.corroboration,
                "tolls": "; ".join(figures),
                "flags": "; ".join(self.flags),
                "confirmed": self.confirmed,
            }
        )
        return row


def lowest_credible_toll(figures: Sequence[int]) -> int:
    """ACLED's conservative toll: the lowest figure any source gives (0 when none gives one)."""
    given = [figure for figure in figures if figure > 0]
    return min(given) if given else 0


def build_incident(
    incident_id: str, events: Sequence[Event], *, confirmed: bool = False
) -> Incident:
    """The incident record of `events` (one or more, from different reports)."""
    if not events:
        raise ValueError("an incident needs at least one event")
    ordered = sorted(events, key=lambda e: e.event_id)
    tolls = [_value(e, "fatalities", str(e.fatalities)) for e in ordered]
    by_place = _by_agreement(ordered, _place_key, _place_precision)
    by_type = _by_agreement(ordered, lambda e: (e.event_type, e.sub_event_type), _confidence)
    by_actor1 = _by_agreement(ordered, lambda e: e.actor1.name if e.actor1 else None, _confidence)
    by_actor2 = _by_agreement(ordered, lambda e: e.actor2.name if e.actor2 else None, _confidence)
    by_date = _by_agreement(ordered, lambda e: e.event_date, _time_precision)
    by_method = _by_agreement(ordered, lambda e: e.attack_method, _confidence)
    merged = by_type.model_copy(
        update={
            "event_id": incident_id,
            "report_id": by_type.report_id,
            "place": by_place.place,
            "actor1": by_actor1.actor1,
            "actor2": by_actor2.actor2,
            "event_date": by_date.event_date,
            "time_precision": by_date.time_precision,
            "attack_method": by_method.attack_method,
            "fatalities": lowest_credible_toll([e.fatalities for e in ordered]),
            "source": "; ".join(dict.fromkeys(e.source or e.report_id for e in ordered)),
            "flags": sorted({flag for e in ordered for flag in e.flags}),
        }
    )
    disagreements = _disagreements(ordered)
    merged.flags = sorted({*merged.flags, *(d.flag for d in disagreements)})
    merged.notes = note_for(merged)  # the chosen fields' sentence, with the incident's toll
    rules = {
        "fatalities": "link.lowest-credible-toll",
        **dict.fromkeys(
            ("event_type", "place", "actor1", "actor2", "event_date", "attack_method"),
            "link.fields-by-agreement",
        ),
        "corroboration": "link.independent-sources",
    }
    if confirmed or incident_id.startswith(CLOSED_PREFIX):
        rules["event"] = "link.analyst-decision"
    elif len({e.report_id for e in ordered}) > 1:
        rules["event"] = "link.same-incident"
    for disagreement in disagreements:
        rules[disagreement.flag] = FLAG_RULES[disagreement.flag]
    return Incident(
        incident_id=incident_id,
        event=merged,
        events=ordered,
        tolls=tolls,
        corroboration=len({_independent_source(e) for e in ordered}),
        disagreements=disagreements,
        rules=rules,
        confirmed=confirmed,
    )


def _by_agreement(
    events: Sequence[Event],
    key: Callable[[Event], Hashable],
    precision: Callable[[Event], float],
) -> Event:
    """The event whose value most sources give (a missing value never wins over a given
    one); ties go to the most precise, then the first by id."""
    if len(events) == 1:  # most incidents have one report: nothing to agree on
        return events[0]
    counts = Counter(key(e) for e in events if key(e) is not None)
    if not counts:
        return events[0]
    return min(
        (e for e in events if key(e) is not None),
        key=lambda e: (-counts[key(e)], precision(e), e.event_id),
    )


def _place_key(event: Event) -> Hashable:
    place = event.place
    return (place.location.casefold(), place.admin1) if place else None


def _place_precision(event: Event) -> float:
    return float(event.place.geo_precision) if event.place else 9.0


def _time_precision(event: Event) -> float:
    return float(event.time_precision or 9)


def _confidence(event: Event) -> float:
    return -event.confidence


def _independent_source(event: Event) -> str:
    """Who the claim comes from: the named source the report quotes, else the outlet."""
    evidence = event.evidence.get("attribution")
    if event.attribution and evidence is not None and evidence.spans:
        return event.attribution.casefold()
    return (event.source or event.report_id).casefold()


def _value(event: Event, field: str, value: str) -> SourceValue:
    evidence = event.evidence.get(field)
    return SourceValue(
        event_id=event.event_id,
        report_id=event.report_id,
        source=event.source,
        value=value,
        spans=list(evidence.spans) if evidence else [],
    )


def _disagreements(events: Sequence[Event]) -> list[Disagreement]:
    if len(events) < 2:
        return []
    found = []
    tolls = [_value(e, "fatalities", str(e.fatalities)) for e in events if e.fatalities > 0]
    if len({t.value for t in tolls}) > 1:
        low, high = min(int(t.value) for t in tolls), max(int(t.value) for t in tolls)
        found.append(
            Disagreement(
                flag="tolls_disagree", field="fatalities", summary=f"{low}-{high}", values=tolls
            )
        )
    views = [LinkView.of(e) for e in events]
    perpetrators = [
        _value(e, "actor1", e.actor1.name)
        for e, view in zip(events, views, strict=True)
        if e.actor1 is not None and view.actors and _is_named(e.actor1.name)
    ]
    found.extend(_distinct("perpetrator_disagrees", "actor1", perpetrators))
    dated = [(e, v) for e, v in zip(events, views, strict=True) if v.day is not None]
    if any(
        abs(a.day - b.day) > max(a.date_slack, b.date_slack) - 1  # type: ignore[operator]
        for (_, a) in dated
        for (_, b) in dated
    ):
        dates = [_value(e, "event_date", str(e.event_date)) for e, _ in dated]
        found.extend(_distinct("date_disagrees", "event_date", dates))
    located = [(e, v) for e, v in zip(events, views, strict=True) if e.place is not None]
    if any(_places_differ(a, b) for (_, a) in located for (_, b) in located):
        places = [_value(e, "location", e.place.location) for e, _ in located]  # type: ignore[union-attr]
        found.extend(_distinct("place_disagrees", "location", places))
    return found


def _is_named(name: str) -> bool:
    prefixes = tuple(link_settings().generic_actor_prefixes)
    return not name.casefold().startswith(prefixes)


def _places_differ(a: LinkView, b: LinkView) -> bool:
    """Two places contradict when neither can contain the other: different admin1, or
    farther apart than the precision of both allows."""
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return True
    distance = distance_km(a, b)
    return distance is not None and distance > max(a.place_slack_km, b.place_slack_km)


def _distinct(flag: Flag, field: str, values: list[SourceValue]) -> list[Disagreement]:
    distinct = list(dict.fromkeys(v.value for v in values))
    if len(distinct) < 2:
        return []
    return [Disagreement(flag=flag, field=field, summary=" / ".join(distinct), values=values)]
