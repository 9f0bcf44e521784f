"""Clustering links reports of one incident, keeps other incidents and one report's events
apart, and does the same incrementally as in one pass."""

from __future__ import annotations

from datetime import date

from sitrep.link import IncidentIndex, LinkView, cluster, default_scorer, groups
from sitrep.link._cluster import CLOSED_PREFIX

from .conftest import build_event, protest_event


def _three_reports_two_incidents() -> list[LinkView]:
    return [
        LinkView.of(build_event("aaaa", text="Gunmen shot dead four villagers in Kabarnet.")),
        LinkView.of(
            build_event("bbbb", text="Four villagers in Kabarnet were shot dead by gunmen.")
        ),
        LinkView.of(protest_event("cccc")),
    ]


def test_reports_of_one_incident_are_linked_and_others_kept_apart() -> None:
    incident_of = cluster(_three_reports_two_incidents())
    assert incident_of["aaaa-01"] == incident_of["bbbb-01"]
    assert incident_of["cccc-01"] != incident_of["aaaa-01"]
    assert sorted(len(members) for members in groups(incident_of).values()) == [1, 2]


def test_one_report_never_joins_an_incident_holding_its_other_event() -> None:
    views = [
        LinkView.of(build_event("aaaa")),
        LinkView.of(build_event("aaaa", position=2)),
        LinkView.of(build_event("bbbb")),
    ]
    incident_of = cluster(views)
    assert incident_of["aaaa-01"] != incident_of["aaaa-02"]


def test_incremental_linking_decides_as_one_pass() -> None:
    views = _three_reports_two_incidents()
    index = IncidentIndex()
    for view in views:  # one report at a time, as ingest does
        index.add(view)
    assert index.incident_of == cluster(views)


def test_a_closed_incident_takes_no_new_event() -> None:
    first, second, _ = _three_reports_two_incidents()
    index = IncidentIndex()
    index.seed(first, CLOSED_PREFIX + first.event_id)
    assert index.add(second) != CLOSED_PREFIX + first.event_id


def test_undated_events_stay_alone() -> None:
    undated = LinkView.of(build_event("bbbb", day=None))
    incident_of = cluster([LinkView.of(build_event("aaaa")), undated])
    assert incident_of["bbbb-01"] != incident_of["aaaa-01"]


def test_shipped_scorer_is_calibrated_on_agreement() -> None:
    scorer = default_scorer()
    same = _three_reports_two_incidents()[:2]
    far = LinkView.of(
        build_event("dddd", day=date(2024, 5, 7), fatalities=30, text="A different story.")
    )
    from sitrep.link import pair_features

    assert scorer.probability(pair_features(*same)) > scorer.threshold
    assert scorer.probability(pair_features(same[0], far)) < scorer.probability(
        pair_features(*same)
    )
