"""The pairwise scorer (learned weights in scorer.yaml) and incremental clustering.

`IncidentIndex.add` places one event: it is compared only with the events of candidate
incidents (same country, within the date window of both, see `could_match`), joins the
incident it links to best when that link reaches the measured threshold, and otherwise
starts a new incident. A rebuild adds every event in date order through the same path, so
linking on ingest and `sitrep link --rebuild` decide alike.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cache, cached_property
from importlib.resources import files

import yaml
from pydantic import BaseModel, ValidationError, model_validator

from sitrep.errors import ModelError
from sitrep.link._features import (
    FEATURE_NAMES,
    LinkView,
    could_match,
    link_settings,
    pair_features,
    within_reach,
)


class Scorer(BaseModel):
    """A logistic model over the pair features, and the threshold clustering applies.

    `linkage` is how a new event's pair probabilities with an incident's candidate members
    become one score: their mean (`average`) or their highest (`single`).
    """

    weights: dict[str, float]
    intercept: float
    threshold: float
    linkage: str = "average"

    @model_validator(mode="after")
    def _every_feature_weighed(self) -> Scorer:
        if set(self.weights) != set(FEATURE_NAMES):
            raise ValueError(f"weights must name exactly the features {FEATURE_NAMES}")
        if self.linkage not in ("average", "single"):
            raise ValueError("linkage must be 'average' or 'single'")
        return self

    @cached_property
    def _ordered_weights(self) -> tuple[float, ...]:
        return tuple(self.weights[name] for name in FEATURE_NAMES)

    def probability(self, features: list[float]) -> float:
        """The chance the pair tells one incident."""
        z = self.intercept + sum(map(operator.mul, self._ordered_weights, features))
        return 1.0 / (1.0 + math.exp(-z))


@cache
def default_scorer() -> Scorer:
    """The scorer shipped in scorer.yaml (learned by bench/train_linker.py)."""
    raw = yaml.safe_load((files("sitrep.link") / "scorer.yaml").read_text(encoding="utf-8"))
    try:
        return Scorer.model_validate(raw["model"])
    except (KeyError, TypeError, ValidationError) as error:
        raise ModelError(f"link/scorer.yaml is malformed: {error}") from error


#: Incidents whose id starts so were split out by an analyst: the machine adds nothing to them.
CLOSED_PREFIX = "S-"


class IncidentIndex:
    """Events placed into incidents, indexed for blocking by country, date precision and
    day: an event looks only at the days each precision's window can reach."""

    def __init__(
        self,
        scorer: Scorer | None = None,
        probability: Callable[[LinkView, LinkView], float] | None = None,
        neighbours: Callable[[LinkView], Iterable[LinkView]] | None = None,
    ) -> None:
        """`probability` and `neighbours` replace the scorer's pair probability and the
        blocking search (training reuses both, computed once, while it tries thresholds)."""
        self.scorer = scorer or default_scorer()
        self._probability = probability or self._scored
        self._neighbours = neighbours or self.candidates
        self.incident_of: dict[str, str] = {}
        #: The best link score that placed each event (an incident's first event has none).
        self.scores: dict[str, float] = {}
        #: The rule that decided where an event went (link/rules.yaml): joined by its score,
        #: or kept out of an incident that holds its own report.
        self.rule_of: dict[str, str] = {}
        #: The reports each incident holds: one report's events are never merged.
        self._reports: dict[str, set[str]] = defaultdict(set)
        self._by_day: dict[tuple[str, int, int], list[LinkView]] = defaultdict(list)
        self._slacks: set[int] = set()

    def seed(self, view: LinkView, incident_id: str) -> None:
        """Put an event into an incident as already decided (stored, or an analyst's act)."""
        self.incident_of[view.event_id] = incident_id
        self._reports[incident_id].add(view.report_id)
        if view.day is not None:
            self._by_day[(view.country, view.date_slack, view.day)].append(view)
            self._slacks.add(view.date_slack)

    def add(self, view: LinkView) -> str:
        """Link one event to the best candidate incident, or start its own; its incident id."""
        best_id, best_score = None, -1.0
        for incident_id, score in self.candidate_scores(view).items():
            if score > best_score:
                best_id, best_score = incident_id, score
        if best_id is None or best_score < self.scorer.threshold:
            best_id = f"I-{view.event_id}"
        else:
            self.scores[view.event_id] = best_score
            self.rule_of[view.event_id] = "link.same-incident"
        self.seed(view, best_id)
        return best_id

    def candidate_scores(self, view: LinkView) -> dict[str, float]:
        """Each candidate incident's link score with `view` (closed incidents and those
        holding an event of the same report are left out)."""
        probabilities: dict[str, list[float]] = defaultdict(list)
        for other in self._neighbours(view):
            incident_id = self.incident_of[other.event_id]
            if incident_id.startswith(CLOSED_PREFIX):
                continue
            if view.report_id in self._reports[incident_id]:
                self.rule_of[view.event_id] = "link.never-within-report"
                continue
            probabilities[incident_id].append(self._probability(view, other))
        if self.scorer.linkage == "single":
            return {incident: max(values) for incident, values in probabilities.items()}
        return {incident: sum(values) / len(values) for incident, values in probabilities.items()}

    def _scored(self, a: LinkView, b: LinkView) -> float:
        return self.scorer.probability(pair_features(a, b))

    def candidates(self, view: LinkView) -> Iterable[LinkView]:
        """The indexed events that pass blocking with `view` (an event of its own report
        that would pass is kept out, and the rule that kept it out recorded)."""
        if view.day is None:
            return
        for slack in self._slacks:
            reach = view.date_slack + slack
            for day in range(view.day - reach, view.day + reach + 1):
                for other in self._by_day.get((view.country, slack, day), ()):
                    if could_match(view, other):
                        yield other
                    elif other.report_id == view.report_id and within_reach(view, other):
                        self.rule_of.setdefault(view.event_id, "link.never-within-report")

    def link_in_order(
        self, views: Iterable[LinkView], split_out: frozenset[str] = frozenset()
    ) -> dict[str, str]:
        """Link `views`, which come in `link_order`; events in `split_out` get a closed
        incident of their own. Events fall out of the blocking index once no later event
        can reach them, so memory holds the reachable window, not the whole database."""
        horizon = 2 * max(link_settings().date_tolerance_days.values())
        forgotten = None
        for view in views:
            if view.day is not None and (
                forgotten is None or view.day - horizon > forgotten + horizon
            ):
                forgotten = view.day - horizon
                for key in [key for key in self._by_day if key[2] < forgotten]:
                    del self._by_day[key]
            if view.event_id in split_out:
                self.seed(view, CLOSED_PREFIX + view.event_id)
            else:
                self.add(view)
        return self.incident_of


def cluster(
    views: Iterable[LinkView],
    scorer: Scorer | None = None,
    probability: Callable[[LinkView, LinkView], float] | None = None,
    neighbours: Callable[[LinkView], Iterable[LinkView]] | None = None,
) -> dict[str, str]:
    """Incident id per event id, linking `views` in date order (undated ones stay alone)."""
    return IncidentIndex(scorer, probability, neighbours).link_in_order(
        sorted(views, key=link_order)
    )


def link_order(view: LinkView) -> tuple[int, str]:
    """Events are linked by date (undated last), then id: the same order on every run."""
    return (view.day if view.day is not None else 10**7, view.event_id)


def groups(incident_of: Mapping[str, str]) -> dict[str, list[str]]:
    """Event ids per incident id."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for event_id, incident_id in incident_of.items():
        grouped[incident_id].append(event_id)
    return dict(grouped)
