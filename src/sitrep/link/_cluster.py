"""The pairwise scorer (learned weights in scorer.yaml) and incremental clustering.

`IncidentIndex.add` places one event: it is compared only with the events of candidate
incidents (same country, within the date window of both, see `could_match`), joins the
incident it links to best when that link reaches the measured threshold, and otherwise
starts a new incident. A rebuild adds every event in date order through the same path, so
linking on ingest and `sitrep link --rebuild` decide alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib.resources import files

import yaml
from pydantic import BaseModel, ValidationError, model_validator

from sitrep.errors import ModelError
from sitrep.link._features import FEATURE_NAMES, LinkView, could_match, pair_features


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

    def probability(self, features: list[float]) -> float:
        """The chance the pair tells one incident."""
        z = self.intercept + sum(
            self.weights[name] * value for name, value in zip(FEATURE_NAMES, features, strict=True)
        )
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
    """Events placed into incidents, indexed by country and day for blocking."""

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
        self.members: dict[str, list[LinkView]] = defaultdict(list)
        #: The best link score that placed each event ("" incidents' seeds have none).
        self.scores: dict[str, float] = {}
        self._by_day: dict[tuple[str, int], list[LinkView]] = defaultdict(list)
        self._widest_slack = 0

    def seed(self, view: LinkView, incident_id: str) -> None:
        """Put an event into an incident as already decided (stored, or an analyst's act)."""
        self.incident_of[view.event_id] = incident_id
        self.members[incident_id].append(view)
        if view.day is not None:
            self._by_day[(view.country, view.day)].append(view)
            self._widest_slack = max(self._widest_slack, view.date_slack)

    def add(self, view: LinkView, *, alone: bool = False) -> str:
        """Link one event to the best candidate incident, or start its own; its incident id.

        `alone`: start its own incident whatever it scores (an analyst split it out).
        """
        best_id, best_score = None, -1.0
        if not alone:
            for incident_id, score in self.candidate_scores(view).items():
                if score > best_score:
                    best_id, best_score = incident_id, score
        if best_id is None or best_score < self.scorer.threshold:
            best_id = f"I-{view.event_id}"
        else:
            self.scores[view.event_id] = best_score
        self.seed(view, best_id)
        return best_id

    def candidate_scores(self, view: LinkView) -> dict[str, float]:
        """Each candidate incident's link score with `view` (incidents holding an event of
        the same report are left out: one report's events are never merged)."""
        probabilities: dict[str, list[float]] = defaultdict(list)
        for other in self._neighbours(view):
            incident_id = self.incident_of[other.event_id]
            probabilities[incident_id].append(self._probability(view, other))
        scores = {}
        for incident_id, values in probabilities.items():
            if incident_id.startswith(CLOSED_PREFIX) or any(
                m.report_id == view.report_id for m in self.members[incident_id]
            ):
                continue
            linkage = max(values) if self.scorer.linkage == "single" else sum(values) / len(values)
            scores[incident_id] = linkage
        return scores

    def _scored(self, a: LinkView, b: LinkView) -> float:
        return self.scorer.probability(pair_features(a, b))

    def candidates(self, view: LinkView) -> Iterable[LinkView]:
        """The stored events that pass blocking with `view`."""
        if view.day is None:
            return
        reach = view.date_slack + self._widest_slack
        for day in range(view.day - reach, view.day + reach + 1):
            for other in self._by_day.get((view.country, day), ()):
                if could_match(view, other):
                    yield other


def cluster(
    views: Iterable[LinkView],
    scorer: Scorer | None = None,
    probability: Callable[[LinkView, LinkView], float] | None = None,
    neighbours: Callable[[LinkView], Iterable[LinkView]] | None = None,
) -> dict[str, str]:
    """Incident id per event id, linking `views` in date order (undated ones stay alone)."""
    index = IncidentIndex(scorer, probability, neighbours)
    for view in sorted(views, key=link_order):
        index.add(view)
    return index.incident_of


def link_order(view: LinkView) -> tuple[int, str]:
    """Events are linked by date (undated last), then id: the same order on every run."""
    return (view.day if view.day is not None else 10**7, view.event_id)


def groups(incident_of: Mapping[str, str]) -> dict[str, list[str]]:
    """Event ids per incident id."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for event_id, incident_id in incident_of.items():
        grouped[incident_id].append(event_id)
    return dict(grouped)
