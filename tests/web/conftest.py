"""A workspace on a temporary SQLite database: three users (one per role), their API tokens,
and events from the fixture reports, coded by hand as an ACLED coder would."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sitrep.models import Actor, Event, Evidence, Place, Report, Span
from sitrep.store import EventFilter, Store
from sitrep.store.accounts import Accounts
from sitrep.web import Settings, create_app

FIXTURES = Path(__file__).parent / "fixtures"
SECRET_KEY = "web tests only: a secret key of some length"
PASSWORD = "long password 1"
ROLES = ("viewer", "analyst", "admin")

SYRIAN_GOVERNMENT = Actor(name="Military Forces of Syria (2000-)", inter=1, country="Syria")
HTS = Actor(name="Hayat Tahrir al-Sham", inter=2, country="Syria")


def evidence(text: str, words: str, confidence: float = 0.9) -> Evidence:
    start = text.index(words)
    return Evidence(spans=[Span.of(text, start, start + len(words))], confidence=confidence)


def fixture_report(name: str, published: date) -> Report:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return Report(text=text, published=published, source="Test Monitor", title=name)


def coded_events() -> list[tuple[Report, list[Event]]]:
    """The fixture reports and the events a careful coder records for them."""
    shelling = fixture_report("shelling_report.txt", date(2024, 3, 6))
    text = shelling.text
    idlib: dict[str, Any] = {"country": "Syria", "iso": 760, "iso2": "SY", "admin1": "Idlib"}
    strike = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=date(2024, 3, 5),
        time_precision=1,
        actor1=SYRIAN_GOVERNMENT,
        actor2=Actor(name="Civilians (Syria)", inter=7, country="Syria"),
        place=Place(location="Saraqib", latitude=35.8641, longitude=36.8006, **idlib),
        fatalities=4,
        attack_method="shelling/artillery",
        source="Test Monitor",
        confidence=0.8,
        attribution="local medics",
        evidence={
            "event_type": evidence(text, "shelled"),
            "actor1": evidence(text, "Government artillery"),
            "location": evidence(text, "Saraqib"),
            "admin1": evidence(text, "Idlib province"),
            "fatalities": evidence(text, "killing four civilians"),
            "event_date": evidence(text, "on Tuesday"),
        },
    )
    clash = Event(
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2024, 3, 6),
        time_precision=1,
        actor1=HTS,
        actor2=SYRIAN_GOVERNMENT,
        place=Place(
            location="Maarat al-Numan",
            latitude=35.6433,
            longitude=36.6715,
            geo_precision=2,
            **idlib,
        ),
        fatalities=2,
        source="Test Monitor",
        confidence=0.7,
        evidence={
            "event_type": evidence(text, "clashed"),
            "fatalities": evidence(text, "two fighters were killed"),
        },
    )
    hostile = fixture_report("hostile_report.txt", date(2024, 3, 18))
    checkpoint = Event(
        event_type="Battles",
        sub_event_type="Armed clash",
        event_date=date(2024, 3, 17),
        time_precision=1,
        actor1=Actor(name="Unidentified Armed Group (Syria)", inter=3, country="Syria"),
        actor2=SYRIAN_GOVERNMENT,
        place=Place(
            location="Daraa",
            country="Syria",
            iso2="SY",
            admin1="Daraa",
            latitude=32.6189,
            longitude=36.1021,
        ),
        fatalities=2,
        confidence=0.6,
        evidence={"fatalities": evidence(hostile.text, "killing two soldiers")},
    )
    iraq = fixture_report("iraq_report.txt", date(2024, 4, 13))
    ied = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        event_date=date(2024, 4, 12),
        time_precision=1,
        actor2=Actor(name="Police Forces of Iraq (2020-)", inter=1, country="Iraq"),
        place=Place(location="Mosul", country="Iraq", iso2="IQ", admin1="Ninewa"),
        fatalities=1,
        confidence=0.7,
        evidence={"fatalities": evidence(iraq.text, "killing one policeman")},
    )
    return [(shelling, [strike, clash]), (hostile, [checkpoint]), (iraq, [ied])]


@dataclass
class Workspace:
    app: FastAPI
    store: Store
    tokens: dict[str, str]
    #: event ids by short name: strike, clash, checkpoint, ied
    events: dict[str, str]
    reports: dict[str, str]

    def client(self, role: str | None = None) -> TestClient:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return TestClient(self.app, base_url="https://testserver", headers=headers)

    def browser(self, role: str) -> tuple[TestClient, str]:
        """A client logged in through the login form, and its session's CSRF token."""
        client = TestClient(self.app, base_url="https://testserver")
        form = client.get("/login")
        login_csrf = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
        assert login_csrf is not None
        answer = client.post(
            "/login",
            data={"name": role, "password": PASSWORD, "login_csrf": login_csrf.group(1)},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        page = client.get("/events")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        return client, csrf.group(1)


@pytest.fixture(scope="session")
def hostile_coded() -> tuple[Report, list[Event]]:
    """The report whose text is hostile HTML, with its one event."""
    return coded_events()[1]


@pytest.fixture(scope="session")
def template_db(new_database: Callable[..., str]) -> tuple[str, dict[str, str]]:
    """Built once (argon2 hashing is slow on purpose), copied for each test."""
    url = new_database()
    tokens = {}
    with Store(url) as store:
        accounts = Accounts(store)
        for role in ROLES:
            accounts.add_user(role, role, PASSWORD)
            tokens[role] = accounts.create_token(role)
        for report, events in coded_events():
            store.add_report(report, events=events)
    return url, tokens


def build_workspace(db_url: str, tokens: dict[str, str], **settings: Any) -> Workspace:
    from sitrep.pipeline import extract_report

    store = Store(db_url)
    app = create_app(Settings(db=db_url, **settings), store=store, extractor=extract_report)
    ids = {}
    for report, events in coded_events():
        stored = store.query_events(EventFilter(report_id=report.report_id))
        for event, mine in zip(stored, events):
            ids[_short_name(mine)] = event.event_id
    reports = {report.title or "": report.report_id for report, _ in coded_events()}
    return Workspace(app=app, store=store, tokens=tokens, events=ids, reports=reports)


def _short_name(event: Event) -> str:
    location = event.place.location if event.place else ""
    return {"Saraqib": "strike", "Maarat al-Numan": "clash", "Daraa": "checkpoint", "Mosul": "ied"}[
        location
    ]


@pytest.fixture
def workspace(
    template_db: tuple[str, dict[str, str]], new_database: Callable[..., str]
) -> Iterator[Workspace]:
    template, tokens = template_db
    built = build_workspace(new_database(template), tokens, secret_key=SECRET_KEY)
    yield built
    built.store.close()


@pytest.fixture
def workspace_with(
    template_db: tuple[str, dict[str, str]], new_database: Callable[..., str]
) -> Iterator[Callable[..., Workspace]]:
    """Build the workspace with other settings (tile_url=..., secret_key=...)."""
    built: list[Workspace] = []

    def build(**settings: Any) -> Workspace:
        template, tokens = template_db
        built.append(build_workspace(new_database(template), tokens, **settings))
        return built[-1]

    yield build
    for workspace in built:
        workspace.store.close()


@pytest.fixture
def keyless_workspace(
    template_db: tuple[str, dict[str, str]], new_database: Callable[..., str]
) -> Iterator[Workspace]:
    """The same workspace on a server started without SITREP_SECRET_KEY."""
    template, tokens = template_db
    built = build_workspace(new_database(template), tokens, secret_key=None)
    yield built
    built.store.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def launch_server(
    db: str, env: dict[str, str], log: IO[bytes], *options: str
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `sitrep serve --db URL [options]` on a free loopback port, its output into
    `log`; returns the process and the base URL once /health answers."""
    port = _free_port()
    process = subprocess.Popen(
        [Path(sys.executable).with_name("sitrep"), "serve", "--db", db, "--port", str(port)]
        + list(options),
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.terminate()  # SIGTERM: a server of several workers stops them too
            process.wait(timeout=60)
            log.flush()
            pytest.fail(f"sitrep serve did not start: {Path(log.name).read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def sitrep_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str, dict[str, str]], tuple[str, Path]]]:
    """Start `sitrep serve --db URL` on a free loopback port: returns (base URL, log file).
    Every server started is stopped when the module's tests are done."""
    started: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []

    def start(db: str, env: dict[str, str]) -> tuple[str, Path]:
        log_path = tmp_path_factory.mktemp("server") / "server.log"
        log = log_path.open("wb")
        process, base = launch_server(db, env, log)
        started.append((process, log))
        return base, log_path

    yield start
    for process, log in started:
        process.terminate()
        process.wait(timeout=10)
        log.close()
