from pathlib import Path

import pytest

from sitrep.evaluate import ACLED_METRICS, read_acled, score_acled
from sitrep.models import Actor

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def golds():
    rows, _ = read_acled(FIXTURES / "acled_sample.csv")
    return {gold.row_id: gold for gold in rows}


def test_a_faithful_prediction_scores_one_on_every_metric(golds, make_event, same_admin1):
    gold = golds["SYR90001"]
    event = make_event(
        gold.event_type,
        gold.sub_event_type,
        actor1=Actor(name="Military Forces of Syria", inter=1),  # no year range: same actor
        admin1="Idleb",
        latitude=35.62,  # a few hundred metres off the gold point
        longitude=36.56,
        geo_precision=1,
        fatalities=2,
    )
    result = score_acled([gold], {gold.row_id: [event]}, same_admin1=same_admin1)
    assert set(result.metrics) == set(ACLED_METRICS)
    assert all(value == 1.0 for value in result.metrics.values()), result.metrics
    assert result.misses == []


def test_only_the_first_event_of_a_row_is_scored(golds, make_event, same_admin1):
    gold = golds["SYR90005"]  # Battles / Armed clash in Thiban, 6 dead
    first = make_event("Violence against civilians", "Attack", fatalities=6)
    second = make_event("Battles", "Armed clash", fatalities=6)
    result = score_acled([gold], {gold.row_id: [first, second]}, same_admin1=same_admin1)
    assert result.metrics["event_type_acc"] == 0.0
    assert result.metrics["fatalities_exact"] == 1.0
    miss = next(m for m in result.misses if m.field == "event_type")
    assert (miss.gold, miss.predicted) == ("Battles", "Violence against civilians")


def test_location_within_25_km_of_the_gold_point(golds, make_event, same_admin1):
    kafr_nabl, ariha = golds["SYR90001"], golds["SYR90002"]
    # Maarat al-Numan is about 11 km from Kafr Nabl; Aleppo is about 60 km from Ariha.
    near = make_event(admin1="Idleb", latitude=35.6436, longitude=36.6736)
    far = make_event(admin1="Aleppo", location="Aleppo", latitude=36.2021, longitude=37.1343)
    result = score_acled(
        [kafr_nabl, ariha],
        {kafr_nabl.row_id: [near], ariha.row_id: [far]},
        same_admin1=same_admin1,
    )
    assert result.metrics["location_25km"] == 0.5
    assert result.metrics["admin1_acc"] == 0.5
    miss = next(m for m in result.misses if m.field == "location")
    assert miss.row_id == "SYR90002" and "km away" in miss.predicted


def test_rows_without_prediction_count_as_misses(golds, same_admin1):
    rows = list(golds.values())[:4]
    result = score_acled(rows, {}, same_admin1=same_admin1)
    assert result.n == 4
    assert result.metrics["event_type_acc"] == 0.0
    assert result.metrics["event_type_macro_f1"] == 0.0
    # Gold with no deaths is matched by finding nothing: fatalities 0 = 0.
    zero_toll = sum(gold.fatalities == 0 for gold in rows)
    assert result.metrics["fatalities_exact"] == zero_toll / 4


def test_actor1_ignores_year_ranges_but_not_the_country(golds, make_event, same_admin1):
    gold = golds["IRQ90012"]  # Islamic State (Iraq)
    wrong_country = make_event(actor1=Actor(name="Islamic State (Syria)", inter=2))
    result = score_acled([gold], {gold.row_id: [wrong_country]}, same_admin1=same_admin1)
    assert result.metrics["actor1_acc"] == 0.0
