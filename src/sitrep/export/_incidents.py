"""Incidents out (`sitrep export --unit incidents`): one row per incident.

- "acled" and "csv": ACLED's columns first (the incident's merged event: its id is the
  incident id, its source every outlet, its fatalities the conservative toll), then
  `INCIDENT_COLUMNS`: the events and reports it gathers, the corroboration count, every
  source's toll, the contradiction flags, whether an analyst confirmed it, and the
  disagreements with their evidence (JSON).
- "jsonl" / "json": the whole `Incident` (merged event, each event, tolls, disagreements).
- "geojson": a point per located incident, properties as in the CSV.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from sitrep.export._formats import ACLED_COLUMNS, ExportSummary, _coordinates
from sitrep.link import Incident

INCIDENT_COLUMNS: tuple[str, ...] = (
    "attack_method",
    "events",
    "reports",
    "corroboration",
    "tolls",
    "flags",
    "confirmed",
    "disagreements",
)


def incident_record(incident: Incident) -> dict[str, object]:
    """ACLED's columns, then the incident's own."""
    row = incident.acled_row()
    row["attack_method"] = incident.event.attack_method or ""
    row["disagreements"] = json.dumps(
        [d.model_dump(mode="json") for d in incident.disagreements], ensure_ascii=False
    )
    return {column: row[column] for column in ACLED_COLUMNS + INCIDENT_COLUMNS}


def write_incidents(
    incidents: Iterable[Incident], fmt: str, out: TextIO, *, bom: bool = False
) -> ExportSummary:
    """Write incidents in `fmt`: acled, csv, jsonl, json or geojson (CSV with a UTF-8 byte
    order mark when `bom`, for spreadsheet software)."""
    summary = ExportSummary()
    if fmt in ("acled", "csv"):
        if bom:
            out.write("\ufeff")
        writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS + INCIDENT_COLUMNS)
        writer.writeheader()
        for incident in incidents:
            writer.writerow(incident_record(incident))
            summary.written += 1
    elif fmt in ("jsonl", "json"):
        separator = "\n" if fmt == "jsonl" else ",\n"
        out.write("" if fmt == "jsonl" else "[\n")
        for incident in incidents:
            if summary.written and fmt == "json":
                out.write(separator)
            out.write(incident.model_dump_json())
            if fmt == "jsonl":
                out.write("\n")
            summary.written += 1
        out.write("" if fmt == "jsonl" else "\n]\n")
    elif fmt == "geojson":
        out.write('{"type": "FeatureCollection", "features": [')
        for incident in incidents:
            coordinates = _coordinates(incident.event)
            if coordinates is None:
                summary.without_coordinates.append(incident.incident_id)
                continue
            feature = {
                "type": "Feature",
                "id": incident.incident_id,
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": incident_record(incident),
            }
            out.write(",\n" if summary.written else "\n")
            out.write(json.dumps(feature, ensure_ascii=False))
            summary.written += 1
        out.write("\n]}\n")
    else:
        raise ValueError(f"incidents cannot be written as {fmt!r}")
    return summary
