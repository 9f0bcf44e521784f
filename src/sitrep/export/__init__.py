"""Exports of events: ACLED CSV, plain CSV, JSON, JSON Lines, GeoJSON, a terminal table.

- "acled": ACLED's export columns in ACLED's order (`ACLED_COLUMNS`), then sitrep's own
  (`SITREP_COLUMNS`: attack_method, confidence, attribution, flags joined by "; ",
  evidence as a JSON object {field: {"spans": [{"start", "end", "text"}], "confidence",
  "rule"}}, report_id, then the review: review_status, reviewed_by, reviewed_at and
  corrected (True when an analyst changed a field)).
- "csv": one readable row per event (`PLAIN_COLUMNS`), evidence quoted as text.
- "jsonl" / "json": complete events with every evidence span (the `Event` model's JSON)
  and the four review fields.
- Writers take `Event`s or `EventRecord`s (`Store.iter_records`: an event with its
  review); plain events are written as unreviewed. CSV cells that would start a formula
  get a leading apostrophe; `write_events(..., bom=True)` starts a CSV with a UTF-8 BOM.
- "geojson": a FeatureCollection of points, properties as in the ACLED CSV (evidence as
  an object). Events without coordinates are counted and listed in the returned
  `ExportSummary.without_coordinates` (the CLI prints them); they are left out unless
  `include_unlocated=True`, which adds them with a null geometry.
- "table": a rich table for the terminal.

Incidents (`write_incidents`, `incident_record`, `INCIDENT_COLUMNS`): one row per
incident, ACLED's columns first, then sources, corroboration and contradiction flags.

`event_view` renders one event for `sitrep show`: its fields with their evidence quotes,
and the report text with each field's evidence highlighted in its own colour;
`report_decisions` / `event_decisions` render the decision records (`--explain`, `--why`):
the rule id behind each field and what the pipeline suppressed.
"""

from sitrep.export._formats import (
    ACLED_COLUMNS,
    PLAIN_COLUMNS,
    SITREP_COLUMNS,
    WRITERS,
    ExportFormat,
    ExportSummary,
    acled_record,
    evidence_text,
    write_acled_csv,
    write_events,
    write_geojson,
    write_json,
    write_jsonl,
    write_plain_csv,
    write_table,
)
from sitrep.export._incidents import INCIDENT_COLUMNS, incident_record, write_incidents
from sitrep.export._show import event_view, highlighted_text
from sitrep.export._why import event_decisions, report_decisions, suppression_lines

__all__ = [
    "ACLED_COLUMNS",
    "INCIDENT_COLUMNS",
    "PLAIN_COLUMNS",
    "SITREP_COLUMNS",
    "WRITERS",
    "ExportFormat",
    "ExportSummary",
    "acled_record",
    "event_decisions",
    "event_view",
    "evidence_text",
    "highlighted_text",
    "incident_record",
    "report_decisions",
    "suppression_lines",
    "write_acled_csv",
    "write_events",
    "write_geojson",
    "write_incidents",
    "write_json",
    "write_jsonl",
    "write_plain_csv",
    "write_table",
]
