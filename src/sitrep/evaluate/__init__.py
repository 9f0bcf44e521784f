"""Measuring sitrep against gold data: FA-KES articles and ACLED-coded events.

Scorers take the predictions as a parameter (events per gold row id), so a metric can be
checked on hand-built events without the NLP; `evaluate_file` runs the pipeline first.
"""

from sitrep.evaluate._acled import ACLED_METRICS, score_acled
from sitrep.evaluate._fakes import FAKES_METRICS, fakes_classes, primary_event, score_fakes
from sitrep.evaluate._gold import AcledGold, FakesGold, GoldRow, read_acled, read_fakes
from sitrep.evaluate._metrics import actor_key, deaths_close, haversine_km, macro_f1
from sitrep.evaluate._results import EvaluationResult, GoldFormat, Miss, RuleScore
from sitrep.evaluate._run import (
    FORMATS,
    Ablation,
    evaluate_file,
    evaluate_without,
    predict,
    write_misses,
)

__all__ = [
    "ACLED_METRICS",
    "FAKES_METRICS",
    "FORMATS",
    "Ablation",
    "AcledGold",
    "EvaluationResult",
    "FakesGold",
    "GoldFormat",
    "GoldRow",
    "Miss",
    "RuleScore",
    "actor_key",
    "deaths_close",
    "evaluate_file",
    "evaluate_without",
    "fakes_classes",
    "haversine_km",
    "macro_f1",
    "predict",
    "primary_event",
    "read_acled",
    "read_fakes",
    "score_acled",
    "score_fakes",
    "write_misses",
]
