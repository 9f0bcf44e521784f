"""Running the pipeline over a gold file and writing out its misses."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from sitrep.engine import Engine, default_engine
from sitrep.errors import EvaluationError, SitrepError
from sitrep.evaluate._acled import score_acled
from sitrep.evaluate._fakes import score_fakes
from sitrep.evaluate._gold import GoldRow, read_acled, read_fakes, read_ucdp
from sitrep.evaluate._results import EvaluationResult, GoldFormat, Miss, RuleScore
from sitrep.evaluate._ucdp import half_of, row_rank, score_ucdp
from sitrep.models import Event, Extraction, Report

Extractor = Callable[[Report], list[Event]]
#: Codes a report into its events and decision records (`Engine.code`).
Coder = Callable[[Report], Extraction]


class _Format(NamedTuple):
    read: Callable[..., tuple[Sequence[GoldRow], list[str]]]
    score: Callable[..., EvaluationResult]


FORMATS: dict[GoldFormat, _Format] = {
    "fakes": _Format(read_fakes, score_fakes),
    "acled": _Format(read_acled, score_acled),
    "ucdp": _Format(read_ucdp, score_ucdp),
}


def select_rows(
    golds: Sequence[GoldRow], *, sample: int | None = None, half: str | None = None
) -> list[GoldRow]:
    """A fixed sample of the rows, the same on every run: the `sample` rows whose id hashes
    lowest (all when None), then only half "A" or "B" of them (sha256(row id) % 2)."""
    chosen = list(golds)
    if sample is not None:
        kept = {id(g) for g in sorted(chosen, key=lambda g: row_rank(g.row_id))[:sample]}
        chosen = [g for g in chosen if id(g) in kept]
    if half is not None:
        chosen = [g for g in chosen if half_of(g.row_id) == half.upper()]
    return chosen


def evaluate_file(
    path: Path,
    gold_format: GoldFormat,
    *,
    limit: int | None = None,
    sample: int | None = None,
    half: str | None = None,
    extractor: Extractor | None = None,
    engine: Engine | None = None,
    on_row: Callable[[int], None] | None = None,
) -> EvaluationResult:
    """Code every gold row's report with the engine (the default one unless given; or a
    plain `extractor`) and score the events; `result.by_rule` tallies each rule.

    `sample` and `half` score a fixed part of the rows (see `select_rows`);
    `on_row(total)` is called after each row (for a progress bar).
    """
    read, score = FORMATS[gold_format]
    golds, problems = read(path, limit=limit)
    golds = select_rows(golds, sample=sample, half=half)
    if not golds:
        reason = "; ".join(problems[:3]) or "it has a header but no rows"
        raise EvaluationError(f"{path} has no row that can be scored: {reason}")
    if extractor is not None:
        coder: Coder = _coder_of(extractor)
    else:
        coder = (engine or default_engine()).code
    failures_before = len(problems)
    codings = predict(golds, coder, problems, on_row)
    if codings and len(problems) - failures_before == len({id(c) for c in codings.values()}):
        # every report failed: a broken engine or data file, not a score of 0
        raise EvaluationError(
            f"extraction failed on every report of {path}, nothing to score; the first: "
            f"{problems[failures_before]}"
        )
    result = score(golds, {row: coding.events for row, coding in codings.items()})
    result.problems = problems
    result.by_rule = _with_firings(result.by_rule, codings.values())
    return result


def _coder_of(extractor: Extractor) -> Coder:
    def code(report: Report) -> Extraction:
        return Extraction(report_id=report.report_id, events=extractor(report))

    return code


def predict(
    golds: Sequence[GoldRow],
    coder: Coder,
    problems: list[str],
    on_row: Callable[[int], None] | None = None,
) -> dict[str, Extraction]:
    """Codings per gold row_id; a row whose extraction fails gets none (and a problem)."""
    by_report: dict[str, Extraction] = {}
    predictions: dict[str, Extraction] = {}
    for gold in golds:
        report_id = gold.report.report_id
        if report_id not in by_report:  # a repeated article is coded once
            try:
                by_report[report_id] = coder(gold.report)
            except SitrepError as error:
                problems.append(f"{gold.row_id}: extraction failed, scored as no event: {error}")
                by_report[report_id] = Extraction(report_id=report_id)
        predictions[gold.row_id] = by_report[report_id]
        if on_row is not None:
            on_row(len(golds))
    return predictions


def _with_firings(scores: list[RuleScore], codings: Iterable[Extraction]) -> list[RuleScore]:
    """The rules' scores with how often each fired over the distinct reports coded, most
    fired first."""
    fired: Counter[str] = Counter()
    for coding in {id(c): c for c in codings}.values():
        fired.update(s.rule for s in coding.suppressions)
        for event in coding.events:
            # one evidence serves all place fields: count it once
            for evidence in {id(e): e for e in event.evidence.values()}.values():
                fired.update(filter(None, [evidence.rule, *evidence.amended_by]))
    by_id = {score.rule: score for score in scores}
    for rule, count in fired.items():
        by_id.setdefault(rule, RuleScore(rule=rule)).fired = count
    return sorted(by_id.values(), key=lambda s: (-s.fired, -s.scored, s.rule))


class Ablation(NamedTuple):
    """The same gold scored with every rule on and with some switched off."""

    full: EvaluationResult
    without: EvaluationResult
    rule_ids: tuple[str, ...]

    def deltas(self) -> dict[str, float]:
        """Each metric's change when the rules are off (negative: the rules help)."""
        return {
            name: self.without.metrics[name] - value for name, value in self.full.metrics.items()
        }


def evaluate_without(
    path: Path,
    gold_format: GoldFormat,
    rule_ids: Sequence[str],
    *,
    limit: int | None = None,
    sample: int | None = None,
    half: str | None = None,
    engine: Engine | None = None,
    on_row: Callable[[int], None] | None = None,
) -> Ablation:
    """Score the gold with the engine, then with `rule_ids` switched off (models shared)."""
    full_engine = engine or default_engine()
    ablated = full_engine.without(*rule_ids)  # unknown ids are refused before any coding
    full, without = (
        evaluate_file(
            path,
            gold_format,
            limit=limit,
            sample=sample,
            half=half,
            engine=coder,
            on_row=on_row,
        )
        for coder in (full_engine, ablated)
    )
    return Ablation(full, without, tuple(rule_ids))


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
