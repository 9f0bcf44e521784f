"""find_places on real sentences with the real gazetteer and spaCy model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from spacy.tokens import Doc

from sitrep.geo import find_places
from sitrep.models import PlaceMention

pytestmark = pytest.mark.slow

GOLD: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "gold.yaml").read_text(encoding="utf-8")
)
ROOT = Path(__file__).resolve().parents[2]


def _mention(mentions: list[PlaceMention], name: str) -> PlaceMention:
    named = [m for m in mentions if m.span.text == name]
    assert named, f"{name!r} not found among {[m.span.text for m in mentions]}"
    return named[0]


@pytest.mark.parametrize("gold", GOLD, ids=[g["text"][:40] for g in GOLD])
def test_gold_sentence(gold: dict[str, Any], parse: Callable[[str], Doc]) -> None:
    doc = parse(gold["text"])
    place = _mention(find_places(doc), gold["name"]).place
    for field in ("geonameid", "admin1", "country", "geo_precision"):
        if field in gold:
            assert getattr(place, field) == gold[field], (field, place)


def test_mention_spans_point_into_the_text(parse: Callable[[str], Doc]) -> None:
    text = "Shelling hit Deir ez-Zor and al-Bukamal; later Raqqa."
    for mention in find_places(parse(text)):
        assert text[mention.span.start : mention.span.end] == mention.span.text


def test_common_words_are_not_places(parse: Callable[[str], Doc]) -> None:
    text = (
        "Mark said Hope was fading in March. Of the wounded, Air ambulances took two to Homs. "
        "The IS statement was read by Bashar al-Assad's opponents."
    )
    names = [m.span.text for m in find_places(parse(text))]
    assert names == ["Homs"]


def test_organisation_names_are_not_places(parse: Callable[[str], Doc]) -> None:
    text = "The Aleppo Media Center reported shelling in Idlib."
    names = [m.span.text for m in find_places(parse(text))]
    assert "Aleppo" not in names and "Idlib" in names


def test_a_group_named_like_a_village_is_not_a_place(parse: Callable[[str], Doc]) -> None:
    # Hazm is a hamlet in As-Sweida in the shipped gazetteer; "the Hazm movement" is a group
    for text in (
        "Twenty fighters of the Western-armed Hazm movement were killed near Saraqib.",
        "The US-backed Hazm movement lost dozens of fighters in the clashes.",
    ):
        names = [m.span.text for m in find_places(parse(text))]
        assert "Hazm" not in names, text


def test_never_another_continent_in_a_report_about_syria(parse: Callable[[str], Doc]) -> None:
    text = "Syrian troops entered Palmyra. Fighting also hit Homs and Hama."
    places = {m.span.text: m.place for m in find_places(parse(text))}
    assert places["Palmyra"].country == "Syria"
    assert places["Palmyra"].location == "Tadmur"


def test_unknown_village_is_kept_and_flagged(parse: Callable[[str], Doc]) -> None:
    text = "Gunmen raided the village of Zqarbeel, residents said."
    mention = _mention(find_places(parse(text)), "Zqarbeel")
    assert mention.place.resolved is False
    assert mention.place.raw_name == "Zqarbeel"
    assert mention.place.latitude is None


def test_unknown_village_in_a_named_province_gets_the_province(parse: Callable[[str], Doc]) -> None:
    text = "Warplanes struck Zqarbeel in Idlib province, killing four."
    mentions = find_places(parse(text))
    village = _mention(mentions, "Zqarbeel").place
    assert (village.admin1, village.geo_precision, village.raw_name) == ("Idleb", 3, "Zqarbeel")
    assert all(not (m.place.location == "Idleb" and m.place.geo_precision == 1) for m in mentions)


def test_city_district_is_coded_as_city_dash_district(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(parse("Barrel bombs fell on Aleppo's Sukkari district."))
    district = _mention(mentions, "Sukkari").place
    assert district.location.startswith("Aleppo")
    assert district.geo_precision == 1 and district.admin1 == "Aleppo"


def test_the_seed_report_is_located_in_syria(parse: Callable[[str], Doc]) -> None:
    seed = ROOT.parent / "shared" / "data" / "seed_report.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is absent (the shared dev data lives next to the repo)")
    mentions = find_places(parse(seed.read_text(encoding="utf-8")))
    palmyra = [m.place for m in mentions if m.place.geonameid == 163808]
    assert palmyra, [m.span.text for m in mentions]
    assert {p.admin1 for p in palmyra} == {"Homs"}
    assert all(
        m.place.country in ("Syria", "Iraq", "Russia", None) for m in mentions if m.place.resolved
    ), [(m.span.text, m.place.country) for m in mentions]


def test_a_known_word_inside_an_unknown_name_is_not_matched(parse: Callable[[str], Doc]) -> None:
    text = "Militants stormed Tall Warbeek and then Kafr Zqareen es Safi, near Hama."
    names = [m.span.text for m in find_places(parse(text))]
    assert "Tall" not in names and "Safi" not in names
    assert "Hama" in names


def test_headline_words_are_not_foreign_towns(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(parse("Daesh Attack Kills Five In Hama Countryside"))
    assert [m.span.text for m in mentions] == ["Hama"]
    assert mentions[0].place.geo_precision == 2


def test_a_dateline_is_not_a_place_of_the_story(parse: Callable[[str], Doc]) -> None:
    text = "BEIRUT (Reuters) - Gunmen attacked a checkpoint near Homs on Monday."
    assert [m.span.text for m in find_places(parse(text))] == ["Homs"]


def test_a_seat_of_government_speaking_is_not_a_place(parse: Callable[[str], Doc]) -> None:
    text = "Ankara says the rebels shelled Azaz, and the army told Tehran it would hold Homs."
    assert [m.span.text for m in find_places(parse(text))] == ["Azaz", "Homs"]
    text = "Syrian monitors said jets of Damascus's ally Russia struck Atareb near Aleppo."
    assert [m.span.text for m in find_places(parse(text))] == ["Russia", "Atareb", "Aleppo"]


def test_a_variant_spelling_of_deir_ez_zor(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(parse("Gunmen shot 12 workers dead by a gas plant in Deir Ezour."))
    assert _mention(mentions, "Deir Ezour").place.admin1 == "Deir-ez-Zor"


def test_a_possessive_that_lost_its_apostrophe(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(parse("Jets struck Idlibs southern countryside; Marines watched."))
    assert [(m.span.text, m.place.admin1, m.place.geo_precision) for m in mentions] == [
        ("Idlibs", "Idleb", 2)
    ]


def test_dhal_written_th_or_dh(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(
        parse("IS militants attacked an SDF checkpoint in Thiban (Deir-ez-Zor).")
    )
    place = _mention(mentions, "Thiban").place
    assert (place.admin1, place.geo_precision) == ("Deir-ez-Zor", 1)


def test_unknown_village_then_noun_then_province(parse: Callable[[str], Doc]) -> None:
    text = "Militants attacked Zqarbeel village in the Syrian Hama province."
    village = _mention(find_places(parse(text)), "Zqarbeel").place
    assert (village.admin1, village.geo_precision) == ("Hama", 3)


@pytest.mark.parametrize(
    "text",
    [
        "Shells hit the Yarmouk district of Damascus.",
        "Damascus's Yarmouk neighbourhood was bombed.",
    ],
)
def test_a_district_the_gazetteer_knows(text: str, parse: Callable[[str], Doc]) -> None:
    district = _mention(find_places(parse(text)), "Yarmouk").place
    assert district.location == "Damascus - Yarmouk"
    assert (district.geo_precision, district.geonameid, district.admin1) == (1, 166716, "Damascus")


def test_a_list_of_provinces_that_lost_its_commas(parse: Callable[[str], Doc]) -> None:
    # The tagger reads "Tartous Homs" as a person's name; a real person stays no place.
    mentions = find_places(
        parse("Car bombs struck Tartous Homs and Hasakeh on Monday, killing 20.")
    )
    assert [m.place.admin1 for m in mentions] == ["Tartous", "Homs", "Al-Hasakeh"]
    assert [m.span.text for m in find_places(parse("Gunmen shot Hassan Homsi in Idlib."))] == [
        "Idlib"
    ]


def test_a_capital_acting_for_its_government_is_not_a_place(parse: Callable[[str], Doc]) -> None:
    text = "Rebels in Ankara's offensive took Azaz; others joined Ankaras operation near Afrin."
    assert [m.span.text for m in find_places(parse(text))] == ["Azaz", "Afrin"]
    # An offensive on a city names the city.
    text = "Rebels fought in the Aleppo offensive, with Moscow saying it would help."
    assert [m.span.text for m in find_places(parse(text))] == ["Aleppo"]


def test_a_seat_of_government_as_the_subject_of_a_states_act(parse: Callable[[str], Doc]) -> None:
    text = "Ankara sent tanks to Azaz, and Moscow announced that its jets had struck Idlib."
    assert [m.span.text for m in find_places(parse(text))] == ["Azaz", "Idlib"]
    # A place that is the object of a preposition, or that saw fighting, stays a place.
    text = "Air strikes east of Damascus killed ten people, and Aleppo saw heavy fighting."
    assert [m.span.text for m in find_places(parse(text))] == ["Damascus", "Aleppo"]


def test_a_name_opening_with_a_known_word_and_a_loose_article(parse: Callable[[str], Doc]) -> None:
    # "Tal" (a hill) alone is a town near Damascus; "Tal Al Zuhour" is a name of its own.
    mentions = find_places(parse("Fighters were killed in Tal Al Zuhour near Aleppo on Monday."))
    assert [(m.span.text, m.place.admin1) for m in mentions] == [
        ("Tal Al Zuhour", "Aleppo"),
        ("Aleppo", "Aleppo"),
    ]


def test_names_in_brackets_only_locate_the_town_before_them(parse: Callable[[str], Doc]) -> None:
    text = "Clashes broke out near Hajin (Abu Kamal, Deir-ez-Zor) on Monday."
    mentions = find_places(parse(text))
    hajin = _mention(mentions, "Hajin")
    assert (hajin.place.geo_precision, hajin.locates_another) == (2, False)
    assert _mention(mentions, "Abu Kamal").locates_another


def test_an_unknown_district_in_brackets_does_not_hide_the_province(
    parse: Callable[[str], Doc],
) -> None:
    text = "A drone struck a car near Atarib (Zqarbeel district, Aleppo) on Monday."
    mentions = find_places(parse(text))
    assert _mention(mentions, "Aleppo").locates_another
    assert not _mention(mentions, "Atarib").locates_another


def test_a_hamlet_far_from_the_reports_towns_is_not_taken_for_their_namesake(
    parse: Callable[[str], Doc],
) -> None:
    """Common names recur: a hamlet of that name in a province the report never names,
    far from every town it does name, is not what the report means."""
    far = "Jets struck Aleppo and Azaz on Monday. Later, fighters were killed in Al Mansoura."
    assert [m.span.text for m in find_places(parse(far))] == ["Aleppo", "Azaz"]
    near = "Jets struck Raqqa and Tabqa on Monday. Later, fighters were killed in Al Mansoura."
    place = _mention(find_places(parse(near)), "Al Mansoura").place
    assert place.resolved and place.admin1 == "Ar-Raqqa"


def test_a_name_shared_with_a_big_city_abroad_stays_in_the_monitored_country(
    parse: Callable[[str], Doc],
) -> None:
    """ "Samarra" is also spelled like Samara, Russia (seven times bigger): a report whose
    only place it is still happens in Iraq."""
    text = "Gunmen attacked an army checkpoint near Samarra on Monday, killing two soldiers."
    place = _mention(find_places(parse(text)), "Samarra").place
    assert place.country == "Iraq" and place.geo_precision == 2


@pytest.mark.parametrize(
    "text",
    [
        "Artillery shelled farms in the area of Tall Tamr on Sunday.",
        "Artillery shelled farms in the Tall Tamr area on Sunday.",
        "Artillery shelled farms near the village of Tall Tamr on Sunday.",
    ],
)
def test_the_area_of_a_town_is_near_it(text: str, parse: Callable[[str], Doc]) -> None:
    """ACLED codes an event "in the area of" a town, like one near it, at precision 2."""
    place = _mention(find_places(parse(text)), "Tall Tamr").place
    assert (place.admin1, place.geo_precision) == ("Al-Hasakeh", 2)


@pytest.mark.parametrize(
    "text",
    [
        "Buses left for the evacuation of Tall Tamr.",
        "A jet struck a residential area of Tall Tamr.",  # a part of the town itself
    ],
)
def test_a_name_after_of_keeps_its_precision(text: str, parse: Callable[[str], Doc]) -> None:
    assert _mention(find_places(parse(text)), "Tall Tamr").place.geo_precision == 1


@pytest.mark.parametrize(
    "text",
    [
        "Rebel commanders signed an agreement with Iran on Monday to leave Zabadani.",
        "Kurdish officials held talks with Turkey about the evacuation of Zabadani.",
    ],
)
def test_a_country_dealt_with_is_not_where_the_deal_happens(
    text: str, parse: Callable[[str], Doc]
) -> None:
    """The counterpart of a deal or of talks is a party, not a place, and no evidence of the
    report's country: the town the deal is about stays in Syria."""
    mentions = find_places(parse(text))
    assert [(m.span.text, m.place.admin1) for m in mentions] == [("Zabadani", "Rural Damascus")]


@pytest.mark.parametrize(
    "text",
    [
        "Rebel commanders reached a deal with Turkey and Russia to leave Zabadani.",
        "Rebel commanders held talks with Iran, Turkey and Russia about Zabadani.",
    ],
)
def test_every_country_of_a_list_of_counterparts_is_a_party(
    text: str, parse: Callable[[str], Doc]
) -> None:
    mentions = find_places(parse(text))
    assert [(m.span.text, m.place.admin1) for m in mentions] == [("Zabadani", "Rural Damascus")]


def test_places_listed_after_a_government_speaking_stay_places(
    parse: Callable[[str], Doc],
) -> None:
    text = "Ankara says Azaz and Afrin were shelled."
    assert [m.span.text for m in find_places(parse(text))] == ["Azaz", "Afrin"]


def test_a_country_where_talks_are_held_is_a_place(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(parse("Rebel envoys held talks in Turkey on Monday."))
    assert [(m.span.text, m.place.country) for m in mentions] == [("Turkey", "Turkey")]


def test_a_town_name_opening_a_longer_name_does_not_stand_for_it(
    parse: Callable[[str], Doc],
) -> None:
    """ "Bab" alone is Al Bab (Aleppo); "Touma" names only small towns in Japan and Russia,
    no place a report about Syria could name beside it: "Bab Touma" is one name, a quarter
    the gazetteer lacks, coded to the city it is said to be part of."""
    text = "A shell struck the Bab Touma quarter of Damascus, wounding three."
    mentions = find_places(parse(text))
    assert [(m.span.text, m.place.location, m.place.admin1) for m in mentions] == [
        ("Bab Touma", "Damascus", "Damascus"),
        ("Damascus", "Damascus", "Damascus"),
    ]
    assert all(m.place.location != "Al Bab" for m in find_places(parse("Shots hit Bab Touma.")))


def test_places_of_one_country_side_by_side_stay_two(parse: Callable[[str], Doc]) -> None:
    text = "Jets struck Raqqa Deir ez-Zor and Homs overnight."
    assert [m.place.admin1 for m in find_places(parse(text))] == [
        "Ar-Raqqa",
        "Deir-ez-Zor",
        "Homs",
    ]


def test_an_auxiliary_in_a_headline_does_not_extend_a_country(parse: Callable[[str], Doc]) -> None:
    text = "Rebels Say Any Truce In Syria Should Hold"
    assert [(m.span.text, m.place.country) for m in find_places(parse(text))] == [
        ("Syria", "Syria")
    ]


def test_an_unknown_name_tagged_with_its_article_is_the_name_alone(
    parse: Callable[[str], Doc],
) -> None:
    mentions = find_places(parse("Gunmen crossed the Khabour River at night."))
    assert [(m.span.text, m.place.raw_name) for m in mentions] == [
        ("Khabour River", "Khabour River")
    ]


def test_an_unknown_village_near_a_town_in_brackets_is_near_that_town(
    parse: Callable[[str], Doc],
) -> None:
    """ "near X (Y, Z)": the event is near X, which the gazetteer lacks, in district Y; it
    is coded to Y at precision 2, and Y does not compete as the event's own place."""
    text = "A roadside bomb hit an army patrol near Zuwaybiya (Khanaqin, Diyala) on Monday."
    mentions = find_places(parse(text))
    village = _mention(mentions, "Zuwaybiya")
    assert (village.place.location, village.place.geo_precision) == ("Khanaqin", 2)
    assert not village.locates_another
    assert _mention(mentions, "Khanaqin").locates_another


@pytest.mark.parametrize(
    ("text", "name", "admin1", "country"),
    [
        ("Shelling killed two civilians in Hayyan, north of Aleppo.", "Hayyan", "Aleppo", "Syria"),
        (
            "Gunmen fired on a checkpoint in Dora, southern Baghdad, on Tuesday.",
            "Dora",
            "Baghdad",
            "Iraq",
        ),
    ],
)
def test_a_village_of_the_full_gazetteer_beats_small_namesakes_abroad(
    text: str, name: str, admin1: str, country: str, parse: Callable[[str], Doc]
) -> None:
    """cities500 knew these villages only as small towns in China and the United States;
    the shipped Syria and Iraq gazetteer has them, so they are coded to themselves."""
    place = _mention(find_places(parse(text)), name).place
    assert (place.admin1, place.country) == (admin1, country)
    assert place.geo_precision == 1 and not place.approximate


def test_a_village_in_rural_province_is_placed_by_it(parse: Callable[[str], Doc]) -> None:
    """ "rural X" is X's countryside (precision 2), and it says where a village before it is,
    as "in X" would; "Rural Damascus" stays the province of that name."""
    mentions = find_places(parse("Shelling hit Zuwaybiya in rural Aleppo on Monday."))
    village = _mention(mentions, "Zuwaybiya").place
    assert (village.location, village.admin1, village.geo_precision) == ("Aleppo", "Aleppo", 2)
    assert _mention(mentions, "Aleppo").place.geo_precision == 2
    mentions = find_places(parse("Shelling hit Zuwaybiya in rural Damascus on Monday."))
    village = _mention(mentions, "Zuwaybiya").place
    assert (village.admin1, village.geo_precision) == ("Rural Damascus", 3)


def test_a_loose_article_binds_two_town_names_into_one(parse: Callable[[str], Doc]) -> None:
    """ "Busra al Kut" is one village's name, as "Busra al-Kut" would be: neither Basra nor
    Kut, two Iraqi cities, in a report about Daraa."""
    mentions = find_places(parse("Regime artillery shelled Busra al Kut and Daraa on Monday."))
    assert [(m.span.text, m.place.country) for m in mentions] == [("Daraa", "Syria")]


def test_towns_outweigh_a_country_named_once(parse: Callable[[str], Doc]) -> None:
    """A country is named as an actor as often as a place: two Syrian towns make the
    report Syrian though it names Russia, so the small towns are kept."""
    mentions = find_places(parse("Jets from Russia struck Hreitan and Tall Rifaat on Monday."))
    assert [(m.span.text, m.place.admin1) for m in mentions[1:]] == [
        ("Hreitan", "Aleppo"),
        ("Tall Rifaat", "Aleppo"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Monday report: Civilians Killed in Coalition Attacks in Eastern Syria",
        "Monday report: Arms Supplies to Daesh Stubborn Syrian Army Encircles Daesh in Homs",
    ],
)
def test_headline_words_before_a_place_are_no_village_in_it(
    text: str, parse: Callable[[str], Doc]
) -> None:
    """A bare English word whose only namesakes are implausible ("Attacks"), or a run of
    capitalised words most of which are English or nationality words, is a headline, not a
    village the text places in the province after it."""
    names = [m.span.text for m in find_places(parse(text))]
    assert names in (["Eastern Syria"], ["Homs"])


def test_an_english_word_with_an_article_stays_a_city_part(parse: Callable[[str], Doc]) -> None:
    mentions = find_places(parse("Shells fell on the al-Meridian district of Aleppo."))
    assert _mention(mentions, "al-Meridian").place.location == "Aleppo"
