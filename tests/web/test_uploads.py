"""Uploads coded in the background: the job counts the reports as they are coded, names
each failure, and ends with the new events; a file that cannot be read is refused at once."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import Workspace

from sitrep.errors import InputError, ModelError
from sitrep.models import Event, Report
from sitrep.store import Store
from sitrep.store.server_state import UploadJobRecord, UploadJobTable, utc_now
from sitrep.web import Settings, create_app
from sitrep.web._uploads import ABANDONED_AFTER, UploadStatus

FEED = (Path(__file__).parent / "fixtures" / "monitor_feed.csv").read_bytes()
MAPPING = {"text_column": "story", "title_column": "headline", "date_column": "day"}


class GatedExtractor:
    """Codes a report only when the test lets it (one `release` per report): each report
    becomes one protest event; a report mentioning Raqqa fails alone; one saying the model
    breaks ends the batch."""

    def __init__(self) -> None:
        self.gate = threading.Semaphore(0)

    def __call__(self, report: Report) -> list[Event]:
        if not self.gate.acquire(timeout=30):
            raise TimeoutError("the test never released this report")
        if "Raqqa" in report.text:
            raise InputError("the model could not read this report")
        if "breaks" in report.text:
            raise ModelError("the lexicon is broken")
        return [Event(event_type="Protests", sub_event_type="Peaceful protest")]

    def release(self, reports: int = 1) -> None:
        for _ in range(reports):
            self.gate.release()


@pytest.fixture
def gated(
    template_db: tuple[str, dict[str, str]], new_database: Callable[..., str]
) -> Iterator[tuple[Workspace, GatedExtractor]]:
    template, tokens = template_db
    url = new_database(template)
    store = Store(url)
    extractor = GatedExtractor()
    app = create_app(Settings(db=url), store=store, extractor=extractor)
    yield Workspace(app=app, store=store, tokens=tokens, events={}, reports={}), extractor
    extractor.release(10)  # let a job the test left behind end
    store.close()


def wait_for(client: TestClient, job_id: str, until: Callable[[dict[str, Any]], bool]) -> Any:
    deadline = time.monotonic() + 30
    while True:
        job = client.get(f"/api/uploads/{job_id}").json()
        if until(job):
            return job
        assert time.monotonic() < deadline, f"the job never got there: {job}"
        time.sleep(0.05)


def start(client: TestClient, data: dict[str, str] = MAPPING, content: bytes = FEED) -> Any:
    answer = client.post(
        "/api/uploads", data=data, files={"file": ("monitor-feed.csv", content, "text/csv")}
    )
    assert answer.status_code == 202, answer.text
    return answer.json()


def test_an_upload_counts_its_reports_as_they_are_coded(
    gated: tuple[Workspace, GatedExtractor],
) -> None:
    workspace, extractor = gated
    client = workspace.client("analyst")
    job = start(client)
    assert (job["total"], job["done"]) == (3, 0)
    assert job["state"] in ("queued", "running")
    extractor.release()
    job = wait_for(client, job["job_id"], lambda j: j["done"] == 1)
    assert (job["state"], job["events"], job["failures"]) == ("running", 1, [])
    extractor.release(2)
    job = wait_for(client, job["job_id"], lambda j: j["state"] == "done")
    assert (job["done"], job["total"], job["events"]) == (3, 3, 2)
    (failure,) = job["failures"]
    assert "monitor-feed.csv#row=4" in failure and "the model could not read this report" in failure
    titles = [report["title"] for report in job["result"]["reports"]]
    assert titles == ["Blast in Mosul", "Shelling of Homs", "Clash near Raqqa"]
    assert [len(report["events"]) for report in job["result"]["reports"]] == [1, 1, 0]


def test_the_result_page_links_the_new_events(gated: tuple[Workspace, GatedExtractor]) -> None:
    workspace, extractor = gated
    browser, csrf = workspace.browser("analyst")
    job = start(browser, {**MAPPING, "csrf_token": csrf})
    coding = browser.get(f"/uploads/{job['job_id']}").text
    assert "0 of 3 reports coded" in " ".join(coding.split())
    assert '<meta http-equiv="refresh" content="2">' in coding  # it follows the job
    extractor.release(3)
    wait_for(browser, job["job_id"], lambda j: j["state"] == "done")
    page = browser.get(f"/uploads/{job['job_id']}")
    assert page.status_code == 200 and 'http-equiv="refresh"' not in page.text
    assert "3 of 3 reports coded, 2 events found, 1 failed" in " ".join(page.text.split())
    stored = workspace.store.query_events()
    new = [e for e in stored if e.event_type == "Protests"]
    assert len(new) == 2 and all(f'href="/events/{e.event_id}"' in page.text for e in new)


def test_an_upload_without_its_csrf_token_is_refused(
    gated: tuple[Workspace, GatedExtractor],
) -> None:
    browser, _ = gated[0].browser("analyst")
    answer = browser.post("/api/uploads", data=MAPPING, files={"file": ("f.csv", FEED)})
    assert answer.status_code == 403 and "CSRF" in answer.json()["detail"]


def test_an_unreadable_upload_is_refused_before_any_job(
    gated: tuple[Workspace, GatedExtractor],
) -> None:
    client = gated[0].client("analyst")
    answer = client.post("/api/uploads", files={"file": ("feed.csv", FEED, "text/csv")})
    assert answer.status_code == 422
    assert "text" in answer.json()["detail"]  # no column named text: map one
    dated = client.post(
        "/api/uploads",
        data={**MAPPING, "published": "13/04/2024"},
        files={"file": ("feed.csv", FEED)},
    )
    assert dated.status_code == 422 and "YYYY-MM-DD" in dated.json()["detail"]


def test_a_job_is_seen_only_by_who_started_it(gated: tuple[Workspace, GatedExtractor]) -> None:
    workspace, extractor = gated
    extractor.release(3)
    job = start(workspace.client("analyst"))
    assert workspace.client("viewer").get(f"/api/uploads/{job['job_id']}").status_code == 403
    admin = workspace.client("admin").get(f"/api/uploads/{job['job_id']}")
    assert admin.status_code == 200
    unknown = workspace.client("analyst").get("/api/uploads/0123abcd")
    assert unknown.status_code == 404 and "/reports" in unknown.json()["detail"]


def test_an_upload_whose_model_breaks_fails_and_says_why(
    gated: tuple[Workspace, GatedExtractor],
) -> None:
    workspace, extractor = gated
    client = workspace.client("analyst")
    extractor.release()
    job = start(client, {"text_column": "story"}, b"story\nThe model breaks on this report.\n")
    job = wait_for(client, job["job_id"], lambda j: j["state"] in ("done", "failed"))
    assert job["state"] == "failed" and job["result"] is None
    assert "the lexicon is broken" in job["error"]
    page = workspace.browser("analyst")[0].get(f"/uploads/{job['job_id']}")
    assert page.status_code == 422 and "the lexicon is broken" in page.text


def test_only_finished_jobs_are_forgotten(
    gated: tuple[Workspace, GatedExtractor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.web import _uploads

    monkeypatch.setattr(_uploads, "KEPT_JOBS", 2)
    workspace, extractor = gated
    client = workspace.client("analyst")
    one = b"story\nTeachers marched in Homs.\n"
    extractor.release()
    first = start(client, {"text_column": "story"}, one)
    wait_for(client, first["job_id"], lambda j: j["state"] == "done")
    waiting = [
        start(client, {"text_column": "story"}, f"story\nNurses marched in town {n}.\n".encode())
        for n in (1, 2)
    ]
    assert all(job["state"] in ("queued", "running") for job in waiting)
    # Three jobs, two kept: the finished one goes, the two still coding stay.
    assert client.get(f"/api/uploads/{first['job_id']}").status_code == 404
    for job in waiting:
        assert client.get(f"/api/uploads/{job['job_id']}").status_code == 200


def test_a_job_started_by_one_worker_is_followed_from_another(
    gated: tuple[Workspace, GatedExtractor],
) -> None:
    """Two worker processes' apps over one database: the poll may reach either."""
    workspace, extractor = gated
    with Store(workspace.store.url) as other_store:
        other = create_app(Settings(db=other_store.url), store=other_store, extractor=extractor)
        elsewhere = Workspace(other, other_store, workspace.tokens, events={}, reports={})
        job = start(workspace.client("analyst"))
        seen = elsewhere.client("analyst").get(f"/api/uploads/{job['job_id']}").json()
        assert (seen["state"] in ("queued", "running"), seen["total"]) == (True, 3)
        extractor.release(3)
        done = wait_for(elsewhere.client("analyst"), job["job_id"], lambda j: j["state"] == "done")
        assert done["events"] == 2 and len(done["result"]["reports"]) == 3
        assert elsewhere.client("viewer").get(f"/api/uploads/{job['job_id']}").status_code == 403


def _job(jobs: UploadJobTable, worker: str, heartbeat: datetime) -> str:
    status = UploadStatus(job_id=uuid.uuid4().hex, total=4, done=1, state="running")
    record = UploadJobRecord(
        job_id=status.job_id,
        owner="analyst",
        state="running",
        worker=worker,
        heartbeat_at=heartbeat,
        status=status.model_dump_json(),
    )
    jobs.create(record, keep=200)
    return status.job_id


def test_a_job_whose_worker_stopped_is_shown_failed(
    gated: tuple[Workspace, GatedExtractor],
) -> None:
    workspace, _ = gated
    jobs = UploadJobTable(workspace.store)
    dead_pid = subprocess.Popen(["true"])
    dead_pid.wait()  # ended and reaped: no process has its pid
    now = utc_now()
    host = socket.gethostname()
    dead = _job(jobs, f"{host}:{dead_pid.pid}", now)
    silent = _job(jobs, "another-host:4242", now - ABANDONED_AFTER - timedelta(seconds=5))
    alive = _job(jobs, f"{host}:{os.getpid()}", now)
    client = workspace.client("analyst")
    for job_id, worker in ((dead, f"{host}:{dead_pid.pid}"), (silent, "another-host:4242")):
        shown = client.get(f"/api/uploads/{job_id}").json()
        assert shown["state"] == "failed", shown
        assert f"({worker}) stopped after 1 of 4 reports" in shown["error"]
        assert "send the file again" in shown["error"]
        assert jobs.get(job_id).state == "failed"  # type: ignore[union-attr]
    assert client.get(f"/api/uploads/{alive}").json()["state"] == "running"


def test_a_worker_beats_for_its_jobs_while_it_has_any(
    gated: tuple[Workspace, GatedExtractor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.web import _uploads

    monkeypatch.setattr(_uploads, "HEARTBEAT", timedelta(seconds=0.05))
    workspace, extractor = gated
    jobs = UploadJobTable(workspace.store)
    client = workspace.client("analyst")
    job = start(client, {"text_column": "story"}, b"story\nTeachers marched in Homs.\n")
    first_beat = jobs.get(job["job_id"]).heartbeat_at  # type: ignore[union-attr]
    deadline = time.monotonic() + 10
    while jobs.get(job["job_id"]).heartbeat_at == first_beat:  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the queued job's heartbeat never moved"
        time.sleep(0.05)
    extractor.release()
    wait_for(client, job["job_id"], lambda j: j["state"] == "done")
    uploads = workspace.app.state.services.uploads
    deadline = time.monotonic() + 10
    while uploads._beating.is_set():  # no job left: the heartbeat thread ends
        assert time.monotonic() < deadline, "the heartbeat outlived the jobs"
        time.sleep(0.05)
