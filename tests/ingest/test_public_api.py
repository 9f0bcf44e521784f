"""The ingest stage's public names are used by the CLI and the web app: pin them."""

import sitrep.ingest


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.ingest.__all__) == [
        "BatchSummary",
        "DEFAULT_MAX_BYTES",
        "DEFAULT_TIME_BUDGET",
        "EXTRACTOR_ENV",
        "Extractor",
        "IngestIssue",
        "IngestOptions",
        "MAX_BYTES_ENV",
        "STDIN",
        "TIME_BUDGET_ENV",
        "TimeBudgetExceeded",
        "decode_text",
        "detect_language",
        "find_inputs",
        "load_extractor",
        "parse_report_date",
        "read_input",
        "read_paths",
        "reextract_report",
        "run_batch",
        "time_budget_from_env",
        "within_budget",
    ]
    assert all(hasattr(sitrep.ingest, name) for name in sitrep.ingest.__all__)
