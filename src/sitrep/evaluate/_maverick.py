"""MAVERICK report-level records as events, for scoring cross-report linking.

Each row is one source report's coding of an incident (`event_id` is the gold incident).
`read_maverick` turns a row into the event sitrep would store for that report: date and
its precision, place with coordinates and precision, actors, deaths, attack method, and
the report's headline with the MAVERICK context as the words linking compares.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel

from sitrep.evaluate._gold import _BadRow, _optional_float, _rows, _whole_number
from sitrep.models import Actor, Event, Evidence, Place, Report, Span

MAVERICK_COLUMNS = (
    "id",
    "event_id",
    "country",
    "election",
    "date_start",
    "date_end",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "actor1",
    "actor1_type",
    "actor2",
    "actor2_type",
    "actor1_violence",
    "event_context",
    "target",
    "deaths_best",
    "source",
)
#: "Outlet (2007-04-23) Headline": MAVERICK's source column.
_SOURCE = re.compile(r"^\(?(?P<outlet>.*?)\s*\((?P<date>\d{4}-\d{2}-\d{2})\)\s*(?P<headline>.*)$")


class MaverickMapping(BaseModel):
    """maverick.yaml: MAVERICK's codes to ACLED's."""

    event_types: dict[str, tuple[str, str]]
    default_event_type: tuple[str, str]
    inter: dict[str, int]
    attack_methods: dict[str, str]
    geo_precision: dict[int, int]


@cache
def maverick_mapping() -> MaverickMapping:
    text = (files("sitrep.evaluate") / "maverick.yaml").read_text(encoding="utf-8")
    return MaverickMapping.model_validate(yaml.safe_load(text))


class MaverickRecord(BaseModel):
    """One report-level row: the event it becomes, its gold incident and election."""

    row_id: str
    incident_id: str
    election: str
    event: Event
    report: Report


def read_maverick(
    path: Path, *, limit: int | None = None
) -> tuple[list[MaverickRecord], list[str]]:
    """The records of a MAVERICK report-level CSV, and the rows skipped with their reason.

    Rows from one source (one report: a monitor's roundup codes many incidents) share a
    report id, so linking never merges them, and their events are numbered in file order.
    """
    mapping = maverick_mapping()
    records: list[MaverickRecord] = []
    skipped: list[str] = []
    positions: dict[str, int] = {}
    for line, row in _rows(path, MAVERICK_COLUMNS, "MAVERICK", limit):
        row_id = row["id"].strip() or f"line {line}"
        try:
            report = _report(row, path, line)
            position = positions[report.report_id] = positions.get(report.report_id, 0) + 1
            event = _event(row, report, position, mapping)
        except _BadRow as problem:
            skipped.append(f"{row_id} (line {line}): {problem}")
            continue
        incident = row["event_id"].strip()
        if not incident:
            skipped.append(f"{row_id} (line {line}): event_id is empty: no gold incident")
            continue
        records.append(
            MaverickRecord(
                row_id=row_id,
                incident_id=incident,
                election=row["election"].strip() or "unknown",
                event=event,
                report=report,
            )
        )
    return records, skipped


def _report(row: dict[str, str], path: Path, line: int) -> Report:
    source = row["source"].strip()
    if not source:
        raise _BadRow("source is empty: no report to link")
    match = _SOURCE.match(source)
    return Report(
        text=source,
        source=match["outlet"] if match else None,
        title=match["headline"] if match else None,
        published=date.fromisoformat(match["date"]) if match else None,
        origin=f"{path}#line={line}",
    )


def _event(row: dict[str, str], report: Report, position: int, mapping: MaverickMapping) -> Event:
    start = _day(row, "date_start")
    end = _day(row, "date_end") if row["date_end"].strip() else start
    span_days = (end - start).days
    event_type, sub_event_type = mapping.event_types.get(
        row["event_context"].strip(), mapping.default_event_type
    )
    violence = row["actor1_violence"].split(";")[0].strip()
    headline = Span.of(report.text, 0, len(report.text))
    context = row["event_context"].strip()
    target = row["target"].strip()
    return Event(
        event_id=f"{report.report_id}-{position:02d}",
        report_id=report.report_id,
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=start,
        time_precision=1 if span_days <= 0 else 2 if span_days <= 7 else 3,
        actor1=_actor(row, "actor1", mapping),
        actor2=_actor(row, "actor2", mapping),
        place=_place(row, mapping),
        fatalities=_whole_number(row, "deaths_best"),
        attack_method=mapping.attack_methods.get(violence),
        source=report.source,
        notes=f"{context} against {target}" if target else context,
        evidence={"event_type": Evidence(spans=[headline], rule="maverick.headline")},
    )


def _day(row: dict[str, str], column: str) -> date:
    try:
        return date.fromisoformat(row[column].strip())
    except ValueError:
        raise _BadRow(f"{column} {row[column]!r} is not a YYYY-MM-DD date") from None


def _actor(row: dict[str, str], column: str, mapping: MaverickMapping) -> Actor | None:
    name = row[column].strip()
    if not name:
        return None
    return Actor(name=name, inter=mapping.inter.get(row[f"{column}_type"].strip(), 8))


def _place(row: dict[str, str], mapping: MaverickMapping) -> Place:
    latitude, longitude = _optional_float(row, "latitude"), _optional_float(row, "longitude")
    precision = mapping.geo_precision.get(_whole_number(row, "geo_precision"), 3)
    return Place(
        location=row["location"].strip() or row["country"].strip(),
        country=row["country"].strip() or None,
        latitude=latitude,
        longitude=longitude,
        geo_precision=precision,  # type: ignore[arg-type]
    )
