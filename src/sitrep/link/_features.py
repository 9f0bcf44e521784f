"""What the linker compares: each event reduced once to a `LinkView`, the blocking test
(`could_match`) and the pair features the scorer weighs (`pair_features`)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

import yaml
from pydantic import BaseModel, ValidationError

from sitrep.errors import ModelError
from sitrep.evaluate._metrics import actor_key, haversine_km
from sitrep.models import Event

#: The pair features, in the order of the scorer's weights (scorer.yaml).
FEATURE_NAMES: tuple[str, ...] = (
    "actor_overlap",
    "actor_conflict",
    "same_location",
    "scaled_distance",
    "day_gap",
    "deaths_agree",
    "deaths_differ",
    "method_agree",
    "method_differ",
    "same_sub_event_type",
    "text_similarity",
)

_WORD = re.compile(r"[^\W\d_]{3,}")


class LinkSettings(BaseModel):
    """linking.yaml: blocking tolerances, compatible types, generic actors, stopwords."""

    place_tolerance_km: dict[int, float]
    date_tolerance_days: dict[int, int]
    compatible_event_types: dict[str, list[str]]
    generic_actor_prefixes: list[str]
    stopwords: list[str]

    def type_groups(self, event_type: str) -> frozenset[str]:
        return frozenset(
            group for group, types in self.compatible_event_types.items() if event_type in types
        )


@cache
def link_settings() -> LinkSettings:
    """The settings shipped next to this module (read once per process; immutable use)."""
    path = files("sitrep.link") / "linking.yaml"
    try:
        return LinkSettings.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError) as error:
        raise ModelError(f"link/linking.yaml is malformed: {error}") from error


@dataclass(frozen=True, slots=True)
class LinkView:
    """What linking needs of one event, computed once (events are compared many times)."""

    event_id: str
    report_id: str
    country: str
    day: int | None  # proleptic ordinal of event_date
    date_slack: int
    admin1: str
    location: str
    latitude: float | None
    longitude: float | None
    place_slack_km: float
    actors: frozenset[str]
    type_groups: frozenset[str]
    sub_event_type: str
    fatalities: int
    attack_method: str
    words: frozenset[str]

    @classmethod
    def of(cls, event: Event, settings: LinkSettings | None = None) -> LinkView:
        settings = settings or link_settings()
        place = event.place
        day = event.event_date.toordinal() if event.event_date else None
        return cls(
            event_id=event.event_id,
            report_id=event.report_id,
            country=(place.country or "").casefold() if place else "",
            day=day,
            date_slack=settings.date_tolerance_days[event.time_precision or 1],
            admin1=(place.admin1 or "").casefold() if place else "",
            location=(place.location or "").casefold() if place else "",
            latitude=place.latitude if place else None,
            longitude=place.longitude if place else None,
            place_slack_km=settings.place_tolerance_km[place.geo_precision if place else 3],
            actors=_named_actors(event, settings),
            type_groups=settings.type_groups(event.event_type),
            sub_event_type=event.sub_event_type,
            fatalities=event.fatalities,
            attack_method=event.attack_method or "",
            words=_words(event, settings),
        )

    @property
    def event_date(self) -> date | None:
        return date.fromordinal(self.day) if self.day is not None else None


def _named_actors(event: Event, settings: LinkSettings) -> frozenset[str]:
    names = set()
    for actor in (event.actor1, event.actor2):
        if actor is None:
            continue
        key = actor_key(actor.name)
        if not key.startswith(tuple(settings.generic_actor_prefixes)):
            names.add(key)
    return frozenset(names)


def _words(event: Event, settings: LinkSettings) -> frozenset[str]:
    """Content words of the event's evidence (the sentences it was read from) and note."""
    texts = [event.notes]
    if event.trigger is not None:
        texts.append(event.trigger.text)
    texts.extend(span.text for evidence in event.evidence.values() for span in evidence.spans)
    stop = set(settings.stopwords)
    return frozenset(
        word for text in texts for word in _WORD.findall(text.casefold()) if word not in stop
    )


def distance_km(a: LinkView, b: LinkView) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def could_match(a: LinkView, b: LinkView) -> bool:
    """Blocking: country, date window by time precision, place, compatible types, and
    never two events of one report."""
    return a.report_id != b.report_id and within_reach(a, b)


def within_reach(a: LinkView, b: LinkView) -> bool:
    """Blocking without the report: country, date window by time precision, place and
    compatible types."""
    if a.day is None or b.day is None:
        return False
    if a.country != b.country or not (a.type_groups & b.type_groups):
        return False
    if abs(a.day - b.day) > a.date_slack + b.date_slack:
        return False
    if a.admin1 and b.admin1 and a.admin1 == b.admin1:
        return True
    if a.latitude is not None and b.latitude is not None:
        slack_km = a.place_slack_km + b.place_slack_km
        # A degree of latitude is about 111 km: most pairs are told apart without haversine.
        if abs(a.latitude - b.latitude) * 111.0 > slack_km:
            return False
    distance = distance_km(a, b)
    if distance is not None:
        return distance <= a.place_slack_km + b.place_slack_km
    # One side has only a country (or its admin1 differs without coordinates to check).
    return not (a.admin1 and b.admin1)


def pair_features(a: LinkView, b: LinkView) -> list[float]:
    """The features of FEATURE_NAMES for one pair, each in [0, 1]."""
    distance = distance_km(a, b)
    slack_km = a.place_slack_km + b.place_slack_km
    scaled_distance = min(distance / slack_km, 1.0) if distance is not None else 0.5
    gap = abs(a.day - b.day) if a.day is not None and b.day is not None else 0
    both_dead = a.fatalities > 0 and b.fatalities > 0
    both_methods = bool(a.attack_method and b.attack_method)
    union = a.words | b.words
    return [
        _jaccard(a.actors, b.actors),
        float(bool(a.actors and b.actors) and not (a.actors & b.actors)),
        float(bool(a.location) and a.location == b.location),
        scaled_distance,
        min(gap / max(a.date_slack + b.date_slack, 1), 1.0),
        float(both_dead and a.fatalities == b.fatalities),
        _toll_difference(a.fatalities, b.fatalities) if both_dead else 0.0,
        float(both_methods and a.attack_method == b.attack_method),
        float(both_methods and a.attack_method != b.attack_method),
        float(a.sub_event_type == b.sub_event_type),
        len(a.words & b.words) / len(union) if union else 0.0,
    ]


def _toll_difference(a: int, b: int) -> float:
    """How far apart two tolls are, on a log scale: 0 the same, 1 one of them far higher."""
    return abs(math.log1p(a) - math.log1p(b)) / math.log1p(max(a, b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0
