from pathlib import Path

from sitrep.evaluate import ACLED_METRICS, FAKES_METRICS, UCDP_METRICS

DOC = Path(__file__).resolve().parents[2] / "docs" / "evaluation.md"


def test_every_metric_and_option_is_documented():
    text = DOC.read_text("utf-8")
    for name in (
        *FAKES_METRICS,
        *ACLED_METRICS,
        *UCDP_METRICS,
        "--errors",
        "--json",
        "--limit",
        "--sample",
        "--half",
    ):
        assert name in text, f"{name} is not explained in {DOC.name}"
