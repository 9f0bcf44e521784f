"""The export stage's public names are used by the CLI and the web app: pin them."""

import sitrep.export


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.export.__all__) == [
        "ACLED_COLUMNS",
        "ExportFormat",
        "ExportSummary",
        "INCIDENT_COLUMNS",
        "PLAIN_COLUMNS",
        "SITREP_COLUMNS",
        "WRITERS",
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
    assert all(hasattr(sitrep.export, name) for name in sitrep.export.__all__)
