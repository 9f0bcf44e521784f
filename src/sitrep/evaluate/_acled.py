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

    distance = _distance_km(gold, event)
    near = distance is not None and distance <= LOCATION_TOLERANCE_KM
    shown = (
        f"{place.location} ({distance:.0f} km away)"
        if place and distance is not None
        else (place.location if place else "")
    )
    why = evidence_text(event, "location")
    gold_point = f"{gold.latitude}, {gold.longitude}"
    rule = evidence_rule(event, "location")
    yield Check(row, "location_25km", near, gold_point, shown, why, "location", rule)

    precision = place.geo_precision if place else None
    why = evidence_text(event, "geo_precision", "location")
    yield Check(
        row,
        "geo_precision_acc",
        precision == gold.geo_precision,
        gold.geo_precision,
        precision or "",
        why,
        "geo_precision",
        evidence_rule(event, "geo_precision"),
    )


def _distance_km(gold: AcledGold, event: Event | None) -> float | None:
    place = event.place if event else None
    if (
        place is None
        or place.latitude is None
        or place.longitude is None
        or gold.latitude is None
        or gold.longitude is None
    ):
        return None
    return haversine_km(gold.latitude, gold.longitude, place.latitude, place.longitude)
