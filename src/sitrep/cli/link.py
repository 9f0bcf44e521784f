"""`sitrep link`: put every stored event into an incident (the same incident told by
several reports becomes one), incrementally or, with --rebuild, from scratch."""

from __future__ import annotations

from typing import Annotated

import typer

from sitrep.cli.extract import Db, _errors_as_one_line, _stderr
from sitrep.link.store import Incidents
from sitrep.store import DEFAULT_DB_URL, Store


def link_cli(
    db: Db = DEFAULT_DB_URL,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Re-link every event from scratch (analysts' merges, splits and "
            "confirmations are replayed).",
        ),
    ] = False,
) -> None:
    """Link stored events into incidents: events not yet linked, or all with --rebuild."""
    with _errors_as_one_line():
        incidents = Incidents(Store(db))
        summary = incidents.rebuild() if rebuild else incidents.link_pending()
    _stderr.print(
        f"{summary.events_linked} events linked, {summary.joined} of them to another "
        f"report's incident; {summary.incidents} incidents in the database",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add `sitrep link` to the `sitrep` app."""
    app.command("link")(link_cli)
