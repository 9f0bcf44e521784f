"""Scoring arithmetic shared by the gold formats."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_EARTH_RADIUS_KM = 6371.0088
#: ACLED suffixes state actors with the years of a government: "(2000-)", "(2014-2018)".
_YEAR_RANGE = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")


def share(hits: Sequence[bool]) -> float:
    """The share of True values (0.0 for no rows, so an empty run scores nothing)."""
    return sum(hits) / len(hits) if hits else 0.0


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """F1 averaged over the labels that occur in gold or predictions ("" is no label)."""
    labels = {label for label in (*gold, *predicted) if label}
    if not labels:
        return 0.0
    total = 0.0
    for label in labels:
        true_pos = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        gold_count = sum(g == label for g in gold)
        predicted_count = sum(p == label for p in predicted)
        if true_pos:
            total += 2 * true_pos / (gold_count + predicted_count)
    return total / len(labels)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def deaths_close(gold: int, predicted: int) -> bool:
    """Within 20% of the gold count, or within one death for small counts."""
    return abs(gold - predicted) <= max(1.0, 0.2 * gold)


def actor_key(name: str) -> str:
    """An actor name compared across sources: lower-cased, without year ranges.

    "Military Forces of Syria (2000-)" and "military forces of syria" are the same actor.
    """
    return _YEAR_RANGE.sub("", name).strip().casefold()
