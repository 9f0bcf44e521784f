"""Blocking keeps apart what cannot be one incident; features measure what they name."""

from __future__ import annotations

from datetime import date

from sitrep.link import FEATURE_NAMES, LinkView, could_match, pair_features

from .conftest import build_event


def _views(**changes: object) -> tuple[LinkView, LinkView]:
    return LinkView.of(build_event("aaaa")), LinkView.of(build_event("bbbb", **changes))


def test_two_reports_of_one_attack_pass_blocking() -> None:
    assert could_match(*_views(text="Four villagers were killed by gunmen in Kabarnet."))


def test_events_of_one_report_never_match() -> None:
    first = LinkView.of(build_event("aaaa"))
    second = LinkView.of(build_event("aaaa", position=2))
    assert not could_match(first, second)


def test_other_country_is_blocked() -> None:
    assert not could_match(*_views(country="Uganda"))


def test_date_window_grows_with_time_precision() -> None:
    # Five days apart: too far for two exact days, within reach of a week-precise date.
    assert not could_match(*_views(day=date(2024, 5, 11)))
    assert could_match(*_views(day=date(2024, 5, 11), time_precision=2))


def test_distance_is_scaled_by_geo_precision() -> None:
    # Eldama Ravine is about 40 km from Kabarnet, in the same county when admin1 is known.
    far = {"location": "Eldama Ravine", "latitude": 0.0519, "longitude": 35.7197, "admin1": None}
    assert not could_match(*_views(**far))
    assert could_match(*_views(**far, geo_precision=3))


def test_same_admin1_passes_without_coordinates() -> None:
    assert could_match(*_views(latitude=None, longitude=None, location="a village"))


def test_incompatible_event_types_are_blocked() -> None:
    assert not could_match(*_views(event_type="Strategic developments", sub_event_type="Arrests"))
    # A protest that one outlet calls a riot may still be the same event.
    protest = LinkView.of(
        build_event("aaaa", event_type="Protests", sub_event_type="Peaceful protest")
    )
    riot = LinkView.of(
        build_event("bbbb", event_type="Riots", sub_event_type="Violent demonstration")
    )
    assert could_match(protest, riot)


def test_features_tell_agreement_from_contradiction() -> None:
    same = dict(zip(FEATURE_NAMES, pair_features(*_views()), strict=True))
    other = dict(
        zip(
            FEATURE_NAMES,
            pair_features(
                *_views(
                    actor1="Military Forces of Kenya (2022-)",
                    fatalities=40,
                    attack_method="arson",
                    text="Soldiers set fire to homes in a distant town.",
                    day=date(2024, 5, 7),
                )
            ),
            strict=True,
        )
    )
    assert same["actor_overlap"] == 0.0  # generic actors (unidentified, civilians) say nothing
    assert same["deaths_agree"] == 1.0 and other["deaths_agree"] == 0.0
    assert other["deaths_differ"] > 0.5
    assert same["method_agree"] == 1.0 and other["method_differ"] == 1.0
    assert same["text_similarity"] == 1.0 > other["text_similarity"]
    assert same["day_gap"] == 0.0 < other["day_gap"]
    assert all(0.0 <= value <= 1.0 for value in (*same.values(), *other.values()))


def test_named_actors_overlap() -> None:
    police = {"actor1": "Police Forces of Kenya (2022-)"}
    values = dict(
        zip(
            FEATURE_NAMES,
            pair_features(
                LinkView.of(build_event("aaaa", **police)),
                LinkView.of(build_event("bbbb", **police)),
            ),
            strict=True,
        )
    )
    assert values["actor_overlap"] == 1.0 and values["actor_conflict"] == 0.0
