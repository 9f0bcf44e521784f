"""Scoring cross-report linking against gold incident ids.

- B-cubed precision, recall and F1 (Bagga & Baldwin 1998): per report, the share of its
  predicted incident that is its gold incident (precision) and the share of its gold
  incident found in its predicted incident (recall), averaged over reports;
- pairwise precision and recall over the pairs of reports put in one incident;
- the deaths error: for each gold incident, the conservative toll of the predicted incident
  holding most of its reports against the gold incident's best estimate (the mode of its
  reports' best estimates, ties to the lower: MAVERICK's "most representative" reading),
  as a mean absolute error, and the total of predicted tolls over the gold total (the
  inflation the issue saw: one attack told five times counted five times).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path

from sitrep.errors import EvaluationError
from sitrep.evaluate._maverick import read_maverick
from sitrep.evaluate._results import EvaluationResult
from sitrep.link import LinkView, cluster, lowest_credible_toll

LINKING_METRICS = (
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
    "pairwise_precision",
    "pairwise_recall",
    "pairwise_f1",
    "deaths_mae",
    "deaths_exact",
    "deaths_total_ratio",
    "unlinked_deaths_total_ratio",
    "incidents_ratio",
)


def linking_metrics(
    gold: Mapping[str, str], predicted: Mapping[str, str], deaths: Mapping[str, int]
) -> dict[str, float]:
    """The metrics of LINKING_METRICS over the items `predicted` places (report-level
    events; `gold` and `deaths` may hold more): gold incident, predicted incident, and the
    deaths each report gives."""
    gold = {item: gold[item] for item in predicted}
    items = list(gold)
    gold_sizes = Counter(gold[i] for i in items)
    predicted_sizes = Counter(predicted[i] for i in items)
    overlap = Counter((predicted[i], gold[i]) for i in items)
    precision = sum(overlap[(predicted[i], gold[i])] / predicted_sizes[predicted[i]] for i in items)
    recall = sum(overlap[(predicted[i], gold[i])] / gold_sizes[gold[i]] for i in items)
    n = len(items) or 1
    bcubed_p, bcubed_r = precision / n, recall / n
    true_pairs = sum(_pairs(count) for count in overlap.values())
    predicted_pairs = sum(_pairs(count) for count in predicted_sizes.values())
    gold_pairs = sum(_pairs(count) for count in gold_sizes.values())
    pair_p = true_pairs / predicted_pairs if predicted_pairs else 1.0
    pair_r = true_pairs / gold_pairs if gold_pairs else 1.0
    return {
        "bcubed_precision": bcubed_p,
        "bcubed_recall": bcubed_r,
        "bcubed_f1": _f1(bcubed_p, bcubed_r),
        "pairwise_precision": pair_p,
        "pairwise_recall": pair_r,
        "pairwise_f1": _f1(pair_p, pair_r),
        **_deaths(gold, predicted, deaths),
        "incidents_ratio": len(predicted_sizes) / (len(gold_sizes) or 1),
    }


def gold_best_deaths(figures: list[int]) -> int:
    """The most frequent figure of an incident's reports, ties to the lower."""
    counts = Counter(figures)
    return min(counts, key=lambda figure: (-counts[figure], figure))


def _deaths(
    gold: Mapping[str, str], predicted: Mapping[str, str], deaths: Mapping[str, int]
) -> dict[str, float]:
    by_gold: dict[str, list[str]] = defaultdict(list)
    by_predicted: dict[str, list[str]] = defaultdict(list)
    for item in gold:
        by_gold[gold[item]].append(item)
        by_predicted[predicted[item]].append(item)
    predicted_toll = {
        incident: lowest_credible_toll([deaths[i] for i in members])
        for incident, members in by_predicted.items()
    }
    errors, gold_total = [], 0
    for members in by_gold.values():
        best = gold_best_deaths([deaths[i] for i in members])
        gold_total += best
        holder = Counter(predicted[i] for i in members).most_common(1)[0][0]
        errors.append(abs(predicted_toll[holder] - best))
    gold_total = gold_total or 1
    return {
        "deaths_mae": sum(errors) / (len(errors) or 1),
        "deaths_exact": sum(error == 0 for error in errors) / (len(errors) or 1),
        "deaths_total_ratio": sum(predicted_toll.values()) / gold_total,
        "unlinked_deaths_total_ratio": sum(deaths[i] for i in gold) / gold_total,
    }


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate_maverick(
    path: Path, *, limit: int | None = None, cross_validate: bool = False
) -> EvaluationResult:
    """Link MAVERICK's report-level records and score the incidents against the gold ids.

    By default the shipped scorer links them (it was learned on MAVERICK Kenya: on that
    file the figures are tuned ones). `cross_validate` learns a scorer per election on the
    other elections only (with scikit-learn) and links each election
    with its own: the held-out figures.
    """
    records, problems = read_maverick(path, limit=limit)
    if not records:
        reason = "; ".join(problems[:3]) or "it has a header but no rows"
        raise EvaluationError(f"{path} has no row that can be scored: {reason}")
    views = [LinkView.of(record.event) for record in records]
    gold = {record.event.event_id: record.incident_id for record in records}
    deaths = {record.event.event_id: record.event.fatalities for record in records}
    if cross_validate:
        from sitrep.link._train import cross_validate as by_group  # imports scikit-learn

        election = {record.event.event_id: record.election for record in records}
        predicted, _ = by_group(views, gold, election)
    else:
        predicted = cluster(views)
    return EvaluationResult(
        format="maverick",
        n=len(records),
        metrics=linking_metrics(gold, predicted, deaths),
        problems=problems,
    )
