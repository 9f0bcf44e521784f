import pytest

from sitrep.evaluate import actor_key, deaths_close, haversine_km, macro_f1


def test_actor_key_drops_year_ranges_and_case_but_keeps_country():
    assert actor_key("Military Forces of Syria (2000-)") == "military forces of syria"
    assert actor_key("Police Forces of Iraq (2018-2020)") == "police forces of iraq"
    assert actor_key("Islamic State (Syria)") == "islamic state (syria)"
    assert actor_key("Islamic State (Syria)") != actor_key("Islamic State (Iraq)")


def test_haversine_damascus_to_aleppo_is_about_310_km():
    assert haversine_km(33.5138, 36.2765, 36.2021, 37.1343) == pytest.approx(310, abs=5)
    assert haversine_km(35.0, 40.0, 35.0, 40.0) == 0.0


@pytest.mark.parametrize(
    ("gold", "predicted", "close"),
    [(0, 0, True), (0, 1, True), (0, 2, False), (10, 12, True), (10, 13, False), (40, 32, True)],
)
def test_deaths_close_is_within_20_percent_or_one(gold, predicted, close):
    assert deaths_close(gold, predicted) is close


def test_macro_f1_averages_per_label_f1():
    gold = ["Battles", "Battles", "Protests", "Riots"]
    predicted = ["Battles", "Protests", "Protests", ""]
    # Battles: P=1 R=.5 F=2/3; Protests: P=.5 R=1 F=2/3; Riots: F=0. "" is no label.
    assert macro_f1(gold, predicted) == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert macro_f1(["Battles"], ["Battles"]) == 1.0
    assert macro_f1([], []) == 0.0
