"""Scoring against ACLED-coded events: type, actors, fatalities and place."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sitrep.evaluate._fakes import SameAdmin1, geo_same_admin1
from sitrep.evaluate._gold import AcledGold
from sitrep.evaluate._metrics import actor_key, haversine_km, macro_f1
from sitrep.evaluate._results import Check, EvaluationResult, evidence_rule, evidence_text, tally
from sitrep.models import Event

#: Metrics decided row by row; event_type_macro_f1 is computed over all rows at once.
PER_ROW_METRICS = (
    "event_type_acc",
    "sub_event_type_acc",
    "fatalities_exact",
    "actor1_acc",
    "admin1_acc",
    "location_25km",
    "geo_precision_acc",
)
ACLED_METRICS = (*PER_ROW_METRICS, "event_type_macro_f1")
#: ACLED codes a place to the point; within this distance of the gold point counts as right.
LOCATION_TOLERANCE_KM = 25.0


def score_acled(
    golds: Sequence[AcledGold],
    predictions: Mapping[str, Sequence[Event]],
    *,
    same_admin1: SameAdmin1 | None = None,
) -> EvaluationResult:
    """Score the first predicted event of each row (keyed by gold row_id) against ACLED."""
    compare = same_admin1 or geo_same_admin1()
    firsts = [_first(predictions.get(gold.row_id, [])) for gold in golds]
    checks = (
        check
        for gold, first in zip(golds, firsts, strict=True)
        for check in _row_checks(gold, first, compare)
    )
    result = tally("acled", len(golds), PER_ROW_METRICS, checks)
    predicted_types = [event.event_type if event else "" for event in firsts]
    gold_types = [gold.event_type for gold in golds]
    result.metrics["event_type_macro_f1"] = macro_f1(gold_types, predicted_types)
    return result


def _first(events: Sequence[Event]) -> Event | None:
    return events[0] if events else None


def _row_checks(gold: AcledGold, event: Event | None, same_admin1: SameAdmin1) -> Iterator[Check]:
    row = gold.row_id
    place = event.place if event else None

    event_type = event.event_type if event else ""
    why = evidence_text(event, "event_type")
    yield Check(
        row,
        "event_type_acc",
        event_type == gold.event_type,
        gold.event_type,
        event_type,
        why,
        "event_type",
        evidence_rule(event, "event_type"),
    )

    sub_type = event.sub_event_type if event else ""
    why = evidence_text(event, "sub_event_type", "event_type")
    yield Check(
        row,
        "sub_event_type_acc",
        sub_type == gold.sub_event_type,
        gold.sub_event_type,
        sub_type,
        why,
        "sub_event_type",
        evidence_rule(event, "sub_event_type"),
    )

    fatalities = event.fatalities if event else 0
    why = evidence_text(event, "fatalities")
    yield Check(
        row,
        "fatalities_exact",
        fatalities == gold.fatalities,
        gold.fatalities,
        fatalities,
        why,
        "fatalities",
        evidence_rule(event, "fatalities"),
    )

    actor1 = event.actor1.name if event and event.actor1 else ""
    same_actor = bool(actor1) and actor_key(actor1) == actor_key(gold.actor1)
    why = evidence_text(event, "actor1")
    rule = evidence_rule(event, "actor1")
    yield Check(row, "actor1_acc", same_actor, gold.actor1, actor1, why, "actor1", rule)

    admin1 = place.admin1 if place and place.admin1 else ""
    same_region = bool(admin1) and same_admin1(admin1, gold.admin1)
    why = evidence_text(event, "admin1", "location")
    rule = evidence_rule(event, "admin1")
    yield Check(row, "admin1_acc", same_region, gold.admin1, admin1, why, "admin1", rule)

    yield from point_checks(
        row, gold.latitude, gold.longitude, gold.geo_precision, event, gold_precision=True
    )


def point_checks(
    row: str,
    latitude: float | None,
    longitude: float | None,
    geo_precision: int | None,
    event: Event | None,
    *,
    gold_precision: bool,
) -> Iterator[Check]:
    """Within 25 km of the gold point, and the same geo_precision (checked even when the
    gold has none if `gold_precision`, as ACLED rows always carry one)."""
    place = event.place if event else None
    distance = (
        haversine_km(latitude, longitude, place.latitude, place.longitude)
        if place is not None
        and place.latitude is not None
        and place.longitude is not None
        and latitude is not None
        and longitude is not None
        else None
    )
    near = distance is not None and distance <= LOCATION_TOLERANCE_KM
    shown = (
        f"{place.location} ({distance:.0f} km away)"
        if place and distance is not None
        else (place.location if place else "")
    )
    why = evidence_text(event, "location")
    rule = evidence_rule(event, "location")
    yield Check(
        row, "location_25km", near, f"{latitude}, {longitude}", shown, why, "location", rule
    )
    if geo_precision is None and not gold_precision:
        return
    precision = place.geo_precision if place else None
    why = evidence_text(event, "geo_precision", "location")
    yield Check(
        row,
        "geo_precision_acc",
        precision == geo_precision,
        geo_precision,
        precision or "",
        why,
        "geo_precision",
        evidence_rule(event, "geo_precision"),
    )
