"""Running the pipeline over a gold file and writing out its misses."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from sitrep.errors import EvaluationError, SitrepError
from sitrep.evaluate._acled import score_acled
from sitrep.evaluate._fakes import score_fakes
from sitrep.evaluate._gold import GoldRow, read_acled, read_fakes
from sitrep.evaluate._results import EvaluationResult, GoldFormat, Miss
from sitrep.models import Event, Report
from sitrep.pipeline import extract_report

Extractor = Callable[[Report], list[Event]]


class _Format(NamedTuple):
    read: Callable[..., tuple[Sequence[GoldRow], list[str]]]
    score: Callable[..., EvaluationResult]


FORMATS: dict[GoldFormat, _Format] = {
    "fakes": _Format(read_fakes, score_fakes),
    "acled": _Format(read_acled, score_acled),
}


def evaluate_file(
    path: Path,
    gold_format: GoldFormat,
    *,
    limit: int | None = None,
    extractor: Extractor | None = None,
    on_row: Callable[[int], None] | None = None,
) -> EvaluationResult:
    """Code every gold row's report with the pipeline (default) and score the events.

    `on_row(total)` is called after each row (for a progress bar).
    """
    read, score = FORMATS[gold_format]
    golds, problems = read(path, limit=limit)
    if not golds:
        reason = "; ".join(problems[:3]) or "it has a header but no rows"
        raise EvaluationError(f"{path} has no row that can be scored: {reason}")
    predictions = predict(golds, extractor or extract_report, problems, on_row)
    result = score(golds, predictions)
    result.problems = problems
    return result


def predict(
    golds: Sequence[GoldRow],
    extractor: Extractor,
    problems: list[str],
    on_row: Callable[[int], None] | None = None,
) -> dict[str, list[Event]]:
    """Events per gold row_id; a row whose extraction fails gets none (and a problem)."""
    by_report: dict[str, list[Event]] = {}
    predictions: dict[str, list[Event]] = {}
    for gold in golds:
        report_id = gold.report.report_id
        if report_id not in by_report:  # a repeated article is coded once
            try:
                by_report[report_id] = extractor(gold.report)
            except SitrepError as error:
                problems.append(f"{gold.row_id}: extraction failed, scored as no event: {error}")
                by_report[report_id] = []
        predictions[gold.row_id] = by_report[report_id]
        if on_row is not None:
            on_row(len(golds))
    return predictions


def write_misses(misses: Sequence[Miss], path: Path) -> None:
    """Write misses as CSV when the file name ends in .csv, else as JSON Lines."""
    rows: list[Mapping[str, str]] = [miss.model_dump() for miss in misses]
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            if path.suffix.lower() == ".csv":
                writer = csv.DictWriter(handle, fieldnames=list(Miss.model_fields))
                writer.writeheader()
                writer.writerows(rows)
            else:
                handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    except OSError as error:
        raise EvaluationError(f"cannot write misses to {path}: {error.strerror}") from error
