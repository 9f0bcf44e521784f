"""`sitrep reextract`: code a stored report again with a corrected date or language."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from sitrep.cli._errors import fail
from sitrep.cli.extract import Db
from sitrep.errors import SitrepError
from sitrep.ingest import parse_report_date, reextract_report
from sitrep.store import DEFAULT_DB_URL, Store


def reextract_cli(
    report_id: Annotated[
        str, typer.Argument(help="The report's id (an event id without its -NN suffix).")
    ],
    report_date: Annotated[
        str | None, typer.Option("--date", help="The report's corrected date (2015-11-20).")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="The report's corrected language (en).")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who re-extracts, for the audit trail.")
    ] = None,
    discard_unmatched: Annotated[
        bool,
        typer.Option(
            "--discard-unmatched",
            help="Re-extract even when reviewed or corrected events have no new counterpart.",
        ),
    ] = False,
    db: Db = DEFAULT_DB_URL,
) -> None:
    """Extract a stored report again, keeping its reviews, corrections and audit trail."""
    try:
        published = parse_report_date(report_date) if report_date is not None else None
        result = reextract_report(
            Store(db),
            report_id.rsplit("-", 1)[0] if "-" in report_id else report_id,
            user=user or os.environ.get("USER") or "cli",
            published=published,
            language=language,
            discard_unmatched=discard_unmatched,
        )
    except SitrepError as error:
        raise fail(error) from None
    typer.echo(f"{result.report_id}: {result.events} events")
    for old, new in result.carried.items():
        typer.echo(f"kept: the review and corrections of {old} now belong to {new}")
    for old in result.dropped:
        typer.echo(f"dropped: {old} had a review or corrections and no new counterpart", err=True)


def register(app: typer.Typer) -> None:
    """Add `sitrep reextract` to the `sitrep` app."""
    app.command("reextract")(reextract_cli)
