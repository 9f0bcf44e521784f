"""Learning the pair scorer and its threshold from report-level data with gold incidents
(MAVERICK), and cross-validating it by group (election), with scikit-learn.

The weights come from a logistic regression over the blocked pairs (the only pairs the
linker ever scores); the linkage and threshold are then chosen by the B-cubed F1 of
clustering the same training records. In cross-validation each held-out group is linked
with a scorer learned and thresholded on the other groups only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sklearn.linear_model import LogisticRegression

from sitrep.evaluate._linking import linking_metrics
from sitrep.link._cluster import IncidentIndex, Scorer, cluster, link_order
from sitrep.link._features import FEATURE_NAMES, LinkView, pair_features

#: Thresholds tried (probabilities); the one with the best training B-cubed F1 is kept.
THRESHOLDS: tuple[float, ...] = tuple(round(0.05 * step, 2) for step in range(2, 19))
LINKAGES: tuple[str, ...] = ("average", "single")
#: The regularisation of the logistic regression (scikit-learn's default).
REGULARISATION = 1.0

Pair = tuple[str, str]


def earlier_neighbours(views: Sequence[LinkView]) -> dict[str, list[LinkView]]:
    """For each view, the views linked before it (`link_order`) that pass blocking with it:
    the only events clustering ever compares it with."""
    index = IncidentIndex(
        Scorer(weights=dict.fromkeys(FEATURE_NAMES, 0.0), intercept=0.0, threshold=1.0)
    )
    neighbours: dict[str, list[LinkView]] = {}
    for view in sorted(views, key=link_order):
        neighbours[view.event_id] = list(index.candidates(view))
        index.seed(view, view.event_id)
    return neighbours


def fit_scorer(views: Sequence[LinkView], gold: Mapping[str, str]) -> Scorer:
    """Weights, linkage and threshold learned on `views` (gold: event id -> incident)."""
    neighbours = earlier_neighbours(views)
    by_id = {v.event_id: v for v in views}
    pairs = [(by_id[e], other) for e, others in neighbours.items() for other in others]
    labels = [int(gold[a.event_id] == gold[b.event_id]) for a, b in pairs]
    features = [pair_features(a, b) for a, b in pairs]
    if len(set(labels)) < 2:
        raise ValueError("training needs both linked and unlinked pairs")
    model = LogisticRegression(C=REGULARISATION, max_iter=2000)
    model.fit(features, labels)
    probabilities = dict(
        zip(
            (_key(a, b) for a, b in pairs),
            (float(p) for p in model.predict_proba(features)[:, 1]),
            strict=True,
        )
    )
    weights = {
        name: round(float(w), 4) for name, w in zip(FEATURE_NAMES, model.coef_[0], strict=True)
    }
    intercept = round(float(model.intercept_[0]), 4)

    def training_f1(scorer: Scorer) -> float:
        predicted = cluster(
            views,
            scorer,
            probability=lambda a, b: probabilities[_key(a, b)],
            neighbours=lambda v: neighbours[v.event_id],
        )
        return linking_metrics(gold, predicted, _deaths(views))["bcubed_f1"]

    candidates = [
        Scorer(weights=weights, intercept=intercept, threshold=threshold, linkage=linkage)
        for linkage in LINKAGES
        for threshold in THRESHOLDS
    ]
    # The first best wins ties: average linkage, then the lowest threshold.
    return max(candidates, key=training_f1)


def cross_validate(
    views: Sequence[LinkView], gold: Mapping[str, str], group: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, Scorer]]:
    """Predicted incident per event, each group linked by a scorer learned on the others;
    and the scorer used for each group."""
    predicted: dict[str, str] = {}
    scorers: dict[str, Scorer] = {}
    for held_out in sorted(set(group.values())):
        train = [v for v in views if group[v.event_id] != held_out]
        test = [v for v in views if group[v.event_id] == held_out]
        scorers[held_out] = fit_scorer(train, gold)
        predicted.update(cluster(test, scorers[held_out]))
    return predicted, scorers


def _deaths(views: Sequence[LinkView]) -> dict[str, int]:
    return {v.event_id: v.fatalities for v in views}


def _key(a: LinkView, b: LinkView) -> Pair:
    return (a.event_id, b.event_id) if a.event_id < b.event_id else (b.event_id, a.event_id)
