"""Cross-report linking: the same incident told by several reports becomes one incident.

    >>> incident_of = cluster(LinkView.of(event) for event in events)   # event id -> incident
    >>> build_incident("I-...", events_of_one_incident).flags

Stages: `LinkView` (what linking compares of an event), blocking (`could_match`), the
learned pair score (`Scorer`, weights in scorer.yaml, learned by bench/train_linker.py
on MAVERICK Kenya), incremental clustering (`IncidentIndex`), and the incident record
(`build_incident`: conservative toll, fields by agreement, corroboration, contradiction
flags). `sitrep.link.store` keeps incidents in the database and replays analysts' acts.
Rule ids are declared in rules.yaml.
"""

from sitrep.link._cluster import (
    IncidentIndex,
    Scorer,
    cluster,
    default_scorer,
    groups,
    link_order,
)
from sitrep.link._features import (
    FEATURE_NAMES,
    LinkSettings,
    LinkView,
    could_match,
    link_settings,
    pair_features,
)
from sitrep.link._incident import (
    Disagreement,
    Incident,
    SourceValue,
    build_incident,
    lowest_credible_toll,
)

__all__ = [
    "FEATURE_NAMES",
    "Disagreement",
    "Incident",
    "IncidentIndex",
    "LinkSettings",
    "LinkView",
    "Scorer",
    "SourceValue",
    "build_incident",
    "cluster",
    "could_match",
    "default_scorer",
    "groups",
    "link_order",
    "link_settings",
    "lowest_credible_toll",
    "pair_features",
]
