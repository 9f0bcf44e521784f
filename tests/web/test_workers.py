"""`sitrep serve --workers 2`, really started: requests answered by either worker process
see the same session, the same login throttle counts and the same upload job; stopping
the server leaves no worker process behind. Runs on the test backend (SQLite, or
PostgreSQL with SITREP_TEST_DB=postgresql). The workers code uploads with the CLI tests'
stand-in extractor (one event per "killing <number>"): what is tested is what the workers
share, not the pipeline, and so the test needs no model."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from tests.processes import running
from tests.web.conftest import FIXTURES, PASSWORD, launch_server

#: The CLI tests' stand-in extractors (tests/cli/fixtures/fake_extractor.py).
STAND_IN_EXTRACTORS = Path(__file__).parents[1] / "cli" / "fixtures"
PER_USER_LIMIT = 3


class Workers:
    """A server of two worker processes, and a way to reach each of them."""

    def __init__(self, process: subprocess.Popen[bytes], base: str) -> None:
        self.process = process
        self.base = base
        self.pids: set[int] = set()

    def client_on(self, pid: int | None = None, **options: object) -> tuple[httpx.Client, int]:
        """A client whose kept-alive connection is served by worker `pid` (any if None):
        new connections are opened until the kernel hands one to that worker."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            client = httpx.Client(base_url=self.base, timeout=30, **options)  # type: ignore[arg-type]
            answered = worker(client)
            self.pids.add(answered)
            if pid is None or answered == pid:
                return client, answered
            client.close()
        pytest.fail(f"no connection reached worker {pid} (seen: {sorted(self.pids)})")

    def both(self) -> tuple[int, int]:
        """The two worker pids (opening connections until both have answered)."""
        deadline = time.monotonic() + 120
        while len(self.pids) < 2 and time.monotonic() < deadline:
            client, _ = self.client_on()
            client.close()
        assert len(self.pids) == 2, f"only worker {self.pids} answered"
        first, second = sorted(self.pids)
        return first, second


def worker(client: httpx.Client) -> int:
    answer = client.get("/health")
    assert answer.status_code == 200, answer.text
    return int(answer.json()["worker"])


@pytest.fixture
def workers(
    template_db: tuple[str, dict[str, str]],
    new_database: Callable[..., str],
    tmp_path: Path,
) -> Iterator[Workers]:
    template, _ = template_db
    env = {
        "SITREP_LOGIN_FAILURES_PER_USER": str(PER_USER_LIMIT),
        "SITREP_EXTRACTOR": "fake_extractor:killings",
        "PYTHONPATH": os.pathsep.join([str(STAND_IN_EXTRACTORS), os.environ.get("PYTHONPATH", "")]),
    }
    with (tmp_path / "server.log").open("wb") as log:
        process, base = launch_server(
            new_database(template), env, log, "--workers", "2", "--insecure-cookies"
        )
        served = Workers(process, base)
        yield served
        if process.poll() is None:  # the test failed before stopping it
            process.terminate()  # SIGTERM: the parent stops its workers (SIGKILL would not)
            process.wait(timeout=60)


def login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    form = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert token is not None
    return client.post(
        "/login", data={"name": name, "password": password, "login_csrf": token.group(1)}
    )


def test_two_workers_share_sessions_throttle_counts_and_upload_jobs(
    workers: Workers, template_db: tuple[str, dict[str, str]]
) -> None:
    first, second = workers.both()

    # A session started on one worker is honoured by the other.
    browser, pid = workers.client_on(first)
    assert login(browser, "analyst", PASSWORD).status_code == 303
    assert worker(browser) == pid  # the login went over that connection
    cookie = browser.cookies["sitrep_session"]
    elsewhere, _ = workers.client_on(second, cookies={"sitrep_session": cookie})
    events = elsewhere.get("/api/events")
    assert events.status_code == 200 and len(events.json()["items"]) == 4
    assert worker(elsewhere) == second

    # Failed logins counted on either worker add up: the limit holds across both.
    for pid, _ in zip((first, second, first), range(PER_USER_LIMIT), strict=True):
        guesser, _ = workers.client_on(pid)
        assert login(guesser, "viewer", "a wrong password").status_code == 401
        assert worker(guesser) == pid
    for pid in (first, second):
        refused, _ = workers.client_on(pid)
        answer = login(refused, "viewer", PASSWORD)
        assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
        assert worker(refused) == pid

    # An upload coded by one worker is followed from the other.
    token = {"Authorization": f"Bearer {template_db[1]['analyst']}"}
    uploader, _ = workers.client_on(first, headers=token)
    started = uploader.post(
        "/api/uploads",
        data={"text_column": "story", "title_column": "headline", "date_column": "day"},
        files={"file": ("feed.csv", (FIXTURES / "monitor_feed.csv").read_bytes(), "text/csv")},
    )
    assert started.status_code == 202, started.text
    assert worker(uploader) == first
    job_id = started.json()["job_id"]
    follower, _ = workers.client_on(second, headers=token)
    deadline = time.monotonic() + 120
    while (job := follower.get(f"/api/uploads/{job_id}").json())["state"] != "done":
        assert job["state"] in ("queued", "running"), job
        assert time.monotonic() < deadline, f"the upload was never coded: {job}"
        time.sleep(0.5)
    assert worker(follower) == second
    assert (job["done"], job["total"], job["events"], job["failures"]) == (3, 3, 2, [])
    titles = {report["title"] for report in job["result"]["reports"]}
    assert titles == {"Blast in Mosul", "Shelling of Homs", "Clash near Raqqa"}

    # Stopping the server stops both workers: no process is left behind.
    workers.process.send_signal(signal.SIGTERM)
    assert workers.process.wait(timeout=60) == 0
    assert_stopped(first, second)


def test_workers_of_a_killed_server_stop_too(workers: Workers) -> None:
    """SIGKILL cannot be passed on to the workers: each notices it lost its supervisor."""
    first, second = workers.both()
    workers.process.kill()
    workers.process.wait(timeout=10)
    assert_stopped(first, second)


def assert_stopped(*pids: int) -> None:
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in pids):
        assert time.monotonic() < deadline, "a worker process outlived the server"
        time.sleep(0.1)
