"""`sitrep gazetteer build|import|lookup`: the local gazetteer behind geocoding."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sitrep.cli._errors import fail
from sitrep.errors import SitrepError

gazetteer_app = typer.Typer(
    help="Build, extend and query the offline gazetteer (GeoNames, Who's On First).",
    no_args_is_help=True,
)
_stderr = Console(stderr=True, highlight=False)


@gazetteer_app.command("build")
def build_cli(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if the cache exists.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
) -> None:
    """Index GeoNames cities500, provinces and regions once into the on-disk cache."""
    from sitrep.geo import build_cache

    started = time.perf_counter()
    try:
        path = build_cache(force=force)
    except SitrepError as error:
        raise fail(error) from None
    if not quiet:
        typer.echo(f"gazetteer cache ready: {path} ({time.perf_counter() - started:.1f} s)")


@gazetteer_app.command("import")
def import_cli(
    file: Annotated[
        Path,
        typer.Argument(
            help="A GeoNames dump (XX.txt, tab-separated) or a Who's On First places TSV."
        ),
    ],
) -> None:
    """Add every place of a GeoNames country dump or a Who's On First places TSV."""
    from sitrep.geo import import_geonames_dump

    try:
        added = import_geonames_dump(file)
    except SitrepError as error:
        raise fail(error) from None
    typer.echo(f"imported {added} places from {file}")


@gazetteer_app.command("vendor")
def vendor_cli(
    sources: Annotated[
        list[Path],
        typer.Argument(help="Who's On First places TSVs (../shared/data/gazetteer/wof_*.tsv)."),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Where to write (default: the package's data file)."),
    ] = None,
) -> None:
    """Derive the compact gazetteer file sitrep ships from Who's On First places TSVs
    (maintainers only: rerun when the sources change, then `sitrep gazetteer build --force`)."""
    from importlib import resources

    from sitrep.geo._wof import VENDORED, vendor_gazetteer

    target = out or Path(str(resources.files("sitrep.geo") / "data" / VENDORED))
    try:
        written = vendor_gazetteer(sources, target)
    except SitrepError as error:
        raise fail(error) from None
    size = target.stat().st_size / 1e6
    typer.echo(f"wrote {written} places to {target} ({size:.1f} MB)")


@gazetteer_app.command("lookup")
def lookup_cli(
    name: Annotated[str, typer.Argument(help="A place name as written in a report.")],
    limit: Annotated[int, typer.Option(help="Show at most this many referents.")] = 10,
    country: Annotated[
        str | None,
        typer.Option("--country", help="Only referents in this country (ISO2 code or name)."),
    ] = None,
) -> None:
    """List what a name may refer to, most populous first."""
    from sitrep.geo import GeoNamesGeocoder

    geocoder = GeoNamesGeocoder()
    try:
        entries = geocoder.lookup(name, country)[:limit]
    except SitrepError as error:
        raise fail(error) from None
    if not entries:
        where = f" in {country}" if country else ""
        _stderr.print(
            f"{name!r} is not in the gazetteer{where}; `sitrep gazetteer import` adds villages"
        )
        raise typer.Exit(code=1)
    table = Table(
        "geonameid", "name", "kind", "admin1", "admin2", "country", "population", "lat", "lon"
    )
    for entry in entries:
        admin1 = geocoder.admin1(entry.country, entry.admin1)
        state = geocoder.country(entry.country)
        table.add_row(
            str(entry.geonameid),
            entry.name,
            entry.feature_code,
            admin1.name if admin1 else entry.admin1,
            entry.admin2,
            state.name if state else entry.country,
            str(entry.population),
            f"{entry.latitude:.4f}",
            f"{entry.longitude:.4f}",
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add `sitrep gazetteer ...` to the `sitrep` app."""
    app.add_typer(gazetteer_app, name="gazetteer")
