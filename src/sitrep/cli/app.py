"""The `sitrep` command: each sub-module registers its own commands."""

from __future__ import annotations

import typer

from sitrep.cli import (
    backup,
    corpus,
    evaluate,
    extract,
    gazetteer,
    link,
    reextract,
    rules,
    web,
)

app = typer.Typer(
    name="sitrep",
    help="Conflict reports in; verified, geocoded ACLED-style events with evidence out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def version() -> None:
    """Print sitrep's version and the spaCy model it uses."""
    from importlib.metadata import version as package_version

    from sitrep.nlp.model import installed_model_package

    typer.echo(f"sitrep {package_version('sitrep')} (model: {installed_model_package()})")


for module in (extract, reextract, evaluate, gazetteer, corpus, rules, link, web, backup):
    module.register(app)


def main() -> None:
    app()
