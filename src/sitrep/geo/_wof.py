"""Who's On First places (localities and neighbourhoods): reading the per-country TSV, and the compact copy sitrep ships.

The TSV (columns described in the gazetteer README of the dev data) is what `sitrep
gazetteer vendor` reads to write `data/wof_places.tsv.gz`, which the index build merges
into GeoNames cities500, and what `sitrep gazetteer import` accepts for any other country.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from sitrep.errors import GazetteerError
from sitrep.geo._gazetteer import GazetteerEntry, worth_indexing
from sitrep.geo._text import load_data

#: The columns a WOF places TSV must have (others are ignored).
WOF_COLUMNS = (
    "wof_id",
    "country",
    "placetype",
    "name",
    "name_ar",
    "alt_names",
    "lat",
    "lon",
    "gn_id",
    "gn_fcode",
    "population",
    "region_name",
    "admin1_gn",
    "county_name",
    "deprecated",
)
#: WOF place type -> (GeoNames feature class, default feature code). Regions and countries
#: are not read (first-level divisions and countries come from the curated tables), nor
#: are districts: named like their towns and carrying their whole population, they would
#: outrank the towns; each place keeps its district's name as admin2.
_PLACETYPES = {
    "locality": ("P", "PPL"),
    "neighbourhood": ("P", "PPLX"),
}
VENDORED = "wof_places.tsv.gz"
ATTRIBUTION = (
    "Contains data from Who's On First (https://whosonfirst.org/docs/licenses/), GeoNames "
    "(CC BY 4.0, https://www.geonames.org) and foursquare Quattroshapes (CC BY)."
)
#: Columns of the vendored file, in order.
_VENDORED_COLUMNS = (
    "id",
    "name",
    "lat",
    "lon",
    "country",
    "admin1",
    "admin2",
    "population",
    "feature_class",
    "feature_code",
    "names",
)


def _number(value: str, what: str, where: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise GazetteerError(
            f"{where}: {what} {value!r} is not a number; is this a Who's On First places TSV?"
        ) from None


def read_wof_places(path: Path) -> Iterator[tuple[GazetteerEntry, list[str]]]:
    """(entry, names) per current place of a Who's On First places TSV."""
    missing_codes: dict[str, dict[str, str]] = load_data("wof_admin1.yaml")
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise GazetteerError(
            f"cannot read {path}: {exc.strerror}; pass a Who's On First places TSV"
        ) from exc
    with handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in WOF_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise GazetteerError(
                f"{path} is not a Who's On First places TSV: no column(s) {', '.join(missing)}"
            )
        for row in reader:
            kind = _PLACETYPES.get(row["placetype"])
            if kind is None or row["deprecated"]:
                continue
            where = f"{path}:{reader.line_num}"
            wof_id = int(_number(row["wof_id"], "wof_id", where))
            gn_id = int(_number(row["gn_id"], "gn_id", where)) if row["gn_id"] else 0
            country = row["country"]
            admin1 = row["admin1_gn"] or missing_codes.get(country, {}).get(row["region_name"], "")
            entry = GazetteerEntry(
                # places without a GeoNames id keep WOF's, negated so the two never meet
                geonameid=gn_id or -wof_id,
                name=row["name"],
                latitude=_number(row["lat"], "lat", where),
                longitude=_number(row["lon"], "lon", where),
                country=country,
                admin1=admin1,
                admin2=row["county_name"],
                population=int(_number(row["population"] or "0", "population", where)),
                feature_class=kind[0],
                feature_code=row["gn_fcode"] or kind[1],
            )
            names = [row["name"], row["name_ar"], *row["alt_names"].split("|")]
            yield entry, [n for n in dict.fromkeys(names) if worth_indexing(n)]


def write_vendored(rows: Iterable[tuple[GazetteerEntry, list[str]]], target: Path) -> int:
    """Write places as the compact gzip TSV the package ships; returns rows written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
    writer.writerow(_VENDORED_COLUMNS)
    count = 0
    for entry, names in sorted(rows, key=lambda row: (row[0].country, row[0].geonameid)):
        writer.writerow(
            [
                entry.geonameid,
                entry.name,
                f"{entry.latitude:.5f}",
                f"{entry.longitude:.5f}",
                entry.country,
                entry.admin1,
                entry.admin2,
                entry.population,
                entry.feature_class,
                entry.feature_code,
                "|".join(n for n in names if n != entry.name),
            ]
        )
        count += 1
    # no name, mtime=0: the same sources always give the same bytes
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as packed,
    ):
        packed.write(buffer.getvalue().encode("utf-8"))
    return count


def vendor_gazetteer(sources: Iterable[Path], target: Path) -> int:
    """Derive the shipped gazetteer file from Who's On First places TSVs."""
    rows = [row for source in sources for row in read_wof_places(source)]
    try:
        return write_vendored(rows, target)
    except OSError as exc:
        raise GazetteerError(f"cannot write {target}: {exc.strerror}") from exc


def read_vendored() -> Iterator[tuple[GazetteerEntry, list[str]]]:
    """The places of the shipped Who's On First derivative (Syria and Iraq)."""
    path = resources.files("sitrep.geo") / "data" / VENDORED
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    lines = text.splitlines()
    for line in lines[1:]:
        cols = line.split("\t")
        entry = GazetteerEntry(
            geonameid=int(cols[0]),
            name=cols[1],
            latitude=float(cols[2]),
            longitude=float(cols[3]),
            country=cols[4],
            admin1=cols[5],
            admin2=cols[6],
            population=int(cols[7]),
            feature_class=cols[8],
            feature_code=cols[9],
        )
        yield entry, [entry.name, *(n for n in cols[10].split("|") if n)]
