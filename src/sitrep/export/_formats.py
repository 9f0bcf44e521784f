"""Events out: ACLED CSV, plain CSV, JSON, JSON Lines, GeoJSON and a terminal table.

Every writer streams: it takes any iterable of events and writes one event at a time.
Given `EventRecord`s (`Store.iter_records`), every format carries the analysts' verdict
(review_status, reviewed_by, reviewed_at) and whether the event was corrected; plain events
(fresh from extraction) are written as unreviewed and uncorrected.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) are written with a leading apostrophe, which spreadsheets show as text;
`bom=True` starts a CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, Literal, TextIO

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitrep.models import PLACE_FIELDS, Event
from sitrep.store import EventRecord

#: What an exporter takes: events as stored (with their review) or fresh ones.
Exportable = Event | EventRecord

#: ACLED's export columns in ACLED's order (as `Event.acled_row()` produces them).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: sitrep's own columns, after ACLED's.
SITREP_COLUMNS: tuple[str, ...] = (
    "attack_method",
    "confidence",
    "attribution",
    "flags",
    "evidence",
    "report_id",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "corrected",
)
#: The plain CSV: one readable row per event, evidence quoted as text.
PLAIN_COLUMNS: tuple[str, ...] = (
    "event_id",
    "report_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    *PLACE_FIELDS,
    "fatalities",
    "attack_method",
    "attribution",
    "confidence",
    "flags",
    "notes",
    "evidence",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "corrected",
)
#: The formats written as CSV (formula-neutralised; a byte order mark on request).
CSV_FORMATS = frozenset({"acled", "csv"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ExportFormat = Literal["acled", "csv", "json", "jsonl", "geojson", "table"]


class ExportSummary(BaseModel):
    """What was written. GeoJSON lists the events that had no coordinates."""

    written: int = 0
    without_coordinates: list[str] = Field(default_factory=list)


def as_record(item: Exportable) -> EventRecord:
    return item if isinstance(item, EventRecord) else EventRecord(event=item)


def acled_record(item: Exportable) -> dict[str, object]:
    """One ACLED CSV row: ACLED's columns, then sitrep's (evidence as JSON)."""
    record = as_record(item)
    return _flat_record(record, evidence=_evidence_json(record.event))


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading apostrophe before what would start a
    formula (OWASP's advice against CSV injection). Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_acled_csv(events: Iterable[Exportable], out: TextIO) -> ExportSummary:
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS + SITREP_COLUMNS)
    writer.writeheader()
    summary = ExportSummary()
    for event in events:
        writer.writerow({k: spreadsheet_safe(v) for k, v in acled_record(event).items()})
        summary.written += 1
    return summary


def write_plain_csv(events: Iterable[Exportable], out: TextIO) -> ExportSummary:
    # The plain columns are a subset of the flat record: the rest is left out.
    writer = csv.DictWriter(out, fieldnames=PLAIN_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    summary = ExportSummary()
    for item in events:
        record = as_record(item)
        row = _flat_record(record, evidence=evidence_text(record.event))
        row["event_id"] = record.event.event_id
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        summary.written += 1
    return summary


def _event_json(record: EventRecord, indent: int | None = None) -> str:
    """The complete event, with its review beside its fields."""
    data = record.event.model_dump(mode="json")
    data.update(_review_columns(record))
    return json.dumps(data, ensure_ascii=False, indent=indent)


def write_jsonl(events: Iterable[Exportable], out: TextIO) -> ExportSummary:
    """One complete event per line, with every evidence span."""
    summary = ExportSummary()
    for event in events:
        out.write(_event_json(as_record(event)) + "\n")
        summary.written += 1
    return summary


def write_json(events: Iterable[Exportable], out: TextIO) -> ExportSummary:
    """A JSON array of complete events."""
    summary = ExportSummary()
    out.write("[")
    for event in events:
        out.write(",\n" if summary.written else "\n")
        out.write(_event_json(as_record(event), indent=2))
        summary.written += 1
    out.write("\n]\n" if summary.written else "]\n")
    return summary


def write_geojson(
    events: Iterable[Exportable], out: TextIO, *, include_unlocated: bool = False
) -> ExportSummary:
    """A FeatureCollection of points (RFC 7946: longitude first).

    Events without coordinates are listed in the summary; they become features with a
    null geometry only when `include_unlocated` is set, since many GIS tools reject those.
    """
    summary = ExportSummary()
    out.write('{"type": "FeatureCollection", "features": [')
    for item in events:
        record = as_record(item)
        event = record.event
        coordinates = _coordinates(event)
        if coordinates is None:
            summary.without_coordinates.append(event.event_id)
            if not include_unlocated:
                continue
        properties = _flat_record(record, evidence=_evidence_dict(event))
        properties["flags"] = list(event.flags)
        feature = {
            "type": "Feature",
            "id": event.event_id,
            "geometry": {"type": "Point", "coordinates": coordinates} if coordinates else None,
            "properties": properties,
        }
        out.write(",\n" if summary.written else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        summary.written += 1
    out.write("\n]}\n")
    return summary


def write_table(events: Iterable[Exportable], out: TextIO) -> ExportSummary:
    """A table for people: one row per event, the columns an analyst scans first, and the
    analysts' verdict (status, who and when, whether a field was corrected)."""
    table = Table(show_lines=False, header_style="bold")
    columns = ("event", "date", "type", "actor1", "actor2", "place", "deaths", "conf.", "review")
    for column in columns:
        table.add_column(
            column,
            justify="right" if column in ("deaths", "conf.") else "left",
            no_wrap=column == "review",
        )
    summary = ExportSummary()
    for item in events:
        record = as_record(item)
        event = record.event
        place = event.place
        where = (
            ", ".join(p for p in (place.location, place.admin1, place.country) if p)
            if place
            else ""
        )
        table.add_row(
            event.event_id,
            event.event_date.isoformat() if event.event_date else "undated",
            f"{event.event_type}\n[dim]{event.sub_event_type}[/dim]",
            event.actor1.name if event.actor1 else "",
            event.actor2.name if event.actor2 else "",
            where,
            str(event.fatalities),
            f"{event.confidence:.2f}",
            _review_cell(record),
        )
        summary.written += 1
    console = Console(file=out, soft_wrap=False, width=None if out.isatty() else 190)
    if summary.written:
        console.print(table)
    else:
        console.print("no events")
    return summary


WRITERS: dict[str, Callable[[Iterable[Exportable], TextIO], ExportSummary]] = {
    "acled": write_acled_csv,
    "csv": write_plain_csv,
    "json": write_json,
    "jsonl": write_jsonl,
    "geojson": write_geojson,
    "table": write_table,
}


def write_events(
    events: Iterable[Exportable], fmt: ExportFormat, out: TextIO, *, bom: bool = False
) -> ExportSummary:
    """Write `events` to `out` in one of `WRITERS`' formats (CSV with a UTF-8 byte order
    mark when `bom`, for spreadsheet software)."""
    if bom and fmt in CSV_FORMATS:
        out.write("\ufeff")
    return WRITERS[fmt](events, out)


def evidence_text(event: Event) -> str:
    """Evidence as people read it: field: "words" | "more words"; next field: ..."""
    parts = []
    for field, evidence in event.evidence.items():
        quotes = " | ".join(f'"{span.text}"' for span in evidence.spans)
        if quotes:
            parts.append(f"{field}: {quotes}")
    return "; ".join(parts)


def _evidence_dict(event: Event) -> dict[str, Any]:
    return {field: evidence.model_dump(mode="json") for field, evidence in event.evidence.items()}


def _evidence_json(event: Event) -> str:
    return json.dumps(_evidence_dict(event), ensure_ascii=False)


def _coordinates(event: Event) -> list[float] | None:
    """[longitude, latitude], GeoJSON's order, or None when the event has no coordinates."""
    place = event.place
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return [place.longitude, place.latitude]


def _review_cell(record: EventRecord) -> Text:
    """The review columns in one table cell: "verified, corrected" over "amira 2026-12-07
    14:03" (UTC), dimmed; markup in a reviewer's name is printed as written."""
    cell = Text(record.review_status + (", corrected" if record.corrected else ""))
    if record.reviewed_by or record.reviewed_at:
        when = record.reviewed_at.strftime("%Y-%m-%d %H:%M") if record.reviewed_at else ""
        cell.append("\n" + " ".join(p for p in (record.reviewed_by, when) if p), style="dim")
    return cell


def _review_columns(record: EventRecord) -> dict[str, object]:
    return {
        "review_status": record.review_status,
        "reviewed_by": record.reviewed_by or "",
        "reviewed_at": record.reviewed_at.isoformat() if record.reviewed_at else "",
        "corrected": record.corrected,
    }


def _flat_record(record: EventRecord, *, evidence: object) -> dict[str, object]:
    """ACLED's columns, then sitrep's, with the evidence as the format writes it."""
    event = record.event
    row = event.acled_row()
    row.update(
        attack_method=event.attack_method or "",
        confidence=event.confidence,
        attribution=event.attribution or "",
        flags="; ".join(event.flags),
        evidence=evidence,
        report_id=event.report_id,
    )
    row.update(_review_columns(record))
    return row
