"""The store's public names are a contract with the web and CLI stages: pin them."""

import sitrep.store


def test_public_api_is_pinned() -> None:
    assert sorted(sitrep.store.__all__) == [
        "Base",
        "DEFAULT_DB_URL",
        "EventFilter",
        "EventOrder",
        "EventRecord",
        "IngestChannel",
        "MAX_QUERY_INTEGER",
        "REPORT_FIELD_LIMITS",
        "REVIEW_STATUSES",
        "ReportStatus",
        "ReviewFilter",
        "ReviewStatus",
        "Store",
        "StoredReport",
    ]
    assert all(hasattr(sitrep.store, name) for name in sitrep.store.__all__)
    assert sitrep.store.DEFAULT_DB_URL == "sqlite:///sitrep.db"
