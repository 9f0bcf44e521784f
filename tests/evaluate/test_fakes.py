import pytest

from sitrep.evaluate import fakes_classes, primary_event, score_fakes
from sitrep.evaluate._gold import FakesGold
from sitrep.models import Actor, Report

REGIME = Actor(name="Military Forces of Syria (2000-)", inter=1, country="Syria")
IS = Actor(name="Islamic State (Syria)", inter=2, country="Syria")
UNKNOWN_GUNMEN = Actor(name="Unidentified Armed Group (Syria)", inter=3, country="Syria")


def gold(row_id="1", location="idlib", actor="unknown", cause="unknown", deaths=0):
    report = Report(text=f"article {row_id}")
    return FakesGold(
        row_id=row_id, report=report, location=location, actor=actor, cause=cause, deaths=deaths
    )


def test_primary_event_is_the_first_violent_one_in_text_that_states_a_toll(make_event):
    agreement = make_event("Strategic developments", "Agreement", fatalities=50, trigger_at=1)
    no_toll = make_event(trigger_at=5)
    early = make_event(fatalities=3, trigger_at=10)
    late = make_event("Battles", "Armed clash", fatalities=3, trigger_at=200)
    deadlier_later = make_event(fatalities=70, trigger_at=300)
    assert primary_event([agreement, late, deadlier_later, no_toll, early]) is early
    assert primary_event([deadlier_later, late]) is late
    assert primary_event([agreement]) is None


def test_a_toll_stated_as_words_counts_and_without_any_toll_the_first_violent_event(make_event):
    nobody_killed = make_event(trigger_at=40, fatalities_words="no one was hurt")
    first = make_event(trigger_at=8)
    second = make_event("Battles", "Armed clash", trigger_at=20)
    assert primary_event([second, nobody_killed, first]) is nobody_killed
    assert primary_event([second, first]) is first


@pytest.mark.parametrize(
    ("method", "cause"),
    [
        ("shelling", "shelling"),
        ("Air strike", "shelling"),
        ("barrel bomb", "shelling"),
        ("car bomb", "explosion"),
        ("IED", "explosion"),
        ("chemical", "chemical and toxic gases"),
        ("execution", "execution"),
        ("firearms", "shooting"),
        (None, "unknown"),
    ],
)
def test_cause_classes_follow_the_mapping_file(method, cause):
    assert fakes_classes().cause_class(method) == cause


def test_actor_classes_by_name_then_inter_code():
    classes = fakes_classes()
    assert classes.actor_class(REGIME) == "syrian government or russian troops"
    assert classes.actor_class(Actor(name="Military Forces of Russia (2000-)", inter=8)) == (
        "syrian government or russian troops"
    )
    assert "isis" in classes.actor_class(IS)
    assert classes.actor_class(UNKNOWN_GUNMEN) == "unknown"
    assert classes.actor_class(None) == "unknown"
    local_rebels = Actor(name="Liwa Shuhada Example", inter=2, country="Syria")
    assert classes.actor_class(local_rebels) == "armed opposition groups"
    assert classes.actor_class(Actor(name="Military Forces of Turkey (2016-)", inter=8)) not in (
        set(classes.actor) | {"unknown"}
    )


def test_location_accuracy_uses_the_admin1_comparison_and_damascus_covers_its_countryside(
    make_event, same_admin1
):
    golds = [gold("a", "idlib"), gold("b", "damascus"), gold("c", "damascus"), gold("d", "homs")]
    predictions = {
        "a": [make_event(admin1="Idleb")],
        "b": [make_event(admin1="Rural Damascus")],
        "c": [make_event(admin1="Homs")],
        "d": [],
    }
    result = score_fakes(golds, predictions, same_admin1=same_admin1)
    assert result.metrics["location_acc"] == 0.5
    missed = {(m.row_id, m.predicted) for m in result.misses if m.field == "location"}
    assert missed == {("c", "Homs"), ("d", "")}


def test_cause_and_actor_come_from_the_primary_event(make_event, same_admin1):
    golds = [
        gold("a", cause="shelling", actor="syrian government or russian troops"),
        gold("b", cause="explosion", actor="unknown"),
        gold(
            "c",
            cause="execution",
            actor="the organization of the islamic state in iraq and the levant - isis",
        ),
    ]
    predictions = {
        "a": [
            make_event(actor1=IS, attack_method="firearms", fatalities=9, trigger_at=50),
            make_event(actor1=REGIME, attack_method="shelling", fatalities=4, trigger_at=5),
        ],
        "b": [make_event(actor1=UNKNOWN_GUNMEN, attack_method="car bomb", fatalities=2)],
        "c": [make_event(actor1=REGIME, attack_method="air strike", fatalities=2)],
    }
    result = score_fakes(golds, predictions, same_admin1=same_admin1)
    assert result.metrics["cause_acc"] == pytest.approx(2 / 3)
    assert result.metrics["actor_acc"] == pytest.approx(2 / 3)
    actor_miss = next(m for m in result.misses if m.field == "actor")
    assert actor_miss.row_id == "c"
    assert "Military Forces of Syria" in actor_miss.predicted


def test_deaths_are_the_primary_incidents_own_never_a_sum(make_event, same_admin1):
    golds = [gold("a", deaths=2), gold("b", deaths=10), gold("c", deaths=0)]
    predictions = {
        "a": [
            make_event("Strategic developments", "Agreement", fatalities=9, trigger_at=1),
            make_event(fatalities=2, fatalities_words="killing two", trigger_at=10),
            make_event("Battles", "Armed clash", fatalities=30, trigger_at=90),
        ],
        "b": [make_event(fatalities=12)],
        "c": [make_event(fatalities=3)],
    }
    result = score_fakes(golds, predictions, same_admin1=same_admin1)
    assert result.metrics["deaths_exact"] == pytest.approx(1 / 3)
    assert result.metrics["deaths_close"] == pytest.approx(2 / 3)
    death_misses = {m.row_id: m for m in result.misses if m.field == "deaths"}
    assert set(death_misses) == {"b", "c"}
    assert death_misses["b"].gold == "10" and death_misses["b"].predicted == "12"


def test_location_cause_actor_and_deaths_all_come_from_one_event(make_event, same_admin1):
    told_first = make_event(
        admin1="Idleb", actor1=REGIME, attack_method="shelling", fatalities=4, trigger_at=3
    )
    deadlier = make_event(
        admin1="Homs", actor1=IS, attack_method="IED", fatalities=40, trigger_at=80
    )
    golden = gold(
        "a", "idlib", actor="syrian government or russian troops", cause="shelling", deaths=4
    )
    result = score_fakes([golden], {"a": [deadlier, told_first]}, same_admin1=same_admin1)
    assert result.metrics == {metric: 1.0 for metric in result.metrics}


def test_articles_repeated_with_contradictory_labels_are_listed(make_event, same_admin1):
    golds = [
        gold("7", deaths=5),
        gold("7#2", deaths=20),
        gold("8", location="homs"),
        gold("8#2", location="homs"),
        gold("9"),
    ]
    result = score_fakes(golds, {}, same_admin1=same_admin1)
    assert len(result.gold_contradictions) == 1
    line = result.gold_contradictions[0]
    assert line.startswith("7 is in the gold 2 times") and "5 dead" in line and "20 dead" in line


def test_an_article_without_events_scores_unknown_cause_and_actor(same_admin1):
    result = score_fakes([gold("a")], {"a": []}, same_admin1=same_admin1)
    assert result.metrics["cause_acc"] == 1.0
    assert result.metrics["actor_acc"] == 1.0
    assert result.metrics["location_acc"] == 0.0
    assert result.n == 1


def test_the_mapping_file_only_targets_fa_kes_classes():
    classes = fakes_classes()
    actor_classes = {
        "syrian government or russian troops",
        "the organization of the islamic state in iraq and the levant - isis",
        "international coalition forces",
        "armed opposition groups",
        "self administration forces",
        "al-nusra front",
        "unknown",
    }
    causes = {"shelling", "explosion", "chemical and toxic gases", "shooting", "execution"}
    assert set(classes.actor) <= actor_classes
    assert {rule.actor_class for rule in classes.actor_by_inter} <= actor_classes
    assert set(classes.cause_of_death) <= causes


@pytest.mark.slow
def test_fa_kes_province_spellings_match_acled_admin1_through_the_gazetteer(make_event):
    """Without an injected comparison the scorer uses sitrep.geo.same_admin1."""
    pairs = [
        ("idlib", "Idleb"),
        ("deir ezzor", "Deir-ez-Zor"),
        ("hasakeh", "Al Hasakeh"),
        ("raqqa", "Ar-Raqqa"),
        ("daraa", "Dara"),
        ("damascus", "Rural Damascus"),
        ("hama", "Homs"),  # a real miss
    ]
    golds = [gold(str(n), location) for n, (location, _) in enumerate(pairs)]
    predictions = {str(n): [make_event(admin1=admin1)] for n, (_, admin1) in enumerate(pairs)}
    result = score_fakes(golds, predictions)
    assert result.metrics["location_acc"] == pytest.approx(6 / 7)
    assert [m.predicted for m in result.misses if m.field == "location"] == ["Homs"]
