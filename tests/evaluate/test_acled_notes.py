"""sitrep on ACLED's own genre of text: notes the project wrote in ACLED's style, scored with
`sitrep evaluate --format acled`. Floors sit a row or two below the measured figures
(docs/evaluation.md), so a regression fails.

Every fixture here has had fixes made against its misses, so each is named `*_tuned.csv`:
its figures are no longer a measure of unseen notes. The first, blind score of each is
recorded in docs/evaluation.md ("First blind scores"); a new fixture is scored once, blind,
before any fix, and that score is written there before it joins this list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"

#: The 87-row fixture the fixes of the sessions were made against (measured 0.97-1.00).
NOTES_FLOORS = {
    "event_type_acc": 0.98,
    "event_type_macro_f1": 0.95,
    "sub_event_type_acc": 0.98,
    "fatalities_exact": 0.97,
    "actor1_acc": 0.95,
    "admin1_acc": 0.98,
    "location_25km": 0.98,
    "geo_precision_acc": 0.97,
}
#: 25 rows written after those fixes; fixes were later made against them (one row = 0.04).
HELD_OUT_FLOORS = {
    "event_type_acc": 0.96,
    "event_type_macro_f1": 0.70,
    "sub_event_type_acc": 0.96,
    "fatalities_exact": 0.96,
    "actor1_acc": 0.96,
    "admin1_acc": 0.92,
    "location_25km": 0.92,
    "geo_precision_acc": 0.96,
}
#: 40 more rows written later, all 25 sub-event types, 27 provinces of both countries, blind
#: at first (one row = 0.025; measured blind 0.80-0.925, macro F1 0.851), tuned since: places
#: after session 3's fixes: admin1 and within 25 km 1.000, geo precision 0.950; event type 0.950 and sub-event
#: type 0.925, actor1 0.900 after its event-coding fixes).
HELD_OUT_2_FLOORS = {
    "event_type_acc": 0.92,
    "event_type_macro_f1": 0.80,
    "sub_event_type_acc": 0.90,
    "fatalities_exact": 0.87,
    "actor1_acc": 0.87,
    "admin1_acc": 0.97,
    "location_25km": 0.97,
    "geo_precision_acc": 0.92,
}
#: 40 more rows written later still, 24 sub-event types, all 14 Syrian and 16 Iraqi provinces,
#: blind at first (one row = 0.025; measured blind 0.775-0.925, macro F1 0.857), tuned since:
#: after session 3's event-coding fixes event type 1.000, sub-event type 0.975, actor1 0.925, admin1 1.000,
#: within 25 km 0.975, geo precision 0.925).
HELD_OUT_3_FLOORS = {
    "event_type_acc": 0.97,
    "event_type_macro_f1": 0.80,
    "sub_event_type_acc": 0.95,
    "fatalities_exact": 0.76,
    "actor1_acc": 0.90,
    "admin1_acc": 0.97,
    "location_25km": 0.95,
    "geo_precision_acc": 0.90,
}


@pytest.mark.parametrize(
    ("fixture", "floors"),
    [
        ("acled_notes_syria_iraq_tuned.csv", NOTES_FLOORS),
        ("acled_notes_heldout1_tuned.csv", HELD_OUT_FLOORS),
        ("acled_notes_heldout2_tuned.csv", HELD_OUT_2_FLOORS),
        ("acled_notes_heldout3_tuned.csv", HELD_OUT_3_FLOORS),
    ],
)
def test_acled_notes_score_at_least_the_measured_floors(
    fixture: str, floors: dict[str, float]
) -> None:
    result = CliRunner().invoke(
        app, ["evaluate", "--format", "acled", str(FIXTURES / fixture), "--json"]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)["metrics"]
    below = {name: metrics[name] for name, floor in floors.items() if metrics[name] < floor}
    assert not below, below
