"""Learning the scorer: weights from blocked pairs, linkage and threshold from clustering
the training records, and cross-validation that never scores a group with a scorer that
saw it."""

from __future__ import annotations

from datetime import date, timedelta

from sitrep.link import FEATURE_NAMES, LinkView
from sitrep.link._train import THRESHOLDS, cross_validate, fit_scorer

from .conftest import build_event


def _records(group: str, start: date) -> tuple[list[LinkView], dict[str, str]]:
    """Per day: two reports of one shooting, and a report of another attack nearby."""
    views, gold = [], {}
    for n in range(8):
        day = start + timedelta(days=3 * n)
        same = f"shooting of villagers number {n} at the market"
        for outlet in ("a", "b"):
            event = build_event(f"{group}{n}{outlet}", day=day, text=same, fatalities=n + 1)
            views.append(LinkView.of(event))
            gold[event.event_id] = f"{group}-{n}"
        other = build_event(
            f"{group}{n}c",
            day=day,
            text="a bomb destroyed a police post on the highway",
            actor1="Police Forces of Kenya (2022-)",
            attack_method="explosive device",
            fatalities=20 + n,
            location="Kabarnet highway",
            latitude=0.52,
            longitude=35.76,
            geo_precision=2,
        )
        views.append(LinkView.of(other))
        gold[other.event_id] = f"{group}-{n}-other"
    return views, gold


def test_fit_learns_that_agreement_links() -> None:
    views, gold = _records("g", date(2024, 1, 1))
    scorer = fit_scorer(views, gold)
    assert set(scorer.weights) == set(FEATURE_NAMES)
    assert scorer.threshold in THRESHOLDS
    assert scorer.weights["text_similarity"] > 0 > scorer.weights["method_differ"]


def test_cross_validation_scores_each_group_with_a_scorer_learned_without_it() -> None:
    first, first_gold = _records("g", date(2024, 1, 1))
    second, second_gold = _records("h", date(2025, 1, 1))
    gold = {**first_gold, **second_gold}
    group = {v.event_id: "2024" for v in first} | {v.event_id: "2025" for v in second}
    predicted, scorers = cross_validate([*first, *second], gold, group)
    assert set(scorers) == {"2024", "2025"}
    assert set(predicted) == set(gold)
    # Each shooting's two reports end up together, the other attack apart.
    for n in range(8):
        assert predicted[f"g{n}a-01"] == predicted[f"g{n}b-01"] != predicted[f"g{n}c-01"]
