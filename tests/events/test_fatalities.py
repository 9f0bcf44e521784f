"""Deaths are counted only from death expressions tied to an event, conservatively."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.events import death_counts
from sitrep.events._merge import sums_of_the_tolls_after
from sitrep.nlp import annotate

pytestmark = pytest.mark.slow

COUNTS = [
    ("The air strike hit the market, killing five people.", [5]),
    ("Five people were killed when the shell hit the market.", [5]),
    ("The car bomb left 12 dead and 40 wounded.", [12]),
    ("Gunmen opened fire, causing the death of five fighters.", [5]),
    ("The attack claimed the lives of 14 people.", [14]),
    ("The death toll rose to 30.", [30]),
    ("Dozens of people were killed in the raids.", [12]),
    ("Hundreds of people died in the siege.", [100]),
    ("Several civilians were killed in the shelling.", [3]),
    ("At least 70 people were killed.", [70]),
    ("More than 100 people were killed.", [100]),
    ("At least 20 to 30 people were killed.", [20]),
    ("Twenty-three people were killed.", [23]),
    ("Three civilians and two soldiers died in the blast.", [5]),
    ("A child was killed by sniper fire.", [1]),
    ("Later two more people were reported killed in the town.", [2]),
    ("Militiamen beat a shepherd to death near the well.", [1]),
    ("Two farmers were stabbed to death in their field.", [2]),
    ("The crowd lynched a teenager on the highway.", [1]),
    # never deaths: group sizes, the wounded, years, ages
    ("About 900 fighters are based in the province.", []),
    ("A group of 65 fighters decided to leave.", []),
    ("They dispatched a truck with nine fighters to scout the track.", []),
    ("The shelling wounded 40 people.", []),
    ("The town has been besieged since 2014.", []),
    ("A 12-year-old boy was among the wounded.", []),
    ("The war has killed more than 300,000 people.", []),
    # the dead and the wounded in one figure, or a wounded figure next to a toll
    ("State media said 49 fighters were killed and wounded in the fighting.", []),
    ("The bombers struck the market, killing and injuring dozens.", []),
    ('"Fifty-one dead and over 100 wounded," the source said.', [51]),
    ("Four villagers died and many more were hurt in the raid.", [4]),
    ("Death Toll in Syria Attack Rises to 11 44 Injured", [11]),
    ("At least 29 rebels were killed along with six jihadists, the monitor said.", [35]),
    # a date run into the count: the number next to the noun counts
    ("Tue Aug 9 2016 17 Civilians Killed in Coalition Raids Near Manbij", [17]),
    ("Published 14 March 2016 Civilian massacre near the river", []),
    ("Twelve soldiers were killed in the ambush of 3 May.", [12]),
    # a part named with the dead is in their figure, however the parser attaches it
    ("At least 14 villagers among them four children were killed on Friday.", [14]),
    ("The blast killed 30 soldiers, among them five officers.", [30]),
    ("Gunmen shot dead a teacher in the town on Thursday.", [1]),
    # a person named by a pronoun is one dead
    ("Villagers caught the thief and beat him to death.", [1]),
    ("She was killed by a sniper near the bakery.", [1]),
    # people named by their work are counted like other civilians
    ("A water company engineer was killed when the shell hit his car.", [1]),
    ("Gunmen shot dead a bank employee outside his home.", [1]),
    ("On 9 May 2021, gunmen on a motorcycle shot dead a prominent organiser in the city.", [1]),
    # an age describes the dead; two subjects the parser split are one count
    ("Shelling hit the camp, killing a 9-year-old boy.", [1]),
    ("Activists said 8 Iranian-backed militiamen and 2 army officers were killed.", [10]),
    # a figure the parser hangs on the participle ("three killed"), not one after it
    ("Rockets hit the market, leaving at least four killed and 25 wounded.", [4]),
    # a bare number the tagger reads as a date is still a toll
    ("A doctor told reporters the death toll from the raids was 45.", [45]),
    # unpunctuated text that makes the counted phrase the subject of a later verb
    (
        "Bombing raids on Idlib Sunday killed at least 23 people including women monitors said.",
        [23],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), COUNTS)
def test_counts(sentence: str, expected: list[int]) -> None:
    doc = annotate(sentence)
    assert [count.value for count in death_counts(doc[:])] == expected


def test_each_count_carries_its_words() -> None:
    sentence = "Syrian warplanes struck the town, killing at least 12 people and wounding 30."
    [count] = death_counts(annotate(sentence)[:])
    assert (count.value, count.span.text, count.death_word.text) == (12, "at least 12", "killing")


@pytest.mark.parametrize(
    "sentence",
    [
        "The death toll rose to 30 on Sunday.",
        "A rights group on Wednesday raised the toll of the bombing raids to 30.",
        "The monitor said that 30 people in total had died.",
    ],
)
def test_a_summary_total_is_marked_as_such(sentence: str) -> None:
    [count] = death_counts(annotate(sentence)[:])
    assert (count.value, count.is_total) == (30, True)


def test_a_figure_not_said_in_total_is_no_total() -> None:
    [count] = death_counts(annotate("In the town, 30 people died.")[:])
    assert not count.is_total


def test_a_death_verb_beside_a_total_word_is_no_total() -> None:
    sentence = "Rebels reached the outskirts of the town and killed three soldiers."
    [count] = death_counts(annotate(sentence)[:])
    assert (count.value, count.is_total) == (3, False)


def test_restated_counts_are_not_added(code) -> None:
    events = code(
        "A car bomb exploded in Douma on Tuesday, killing seven civilians. "
        "The blast killed seven people and wounded 25, medics said."
    )
    assert [e.fatalities for e in events] == [7]


def test_summary_total_overrides_the_first_count(code) -> None:
    events = code(
        "Government forces shelled Douma on Tuesday, killing five civilians. "
        "The death toll later rose to eight."
    )
    assert [e.fatalities for e in events] == [8]
    assert events[0].evidence["fatalities"].rule == "toll.summary-total"


def test_another_source_s_toll_is_no_later_total(code) -> None:
    events = code(
        "Suicide bombers struck a shrine near Damascus on Saturday, leaving at least 20 people "
        "dead. State media put the death toll at 12."
    )
    assert sum(e.fatalities for e in events) == 20
    [count] = death_counts(annotate("State media put the death toll at 12.")[:])
    assert not count.is_total


def test_a_toll_summing_up_several_incidents_is_not_counted_again(code) -> None:
    events = code(
        "Government forces shelled Douma on Tuesday, killing three civilians. "
        "Russian warplanes struck Harasta on Tuesday, killing two people. "
        "The death toll for the day rose to five."
    )
    assert [e.fatalities for e in events] == [3, 2]


@pytest.mark.parametrize(
    "sentence",
    [
        "Since Friday at least 52 villagers have died in bombing raids on the town.",
        "At least 120 people have been killed since the army began its offensive.",
        "Over the past two weeks 40 people were killed in the shelling.",
        "Over 500 civilians were killed in one week in the bombing campaign.",
    ],
)
def test_a_toll_over_days_is_marked_as_a_recap(sentence: str) -> None:
    assert [c.over_a_period for c in death_counts(annotate(sentence)[:])] == [True]


def test_a_toll_of_one_day_is_no_recap() -> None:
    [count] = death_counts(annotate("At least 70 fighters were killed in 24 hours.")[:])
    assert not count.over_a_period


@pytest.mark.parametrize(
    ("report", "toll"),
    [
        pytest.param(
            "Government forces shelled Douma on Tuesday, killing 11 civilians. "
            "Since Friday at least 52 villagers have died in bombing raids on the town.",
            11,
            id="a recap adds no deaths to the incident",
        ),
        pytest.param(
            "Government aircraft bombed Douma on Thursday, killing nine people. "
            "At least 60 civilians have been killed in the province since Sunday, the monitor "
            "said. The dead include 40 people killed in air strikes on Douma. "
            "Another 15 people died in shelling on Harasta. "
            "It reported five more deaths in sniper fire.",
            9,
            id="the breakdown of a recap adds no deaths",
        ),
        pytest.param(
            "Air strikes hit the market of Maarat al-Numan on Monday, with a first toll of 12 "
            "dead. This was later raised to 19, the monitor said.",
            19,
            id="a toll revised in the next sentence by a pronoun",
        ),
        pytest.param(
            "Clashes broke out near Tabqa on Sunday between government troops and IS. The army "
            "said 40 militants were killed, while the Observatory reported 17 dead on both sides.",
            17,
            id="where two sources give a figure together the lowest is coded",
        ),
        pytest.param(
            # pages print the title again over the story: its count comes first in the body
            "Troops execute six women in village raid\n\n"
            "Troops execute six women in village raid. "
            "Six women were among at least 31 people killed when government troops raided the "
            "village of Kafr Nabl on Tuesday, a monitoring group said.",
            31,
            id="a headline count that is a named part is not the toll",
        ),
    ],
)
def test_the_report_s_toll(code, report: str, toll: int) -> None:
    assert sum(e.fatalities for e in code(report)) == toll


def test_a_large_toll_told_again_is_one_incident(code) -> None:
    events = code(
        "Car bomb kills 60 in Damascus suburb on Friday. "
        "Residents said the town was crowded after prayers. "
        "Officials said the dead were mostly men. "
        "At least 60 people were killed in a car bomb explosion in the town of Rankus on Friday."
    )
    assert [e.fatalities for e in events] == [60]


def test_the_same_toll_of_two_kinds_of_violence_is_two_incidents(code) -> None:
    events = code(
        "Militiamen executed six young men in Aleppo on Friday. "
        "Residents said the town was crowded after prayers. "
        "Officials said the dead were mostly men. "
        "Six civilians were killed in air strikes on Atareb on Saturday.",
        published=date(2019, 5, 11),  # a Saturday: the air strikes came after the executions
    )
    assert sorted(e.fatalities for e in events) == [6, 6]


def test_a_vague_quantity_is_marked_as_such() -> None:
    vague = death_counts(annotate("Dozens of civilians were killed in the raids.")[:])
    figure = death_counts(annotate("Two dozen civilians were killed in the raids.")[:])
    assert [c.is_vague for c in vague + figure] == [True, False]


def test_a_vague_retelling_adds_nothing_to_a_figure(code) -> None:
    events = code(
        "Russian warplanes struck Douma on Tuesday, killing at least 20 civilians. "
        "Residents said the town was crowded. Officials blamed the government. "
        "Medics in the town said dozens were killed in the strikes."
    )
    assert sum(e.fatalities for e in events) == 20


def test_a_vague_quantity_counts_when_no_figure_is_given(code) -> None:
    events = code("Russian warplanes struck Douma on Tuesday, killing dozens of civilians.")
    assert [e.fatalities for e in events] == [12]


def test_two_sources_figures_for_one_incident_are_not_added(code) -> None:
    events = code(
        "Russian warplanes struck Douma on Tuesday, killing at least 40 people. "
        "Residents said the town was crowded. Officials blamed the government. "
        "Medics said 36 people were killed in the air strikes on Douma on Tuesday."
    )
    assert [e.fatalities for e in events] == [40]


def test_the_attack_that_kills_in_a_later_sentence_is_the_one_told(code) -> None:
    events = code(
        "A gas attack killed at least 41 people in the town of Kafr Zita on Monday. "
        "Jets dropped chlorine on the town, a medic told us; he added that the strike had "
        "left more than 35 dead."
    )
    assert sum(e.fatalities for e in events) == 41


def test_the_captured_are_not_counted_as_dead() -> None:
    doc = annotate("Army Kills 27 Nusra Militants Captured 8 in Rural Hama")
    assert [c.value for c in death_counts(doc[:])] != [8]


@pytest.mark.parametrize(
    ("tolls", "sums"),
    [
        ([5, 2, 3], {0}),
        ([0, 5, 0, 2, 3], {1}),
        ([5, 5], set()),  # the same toll told again is no sum of parts
        ([5, 2, 4], set()),
        ([45, 30, 39], set()),
        ([10, 6, 4, 7], {0}),
    ],
)
def test_a_round_up_lead_whose_incidents_follow_is_their_sum(
    tolls: list[int], sums: set[int]
) -> None:
    assert sums_of_the_tolls_after(tolls) == sums


def test_an_incident_recalled_from_earlier_in_the_week_is_not_coded_again(code) -> None:
    events = code(
        "Russian warplanes struck Douma on Thursday, killing 14 civilians. "
        "Residents said the town was crowded. "
        "Earlier this week a car bomb killed 30 people in Mayadin."
    )
    assert [e.fatalities for e in events] == [14]


def test_an_incident_dated_before_the_main_one_is_recalled(code) -> None:
    events = code(
        "Russian warplanes struck Douma on Thursday, killing 14 civilians. "
        "On Monday a car bomb killed 30 people in Mayadin."
    )
    assert [e.fatalities for e in events] == [14]


@pytest.mark.parametrize("opener", ["Separately,", "In a separate incident,", "Meanwhile"])
def test_an_earlier_incident_told_as_news_of_its_own_is_coded(code, opener: str) -> None:
    events = code(
        "Russian warplanes struck Douma on Thursday, killing 14 civilians. "
        f"{opener} a car bomb killed 30 people in Mayadin on Wednesday."
    )
    assert sorted(e.fatalities for e in events) == [14, 30]


def test_an_incident_dated_after_the_main_one_is_a_new_one(code) -> None:
    events = code(
        "Russian warplanes struck Douma on Monday, killing 14 civilians. "
        "On Thursday a car bomb killed 30 people in Mayadin."
    )
    assert sorted(e.fatalities for e in events) == [14, 30]


def test_the_main_incident_told_as_of_earlier_this_week_is_coded(code) -> None:
    events = code(
        "Government forces executed 48 villagers in Douma earlier this week. "
        "A car bomb killed 30 people in Mayadin earlier this week."
    )
    assert [e.fatalities for e in events] == [48]


def test_a_breakdown_told_as_one_count_keeps_its_parts() -> None:
    sentence = "Air strikes killed 40 soldiers and nine civilians in the town."
    [count] = death_counts(annotate(sentence)[:])
    assert (count.value, count.parts) == (49, ((40, "soldier"), (9, "civilian")))


@pytest.mark.parametrize(
    "sentence",
    [
        "Eight soldiers were killed in the town and another four outside it.",
        "Eight civilians died in Douma and another four in Harasta.",
        "Eight soldiers were killed in Douma and four in Harasta.",
    ],
)
def test_a_number_told_with_the_death_verb_left_out_counts(sentence: str) -> None:
    [count] = death_counts(annotate(sentence)[:])
    assert count.value == 12


def test_a_part_of_a_breakdown_is_not_the_incident_s_toll(code) -> None:
    events = code(
        "Russian warplanes kill 40 fighters in Douma. "
        "Russian warplanes struck Douma on Tuesday, killing 40 fighters and nine civilians."
    )
    assert [e.fatalities for e in events] == [49]


def test_one_part_of_a_breakdown_told_again_is_not_a_new_incident(code) -> None:
    events = code(
        "Some 90 fighters and 30 mercenaries were killed in Russian air strikes on Mayadin "
        "on Tuesday. Residents said the town was crowded. "
        "In another air strike, 30 mercenaries were killed near Douma."
    )
    assert sum(e.fatalities for e in events) == 120


@pytest.mark.parametrize(
    ("sentence", "additional"),
    [
        ("Later two more people were killed in the town.", True),
        ("Three more soldiers died of their wounds.", True),
        ("More than 30 people were killed in the town.", False),
    ],
)
def test_dead_told_as_more_are_marked_as_such(sentence: str, additional: bool) -> None:
    [count] = death_counts(annotate(sentence)[:])
    assert count.is_additional is additional


def test_dead_told_as_more_add_to_the_count_before_them(code) -> None:
    events = code(
        "Rebels shelled Douma on Tuesday, killing a woman. "
        "Later two more civilians were killed in the shelling."
    )
    assert [e.fatalities for e in events] == [3]


def test_dead_told_as_more_after_a_part_add_up_to_the_lead(code) -> None:
    events = code(
        "Russian warplanes struck Douma on Tuesday, killing 12 civilians. "
        "Ten civilians were killed at the market. "
        "Two more civilians were killed in the strikes."
    )
    assert sum(e.fatalities for e in events) == 12


@pytest.mark.parametrize(
    ("sentence", "value", "subsets"),
    [
        ("Air strikes killed 20 people including four children.", 20, ((4, "child"),)),
        ("Six women were among at least 31 people killed in the raid.", 31, ((6, "woman"),)),
        ("The shelling killed nine people.", 9, ()),
    ],
)
def test_a_part_named_with_the_dead_is_kept_as_their_subset(
    sentence: str, value: int, subsets: tuple[tuple[int, str], ...]
) -> None:
    [count] = death_counts(annotate(sentence)[:])
    assert (count.value, count.subsets) == (value, subsets)


def test_an_agency_s_acronym_is_no_victim() -> None:
    sentence = "Forces execute 10 children of rebels Monitor AFP Saturday 21 Feb 2015"
    assert [c.value for c in death_counts(annotate(sentence)[:])] == [10]


def test_the_dead_of_lethal_force_on_a_protest_are_that_event_s(code) -> None:
    events = code(
        "Security forces fired live ammunition at protesters in Basra on Friday. Hospital "
        "sources counted at least nine dead and dozens wounded."
    )
    assert [(e.sub_event_type, e.fatalities) for e in events] == [
        ("Excessive force against protesters", 9)
    ]
