"""`sitrep evaluate`: score the pipeline against FA-KES, ACLED or UCDP GED gold data."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from sitrep.errors import SitrepError
from sitrep.evaluate import (
    Ablation,
    EvaluationResult,
    evaluate_file,
    evaluate_without,
    write_misses,
)
from sitrep.rules import load_rules


class GoldFormatOption(str, Enum):
    fakes = "fakes"
    acled = "acled"
    maverick = "maverick"
    ucdp = "ucdp"


class HalfOption(str, Enum):
    A = "A"
    B = "B"


def evaluate_cli(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The gold CSV file.", show_default=False)
    ],
    gold_format: Annotated[
        GoldFormatOption,
        typer.Option(
            "--format",
            help="fakes: FA-KES articles with crowd-extracted gold; acled: an ACLED export; "
            "maverick: MAVERICK report-level records, scoring cross-report linking; "
            "ucdp: UCDP GED events (their source headlines; places only).",
            show_default=False,
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help='Print one JSON object {"format", "n", "metrics"}.')
    ] = False,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Write every miss (row id, field, gold, predicted, evidence, the rule that "
            "decided the value): CSV if the name ends in .csv, else JSON Lines.",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N rows.")
    ] = None,
    by_rule: Annotated[
        bool,
        typer.Option(
            "--by-rule",
            help="Also print, per rule id, how often it fired, how often the field it "
            "decided matched gold, and the misses it caused.",
        ),
    ] = False,
    without: Annotated[
        str | None,
        typer.Option(
            "--without",
            metavar="ID[,ID...]",
            help="Score again with these rules switched off and print every metric's change.",
        ),
    ] = None,
    cross_validate: Annotated[
        bool,
        typer.Option(
            "--cross-validate",
            help="maverick: link each election with a scorer learned on the other "
            "elections only (held-out figures).",
        ),
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", min=1, help="Score a fixed sample: the N rows whose id hashes lowest."
        ),
    ] = None,
    half: Annotated[
        HalfOption | None,
        typer.Option(
            "--half", help="Score only half A or B of the rows (sha256 of the row id, even = A)."
        ),
    ] = None,
) -> None:
    """Score sitrep's events against gold data and print the metrics."""
    console = Console(stderr=True)
    ablation: Ablation | None = None
    try:
        quiet = as_json or not console.is_terminal
        with Progress(console=console, transient=True, disable=quiet) as progress:
            task = progress.add_task("coding reports", total=None)

            def advance(total: int) -> None:
                progress.update(task, total=total, advance=1)

            chosen = half.value if half else None
            if gold_format is GoldFormatOption.maverick:
                from sitrep.evaluate._linking import evaluate_maverick

                result = evaluate_maverick(file, limit=limit, cross_validate=cross_validate)
            elif without:
                rule_ids = [part.strip() for part in without.split(",") if part.strip()]
                ablation = evaluate_without(
                    file,
                    gold_format.value,
                    rule_ids,
                    limit=limit,
                    sample=sample,
                    half=chosen,
                    on_row=advance,
                )
                result = ablation.full
            else:
                result = evaluate_file(
                    file,
                    gold_format.value,
                    limit=limit,
                    sample=sample,
                    half=chosen,
                    on_row=advance,
                )
        if errors is not None:
            write_misses(result.misses, errors)
    except SitrepError as error:
        typer.echo(f"error: {error}", err=True)  # one line, never wrapped
        raise typer.Exit(code=1) from None
    if as_json:
        summary = result.summary()
        if ablation is not None:
            summary["without"] = {"rules": list(ablation.rule_ids), "delta": ablation.deltas()}
        typer.echo(json.dumps(summary))
    elif ablation is not None:
        Console().print(ablation_table(ablation, file))
    else:
        Console().print(metrics_table(result, file))
    if by_rule and not as_json:
        Console().print(rules_table(result))
    for problem in result.problems:
        typer.echo(f"problem: {problem}", err=True)
    for contradiction in result.gold_contradictions:
        typer.echo(f"gold contradiction: {contradiction}", err=True)
    if errors is not None:
        console.print(f"{len(result.misses)} misses written to {errors}", highlight=False)


def metrics_table(result: EvaluationResult, file: Path) -> Table:
    table = Table(title=f"{result.format}: {file.name}, {result.n} rows")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in result.metrics.items():
        table.add_row(name, f"{value:.3f}")
    return table


def ablation_table(ablation: Ablation, file: Path) -> Table:
    """Every metric with all rules on, with the rules off, and the change."""
    title = f"{ablation.full.format}: {file.name}, {ablation.full.n} rows"
    table = Table(title=f"{title}, without {', '.join(ablation.rule_ids)}")
    table.add_column("metric")
    table.add_column("all rules", justify="right")
    table.add_column("without", justify="right")
    table.add_column("change", justify="right")
    deltas = ablation.deltas()
    for name, value in ablation.full.metrics.items():
        table.add_row(
            name, f"{value:.3f}", f"{ablation.without.metrics[name]:.3f}", f"{deltas[name]:+.3f}"
        )
    return table


def rules_table(result: EvaluationResult) -> Table:
    """Per rule: fired, fields scored, right, misses caused."""
    table = Table(title="by rule (fired: recorded in events or suppressions)")
    table.add_column("rule")
    table.add_column("field")
    table.add_column("fired", justify="right")
    table.add_column("scored", justify="right")
    table.add_column("right", justify="right")
    table.add_column("misses", justify="right")
    rules = load_rules()
    for score in result.by_rule:
        field = rules.get(score.rule).field if score.rule in rules else "?"
        table.add_row(
            score.rule,
            field,
            str(score.fired),
            str(score.scored),
            str(score.right),
            str(score.misses),
        )
    return table


def register(app: typer.Typer) -> None:
    """Add `sitrep evaluate` to the `sitrep` app."""
    app.command("evaluate")(evaluate_cli)
