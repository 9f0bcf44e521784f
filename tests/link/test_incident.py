"""The incident record reads several reports as ACLED would: the lowest credible toll,
fields by agreement, independent sources counted once, contradictions flagged with the
evidence of each report."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.link import build_incident, lowest_credible_toll

from .conftest import build_event


def test_lowest_credible_toll_ignores_sources_without_a_figure() -> None:
    assert lowest_credible_toll([0, 7, 3]) == 3
    assert lowest_credible_toll([0, 0]) == 0


def test_tolls_disagree_keeps_every_figure_and_its_evidence() -> None:
    incident = build_incident(
        "I-1",
        [
            build_event("aaaa", fatalities=7, text="Seven people died in the raid."),
            build_event("bbbb", fatalities=3, text="Three people died in the raid."),
            build_event("cccc", fatalities=0, text="A raid took place."),
        ],
    )
    assert incident.event.fatalities == 3
    assert incident.rules["fatalities"] == "link.lowest-credible-toll"
    (tolls,) = [d for d in incident.disagreements if d.flag == "tolls_disagree"]
    assert tolls.summary == "3-7"
    assert {v.event_id: v.spans[0].text for v in tolls.values} == {
        "aaaa-01": "Seven people died in the raid.",
        "bbbb-01": "Three people died in the raid.",
    }
    assert sorted(t.value for t in incident.tolls) == ["0", "3", "7"]
    assert "3 killed" in incident.event.notes  # the note tells the incident's toll


def test_fields_by_agreement_ties_go_to_the_more_precise_place() -> None:
    town = {"location": "Nairobi", "admin1": "Nairobi", "geo_precision": 3}
    incident = build_incident(
        "I-1",
        [
            build_event("aaaa", location="Kamukunji", admin1="Nairobi", geo_precision=1),
            build_event("bbbb", **town),  # type: ignore[arg-type]
        ],
    )
    assert incident.event.place is not None and incident.event.place.location == "Kamukunji"
    majority = build_incident(
        "I-2",
        [
            build_event("aaaa", location="Kamukunji", admin1="Nairobi", geo_precision=1),
            build_event("bbbb", **town),  # type: ignore[arg-type]
            build_event("cccc", **town),  # type: ignore[arg-type]
        ],
    )
    assert majority.event.place is not None and majority.event.place.location == "Nairobi"


def test_outlets_quoting_one_named_source_corroborate_once() -> None:
    monitor = "the Kenya National Commission on Human Rights"
    incident = build_incident(
        "I-1",
        [
            build_event("aaaa", source="Outlet A", attribution=monitor),
            build_event("bbbb", source="Outlet B", attribution=monitor),
            build_event("cccc", source="Outlet C"),
        ],
    )
    assert incident.corroboration == 2
    assert incident.sources == ["Outlet A", "Outlet B", "Outlet C"]


@pytest.mark.parametrize(
    ("changes", "flag"),
    [
        ({"actor1": "Military Forces of Kenya (2022-)"}, "perpetrator_disagrees"),
        ({"day": date(2024, 5, 7)}, "date_disagrees"),
        (
            {"location": "Kitale", "admin1": "Trans Nzoia", "latitude": 1.015, "longitude": 35.006},
            "place_disagrees",
        ),
    ],
)
def test_contradictions_are_flagged_with_both_sides(changes: dict[str, object], flag: str) -> None:
    first = build_event("aaaa", actor1="Police Forces of Kenya (2022-)")
    second = build_event("bbbb", **{"actor1": "Police Forces of Kenya (2022-)", **changes})  # type: ignore[arg-type]
    incident = build_incident("I-1", [first, second])
    (disagreement,) = [d for d in incident.disagreements if d.flag == flag]
    assert {v.event_id for v in disagreement.values} == {"aaaa-01", "bbbb-01"}
    assert flag in incident.event.flags
    assert incident.rules[flag] == "link." + flag.replace("_", "-")


def test_agreeing_reports_raise_no_flag_and_generic_actors_do_not_contradict() -> None:
    incident = build_incident(
        "I-1",
        [
            build_event("aaaa", actor1="Police Forces of Kenya (2022-)"),
            build_event("bbbb", actor1="Unidentified Armed Group (Kenya)"),
        ],
    )
    assert incident.flags == []
    assert incident.corroboration == 2


def test_acled_row_puts_the_incident_first() -> None:
    row = build_incident(
        "I-9", [build_event("aaaa"), build_event("bbbb", fatalities=6)]
    ).acled_row()
    assert row["event_id_cnty"] == "I-9"
    assert row["fatalities"] == 4
    assert row["corroboration"] == 2
    assert row["tolls"] == "4; 6"
    assert row["flags"] == "tolls_disagree"
