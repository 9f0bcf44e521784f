"""The actor dictionary's data files and the generic actors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy
from pydantic import ValidationError

import sitrep
import sitrep.actors
from sitrep.actors import (
    ActorDictionary,
    ActorEntry,
    find_actors,
    generic_actor,
    load_dictionary,
    named_for_date,
    named_for_event,
    naming_flag,
)
from sitrep.errors import LexiconError
from sitrep.models import Actor, Place


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.actors.__all__) == [
        "ActorDictionary",
        "ActorEntry",
        "ActorMatchers",
        "UNLISTED_RULE",
        "actor_matchers",
        "find_actors",
        "generic_actor",
        "load_dictionary",
        "named_for_date",
        "named_for_event",
        "naming_flag",
    ]
    assert all(hasattr(sitrep.actors, name) for name in sitrep.actors.__all__)


@pytest.mark.parametrize(
    ("kind", "country", "name", "inter"),
    [
        ("civilians", "Syria", "Civilians (Syria)", 7),
        ("unidentified armed group", "Iraq", "Unidentified Armed Group (Iraq)", 3),
        ("protesters", "Syria", "Protesters (Syria)", 6),
        ("rioters", "Iraq", "Rioters (Iraq)", 5),
        ("civilians", None, "Civilians", 7),
    ],
)
def test_generic_actor(kind: str, country: str | None, name: str, inter: int) -> None:
    actor = generic_actor(kind, country)
    assert (actor.name, actor.inter, actor.country) == (name, inter, country)


def test_unknown_generic_kind_is_a_lexicon_error() -> None:
    with pytest.raises(LexiconError, match="unknown generic actor kind 'soldiers'"):
        generic_actor("soldiers", "Syria")


REQUIRED = {
    "Military Forces of Syria (2000-)": 1,
    "Military Forces of Russia (2000-)": 1,
    "Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps": 1,
    "Military Forces of Turkey (2016-)": 1,
    "Military Forces of the United States (2017-2021)": 1,
    "Military Forces of Israel (2009-)": 1,
    "Military Forces of Jordan (1999-)": 1,
    "Global Coalition Against Daesh": 8,
    "HTS: Hayat Tahrir al Sham": 2,
    "QSD: Syrian Democratic Forces": 2,
    "YPG: Peoples Protection Units": 2,
    "PMF: Popular Mobilization Forces": 3,
    "QDW: National Defense Forces": 3,
    "Hezbollah": 3,
}


def test_the_main_actors_of_the_wars_are_in_the_dictionary() -> None:
    dictionary = load_dictionary()
    names = {e.name_in("Syria"): e.inter for e in dictionary.actors}
    names |= {e.name_in("Iraq"): e.inter for e in dictionary.actors}
    for name, inter in REQUIRED.items():
        assert names.get(name) == inter, name
    assert {"Islamic State (Syria)", "Islamic State (Iraq)"} <= set(names)


def test_every_state_force_has_a_nationality_to_name_it() -> None:
    dictionary = load_dictionary()
    countries = {c.country for c in dictionary.countries}
    for entry in dictionary.actors:
        if entry.state:
            assert entry.country in countries, entry.id


def test_an_actor_needs_exactly_one_kind_of_name() -> None:
    with pytest.raises(ValidationError, match="exactly one of `name` or `names`"):
        ActorEntry(id="x", inter=2, name="X", names={"Syria": "X (Syria)"})
    with pytest.raises(ValidationError, match="exactly one of `name` or `names`"):
        ActorEntry(id="x", inter=2)


def test_country_dependent_names_follow_the_country_and_fall_back_only_without_one() -> None:
    # Issue 13: a group named after the event's country is never named after another one.
    entry = load_dictionary().by_id("islamic_state")
    assert entry.actor("Iraq").name == "Islamic State (Iraq)"
    assert entry.actor("Iraq").country == "Iraq"
    assert entry.actor("Lebanon").name == "Islamic State (Lebanon)"
    assert entry.actor("Kenya").country == "Kenya"
    assert entry.name_in(None) == "Islamic State (Syria)"
    assert naming_flag(Actor(name="Islamic State (Kenya)", inter=2)) is None


def _expected_entry(alias: str, country: str) -> ActorEntry:
    """The entry an alias should resolve to in `country`: active there, else the first."""
    listing = [
        e
        for e in load_dictionary().actors
        if alias.lower() in {a.lower() for a in (*e.aliases, *e.abbreviations)}
    ]
    return next((e for e in listing if country in e.active_in), listing[0])


def _alias_cases() -> list[tuple[str, str]]:
    cases = []
    for entry in load_dictionary().actors:
        for alias in (*entry.aliases, *entry.abbreviations):
            cases.append((alias, entry.active_in[0] if entry.active_in else "Syria"))
    return cases


def test_every_alias_of_the_dictionary_is_found_whole_and_resolved() -> None:
    # The data files as a whole: each name alone is read as one mention of its actor.
    blank = spacy.blank("en")
    failures = []
    for alias, country in _alias_cases():
        mentions = find_actors(blank(alias), country=country)
        expected = _expected_entry(alias, country).name_in(country)
        got = [(m.span.text, m.actor.name) for m in mentions]
        if got != [(alias, expected)]:
            failures.append(f"{alias!r} in {country}: {got}")
    assert not failures, "\n".join(failures)


def test_every_unit_resolves_to_its_force_with_the_unit_associated() -> None:
    blank = spacy.blank("en")
    for entry in load_dictionary().actors:
        for unit, phrases in entry.units.items():
            for phrase in phrases:
                mentions = find_actors(blank(phrase), country=entry.country)
                assert [(m.span.text, m.actor.name, m.actor.associated) for m in mentions] == [
                    (phrase, entry.name_in(entry.country), [unit])
                ], phrase


IRAQ_ARMY = "Military Forces of Iraq (2014-2018)"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2019, 6, 12), "Military Forces of Iraq (2018-2020)"),
        (date(2018, 10, 24), "Military Forces of Iraq (2014-2018)"),
        (date(2018, 10, 25), "Military Forces of Iraq (2018-2020)"),
        (date(2023, 1, 5), "Military Forces of Iraq (2022-)"),
        # Before the oldest period listed: the oldest name.
        (date(2004, 1, 1), "Military Forces of Iraq (2006-2014)"),
        # Undated: the name the dictionary gives.
        (None, IRAQ_ARMY),
    ],
)
def test_state_forces_are_named_for_the_government_period_of_the_day(
    day: date | None, name: str
) -> None:
    actor = load_dictionary().by_id("iraq_military").actor("Iraq")
    assert actor.name == IRAQ_ARMY
    dated = named_for_date(actor, day)
    assert (dated.name, dated.inter, dated.country) == (name, actor.inter, actor.country)


def test_actors_named_the_same_in_every_period_keep_their_name() -> None:
    syria = load_dictionary().by_id("syria_military").actor("Syria")
    assert named_for_date(syria, date(2019, 6, 12)) == syria
    civilians = generic_actor("civilians", "Iraq")
    assert named_for_date(civilians, date(2019, 6, 12)) == civilians


def test_periods_go_oldest_first_and_include_the_name() -> None:
    base = {"id": "x", "inter": 1, "name": "Forces of X (2010-2015)"}
    ordered = [
        {"since": "2010-01-01", "name": "Forces of X (2010-2015)"},
        {"since": "2015-01-01", "name": "Forces of X (2015-)"},
    ]
    entry = ActorEntry.model_validate({**base, "periods": ordered})
    assert entry.name_on(date(2016, 1, 1)) == "Forces of X (2015-)"
    with pytest.raises(ValidationError, match="oldest first"):
        ActorEntry.model_validate({**base, "periods": ordered[::-1]})
    with pytest.raises(ValidationError, match="include its `name`"):
        ActorEntry.model_validate({**base, "periods": ordered[1:]})


def test_our_2020_iraq_example_names_the_army_of_its_period() -> None:
    report = json.loads(
        (Path(__file__).parents[2] / "examples/reports/two_incidents_kirkuk_diyala.json").read_text(
            "utf-8"
        )
    )
    events = sitrep.extract(report["text"], date=report["date"], title=report["title"])
    bombing = next(e for e in events if e.sub_event_type == "Remote explosive/landmine/IED")
    assert bombing.actor2 is not None
    assert bombing.actor2.name == "Military Forces of Iraq (2018-2020)"
    assert "Military Forces of Iraq (2018-2020)" in bombing.notes


# Issue 13: every country's forces by period, dated conventions, names the dictionary lacks.


def _states() -> list[dict[str, object]]:
    from importlib import resources

    import yaml

    text = resources.files("sitrep.actors").joinpath("data", "states.yaml").read_text("utf-8")
    return list(yaml.safe_load(text)["states"])


def test_every_country_of_the_period_table_has_military_and_police_forces() -> None:
    dictionary = load_dictionary()
    adjectives = {c.country for c in dictionary.countries if c.adjectives}
    for state in _states():
        country = str(state["country"])
        military = dictionary.state_forces(country)
        police = dictionary.state_forces(country, police=True)
        assert military is not None and military.name.startswith("Military Forces of"), country
        assert police is not None and police.name.startswith("Police Forces of"), country
        # Without adjectives "Colombian soldiers" could not name them.
        assert country in adjectives, f"{country} lacks its adjectives in nationalities.yaml"


@pytest.mark.parametrize(
    ("name", "day", "expected"),
    [
        (
            "Military Forces of Pakistan (2024-)",
            date(2019, 1, 1),
            "Military Forces of Pakistan (2018-2022)",
        ),
        ("Police Forces of Kenya (2022-)", date(2008, 1, 2), "Police Forces of Kenya (2002-2013)"),
        # A named unit keeps its place after the period's name.
        (
            "Military Forces of Turkey (2016-) Gendarmerie",
            date(2015, 6, 1),
            "Military Forces of Turkey (2002-2016) Gendarmerie",
        ),
    ],
)
def test_state_forces_of_any_country_take_the_name_of_the_period(
    name: str, day: date, expected: str
) -> None:
    assert named_for_date(Actor(name=name, inter=1), day).name == expected


def test_the_pmf_is_a_unit_of_iraqs_forces_from_2018_with_its_groups_associated() -> None:
    before = named_for_date(Actor(name="Badr Organization", inter=3), date(2016, 5, 1))
    after = named_for_date(Actor(name="Badr Organization", inter=3), date(2019, 5, 1))
    pmf = named_for_date(Actor(name="PMF: Popular Mobilization Forces", inter=3), date(2019, 5, 1))
    assert (before.name, before.inter) == ("Badr Organization", 3)
    assert after.name == "Military Forces of Iraq (2018-2020) Popular Mobilization Forces"
    assert (after.inter, after.associated) == (1, ["Badr Organization"])
    assert pmf.name == after.name and pmf.associated == []


def _place(location: str, country: str = "Syria") -> Place:
    return Place(location=location, country=country, admin1="Al-Hasakeh")


def test_operation_peace_spring_holds_only_in_its_area_and_time() -> None:
    hamza = Actor(name="Hamza Division", inter=2)
    inside, rule = named_for_event(hamza, date(2019, 11, 1), _place("Ras al Ayn"))
    earlier, _ = named_for_event(hamza, date(2019, 10, 1), _place("Ras al Ayn"))
    elsewhere, _ = named_for_event(hamza, date(2019, 11, 1), _place("Afrin"))
    assert (inside.name, inside.associated, rule) == (
        "Operation Peace Spring",
        ["Hamza Division"],
        ["actor.operation-peace-spring"],
    )
    assert earlier.name == elsewhere.name == "Hamza Division"


@pytest.mark.parametrize(
    ("name", "flag"),
    [
        ("Civilians (Kenya)", None),
        ("Civilians", "country_unknown"),
        ("Military Forces", "country_unknown"),
        ("Military Forces of Iraq (2018-2020) Popular Mobilization Forces", None),
        ("Kurdistan Freedom Hawks", "actor_unlisted"),
    ],
)
def test_naming_flags_tell_a_missing_country_from_an_unlisted_name(
    name: str, flag: str | None
) -> None:
    assert naming_flag(Actor(name=name, inter=3)) == flag


def test_a_membership_or_operation_naming_an_unknown_actor_is_refused() -> None:
    raw = load_dictionary().model_dump()
    pmf = next(a for a in raw["actors"] if a["id"] == "pmf")
    pmf["part_of"] = [{**pmf["part_of"][0], "actor": "no_such_actor"}]
    with pytest.raises(ValidationError, match="part_of"):
        ActorDictionary.model_validate(raw)
    raw = load_dictionary().model_dump()
    raw["operations"][0]["actors"] = ["no_such_actor"]
    with pytest.raises(ValidationError, match="unknown actors"):
        ActorDictionary.model_validate(raw)
