"""Latency of the REST API under 20 concurrent clients, on a database of 100,000 events.

    .venv/bin/python bench/api_load.py [--events 100000] [--clients 20] [--requests 50]
                                       [--db postgresql+psycopg://...] [--reuse]

Builds the database (SQLite in a temporary folder unless --db names one; --reuse keeps the
events a previous run left there), starts `sitrep serve` on loopback in a subprocess (a
real uvicorn server), and lets each client thread send --requests requests drawn from an
analyst's mix: the first page of the event list, pages filtered by country, event type,
province or a date range, a deep page, one event, and the map and timeline of a country's
year. Prints p50/p95/p99 latency and requests per second, overall and per kind of
request. `--first-page-only` times only a filtered first page and its total (what the
README's figure on a million events measures). Not a test: timings vary by machine.

The events are synthetic but shaped like real ones (countries with their provinces,
ACLED's event and sub-event types, dates over ten years, actors, tolls skewed to small
numbers), stored through the store's own rows and search index, so every filter and
every page the server reads is the one a real database would give it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from sitrep.models import EVENT_TYPES, Actor, Event, Place, Report
from sitrep.store import EventFilter, Store
from sitrep.store._schema import ReportRow
from sitrep.store._search import index_events, search_values
from sitrep.store._store import new_event_row
from sitrep.store.accounts import Accounts

#: Countries and provinces (ACLED's admin1 spellings) the synthetic events are spread over.
PROVINCES = {
    "Syria": ["Idleb", "Aleppo", "Homs", "Hama", "Damascus", "Rural Damascus", "Deir ez Zor"],
    "Iraq": ["Ninewa", "Baghdad", "Anbar", "Salah al-Din", "Kirkuk", "Diyala"],
    "Yemen": ["Taizz", "Marib", "Al Hudaydah", "Sanaa", "Aden"],
    "Nigeria": ["Borno", "Yobe", "Adamawa", "Zamfara"],
    "Somalia": ["Banadir", "Lower Shabelle", "Bay"],
}
ACTORS = [
    ("Military Forces of Syria (2000-)", 1),
    ("Islamic State (Syria)", 2),
    ("Hayat Tahrir al-Sham", 2),
    ("Military Forces of Iraq (2014-)", 1),
    ("Houthi Movement", 2),
    ("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", 2),
    ("Al Shabaab", 2),
    ("Unidentified Armed Group", 3),
    ("Civilians", 7),
]
EVENTS_PER_REPORT = 4
FIRST_DAY, DAYS = date(2015, 1, 1), 3650
PASSWORD = "bench-load-password-1"


def synthetic_events(count: int, seed: int = 16) -> Iterator[tuple[Report, list[Event]]]:
    """`count` events in reports of EVENTS_PER_REPORT, deterministic for a seed."""
    rng = random.Random(seed)
    types = list(EVENT_TYPES)
    for number in range(0, count, EVENTS_PER_REPORT):
        country = rng.choice(list(PROVINCES))
        report = Report(
            text=f"Synthetic report {number} on {country} for the API load benchmark.",
            title=f"Load report {number}",
            source="bench",
            published=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
        )
        events = []
        for _ in range(min(EVENTS_PER_REPORT, count - number)):
            event_type = rng.choice(types)
            actor1, actor2 = rng.sample(ACTORS, 2)
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS)) if rng.random() > 0.02 else None
            events.append(
                Event(
                    event_type=event_type,
                    sub_event_type=rng.choice(EVENT_TYPES[event_type]),
                    event_date=day,
                    time_precision=1,
                    actor1=Actor(name=actor1[0], inter=actor1[1], country=country),
                    actor2=Actor(name=actor2[0], inter=actor2[1], country=country),
                    place=Place(
                        location=f"Place {rng.randrange(2000)}",
                        country=country,
                        admin1=rng.choice(PROVINCES[country]),
                        latitude=rng.uniform(-5, 40),
                        longitude=rng.uniform(5, 50),
                        geo_precision=rng.choice((1, 2, 3)),
                    ),
                    fatalities=min(int(rng.expovariate(0.4)), 500),
                    confidence=rng.uniform(0.3, 1.0),
                )
            )
        yield report, events


def build(url: str, count: int) -> tuple[float, str]:
    """Fill the database at `url` with `count` events; (seconds taken, an API token)."""
    started = time.perf_counter()
    with Store(url) as store:
        accounts = Accounts(store)
        accounts.add_user("bench", "viewer", PASSWORD)
        token = accounts.create_token("bench", "api_load benchmark")
        batch: list[tuple[Report, list[Event]]] = []
        for item in synthetic_events(count):
            batch.append(item)
            if len(batch) == 1000:
                _store_batch(store, batch)
                batch = []
        _store_batch(store, batch)
    return time.perf_counter() - started, token


def _store_batch(store: Store, batch: list[tuple[Report, list[Event]]]) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.session(write=True) as session:
        session.add_all(
            ReportRow(
                report_id=report.report_id,
                text=report.text,
                title=report.title,
                source=report.source,
                published=report.published,
                language="en",
                status="ok",
                ingested_at=now,
            )
            for report, _ in batch
        )
        session.flush()  # the reports exist before their events (a foreign key)
        searchable = []
        for report, events in batch:
            for position, event in enumerate(events, start=1):
                stored = event.model_copy(
                    update={
                        "report_id": report.report_id,
                        "event_id": f"{report.report_id}-{position:02d}",
                    }
                )
                session.add(new_event_row(stored, position))
                searchable.append(search_values(stored, report.title, report.text))
        session.flush()
        index_events(session, searchable)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    sitrep = Path(sys.executable).with_name("sitrep")
    server = subprocess.Popen(
        [str(sitrep), "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "SITREP_SECRET_KEY": os.environ.get("SITREP_SECRET_KEY", "")},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = server.stderr.read().decode() if server.stderr else ""
            raise SystemExit(f"sitrep serve exited: {error.strip()[-500:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).is_success:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("sitrep serve did not answer /health within 120 s")


Request = tuple[str, str, dict[str, str | int]]


def request_mix(total: int, event_ids: list[str], seed: int) -> Callable[[], Request]:
    """A function drawing one analyst's next request: (kind, path, query parameters)."""
    rng = random.Random(seed)

    def year_range() -> dict[str, str | int]:
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - 365))
        return {"since": start.isoformat(), "until": (start + timedelta(days=365)).isoformat()}

    def draw() -> Request:
        country = rng.choice(list(PROVINCES))
        kind = rng.choices(
            [
                "first page",
                "country page",
                "country+type page",
                "admin1 page",
                "date range page",
                "deep page",
                "one event",
                "map",
                "timeline",
            ],
            weights=[3, 3, 2, 2, 2, 1, 3, 1, 1],
        )[0]
        params: dict[str, str | int] = {}
        path = "/api/events"
        if kind == "country page":
            params = {"country": country.lower(), "offset": 50 * rng.randrange(5)}
        elif kind == "country+type page":
            params = {"country": country, "event_type": rng.choice(list(EVENT_TYPES))}
        elif kind == "admin1 page":
            params = {"admin1": rng.choice(PROVINCES[country]), "order": "-date"}
        elif kind == "date range page":
            params = {**year_range(), "order": "-fatalities"}
        elif kind == "deep page":
            params = {"offset": rng.randrange(total // 2, max(total - 50, total // 2 + 1))}
        elif kind == "one event":
            path = f"/api/events/{rng.choice(event_ids)}"
        elif kind == "map":
            path, params = "/api/map/events", {"country": country, **year_range()}
        elif kind == "timeline":
            path, params = "/api/timeline", {"country": country, **year_range()}
        return kind, path, params

    return draw


def run_clients(
    base: str, token: str, draws: list[Callable[[], Request]], requests: int
) -> tuple[dict[str, list[float]], float, list[str]]:
    """Each client sends `requests` requests in turn; latencies by kind, wall seconds, errors."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    start_together = threading.Barrier(len(draws))

    def client(draw: Callable[[], Request]) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=300) as http:
            start_together.wait()
            for _ in range(requests):
                kind, path, params = draw()
                began = time.perf_counter()
                answer = http.get(path, params=params)
                took = time.perf_counter() - began
                with lock:
                    latencies[kind].append(took)
                    if answer.status_code != 200:
                        errors.append(f"{kind} {path} {params}: {answer.status_code}")

    threads = [threading.Thread(target=client, args=(draw,)) for draw in draws]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began, errors


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"n={len(values)}"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return (
        f"n={len(values):5d}  p50 {cuts[49] * 1000:7.0f} ms  p95 {cuts[94] * 1000:7.0f} ms  "
        f"p99 {cuts[98] * 1000:7.0f} ms"
    )


def time_first_page(url: str) -> None:
    """A filtered first page and its total, straight through the store (cold, then warm)."""
    with Store(url) as store:
        for label, filters in [
            ("country", EventFilter(country="syria", limit=50)),
            ("country+type", EventFilter(country="Iraq", event_type="battles", limit=50)),
            ("admin1", EventFilter(admin1="idleb", limit=50)),
            ("unfiltered", EventFilter(limit=50)),
        ]:
            for attempt in ("first", "again"):
                began = time.perf_counter()
                page = store.query_events(filters)
                paged = time.perf_counter() - began
                began = time.perf_counter()
                total = store.count_events(filters)
                counted = time.perf_counter() - began
                print(
                    f"{label:13s} {attempt:5s}: page of {len(page)} in {paged * 1000:6.1f} ms, "
                    f"total {total} in {counted * 1000:7.1f} ms"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events (default 100,000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--requests", type=int, default=50, help="requests per client (50)")
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument(
        "--reuse", action="store_true", help="the database at --db already holds the events"
    )
    parser.add_argument(
        "--first-page-only", action="store_true", help="time a filtered first page and total"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sitrep-api-load-"))
    url = args.db or f"sqlite:///{folder / 'load.db'}"
    try:
        if args.reuse:
            token = _token_for_reuse(url)
        else:
            seconds, token = build(url, args.events)
            print(f"built {args.events:,} events in {seconds:.0f} s ({url.split('?')[0]})")
        if args.first_page_only:
            time_first_page(url)
            return 0
        with Store(url) as store:
            total = store.count_events()
            sample = [e.event_id for e in store.query_events(EventFilter(limit=2000, offset=7))]
        port = free_port()
        server = serve(url, port)
        try:
            base = f"http://127.0.0.1:{port}"
            warm = request_mix(total, sample, seed=0)
            run_clients(base, token, [warm], 20)  # gazetteer, templates, caches
            draws = [request_mix(total, sample, seed=n) for n in range(1, args.clients + 1)]
            latencies, wall, errors = run_clients(base, token, draws, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=30)
        every = [took for values in latencies.values() for took in values]
        print(
            f"{args.clients} clients x {args.requests} requests on {total:,} events: "
            f"{len(every) / wall:.1f} requests/s, {len(errors)} errors"
        )
        print(f"{'all':18s} {percentiles(every)}")
        for kind in sorted(latencies):
            print(f"{kind:18s} {percentiles(latencies[kind])}")
        for error in errors[:5]:
            print(f"error: {error}")
        return 1 if errors else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _token_for_reuse(url: str) -> str:
    with Store(url) as store:
        return Accounts(store).create_token("bench", "api_load benchmark (reused database)")


if __name__ == "__main__":
    sys.exit(main())
