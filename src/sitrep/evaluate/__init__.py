"""Measuring sitrep against gold data: FA-KES articles, ACLED-coded events and UCDP GED
events (places only).

Scorers take the predictions as a parameter (events per gold row id), so a metric can be
checked on hand-built events without the NLP; `evaluate_file` runs the pipeline first.
"""

from sitrep.evaluate._acled import ACLED_METRICS, score_acled
from sitrep.evaluate._fakes import FAKES_METRICS, fakes_classes, primary_event, score_fakes
from sitrep.evaluate._gold import (
    AcledGold,
    FakesGold,
    GoldRow,
    UcdpGold,
    read_acled,
    read_fakes,
    read_ucdp,
)
from sitrep.evaluate._metrics import actor_key, deaths_close, haversine_km, macro_f1
from sitrep.evaluate._results import EvaluationResult, GoldFormat, Miss, RuleScore
from sitrep.evaluate._run import (
    FORMATS,
    Ablation,
    evaluate_file,
    evaluate_without,
    predict,
    select_rows,
    write_misses,
)
from sitrep.evaluate._ucdp import UCDP_METRICS, half_of, score_ucdp

__all__ = [
    "ACLED_METRICS",
    "FAKES_METRICS",
    "FORMATS",
    "UCDP_METRICS",
    "Ablation",
    "AcledGold",
    "EvaluationResult",
    "FakesGold",
    "GoldFormat",
    "GoldRow",
    "Miss",
    "RuleScore",
    "UcdpGold",
    "actor_key",
    "deaths_close",
    "evaluate_file",
    "evaluate_without",
    "fakes_classes",
    "half_of",
    "haversine_km",
    "macro_f1",
    "predict",
    "primary_event",
    "read_acled",
    "read_fakes",
    "read_ucdp",
    "score_acled",
    "score_fakes",
    "score_ucdp",
    "select_rows",
    "write_misses",
]
