"""Context that reports no incident gives no event: negation, modality, intention, denial,
opinion, history, background troop strength, war-wide tolls."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.slow

NO_EVENT = [
    "Government forces did not shell Douma on Tuesday.",
    "There were no clashes in the town on Tuesday.",
    "Rebels may attack the airport in the coming days.",
    "Islamic State could launch a new offensive on the city.",
    "Islamic State threatened to execute the hostages.",
    "The army plans to recapture the town before winter.",
    "Russia denied that its jets bombed the hospital.",
    "Ankara has warned that it would deploy troops if the fighting spreads.",
    "If the talks fail, the rebels will resume shelling.",
    "Turkey has an estimated 10,000 troops deployed along its border.",
    "The war has killed more than 300,000 people since 2011.",
    "The fighters are known for their viciousness in battles.",
    # Habits and patterns describe the war, not an incident.
    "Government forces regularly shell the villages around Douma.",
    "The town has often been targeted by Russian warplanes.",
    "Residents live in a cycle of violence where rebels shell the town and jets bomb it.",
    # A trend over recent weeks or months sums up a period, as "in recent years" does.
    "Rebel shelling and government air strikes have increased in recent weeks.",
]


@pytest.mark.parametrize("sentence", NO_EVENT)
def test_no_event(code, sentence: str) -> None:
    events = code(sentence, published=date(2019, 5, 10))
    assert events == [], [e.notes for e in events]


def test_a_period_of_violence_summed_up_is_no_incident(code) -> None:
    events = code(
        "Rebels signed an agreement on Friday, ending two weeks of bombardment of the town."
    )
    assert [e.sub_event_type for e in events] == ["Agreement"]


def test_the_same_words_stated_as_fact_give_the_event(code) -> None:
    assert len(code("Government forces shelled Douma on Tuesday.")) == 1
    assert len(code("Islamic State executed the hostages on Tuesday.")) == 1


def test_not_knowing_who_did_it_still_reports_the_bombing(code) -> None:
    events = code(
        "A bomb exploded in a market on Tuesday. It was not known who carried out the bombing."
    )
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


def test_troop_movements_are_context_in_a_report_of_fighting(code) -> None:
    fighting = code(
        "Islamic State attacked an army checkpoint on Tuesday. The army later sent reinforcements."
    )
    assert [e.event_type for e in fighting] == ["Battles"]
    alone = code("Turkish forces deployed 300 troops to the border on Tuesday.")
    assert [e.sub_event_type for e in alone] == ["Change to group/activity"]


def test_headlines_of_other_stories_after_the_story_are_not_coded(code) -> None:
    events = code(
        "Government forces shelled Douma on Tuesday, killing five civilians. "
        "Related News Rebels kill 16 soldiers in Hama Militiamen executed 7 men in Aleppo"
    )
    assert [e.fatalities for e in events] == [5]


def test_a_bare_related_list_closing_the_page_is_not_coded(code) -> None:
    closing = code(
        "Government forces shelled Douma on Tuesday, killing five civilians. "
        "Residents said the shells fell on a market. 87 Related Four Senior Commanders "
        "Killed in Strikes"
    )
    assert [e.fatalities for e in closing] == [5]
    sidebar = code(
        "Views 458 Related Lebanon charges 43 Syrians. Government forces shelled Douma on "
        "Tuesday, killing five civilians. Residents said the shells fell on the market "
        "in the morning, when it was crowded with shoppers buying food for the day."
    )
    assert [e.fatalities for e in sidebar] == [5]


def test_a_keyword_list_names_no_actor_and_no_incident(code) -> None:
    events = code(
        "Tags Syria Douma Rebels Car Bomb At least 20 people were killed in an explosion "
        "in Douma on Tuesday."
    )
    assert [e.fatalities for e in events] == [20]
    assert events[0].actor1 is not None and events[0].actor1.name.startswith("Unidentified")


def test_what_a_described_person_is_accused_of_is_no_incident(code) -> None:
    events = code(
        "Police in Azaz arrested a man they accused of planting explosive devices on Monday."
    )
    assert [e.sub_event_type for e in events] == ["Arrests"]


def test_a_main_clause_accusation_still_reports_the_act(code) -> None:
    events = code("The army accused IS of shelling the town of Mayadin on Monday.")
    assert [e.sub_event_type for e in events] == ["Shelling/artillery/missile attack"]


def test_history_told_as_such_is_kept_with_its_date_and_flagged_old(code) -> None:
    [event] = code("The regime seized the town in 2014.", published=date(2019, 5, 10))
    assert event.event_date is not None and event.event_date.year == 2014
    assert "old_event" in event.flags
