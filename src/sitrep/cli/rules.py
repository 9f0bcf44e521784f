"""`sitrep rules`: the rule registry, and what one rule decides and why."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sitrep.cli._errors import fail
from sitrep.engine import STAGES
from sitrep.errors import SitrepError
from sitrep.rules import load_rules

rules_app = typer.Typer(
    help="The extraction rules: ids, the field each decides, and why.",
    no_args_is_help=False,
    invoke_without_command=True,
)


@rules_app.callback()
def list_rules(
    ctx: typer.Context,
    stage: Annotated[
        str | None, typer.Option(help="Only this stage's rules (events, geo, actors, link).")
    ] = None,
) -> None:
    """List every rule: id, field decided, statement."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table(title="sitrep rules (`sitrep rules show ID` explains one)")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("field")
    table.add_column("statement")
    shown = [rule for rule in load_rules() if stage is None or rule.stage == stage]
    for rule in shown:
        table.add_row(rule.id, rule.field, rule.statement)
    Console().print(table)
    typer.echo(f"{len(shown)} rules", err=True)


@rules_app.command("show")
def show_rule(rule_id: Annotated[str, typer.Argument(metavar="ID", help="A rule id.")]) -> None:
    """Explain one rule: its statement, reason, stage and examples."""
    try:
        rule = load_rules().get(rule_id)
    except SitrepError as error:
        raise fail(error) from None
    console = Console(highlight=False)
    console.print(f"[bold cyan]{rule.id}[/] decides [bold]{rule.field}[/] ({rule.stage} stage)")
    console.print(f"statement: {rule.statement}")
    console.print(f"reason:    {rule.reason}")
    for example in rule.examples:
        expect = ", ".join(f"{k}={v}" for k, v in example.expect.items())
        dated = f" [{example.date}]" if example.date else ""
        console.print(f"example:   “{example.text}”{dated} -> {expect}")
        for other in example.also:
            console.print(f"  with:    “{other.text}”")
    if rule.no_example:
        console.print(f"no example: {rule.no_example}")


@rules_app.command("stages")
def list_stages() -> None:
    """The pipeline's stages in order, the fields each writes, and how many rules each has."""
    counts: dict[str, int] = {}
    for rule in load_rules():
        counts[rule.stage] = counts.get(rule.stage, 0) + 1
    table = Table(title="pipeline stages")
    table.add_column("stage")
    table.add_column("function")
    table.add_column("writes")
    for stage in STAGES:
        table.add_row(stage.name, stage.function, ", ".join(stage.writes))
    Console().print(table)
    typer.echo(
        "rules per stage folder: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        err=True,
    )


def register(app: typer.Typer) -> None:
    """Add `sitrep rules` to the `sitrep` app."""
    app.add_typer(rules_app, name="rules")
