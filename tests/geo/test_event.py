"""place_for_event and same_admin1: choosing an event's place, comparing provinces."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sitrep.geo import home_country, place_for_event, same_admin1
from sitrep.models import Place, PlaceMention, Span

ROOT = Path(__file__).resolve().parents[2]

TEXT = (
    "Rebels attacked Tadmur at dawn. Later a convoy was ambushed.\n"
    "In a separate incident, a mortar round fell on Homs.\n"
    "Nothing else was reported."
)


def _mention(
    name: str, location: str, admin1: str, precision: int = 1, resolved: bool = True
) -> PlaceMention:
    start = TEXT.index(name)
    return PlaceMention(
        span=Span.of(TEXT, start, start + len(name)),
        place=Place(
            location=location,
            admin1=admin1,
            country="Syria",
            geo_precision=precision,  # type: ignore[arg-type]
            latitude=34.5 if resolved else None,
            longitude=38.3 if resolved else None,
            resolved=resolved,
            raw_name=name,
        ),
    )


MENTIONS = [_mention("Tadmur", "Tadmur", "Homs"), _mention("Homs", "Homs", "Homs")]


def _clause(words: str) -> Span:
    start = TEXT.index(words)
    return Span.of(TEXT, start, start + len(words))


def test_the_clause_own_place_comes_first() -> None:
    found = place_for_event(MENTIONS, _clause("a mortar round fell on Homs"), TEXT)
    assert found is not None
    place, evidence = found
    assert place.location == "Homs"
    assert evidence.spans[0].text == "Homs" and evidence.confidence >= 0.8


def test_else_the_nearest_earlier_place_in_the_paragraph() -> None:
    found = place_for_event(MENTIONS, _clause("a convoy was ambushed"), TEXT)
    assert found is not None
    place, evidence = found
    assert place.location == "Tadmur"
    assert 0.4 < evidence.confidence < 0.8
    assert evidence.rule == "geo.earlier-in-paragraph"


def test_else_the_document_focus_at_lower_precision_and_confidence() -> None:
    found = place_for_event(MENTIONS, _clause("Nothing else was reported"), TEXT)
    assert found is not None
    place, evidence = found
    assert place.admin1 == "Homs"
    assert place.geo_precision >= 2
    assert evidence.confidence < 0.5 and evidence.rule == "geo.document-focus"


def test_no_place_at_all_gives_none() -> None:
    assert place_for_event([], _clause("a convoy was ambushed"), TEXT) is None


def test_a_resolved_place_beats_an_unresolved_one_in_the_same_clause() -> None:
    unresolved = _mention("Rebels", "Rebels", None, 3, resolved=False)  # type: ignore[arg-type]
    found = place_for_event(
        [unresolved, *MENTIONS], _clause("Rebels attacked Tadmur at dawn"), TEXT
    )
    assert found is not None and found[0].location == "Tadmur"


def test_an_unresolved_place_is_returned_flagged_rather_than_borrowed() -> None:
    unresolved = _mention("Rebels", "Rebels", None, 3, resolved=False)  # type: ignore[arg-type]
    found = place_for_event([unresolved], _clause("Rebels attacked"), TEXT)
    assert found is not None
    assert found[0].resolved is False and found[1].confidence <= 0.5


def _abroad(name: str, country: str) -> PlaceMention:
    mention = _mention(name, name, "Abroad")
    return mention.model_copy(
        update={"place": mention.place.model_copy(update={"country": country})}
    )


def test_a_place_abroad_named_earlier_is_not_the_event_place() -> None:
    # Most of the report's places are in Syria: a foreign town in an earlier sentence is context.
    mentions = [_mention("Tadmur", "Tadmur", "Homs"), _abroad("dawn", "Turkey"), MENTIONS[1]]
    found = place_for_event(mentions, _clause("Later a convoy was ambushed"), TEXT)
    assert found is not None and found[0].location == "Tadmur"


def test_home_country_weighs_towns_above_country_names() -> None:
    text = "Turkey and Turkey and Turkey said rebels shelled Tadmur and Homs."
    turkey = [
        PlaceMention(span=Span.of(text, i, i + 6), place=Place(location="Turkey", country="Turkey"))
        for i in (0, 11, 22)
    ]
    towns = [
        PlaceMention(
            span=Span.of(text, text.index(name), text.index(name) + len(name)),
            place=Place(location=name, admin1="Homs", country="Syria"),
        )
        for name in ("Tadmur", "Homs")
    ]
    assert home_country([*turkey, *towns], text) == "Syria"
    assert home_country(turkey, text) == "Turkey"
    assert home_country([], text) is None
    # Nationality words weigh as much as a country's name.
    assert home_country([], "Syrian troops and Syrian police met a Turkish envoy.") == "Syria"


def test_a_place_at_home_beats_one_abroad_in_the_same_clause() -> None:
    mentions = [_abroad("Rebels", "Turkey"), *MENTIONS]
    found = place_for_event(mentions, _clause("Rebels attacked Tadmur at dawn"), TEXT)
    assert found is not None and found[0].location == "Tadmur"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Idleb", "Idlib"),
        ("Rural Damascus", "Rif Dimashq"),
        ("Deir ez Zor", "Deir-ez-Zor"),
        ("Deir-ez-Zor", "Dayr az Zawr"),
        ("deir ezzor", "Deir-ez-Zor"),
        ("Lattakia", "Latakia"),
        ("Al-Hasakeh", "Hasakah"),
        ("hasakeh", "Al-Hasakeh"),
        ("Ar-Raqqa", "raqqa"),
        ("As-Sweida", "sweida"),
        ("Dara", "daraa"),
        ("Tartous", "tartus"),
        ("Ninewa", "Nineveh"),
        ("Salah al-Din", "Salahuddin"),
    ],
)
def test_same_admin1_spellings(a: str, b: str) -> None:
    assert same_admin1(a, b)
    assert same_admin1(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Damascus", "Rural Damascus"), ("Homs", "Hama"), ("Idleb", ""), ("Aleppo", "Idlib")],
)
def test_different_admin1(a: str, b: str) -> None:
    assert not same_admin1(a, b)


def test_every_fakes_province_names_a_syrian_admin1() -> None:
    fakes = ROOT.parent / "shared" / "data" / "fakes_dev.csv"
    if not fakes.exists():
        pytest.skip(f"{fakes} is absent (the shared dev data lives next to the repo)")
    acled = [
        "Aleppo",
        "Al-Hasakeh",
        "Ar-Raqqa",
        "As-Sweida",
        "Damascus",
        "Dara",
        "Deir-ez-Zor",
        "Hama",
        "Homs",
        "Idleb",
        "Lattakia",
        "Quneitra",
        "Rural Damascus",
        "Tartous",
    ]
    with fakes.open(encoding="utf-8") as handle:
        provinces = {row["location"] for row in csv.DictReader(handle) if row["location"]}
    for province in provinces:
        assert [name for name in acled if same_admin1(province, name)], province


def test_a_name_that_only_locates_another_does_not_compete_with_it() -> None:
    text = "Rebels attacked posts near Tadmur (Homs) at dawn."
    near = _mention("Tadmur", "Tadmur", "Homs", precision=2).model_copy(
        update={"span": Span.of(text, text.index("Tadmur"), text.index("Tadmur") + 6)}
    )
    start = text.index("Homs")
    city = PlaceMention(
        span=Span.of(text, start, start + 4),
        place=Place(location="Homs", admin1="Homs", country="Syria", geo_precision=1),
        locates_another=True,
    )
    found = place_for_event([near, city], Span.of(text, 0, len(text)), text)
    assert found is not None
    assert (found[0].location, found[0].geo_precision) == ("Tadmur", 2)


def test_else_a_place_named_later_in_the_events_sentence() -> None:
    """ "gunmen abducted a doctor as he left a clinic in Homs": the event's clause names no
    place, the rest of its sentence does; the next sentence's place is not borrowed."""
    text = "Gunmen abducted a doctor as he left a clinic in Homs. Tadmur was calm."
    mentions = [
        PlaceMention(
            span=Span.of(text, text.index(name), text.index(name) + len(name)),
            place=Place(location=name, admin1="Homs", country="Syria", geo_precision=1),
        )
        for name in ("Homs", "Tadmur")
    ]
    clause = Span.of(text, 0, len("Gunmen abducted a doctor"))
    found = place_for_event(mentions, clause, text)
    assert found is not None
    place, evidence = found
    assert (place.location, place.geo_precision) == ("Homs", 1)
    assert evidence.rule == "geo.later-in-sentence"
    alone = place_for_event(mentions[1:], clause, text)
    assert alone is not None and alone[1].rule == "geo.document-focus"
