"""`sitrep evaluate`: score the pipeline against FA-KES or ACLED gold data."""

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
from sitrep.evaluate import EvaluationResult, evaluate_file, write_misses


class GoldFormatOption(str, Enum):
    fakes = "fakes"
    acled = "acled"


def evaluate_cli(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The gold CSV file.", show_default=False)
    ],
    gold_format: Annotated[
        GoldFormatOption,
        typer.Option(
            "--format",
            help="fakes: FA-KES articles with crowd-extracted gold; acled: an ACLED export.",
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
            help="Write every miss (row id, field, gold, predicted, evidence): "
            "CSV if the name ends in .csv, else JSON Lines.",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N rows.")
    ] = None,
) -> None:
    """Score sitrep's events against gold data and print the metrics."""
    console = Console(stderr=True)
    try:
        quiet = as_json or not console.is_terminal
        with Progress(console=console, transient=True, disable=quiet) as progress:
            task = progress.add_task("coding reports", total=None)

            def advance(total: int) -> None:
                progress.update(task, total=total, advance=1)

            result = evaluate_file(file, gold_format.value, limit=limit, on_row=advance)
        if errors is not None:
            write_misses(result.misses, errors)
    except SitrepError as error:
        typer.echo(f"error: {error}", err=True)  # one line, never wrapped
        raise typer.Exit(code=1) from None
    if as_json:
        typer.echo(json.dumps(result.summary()))
    else:
        Console().print(metrics_table(result, file))
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


def register(app: typer.Typer) -> None:
    """Add `sitrep evaluate` to the `sitrep` app."""
    app.command("evaluate")(evaluate_cli)
