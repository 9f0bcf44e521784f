"""API limits: bodies over the upload limit are refused before they are read, on every
route; answers are never cached; HSTS over HTTPS; /health asks the database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine

if TYPE_CHECKING:
    from tests.web.conftest import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LIMIT = 2_000


@pytest.fixture
def small(workspace_with: Callable[..., Workspace]) -> Workspace:
    return workspace_with(max_upload_bytes=LIMIT, secret_key="web tests: a key of some length")


def test_a_declared_length_over_the_limit_is_refused_unread(small: Workspace) -> None:
    before = small.client("admin").get("/api/reports").json()["total"]
    body = b"x" * 200_000
    for path in ("/api/reports", "/api/reports/text", "/api/reports/upload"):
        answer = small.client("analyst").post(
            path, content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 413, path
        assert "larger than 2,000 bytes" in answer.json()["detail"]
    assert small.client("admin").get("/api/reports").json()["total"] == before


def test_a_body_without_a_length_is_counted_as_it_streams(small: Workspace) -> None:
    def chunks() -> Iterator[bytes]:  # sent chunked: no Content-Length to check up front
        for _ in range(16):
            yield b"y" * 65_536

    answer = small.client("analyst").post(
        "/api/reports/text", content=chunks(), headers={"Content-Type": "text/plain"}
    )
    assert answer.status_code == 413
    assert "larger than 2,000 bytes" in answer.json()["detail"]


def test_a_body_within_the_limit_goes_through(small: Workspace) -> None:
    answer = small.client("analyst").post(
        "/api/reports/text",
        content=b"Gunmen shot dead a farmer near Kirkuk on Monday, police said.",
        headers={"Content-Type": "text/plain"},
    )
    assert answer.status_code == 200, answer.text


def test_answers_are_not_cached_and_https_gets_hsts(workspace: Workspace) -> None:
    client = workspace.client("admin")
    for path in ("/api/events", "/events", "/api/reports"):
        headers = client.get(path).headers
        assert headers["cache-control"] == "no-store", path
        assert headers["strict-transport-security"].startswith("max-age="), path
    assert "cache-control" not in client.get("/static/sitrep.css").headers


def test_health_asks_the_database(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert workspace.client().get("/health").json() == {"status": "ok", "worker": os.getpid()}
    gone = create_engine("sqlite:////no-such-folder/sitrep.db")  # the database went away
    monkeypatch.setattr(workspace.store, "_engine", gone)
    answer = workspace.client().get("/health")
    assert answer.status_code == 503
    assert "unable to open database file" in answer.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/events?offset=10000000000000000000000",
        "/api/events?min_fatalities=10000000000000000000000",
        "/api/reports?offset=10000000000000000000000",
        "/events?page=10000000000000000000000",
    ],
)
def test_huge_integers_in_a_query_are_refused_not_a_crash(workspace: Workspace, path: str) -> None:
    answer = workspace.client("viewer").get(path)
    assert answer.status_code == 422, answer.text
