"""Each rule switched off in turn, on every dev set at hand: does it help where it was not
written?

    .venv/bin/python bench/ablate.py --rules actor.inferred-perpetrator,toll.first-figure
        [--fakes ../shared/data/fakes_dev.csv] [--acled tests/evaluate/fixtures/X.csv ...]
        [--ucdp ../shared/data/ucdp_syria_dev.csv --ucdp-rows 400]

Each report is coded once per engine (all rules on, then each rule off); FA-KES is scored
on the whole set and on its halves A and B (`sha256(unit_id) % 2`, even = A, as
docs/evaluation.md describes). UCDP GED headlines are scored on two things a headline
states: the province (admin1) and UCDP's type of violence (1 state-based, 2 non-state,
3 one-sided) read off the first violent event's actors. Prints a Markdown table of each
metric with all rules on and its change with each rule off. Not a test: a measurement.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sitrep.engine import Engine
from sitrep.evaluate import FORMATS, GoldRow, predict, score_acled, score_fakes
from sitrep.evaluate._fakes import violent_events
from sitrep.geo import same_admin1
from sitrep.models import Event, Extraction, Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

#: A metric table: dataset -> metric -> value.
Scores = dict[str, dict[str, float]]


def half_of(row_id: str) -> str:
    unit_id = row_id.split("#")[0]
    return "A" if int(hashlib.sha256(unit_id.encode()).hexdigest(), 16) % 2 == 0 else "B"


#: The pseudo-rule of the event-age cut as it was (events older than 7 days dropped): the
#: engine now keeps them flagged `old_event`; dropping the flagged ones reproduces the cut.
OLD_CUT = "the 7-day cut (drop old_event)"


class Coder:
    """An engine, and whether events flagged old are dropped (the former cut)."""

    def __init__(self, engine: Engine, drop_old: bool = False) -> None:
        self.engine, self.drop_old = engine, drop_old

    def events(self, report: Report) -> list[Event]:
        return self.code(report).events

    def code(self, report: Report) -> Extraction:
        coding = self.engine.code(report)
        if self.drop_old:
            coding.events = [e for e in coding.events if "old_event" not in e.flags]
        return coding


def _coded(golds: Sequence[GoldRow], coder: Coder) -> dict[str, list[Event]]:
    codings: dict[str, Extraction] = predict(golds, coder.code, [])
    return {row: coding.events for row, coding in codings.items()}


def fakes_scores(path: Path, engine: Coder) -> Scores:
    golds, _ = FORMATS["fakes"].read(path)
    events = _coded(golds, engine)
    scores: Scores = {"FA-KES dev": score_fakes(golds, events).metrics}
    for half in ("A", "B"):
        part = [g for g in golds if half_of(g.row_id) == half]
        scores[f"FA-KES {half}"] = score_fakes(part, events).metrics
    return scores


def acled_scores(path: Path, engine: Coder) -> Scores:
    golds, _ = FORMATS["acled"].read(path)
    metrics = score_acled(golds, _coded(golds, engine)).metrics
    keep = ("event_type_acc", "sub_event_type_acc", "fatalities_exact", "actor1_acc", "admin1_acc")
    return {path.stem: {k: v for k, v in metrics.items() if k in keep}}


def violence_type(event: Event) -> int:
    """UCDP's type of violence of an event, from its actors' inter codes."""
    inters = {actor.inter for actor in (event.actor1, event.actor2) if actor is not None}
    if 7 in inters or event.event_type == "Violence against civilians":
        return 3
    return 1 if inters & {1, 8} else 2


def ucdp_scores(path: Path, rows: int, engine: Coder) -> Scores:
    with path.open(encoding="utf-8") as handle:
        every = list(csv.DictReader(handle))
    step = max(1, len(every) // rows)
    sample = every[::step][:rows]
    admin1_right = type_right = 0
    for row in sample:
        report = Report(
            text=row["source_headline"], published=date.fromisoformat(row["date_start"])
        )
        violent = violent_events(engine.events(report))
        first = violent[0] if violent else None
        gold_admin1 = row["adm_1"].removesuffix(" Governorate").removesuffix(" governorate")
        predicted = first.place.admin1 if first and first.place and first.place.admin1 else ""
        admin1_right += bool(predicted) and same_admin1(predicted, gold_admin1)
        type_right += first is not None and violence_type(first) == int(row["type_of_violence"])
    n = len(sample)
    return {f"UCDP headlines ({n})": {"admin1_acc": admin1_right / n, "type_acc": type_right / n}}


def measure(args: argparse.Namespace, engine: Coder) -> Scores:
    scores: Scores = {}
    if args.fakes.exists():
        scores |= fakes_scores(args.fakes, engine)
    for path in args.acled:
        scores |= acled_scores(path, engine)
    if args.ucdp.exists() and args.ucdp_rows:
        scores |= ucdp_scores(args.ucdp, args.ucdp_rows, engine)
    return scores


def table(full: Scores, without: dict[str, Scores]) -> str:
    rules = list(without)
    lines = [
        "| data | metric | all rules | " + " | ".join(f"without {r}" for r in rules) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in rules) + " |",
    ]
    for data, metrics in full.items():
        for metric, value in metrics.items():
            deltas = [without[r][data][metric] - value for r in rules]
            cells = " | ".join(f"{d:+.3f}" if round(d, 3) else "0" for d in deltas)
            lines.append(f"| {data} | {metric} | {value:.3f} | {cells} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", required=True, help="Rule ids, comma-separated.")
    parser.add_argument("--fakes", type=Path, default=SHARED / "fakes_dev.csv")
    parser.add_argument("--acled", type=Path, nargs="*", default=[])
    parser.add_argument("--ucdp", type=Path, default=SHARED / "ucdp_syria_dev.csv")
    parser.add_argument("--ucdp-rows", type=int, default=400)
    args = parser.parse_args(argv)
    engine = Engine()
    rule_ids = [r.strip() for r in args.rules.split(",") if r.strip()]
    ablated = {OLD_CUT: Coder(engine, drop_old=True)}
    ablated |= {rule: Coder(engine.without(rule)) for rule in rule_ids}  # unknown ids fail here
    full = measure(args, Coder(engine))
    without: dict[str, Scores] = {}
    for rule, coder in ablated.items():
        without[rule] = measure(args, coder)
        out(table(full, without) + "\n")  # the table so far: a long run is readable early


if __name__ == "__main__":
    main()
