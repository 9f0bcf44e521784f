"""Every ACLED sub-event type can be produced, each from a sentence an analyst would code so."""

from __future__ import annotations

import pytest

from sitrep.events._lexicon import trigger_lexicon
from sitrep.models import EVENT_TYPES

pytestmark = pytest.mark.slow

#: (sentence, event_type, sub_event_type) written for these tests.
CASES = [
    (
        "Syrian government forces recaptured the town of Morek from rebels on Monday.",
        "Battles",
        "Government regains territory",
    ),
    (
        "Islamic State fighters seized the village of Tal Hamis on Monday.",
        "Battles",
        "Non-state actor overtakes territory",
    ),
    (
        "Free Syrian Army units clashed with Islamic State near Azaz on Monday.",
        "Battles",
        "Armed clash",
    ),
    (
        "Security forces opened fire on protesters in Basra on Friday, killing two demonstrators.",
        "Protests",
        "Excessive force against protesters",
    ),
    (
        "Police fired tear gas to disperse hundreds of protesters in Basra on Friday.",
        "Protests",
        "Protest with intervention",
    ),
    (
        "Hundreds of residents protested in Sweida on Friday against rising prices.",
        "Protests",
        "Peaceful protest",
    ),
    (
        "Rioters hurled stones at the governor's office in Daraa on Sunday.",
        "Riots",
        "Violent demonstration",
    ),
    (
        "An angry mob beat a man accused of theft in a market of Homs on Sunday.",
        "Riots",
        "Mob violence",
    ),
    (
        "Government helicopters dropped chlorine on Kafr Zita on Monday, killing two people.",
        "Explosions/Remote violence",
        "Chemical weapon",
    ),
    (
        "Russian warplanes carried out an air strike on Ariha on Tuesday.",
        "Explosions/Remote violence",
        "Air/drone strike",
    ),
    (
        "A suicide bomber blew himself up at a checkpoint in Azaz on Sunday, killing four.",
        "Explosions/Remote violence",
        "Suicide bomb",
    ),
    (
        "Government forces shelled Douma on Tuesday.",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (
        "A roadside bomb exploded near a patrol in Tarmiyah on Saturday.",
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (
        "An unknown attacker threw a grenade into a shop in Raqqa on Sunday.",
        "Explosions/Remote violence",
        "Grenade",
    ),
    (
        "Militiamen raped two women in a village near Hama on Monday.",
        "Violence against civilians",
        "Sexual violence",
    ),
    (
        "Gunmen shot dead three farmers in a village near Muqdadiya on Tuesday.",
        "Violence against civilians",
        "Attack",
    ),
    (
        "Unidentified gunmen abducted a teacher in Tafas on Monday.",
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (
        "Russian officers and rebel commanders signed a ceasefire agreement in Busra on Friday.",
        "Strategic developments",
        "Agreement",
    ),
    ("Police arrested five activists in Damascus on Monday.", "Strategic developments", "Arrests"),
    (
        "Twelve soldiers defected from the army near Zabadani on Monday.",
        "Strategic developments",
        "Change to group/activity",
    ),
    (
        "Army engineers defused a car bomb in Azaz on Monday.",
        "Strategic developments",
        "Disrupted weapons use",
    ),
    (
        "Turkish forces established a base near Atareb on Monday.",
        "Strategic developments",
        "Headquarters or base established",
    ),
    (
        "Militiamen looted shops in Afrin on Sunday.",
        "Strategic developments",
        "Looting/property destruction",
    ),
    (
        "Rebels handed over the town of Busra to government forces on Friday.",
        "Strategic developments",
        "Non-violent transfer of territory",
    ),
    ("Government forces imposed a siege on Madaya on Monday.", "Strategic developments", "Other"),
]


def test_the_cases_cover_the_whole_taxonomy() -> None:
    covered = {(event_type, sub) for _, event_type, sub in CASES}
    assert covered == {(t, s) for t, subs in EVENT_TYPES.items() for s in subs}


def test_the_lexicon_names_only_acled_types() -> None:
    for entry in trigger_lexicon().triggers:
        assert entry.sub_event_type in EVENT_TYPES[entry.event_type]


@pytest.mark.parametrize(
    ("sentence", "event_type", "sub_event_type"), CASES, ids=[c[2] for c in CASES]
)
def test_one_sentence_one_event_of_its_type(
    code, sentence: str, event_type: str, sub_event_type: str
) -> None:
    events = code(sentence)
    assert [(e.event_type, e.sub_event_type) for e in events] == [(event_type, sub_event_type)]
    event = events[0]
    assert event.evidence["sub_event_type"].spans
    assert all(
        span.text == sentence[span.start : span.end] for span in event.evidence["event_type"].spans
    )
    assert event.notes.endswith(".")


@pytest.mark.parametrize(
    ("sentence", "method"),
    [
        ("Government helicopters dropped bombs on Douma on Monday, killing five.", "air strike"),
        ("The bombing by Syrian warplanes killed five people in Douma.", "air strike"),
        ("A bomb planted in a market in Douma killed five people on Monday.", "explosive device"),
    ],
)
def test_a_bomb_word_is_an_air_strike_only_when_aircraft_carried_it(
    code, sentence: str, method: str
) -> None:
    [event] = code(sentence)
    assert event.attack_method == method


def test_a_later_telling_names_the_weapon_more_precisely(code) -> None:
    [event] = code(
        "An explosion killed nine people in a market in Douma on Tuesday. "
        "A car bomb left by the gate had caused the explosion."
    )
    assert (event.sub_event_type, event.attack_method) == (
        "Remote explosive/landmine/IED",
        "car bomb",
    )


@pytest.mark.parametrize(
    ("sentence", "method"),
    [
        (
            (
                "Government forces killed 40 Islamic State fighters, including three suicide "
                "bombers, near Palmyra on Monday."
            ),
            None,
        ),
        ("Police shot dead two suicide bombers at a checkpoint in Homs on Friday.", "firearms"),
        ("A suicide bomber killed five people at a checkpoint in Homs on Friday.", "suicide bomb"),
        (
            (
                "Rebels attacked an army post in Hama on Monday, killing six soldiers and "
                "destroying two tanks and their mortar shells."
            ),
            None,
        ),
    ],
)
def test_a_weapon_acted_upon_is_a_thing_not_the_method(code, sentence: str, method: str) -> None:
    [event] = code(sentence)
    assert event.attack_method == method


def test_a_bomb_word_gives_way_to_the_weapon_its_sentence_names(code) -> None:
    [event] = code("Government bombing and air strikes killed seven civilians in Douma on Monday.")
    assert (event.sub_event_type, event.attack_method) == ("Air/drone strike", "air strike")


def test_a_passive_verb_has_no_object_to_act_upon(code) -> None:
    # The parser may read "bombings" as the object of "were killed"; it is how they died.
    [event] = code(
        "Twelve fighters have been killed over two days in clashes suicide bombings and air "
        "strikes in Azaz."
    )
    assert event.attack_method == "suicide bomb"


@pytest.mark.parametrize(
    ("sentence", "event_type", "method"),
    [
        (
            "Gunmen killed three farmers near Hawija on Monday.",
            "Violence against civilians",
            "firearms",
        ),
        ("A sniper killed two Islamic State fighters near Azaz on Monday.", "Battles", "firearms"),
        ("Rebels killed two gunmen near Azaz on Monday.", "Battles", None),
    ],
)
def test_gunmen_and_snipers_use_firearms(code, sentence: str, event_type: str, method: str) -> None:
    [event] = code(sentence)
    assert (event.event_type, event.attack_method) == (event_type, method)


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        ("Police seized a cache of weapons in Hit on Monday.", "Disrupted weapons use"),
        ("Rebels seized the village of Hit on Monday.", "Non-state actor overtakes territory"),
        ("Militants blew up a shrine in Mosul on Thursday.", "Looting/property destruction"),
        (
            "Turkish troops set up an observation post near Morek on Monday.",
            "Headquarters or base established",
        ),
    ],
)
def test_a_verb_bound_to_its_objects_codes_only_what_it_acts_on(
    code, sentence: str, sub_event_type: str
) -> None:
    assert code(sentence)[0].sub_event_type == sub_event_type


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        ("Syrian warplanes fired missiles at Ariha on Monday.", "Air/drone strike"),
        ("Rebels fired missiles at Ariha on Monday.", "Shelling/artillery/missile attack"),
    ],
)
def test_missiles_fired_from_aircraft_are_an_air_strike(
    code, sentence: str, sub_event_type: str
) -> None:
    [event] = code(sentence)
    assert event.sub_event_type == sub_event_type


def test_a_toll_written_as_fatalities_counts(code) -> None:
    [event] = code("Government artillery shelled Nawa on Monday. 3 fatalities.")
    assert (event.sub_event_type, event.fatalities) == ("Shelling/artillery/missile attack", 3)


@pytest.mark.parametrize(
    ("sentence", "event_type"),
    [
        (
            "Gunmen shot dead a former rebel commander in Inkhil on Monday.",
            "Violence against civilians",
        ),
        ("Gunmen shot dead a rebel commander in Inkhil on Monday.", "Battles"),
    ],
)
def test_a_former_fighter_is_a_civilian(code, sentence: str, event_type: str) -> None:
    assert code(sentence)[0].event_type == event_type


@pytest.mark.parametrize(
    "victim", ["a political analyst", "a university professor", "a local businessman"]
)
def test_people_named_by_their_profession_are_civilians(code, victim: str) -> None:
    [event] = code(f"Gunmen assassinated {victim} outside his home in Douma on Monday.")
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")
    assert event.fatalities == 1


@pytest.mark.parametrize(
    ("sentence", "coded"),
    [
        (
            "Demonstrators stormed the governor's office in Kut on Monday.",
            ("Riots", "Violent demonstration"),
        ),
        (
            "Police shot dead two demonstrators in Kut on Monday.",
            ("Protests", "Excessive force against protesters"),
        ),
        ("A crowd lynched a man accused of theft in Kut on Monday.", ("Riots", "Mob violence")),
        (
            "Demonstrators set fire to the party's offices in Kut on Monday.",
            ("Riots", "Violent demonstration"),
        ),
        (
            "Residents protested in Kut on Monday and torched the town hall.",
            ("Riots", "Violent demonstration"),
        ),
    ],
)
def test_demonstrators_who_use_force_riot(code, sentence: str, coded: tuple[str, str]) -> None:
    events = code(sentence)
    assert [(e.event_type, e.sub_event_type) for e in events] == [coded]


def test_property_others_destroy_is_no_riot_of_the_demonstrators(code) -> None:
    events = code("Residents protested in Kut on Monday after Militiamen looted the market.")
    assert [e.sub_event_type for e in events] == [
        "Peaceful protest",
        "Looting/property destruction",
    ]


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        (
            "Rebel factions took full control of the town of Kafr Zita on Monday.",
            "Non-state actor overtakes territory",
        ),
        (
            "Syrian government forces regained full control of the town of Morek on Monday.",
            "Government regains territory",
        ),
    ],
)
def test_an_adjective_inside_a_trigger_phrase_does_not_break_it(
    code, sentence: str, sub_event_type: str
) -> None:
    [event] = code(sentence)
    assert event.sub_event_type == sub_event_type
    assert event.evidence["sub_event_type"].spans[0].text.endswith("control")


def test_a_handover_told_with_its_deployment_and_deal_is_one_transfer(code) -> None:
    """The troops' movement and the deal behind it are how the territory changed hands."""
    [event] = code(
        "Syrian government forces entered Douma on Monday under an agreement with Rebels, "
        "without any fighting."
    )
    assert event.sub_event_type == "Non-violent transfer of territory"
    assert event.actor1 is not None and event.actor2 is not None
    assert (event.actor1.name, event.actor2.name) == (
        "Military Forces of Syria (2000-)",
        "Opposition Rebels (Syria)",
    )


def test_a_handover_with_a_deployment_stays_in_a_report_of_fighting(code) -> None:
    events = code(
        "Rebels shelled Mayadin on Monday. Syrian government forces deployed in Douma "
        "under an agreement with Rebels, without any fighting."
    )
    assert "Non-violent transfer of territory" in [e.sub_event_type for e in events]


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        (
            "A fuel tanker rigged with explosives blew up in the market of Azaz on Monday.",
            "Remote explosive/landmine/IED",
        ),
        (
            "IS militants blew up the monastery of Mar Elian near Qaryatayn on Monday.",
            "Looting/property destruction",
        ),
    ],
)
def test_what_blew_up_decides_the_event(code, sentence: str, sub_event_type: str) -> None:
    assert [e.sub_event_type for e in code(sentence)] == [sub_event_type]


@pytest.mark.parametrize(
    "sentence",
    [
        "Students protested in Basra on Friday over the killing of a classmate.",
        (
            "Gunmen shot dead a teacher in Basra on Thursday. His killing sparked protests in "
            "the city on Friday."
        ),
    ],
)
def test_what_a_protest_is_about_is_not_force_against_it(code, sentence: str) -> None:
    protests = [e for e in code(sentence) if e.event_type == "Protests"]
    assert [e.sub_event_type for e in protests] == ["Peaceful protest"]


def test_force_against_protesters_is_still_read(code) -> None:
    events = code("Security forces opened fire on protesters in Basra on Friday, killing three.")
    assert [e.sub_event_type for e in events] == ["Excessive force against protesters"]


def test_unarmed_people_who_kill_are_a_mob(code) -> None:
    [event] = code("Residents of Azaz caught a thief on Monday and beat him to death.")
    assert (event.event_type, event.sub_event_type, event.fatalities) == (
        "Riots",
        "Mob violence",
        1,
    )
    assert event.actor1 is not None and event.actor1.inter == 5
