"""Scoring places against UCDP GED events: province, district, point and precision.

A UCDP row's report is its source headline (usually a monitor's daily summary), coded on
the event's first day. Headlines often summarise several incidents of a day, so the
scores say how well the place of the first event sitrep finds agrees with UCDP's event,
a lower bound on how well places are resolved.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence

from sitrep.evaluate._acled import point_checks
from sitrep.evaluate._fakes import SameAdmin1, geo_same_admin1
from sitrep.evaluate._gold import UcdpGold
from sitrep.evaluate._results import Check, EvaluationResult, evidence_text, tally
from sitrep.models import Event

UCDP_METRICS = ("admin1_acc", "admin2_acc", "location_25km", "geo_precision_acc")
_DISTRICT_WORDS = re.compile(r"\s+(?:district|nahiya|subdistrict|qada)$", re.IGNORECASE)


def row_rank(row_id: str) -> int:
    """A stable pseudo-random rank of a gold row, from the SHA-256 of its id."""
    return int(hashlib.sha256(row_id.encode("utf-8")).hexdigest(), 16)


def half_of(row_id: str) -> str:
    """ "A" or "B": the half a row falls in (sha256(row id) % 2, even = A), the split the
    project uses to look for errors in one half and check on the other."""
    return "A" if row_rank(row_id) % 2 == 0 else "B"


def score_ucdp(
    golds: Sequence[UcdpGold],
    predictions: Mapping[str, Sequence[Event]],
    *,
    same_admin1: SameAdmin1 | None = None,
) -> EvaluationResult:
    """Score the place of the first located event of each row against UCDP's."""
    compare = same_admin1 or geo_same_admin1()
    checks = (
        check
        for gold in golds
        for check in _row_checks(gold, _first_located(predictions.get(gold.row_id, [])), compare)
    )
    return tally("ucdp", len(golds), UCDP_METRICS, checks)


def _first_located(events: Sequence[Event]) -> Event | None:
    located = [event for event in events if event.place is not None and event.place.resolved]
    chosen = located or list(events)
    return chosen[0] if chosen else None


def _district_key(name: str) -> str:
    from sitrep.geo._text import name_key  # the gazetteer's folding, imported when scoring

    return name_key(_DISTRICT_WORDS.sub("", name.strip()))


def _row_checks(gold: UcdpGold, event: Event | None, same_admin1: SameAdmin1) -> Iterator[Check]:
    row = gold.row_id
    place = event.place if event else None
    where = evidence_text(event, "admin1", "location")
    if gold.admin1:
        admin1 = place.admin1 if place and place.admin1 else ""
        same = bool(admin1) and same_admin1(admin1, gold.admin1)
        yield Check(row, "admin1_acc", same, gold.admin1, admin1, where, "admin1")
    if gold.admin2:
        admin2 = place.admin2 if place and place.admin2 else ""
        same = bool(admin2) and _district_key(admin2) == _district_key(gold.admin2)
        yield Check(row, "admin2_acc", same, gold.admin2, admin2, where, "admin2")
    if gold.latitude is not None and gold.longitude is not None:
        yield from point_checks(
            row, gold.latitude, gold.longitude, gold.geo_precision, event, gold_precision=False
        )
