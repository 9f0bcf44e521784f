"""Source protection: a report's source_contact is encrypted at rest, shown only to admins,
refused without SITREP_SECRET_KEY, and absent from lists, exports, logs and error messages."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

if TYPE_CHECKING:  # conftest is not importable under --import-mode=importlib
    from conftest import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONTACT = "Umm Khaled, Saraqib clinic, +963 944 123 456"
#: Distinctive parts of the contact: none may appear anywhere but the admin's view.
PIECES = ("Umm Khaled", "944 123 456")
REPORT = {
    "text": "Shelling hit the market of Saraqib on Monday, killing two civilians.",
    "title": "Saraqib market",
    "published": "2024-03-05",
    "source_contact": CONTACT,
}


def assert_hidden(body: str) -> None:
    for piece in PIECES:
        assert piece not in body


@pytest.fixture
def ingested(workspace: Workspace, caplog: pytest.LogCaptureFixture) -> str:
    caplog.set_level(logging.DEBUG)
    answer = workspace.client("admin").post("/api/reports", json=REPORT)
    assert answer.status_code == 200, answer.text
    assert_hidden(answer.text)
    return str(answer.json()["reports"][0]["report_id"])


def test_contact_is_encrypted_at_rest(workspace: Workspace, ingested: str) -> None:
    with workspace.store.engine.connect() as connection:
        rows = connection.execute(text("SELECT report_id, contact_encrypted FROM report_sources"))
        stored: dict[str, str] = dict(rows.tuples().all())
    assert set(stored) == {ingested}
    assert_hidden(stored[ingested])
    if workspace.store.engine.dialect.name == "sqlite":  # a server's files are its own
        database = (workspace.store.engine.url.database or "").encode()
        with open(database, "rb") as raw:
            assert b"Umm Khaled" not in raw.read()


def test_only_admins_read_the_contact(workspace: Workspace, ingested: str) -> None:
    path = f"/api/reports/{ingested}/source-contact"
    admin = workspace.client("admin").get(path)
    assert admin.status_code == 200 and admin.json()["source_contact"] == CONTACT
    for role in ("viewer", "analyst"):
        refused = workspace.client(role).get(path)
        assert refused.status_code == 403
        assert_hidden(refused.text)


def test_contact_never_in_lists_reads_or_exports(workspace: Workspace, ingested: str) -> None:
    for role in ("viewer", "admin"):
        client = workspace.client(role)
        assert_hidden(client.get("/api/reports").text)
        detail = client.get(f"/api/reports/{ingested}")
        assert detail.json()["has_source_contact"] is True
        assert_hidden(detail.text)
        assert_hidden(client.get("/api/events").text)
        for fmt in ("acled", "csv", "json", "jsonl", "geojson", "table"):
            assert_hidden(client.get("/api/export", params={"format": fmt}).text)
        assert_hidden(client.get("/api/map/events").text)


def test_contact_shown_on_pages_to_admins_only(workspace: Workspace, ingested: str) -> None:
    events = workspace.store.query_events()
    mine = [event for event in events if event.report_id == ingested]
    pages = ["/events", "/reports", "/timeline", "/map"]
    pages += [f"/events/{event.event_id}" for event in mine]
    for role in ("viewer", "analyst"):
        browser, _ = workspace.browser(role)
        for page in pages:
            answer = browser.get(page)
            assert answer.status_code == 200
            assert_hidden(answer.text)
    if mine:  # with events, the admin sees the contact beside the report
        admin, _ = workspace.browser("admin")
        assert CONTACT in admin.get(f"/events/{mine[0].event_id}").text


def test_contact_never_logged(ingested: str, caplog: pytest.LogCaptureFixture) -> None:
    logged = caplog.get_records("setup")  # the ingest ran in the fixture
    assert logged  # something was logged (the request, at least), just not the contact
    assert_hidden("\n".join(record.getMessage() for record in logged))


def test_without_a_key_the_contact_is_refused_and_nothing_stored(
    keyless_workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = keyless_workspace.client("admin")
    reports_before = client.get("/api/reports").json()["total"]
    answer = client.post("/api/reports", json=REPORT)
    assert answer.status_code == 422
    assert "need a key: set SITREP_SECRET_KEY" in answer.json()["detail"]
    assert_hidden(answer.text)
    assert client.get("/api/reports").json()["total"] == reports_before
    upload = client.post(
        "/api/reports/upload",
        data={"text": REPORT["text"], "source_contact": CONTACT},
    )
    assert upload.status_code == 422 and "SITREP_SECRET_KEY" in upload.json()["detail"]
    assert_hidden(upload.text)
    with keyless_workspace.store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM report_sources")).scalar_one() == 0
    assert_hidden(caplog.text)
    # Without a contact the same report is welcome.
    plain = {key: value for key, value in REPORT.items() if key != "source_contact"}
    assert client.post("/api/reports", json=plain).status_code == 200


def test_upload_form_refuses_the_contact_without_a_key(keyless_workspace: Workspace) -> None:
    browser, csrf = keyless_workspace.browser("admin")
    answer = browser.post(
        "/upload",
        data={"csrf_token": csrf, "text": REPORT["text"], "source_contact": CONTACT},
    )
    assert answer.status_code == 422
    assert "SITREP_SECRET_KEY" in answer.text
    assert_hidden(answer.text)


def test_only_admins_set_a_contact(workspace: Workspace) -> None:
    reports_before = workspace.client("admin").get("/api/reports").json()["total"]
    answer = workspace.client("analyst").post("/api/reports", json=REPORT)
    assert answer.status_code == 403
    assert "only an admin may set a report's source contact" in answer.json()["detail"]
    assert_hidden(answer.text)
    upload = workspace.client("analyst").post(
        "/api/reports/upload", data={"text": REPORT["text"], "source_contact": CONTACT}
    )
    assert upload.status_code == 403
    browser, csrf = workspace.browser("analyst")
    form = browser.post(
        "/upload", data={"csrf_token": csrf, "text": REPORT["text"], "source_contact": CONTACT}
    )
    assert "only an admin may set" in form.text
    assert 'name="source_contact"' not in browser.get("/upload").text  # not offered either
    assert workspace.client("admin").get("/api/reports").json()["total"] == reports_before
    with workspace.store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM report_sources")).scalar_one() == 0
