"""Reading gold data: FA-KES articles and ACLED export rows, each with the report to code."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from sitrep.errors import EvaluationError
from sitrep.models import Report

FAKES_COLUMNS = (
    "unit_id",
    "article_title",
    "article_content",
    "date",
    "location",
    "actor",
    "cause_of_death",
    "nb_civilians",
    "nb_noncivilians",
)
ACLED_COLUMNS = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "notes",
)
UCDP_COLUMNS = (
    "id",
    "date_start",
    "source_headline",
    "where_prec",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
)
#: UCDP's where_prec -> ACLED's geo_precision: 1 the exact place; 2 within about 25 km of
#: a known point ("near" it); 3 a second-order division, which ACLED codes to a town of it
#: as a part of a region (2); 4 a province and 5 a larger part of the country, coded to a
#: centre (3); 6 the country (3). 7 (international waters or airspace) has no equivalent.
UCDP_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}
#: The type words UCDP appends to division names ("Idlib Governorate", "Duma district").
_UCDP_DIVISION_WORDS = re.compile(r"\s+(?:governorate|province|district)$", re.IGNORECASE)


class GoldRow(BaseModel):
    """A row of gold data: its id for error reports, and the report the pipeline codes."""

    row_id: str
    report: Report


class FakesGold(GoldRow):
    """One FA-KES article: its text as a report, and the crowd-extracted gold."""

    location: str
    actor: str
    cause: str
    #: nb_civilians + nb_noncivilians.
    deaths: int


class AcledGold(GoldRow):
    """One ACLED event: its notes as a report, and the coder's values."""

    event_type: str
    sub_event_type: str
    actor1: str
    admin1: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int


class UcdpGold(GoldRow):
    """One UCDP GED event: its source headline as a report, and UCDP's place."""

    admin1: str  # "" when UCDP gives none
    admin2: str
    latitude: float | None
    longitude: float | None
    #: UCDP's where_prec mapped to ACLED's scale (None when it has no equivalent)
    geo_precision: int | None


class _BadRow(ValueError):
    """A gold value that cannot be read; the row is skipped and reported."""


def read_fakes(path: Path, *, limit: int | None = None) -> tuple[list[FakesGold], list[str]]:
    """The articles of a FA-KES CSV, and the rows skipped (each with its reason)."""
    golds: list[FakesGold] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    for line, row in _rows(path, FAKES_COLUMNS, "FA-KES", limit):
        unit_id = row["unit_id"].strip() or f"line {line}"
        seen[unit_id] = seen.get(unit_id, 0) + 1
        # FA-KES repeats a few unit_ids: keep every row, told apart by occurrence.
        row_id = unit_id if seen[unit_id] == 1 else f"{unit_id}#{seen[unit_id]}"
        try:
            title = row["article_title"].strip()
            report = Report(
                text=f"{title}\n\n{row['article_content'].strip()}",
                title=title or None,
                source=(row.get("source") or "").strip() or None,
                published=_parse_date(row["date"], "MDY"),
                origin=f"{path}#line={line}",
            )
            deaths = _whole_number(row, "nb_civilians") + _whole_number(row, "nb_noncivilians")
        except _BadRow as problem:
            skipped.append(f"{row_id} (line {line}): {problem}")
            continue
        golds.append(
            FakesGold(
                row_id=row_id,
                report=report,
                location=row["location"].strip().casefold(),
                actor=row["actor"].strip().casefold() or "unknown",
                cause=row["cause_of_death"].strip().casefold() or "unknown",
                deaths=deaths,
            )
        )
    return golds, skipped


def read_acled(path: Path, *, limit: int | None = None) -> tuple[list[AcledGold], list[str]]:
    """The events of an ACLED export CSV, and the rows skipped (each with its reason)."""
    golds: list[AcledGold] = []
    skipped: list[str] = []
    for line, row in _rows(path, ACLED_COLUMNS, "ACLED", limit):
        row_id = (row.get("event_id_cnty") or "").strip() or f"line {line}"
        try:
            report = Report(
                text=row["notes"].strip(),
                source=(row.get("source") or "").strip() or None,
                published=_parse_date(row["event_date"], "DMY"),
                origin=f"{path}#line={line}",
            )
            if not report.text:
                raise _BadRow("notes is empty: there is no text to code")
            gold = AcledGold(
                row_id=row_id,
                report=report,
                event_type=row["event_type"].strip(),
                sub_event_type=row["sub_event_type"].strip(),
                actor1=row["actor1"].strip(),
                admin1=row["admin1"].strip(),
                latitude=_optional_float(row, "latitude"),
                longitude=_optional_float(row, "longitude"),
                geo_precision=_whole_number(row, "geo_precision") or None,
                fatalities=_whole_number(row, "fatalities"),
            )
        except _BadRow as problem:
            skipped.append(f"{row_id} (line {line}): {problem}")
            continue
        golds.append(gold)
    return golds, skipped


def read_ucdp(path: Path, *, limit: int | None = None) -> tuple[list[UcdpGold], list[str]]:
    """The events of a UCDP GED CSV, each with its source headline, and the rows skipped."""
    golds: list[UcdpGold] = []
    skipped: list[str] = []
    for line, row in _rows(path, UCDP_COLUMNS, "UCDP GED", limit):
        row_id = row["id"].strip() or f"line {line}"
        try:
            report = Report(
                text=row["source_headline"].strip(),
                source=(row.get("source_original") or "").strip() or None,
                published=_iso_date(row["date_start"]),
                origin=f"{path}#line={line}",
            )
            if not report.text:
                raise _BadRow("source_headline is empty: there is no text to code")
            where = _whole_number(row, "where_prec")
            gold = UcdpGold(
                row_id=row_id,
                report=report,
                admin1=_UCDP_DIVISION_WORDS.sub("", row["adm_1"].strip()),
                admin2=_UCDP_DIVISION_WORDS.sub("", row["adm_2"].strip()),
                latitude=_optional_float(row, "latitude"),
                longitude=_optional_float(row, "longitude"),
                geo_precision=UCDP_PRECISION.get(where),
            )
        except _BadRow as problem:
            skipped.append(f"{row_id} (line {line}): {problem}")
            continue
        golds.append(gold)
    return golds, skipped


def _rows(
    path: Path, required: tuple[str, ...], kind: str, limit: int | None
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV that has every required column."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise EvaluationError(f"cannot open {path}: {error.strerror}") from error
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as error:
            raise EvaluationError(f"{path} is not a readable UTF-8 CSV file: {error}") from error
        if not header:
            raise EvaluationError(f"{path} is empty: {kind} gold data needs a header row")
        missing = [column for column in required if column not in header]
        if missing:
            raise EvaluationError(
                f"{path} is not {kind} gold data: missing column(s) {', '.join(missing)}; "
                f"the columns needed are {', '.join(required)}"
            )
        try:
            for count, row in enumerate(reader):
                if limit is not None and count >= limit:
                    return
                yield reader.line_num, {key: value or "" for key, value in row.items() if key}
        except (UnicodeDecodeError, csv.Error) as error:
            raise EvaluationError(
                f"{path} line {reader.line_num} cannot be read as UTF-8 CSV: {error}"
            ) from error


def _parse_date(value: str, order: Literal["DMY", "MDY"]) -> date:
    import dateparser  # slow to import: only when gold data is read

    parsed: datetime | None = dateparser.parse(
        value.strip(),
        languages=["en"],
        settings={"DATE_ORDER": order, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    if parsed is None:
        raise _BadRow(f"date {value!r} does not parse")
    return parsed.date()


def _iso_date(value: str) -> date:
    """A YYYY-MM-DD date (UCDP's format; read without dateparser, which is slow per row)."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _BadRow(f"date {value!r} is not YYYY-MM-DD") from None


def _whole_number(row: dict[str, str], column: str) -> int:
    value = row[column]
    text = value.strip()
    if not text:
        return 0
    try:
        number = float(text)
    except ValueError:
        raise _BadRow(f"{column} {value!r} is not a number") from None
    if number < 0 or number != int(number):
        raise _BadRow(f"{column} {value!r} is not a whole number of zero or more")
    return int(number)


def _optional_float(row: dict[str, str], column: str) -> float | None:
    value = row[column]
    text = value.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise _BadRow(f"{column} {value!r} is not a coordinate") from None
