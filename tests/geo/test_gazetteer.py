"""The gazetteer index: cache, names, divisions, and importing a GeoNames dump."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import sitrep.geo
from sitrep.errors import GazetteerError
from sitrep.geo import GeoNamesGeocoder, cache_path, import_geonames_dump
from sitrep.geo._gazetteer import STALE_CACHE_SECONDS, load_index, remove_stale_caches
from sitrep.geo._wof import ATTRIBUTION, vendor_gazetteer

FIXTURES = Path(__file__).parent / "fixtures"


def test_names_and_variants_reach_the_same_place(geonames: GeoNamesGeocoder) -> None:
    for name in ("Deir ez-Zor", "Deir Ezzor", "Deir al-Zour", "Dayr az Zawr", "دير الزور"):
        assert 170794 in [e.geonameid for e in geonames.lookup(name)], name
    for name in ("al-Bukamal", "Abu Kamal"):
        assert geonames.lookup(name)[0].geonameid == 174448, name
    for name in ("Raqqa", "Raqa", "ar-Raqqah"):
        assert geonames.lookup(name)[0].geonameid == 172955, name
    for name in ("Kobani", "Ayn al-Arab"):
        assert geonames.lookup(name)[0].geonameid == 172256, name
    for name in ("Tal Afar", "Tall Afar"):
        assert geonames.lookup(name)[0].geonameid == 90393, name


def test_every_country_has_places_and_divisions(geonames: GeoNamesGeocoder) -> None:
    for iso2, town in (("SY", "Aleppo"), ("IQ", "Mosul"), ("NG", "Maiduguri"), ("CO", "Medellin")):
        assert geonames.country(iso2) is not None
        entries = [e for e in geonames.lookup(town) if e.country == iso2]
        assert entries, town
        assert geonames.admin1(iso2, entries[0].admin1) is not None, town


#: ACLED's admin1 spellings for Syria and Iraq, as issue 12 lists them.
ACLED_ADMIN1 = {
    "SY": "Aleppo, Al-Hasakeh, Ar-Raqqa, As-Sweida, Damascus, Dar'a, Deir-ez-Zor, Hama, Homs, "
    "Idleb, Lattakia, Quneitra, Rural Damascus, Tartous",
    "IQ": "Anbar, Babylon, Baghdad, Basrah, Dahuk, Diyala, Erbil, Kerbala, Kirkuk, Missan, "
    "Muthanna, Najaf, Ninewa, Qadissiya, Sala al-Din, Sulaymaniyah, Thi-Qar, Wassit",
}


@pytest.mark.parametrize("iso2", ["SY", "IQ"])
def test_admin1_names_as_acled_writes_them(geonames: GeoNamesGeocoder, iso2: str) -> None:
    index = load_index()
    names = {a.name for (country, _), a in index.admin1s.items() if country == iso2}
    assert names == set(ACLED_ADMIN1[iso2].split(", "))
    for (country, code), admin1 in index.admin1s.items():
        if country == iso2:
            assert admin1.latitude != 0.0, admin1.name  # coded to its capital or centre


def test_halabja_is_folded_into_sulaymaniyah(geonames: GeoNamesGeocoder) -> None:
    towns = [e for e in geonames.lookup("Halabja") if e.country == "IQ" and e.feature_class == "P"]
    assert towns
    assert {geonames.admin1("IQ", e.admin1).name for e in towns} == {"Sulaymaniyah"}  # type: ignore[union-attr]


def test_the_cache_exists_and_is_keyed_by_package_version(geonames: GeoNamesGeocoder) -> None:
    assert geonames.lookup("Homs")
    path = cache_path()
    assert path.exists()
    assert "geonamescache3.0.2" in path.name


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache dir of its own (sharing the built index) so imports touch nothing else."""
    built = cache_path()
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    os.symlink(built, cache_path())
    load_index.cache_clear()
    yield tmp_path
    load_index.cache_clear()


def test_import_adds_villages_with_their_alternate_names(private_cache: Path) -> None:
    geocoder = GeoNamesGeocoder()
    assert not [e for e in geocoder.lookup("Tall Zuhur") if e.country == "SY"]
    added = import_geonames_dump(FIXTURES / "XX_villages.txt")
    assert added == 3  # the stream (class H) is not a place reports locate events in
    kinda = [e for e in geocoder.lookup("Kindeh") if e.geonameid == 9900001]
    assert len(kinda) == 1
    assert geocoder.admin1("SY", kinda[0].admin1).name == "Idleb"  # type: ignore[union-attr]
    assert kinda[0].admin2 == "Idlib"  # admin2 code 169388 names Idlib District
    assert geocoder.lookup("Tell Zuhour")[0].geonameid == 9900002
    assert geocoder.lookup("Jebel Bardawil")[0].feature_class == "T"
    assert not geocoder.lookup("Qatif Stream")
    # importing again replaces, never duplicates
    import_geonames_dump(FIXTURES / "XX_villages.txt")
    assert [e.geonameid for e in geocoder.lookup("Kinda") if e.geonameid == 9900001] == [9900001]


def test_import_refuses_a_file_that_is_not_a_dump(private_cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("Kinda is a village in Idlib\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="19"):
        import_geonames_dump(bad)
    with pytest.raises(GazetteerError, match="cannot read"):
        import_geonames_dump(tmp_path / "missing.txt")


def test_only_caches_unused_for_a_day_are_removed(tmp_path: Path) -> None:
    # Another checkout sharing the folder may still read a cache built by another version.
    now = 1_800_000_000.0
    current, fresh, old = (tmp_path / f"gazetteer-{n}.pickle" for n in ("new", "other", "old"))
    for path, age in (
        (current, 2 * STALE_CACHE_SECONDS),
        (fresh, 60),
        (old, 2 * STALE_CACHE_SECONDS),
    ):
        path.write_bytes(b"")
        os.utime(path, (now - age, now - age))
    remove_stale_caches(current, now)
    assert sorted(p.name for p in tmp_path.iterdir()) == [current.name, fresh.name]


def test_import_reads_a_whos_on_first_places_tsv(private_cache: Path) -> None:
    geocoder = GeoNamesGeocoder()
    assert not geocoder.lookup("Zqarbeel")
    added = import_geonames_dump(FIXTURES / "wof_places_xx.tsv")
    assert added == 3  # the region and the deprecated locality are not places to code to
    village = geocoder.lookup("Zuqarbil")[0]
    assert geocoder.lookup("زقربيل")[0] == village  # the Arabic name is indexed too
    assert (village.country, village.admin2) == ("SY", "Harim")
    assert geocoder.admin1("SY", village.admin1).name == "Idleb"  # type: ignore[union-attr]
    # WOF rows of Kirkuk and Halabja lack a GeoNames admin1 code: filed by region name
    kirkuk = geocoder.lookup("Tall Qawzarah")[0]
    assert geocoder.admin1("IQ", kirkuk.admin1).name == "Kirkuk"  # type: ignore[union-attr]
    halabja = geocoder.lookup("Qalat Warda")[0]
    assert geocoder.admin1("IQ", halabja.admin1).name == "Sulaymaniyah"  # type: ignore[union-attr]
    assert not geocoder.lookup("Old Zqarbeel")


def test_vendoring_is_reproducible_and_shipped_with_its_attribution(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    assert vendor_gazetteer([FIXTURES / "wof_places_xx.tsv"], first) == 3
    vendor_gazetteer([FIXTURES / "wof_places_xx.tsv"], second)
    assert first.read_bytes() == second.read_bytes()
    shipped = Path(sitrep.geo.__file__).parent / "data"
    assert ATTRIBUTION.split(" (")[0] in (shipped / "README.md").read_text(encoding="utf-8")
    assert (shipped / "wof_places.tsv.gz").stat().st_size < 5_000_000


def test_the_shipped_gazetteer_knows_syrian_and_iraqi_villages_by_every_name(
    geonames: GeoNamesGeocoder,
) -> None:
    # a village cities500 lacks, by its primary, alternate and Arabic names
    for name in ("Zummar", "Umm Batinah", "أم باطنة"):
        found = geonames.lookup(name)
        assert any(e.country in ("SY", "IQ") for e in found), name
    syrian = [e for e in load_index().entries if e.country == "SY" and e.feature_class == "P"]
    assert len(syrian) > 10_000
