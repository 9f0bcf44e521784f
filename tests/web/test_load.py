"""A bounded load test on loopback: 50 concurrent readers and 5 writers for 30 seconds
against `sitrep serve` on a SQLite file. No request may fail, no write may be lost; the p95
latency of reads and writes is printed."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from sitrep.models import Event, Place, Report
from sitrep.store import EventFilter, Store
from sitrep.store.accounts import Accounts
from sitrep.store.review import Reviews

pytestmark = pytest.mark.slow

READERS, WRITERS, SECONDS = 50, 5, 30.0
REPORTS, EVENTS_PER_REPORT = 40, 5


def seed(store: Store) -> list[str]:
    """200 events in 40 reports, spread over Syrian towns and four months."""
    towns = [("Saraqib", 35.86, 36.80), ("Douma", 33.57, 36.40), ("Daraa", 32.62, 36.10)]
    for n in range(REPORTS):
        report = Report(text=f"Load test report number {n}: shelling and clashes.")
        events = [
            Event(
                event_type="Battles",
                sub_event_type="Armed clash",
                event_date=date(2024, 1, 1) + timedelta(days=(n * 3 + k) % 120),
                fatalities=k,
                place=Place(
                    location=towns[k % 3][0],
                    country="Syria",
                    latitude=towns[k % 3][1],
                    longitude=towns[k % 3][2],
                ),
            )
            for k in range(EVENTS_PER_REPORT)
        ]
        store.add_report(report, events=events)
    return [event.event_id for event in store.query_events(EventFilter(order="event_id"))]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


async def hammer(base: str, token: str, event_ids: list[str]) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"}
    # Idle connections expire on the client well before uvicorn drops them (after 5 s):
    # otherwise a request can leave on a connection the server is closing at that moment.
    limits = httpx.Limits(max_connections=READERS + WRITERS, keepalive_expiry=2.0)
    read_times: list[float] = []
    write_times: list[float] = []
    errors: list[str] = []
    last_written: dict[str, int] = {}
    writes_done: dict[str, int] = {}
    stop_at = time.monotonic() + SECONDS

    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:

        async def timed(method: str, url: str, times: list[float], **kwargs: object) -> bool:
            started = time.perf_counter()
            try:
                answer = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
            except httpx.HTTPError as error:
                errors.append(f"{method} {url}: {type(error).__name__}")
                return False
            times.append(time.perf_counter() - started)
            if answer.status_code != 200:
                errors.append(f"{method} {url}: {answer.status_code} {answer.text[:200]}")
                return False
            return True

        async def reader(n: int) -> None:
            i = n
            while time.monotonic() < stop_at:
                i += 1
                if i % 3 == 0:
                    await timed("GET", f"/api/events/{event_ids[i % len(event_ids)]}", read_times)
                elif i % 3 == 1:
                    params = {"limit": "50", "offset": str(i % 150), "order": "-date"}
                    await timed("GET", "/api/events", read_times, params=params)
                else:
                    params = {"min_fatalities": "2", "country": "Syria", "limit": "20"}
                    await timed("GET", "/api/events", read_times, params=params)

        async def writer(n: int) -> None:
            # Each writer corrects its own event with ever-new values: every success must
            # leave exactly one audit record, and the last value must be the one stored.
            # Each names the version its previous correction left (a stale one would be 409).
            event_id = event_ids[n]
            value = 1000 * (n + 1)
            version = 1
            while time.monotonic() < stop_at:
                value += 1
                body = {"fatalities": value, "note": f"writer {n}", "version": version}
                if await timed("PATCH", f"/api/events/{event_id}", write_times, json=body):
                    version += 1
                    last_written[event_id] = value
                    writes_done[event_id] = writes_done.get(event_id, 0) + 1

        await asyncio.gather(
            *(reader(n) for n in range(READERS)), *(writer(n) for n in range(WRITERS))
        )
    return {
        "reads": read_times,
        "writes": write_times,
        "errors": errors,
        "last_written": last_written,
        "writes_done": writes_done,
    }


def test_fifty_readers_and_five_writers_for_thirty_seconds(
    tmp_path: Path, sitrep_server: Callable[[str, dict[str, str]], tuple[str, Path]]
) -> None:
    db = f"sqlite:///{tmp_path / 'sitrep.db'}"
    with Store(db) as store:
        accounts = Accounts(store)
        accounts.add_user("loader", "analyst", "load test password")
        token = accounts.create_token("loader")
        event_ids = seed(store)
    base, _ = sitrep_server(db, {})

    outcome = asyncio.run(hammer(base, token, event_ids))

    reads, writes = outcome["reads"], outcome["writes"]
    assert isinstance(reads, list) and isinstance(writes, list)
    print(
        f"\nload test: {len(reads)} reads, {len(writes)} writes in {SECONDS:.0f} s; "
        f"p95 read {p95(reads) * 1000:.0f} ms, p95 write {p95(writes) * 1000:.0f} ms, "
        f"p95 all {p95(reads + writes) * 1000:.0f} ms"
    )
    assert outcome["errors"] == []
    assert len(reads) > READERS and len(writes) > WRITERS
    last_written = outcome["last_written"]
    writes_done = outcome["writes_done"]
    assert isinstance(last_written, dict) and isinstance(writes_done, dict)
    with Store(db) as store:
        reviews = Reviews(store)
        for event_id, value in last_written.items():
            stored = store.get_event(event_id)
            assert stored is not None and stored.fatalities == value
            history = reviews.history(event_id)
            assert len(history) == writes_done[event_id]
            assert history[-1].new == value
        assert reviews.count_audit_records() == sum(writes_done.values())
