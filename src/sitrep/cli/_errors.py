"""How a command reports a deliberate error: one line on stderr, exit code 1."""

from __future__ import annotations

import typer
from rich.console import Console

from sitrep.errors import SitrepError


def fail(error: SitrepError) -> typer.Exit:
    """Print the error's one-line message on stderr; raise the returned Exit."""
    Console(stderr=True, highlight=False).print(f"error: {error}", markup=False)
    return typer.Exit(code=1)
