"""The event model's derived ACLED fields."""

import pytest

from sitrep.models import Actor, Event


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "disorder_type"),
    [
        ("Battles", "Armed clash", "Political violence"),
        ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
        ("Protests", "Peaceful protest", "Demonstrations"),
        ("Riots", "Violent demonstration", "Demonstrations"),
        ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
        ("Riots", "Mob violence", "Political violence; Demonstrations"),
        ("Strategic developments", "Agreement", "Strategic developments"),
    ],
)
def test_disorder_type_follows_the_taxonomy(
    event_type: str, sub_event_type: str, disorder_type: str
) -> None:
    event = Event(event_type=event_type, sub_event_type=sub_event_type)
    assert event.disorder_type == disorder_type


def test_interaction_puts_the_smaller_inter_code_first() -> None:
    state = Actor(name="Military Forces of Syria (2000-)", inter=1)
    civilians = Actor(name="Civilians (Syria)", inter=7)
    attack = Event(
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1=civilians,
        actor2=state,
    )
    assert attack.interaction == 17
    alone = Event(
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1=Actor(name="Protesters (Syria)", inter=6),
    )
    assert alone.interaction == 60


def test_civilian_targeting_only_when_civilians_are_the_target() -> None:
    state = Actor(name="Military Forces of Syria (2000-)", inter=1)
    civilians = Actor(name="Civilians (Syria)", inter=7)
    strike = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1=state,
        actor2=civilians,
    )
    assert strike.civilian_targeting == "Civilian targeting"
    clash = strike.model_copy(
        update={
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor2": Actor(name="Opposition Rebels (Syria)", inter=2),
        }
    )
    assert clash.civilian_targeting == ""
