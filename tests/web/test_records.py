"""The record of who did what: source contact changes audited without their value, reports
noting who ingested them and how, and a contact that cannot be decrypted shown to admins as
"unavailable" instead of an error page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import SECRET_KEY, Workspace

from sitrep.pipeline import extract_report
from sitrep.store import Store
from sitrep.store.audit import account_audit
from sitrep.store.review import Reviews, SourceCipher
from sitrep.web import Settings, create_app

CONTACT = "Abu Fadi, district clinic, +963 933 000 777"
REPORT = {
    "text": "Gunmen on motorbikes shot dead a teacher in Tafas on Sunday evening.",
    "title": "Tafas shooting",
    "published": "2024-03-04",
}


def test_contact_changes_are_audited_without_the_value(workspace: Workspace) -> None:
    admin = workspace.client("admin")
    first = admin.post("/api/reports", json={**REPORT, "source_contact": CONTACT})
    assert first.status_code == 200, first.text
    report_id = first.json()["reports"][0]["report_id"]
    again = admin.post("/api/reports", json={**REPORT, "source_contact": "Umm Rami, +963 1"})
    assert again.status_code == 200
    contacts = [r for r in admin.get("/api/audit").json() if r["subject"] == report_id]
    assert [(r["action"], r["actor"]) for r in contacts] == [
        ("contact.changed", "admin"),
        ("contact.set", "admin"),
    ]
    assert "Abu Fadi" not in str(contacts) and "Umm Rami" not in str(contacts)
    assert admin.get(f"/api/reports/{report_id}/source-contact").json()["source_contact"] == (
        "Umm Rami, +963 1"
    )


def test_only_admins_replace_a_contact_and_the_change_is_audited(workspace: Workspace) -> None:
    report_id = workspace.reports["iraq_report.txt"]
    path = f"/api/reports/{report_id}/source-contact"
    refused = workspace.client("analyst").put(path, json={"source_contact": CONTACT})
    assert refused.status_code == 403
    admin = workspace.client("admin")
    assert admin.put(path, json={"source_contact": CONTACT}).status_code == 200
    assert admin.put(path, json={"source_contact": "Umm Rami"}).status_code == 200
    assert admin.get(path).json()["source_contact"] == "Umm Rami"
    assert (
        admin.put("/api/reports/nope/source-contact", json={"source_contact": "x"}).status_code
        == 404
    )
    mine = [
        (r["action"], r["actor"])
        for r in admin.get("/api/audit").json()
        if r["subject"] == report_id
    ]
    assert mine == [("contact.changed", "admin"), ("contact.set", "admin")]


def test_reports_record_who_ingested_them_and_how(workspace: Workspace) -> None:
    analyst = workspace.client("analyst")
    by_api = analyst.post("/api/reports", json=REPORT).json()["reports"][0]["report_id"]
    browser, csrf = workspace.browser("admin")
    uploaded = browser.post(
        "/upload",
        data={"csrf_token": csrf, "text": "Shelling hit the outskirts of Jasim on Friday."},
    )
    assert uploaded.status_code == 200, uploaded.text
    listed = {r["report_id"]: r for r in analyst.get("/api/reports").json()["items"]}
    assert (listed[by_api]["ingested_by"], listed[by_api]["ingested_via"]) == ("analyst", "api")
    [by_form] = [r for r in listed.values() if r["ingested_via"] == "web"]
    assert by_form["ingested_by"] == "admin"
    # The same text sent again by someone else keeps the first ingester's credit.
    workspace.client("admin").post("/api/reports", json=REPORT)
    again = analyst.get(f"/api/reports/{by_api}").json()
    assert (again["ingested_by"], again["ingested_via"]) == ("analyst", "api")


@pytest.fixture
def contact_on_strike(workspace: Workspace) -> str:
    """The shelling report carries a contact stored with the workspace's key."""
    report_id = workspace.reports["shelling_report.txt"]
    Reviews(workspace.store, SourceCipher(SECRET_KEY)).set_source_contact(report_id, CONTACT)
    return report_id


def _server(workspace: Workspace, secret_key: str | None) -> Iterator[TestClient]:
    url = workspace.store.url
    store = Store(url)
    app = create_app(Settings(db=url, secret_key=secret_key), store=store, extractor=extract_report)
    yield TestClient(
        app,
        base_url="https://testserver",
        headers={"Authorization": f"Bearer {workspace.tokens['admin']}"},
    )
    store.close()


@pytest.mark.parametrize(
    ("key", "reason"),
    [("another key, not the one it was stored with", "differs"), (None, "need a key")],
)
def test_a_wrong_or_missing_key_shows_contact_unavailable(
    workspace: Workspace, contact_on_strike: str, key: str | None, reason: str
) -> None:
    for admin in _server(workspace, key):
        answer = admin.get(f"/api/reports/{contact_on_strike}/source-contact")
        assert answer.status_code == 200
        assert answer.json()["source_contact"] is None
        assert reason in answer.json()["unavailable"]
        page = admin.get(f"/events/{workspace.events['strike']}")
        assert page.status_code == 200, page.text
        assert "Contact unavailable" in page.text and reason in page.text
        assert "Abu Fadi" not in page.text
        assert "Saraqib" in page.text  # the rest of the page is there


def test_the_right_key_shows_the_contact(workspace: Workspace, contact_on_strike: str) -> None:
    page = workspace.client("admin").get(f"/events/{workspace.events['strike']}")
    assert CONTACT in page.text and "Contact unavailable" not in page.text
    assert account_audit(workspace.store)[0].action == "contact.set"
