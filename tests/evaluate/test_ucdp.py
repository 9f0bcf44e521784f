"""Scoring places against UCDP GED rows (hand-built events; the pipeline run is covered by
the CLI test)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitrep.evaluate import UCDP_METRICS, half_of, read_ucdp, score_ucdp, select_rows
from sitrep.models import Event

FIXTURES = Path(__file__).parent / "fixtures"


def test_read_ucdp_maps_precision_and_strips_division_words() -> None:
    golds, skipped = read_ucdp(FIXTURES / "ucdp_sample.csv")
    assert [g.row_id for g in golds] == ["9001", "9002", "9003", "9004"]
    first = golds[0]
    assert (first.admin1, first.admin2, first.geo_precision) == ("Idlib", "Idlib", 1)
    assert first.report.text.startswith("Artillery shells")
    assert [g.geo_precision for g in golds] == [1, 2, 3, None]  # 4 -> 3; 7 has no equivalent
    assert len(skipped) == 1 and "9005" in skipped[0] and "YYYY-MM-DD" in skipped[0]


def test_score_ucdp_checks_only_what_the_gold_gives(make_event: Callable[..., Event]) -> None:
    golds, _ = read_ucdp(FIXTURES / "ucdp_sample.csv")
    saraqib = make_event(
        admin1="Idleb", location="Saraqib", latitude=35.86, longitude=36.80, geo_precision=1
    )
    daraa_far = make_event(admin1="Dara", location="X", latitude=33.5, longitude=36.3)
    predictions = {"9001": [saraqib], "9002": [daraa_far], "9003": []}
    result = score_ucdp(golds, predictions, same_admin1=lambda a, b: a[:2] == b[:2])
    assert set(result.metrics) == set(UCDP_METRICS)
    assert result.metrics["admin1_acc"] == pytest.approx(2 / 3)  # 9004 has no admin1
    assert result.metrics["location_25km"] == pytest.approx(1 / 3)
    assert result.metrics["geo_precision_acc"] == pytest.approx(1 / 3)
    assert result.metrics["admin2_acc"] == 0.0  # the hand-built places carry no district
    assert {m.row_id for m in result.misses if m.field == "location"} == {"9002", "9003"}


def test_select_rows_is_a_fixed_sample_split_in_halves() -> None:
    golds, _ = read_ucdp(FIXTURES / "ucdp_sample.csv")
    sample = select_rows(golds, sample=3)
    assert len(sample) == 3 and select_rows(golds, sample=3) == sample
    a, b = select_rows(golds, half="A"), select_rows(golds, half="b")
    assert {g.row_id for g in a} | {g.row_id for g in b} == {g.row_id for g in golds}
    assert not {g.row_id for g in a} & {g.row_id for g in b}
    assert all(half_of(g.row_id) == "A" for g in a)
