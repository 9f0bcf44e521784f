"""Benchmark linking at scale (not a test): N synthetic events built from MAVERICK records.

    .venv/bin/python bench/link_scale.py [--events 100000] [--store]

Each copy of the 2,225 MAVERICK Kenya records is moved 45 days later than the one before
(so copies overlap in time the way a busy theatre does), its coordinates moved by up to
a few hundred metres and its reports given new ids; copies never share an incident. The
run links them in date order through `IncidentIndex` (what `sitrep link --rebuild` does
after reading the events) and prints the wall time, the peak memory of the process, and
how many incidents were formed. `--store` also stores the events in a SQLite file and
times `Incidents.rebuild()` (reading, linking and writing every link) over it, then what
the web pages ask when they count incidents: the table's incident ids and one page of
records, the map's records (at most 5,000), and the timeline over every incident, beside
the same timeline over every event.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sitrep.evaluate._maverick import read_maverick
from sitrep.link import IncidentIndex, LinkView
from sitrep.link._cluster import link_order
from sitrep.models import Event, Report
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "maverick_kenya.csv"
SHIFT_DAYS = 45


def synthetic_events(count: int, seed: int = 14) -> list[Event]:
    records, _ = read_maverick(DATA)
    rng = random.Random(seed)
    events: list[Event] = []
    copy = 0
    while len(events) < count:
        for record in records:
            if len(events) == count:
                break
            event = record.event
            place = event.place
            moved = place.model_copy(  # type: ignore[union-attr]
                update={
                    "latitude": None
                    if place.latitude is None
                    else place.latitude + rng.uniform(-0.003, 0.003),  # type: ignore[union-attr]
                    "longitude": None
                    if place.longitude is None
                    else place.longitude + rng.uniform(-0.003, 0.003),  # type: ignore[union-attr]
                }
            )
            report_id = f"c{copy:03d}{event.report_id[4:]}"
            events.append(
                event.model_copy(
                    update={
                        "event_id": f"{report_id}{event.event_id[16:]}",
                        "report_id": report_id,
                        "event_date": event.event_date + timedelta(days=SHIFT_DAYS * copy),  # type: ignore[operator]
                        "place": moved,
                    }
                )
            )
        copy += 1
    return events


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", action="store_true", help="also time a rebuild in SQLite")
    args = parser.parse_args()
    started = time.perf_counter()
    events = synthetic_events(args.events)
    built = time.perf_counter()
    print(
        f"{len(events)} synthetic events built in {built - started:.1f} s; peak {peak_memory_mb():.0f} MB"
    )
    views = sorted((LinkView.of(e) for e in events), key=link_order)
    index = IncidentIndex()
    linking = time.perf_counter()
    index.link_in_order(views)
    done = time.perf_counter()
    incidents = len(set(index.incident_of.values()))
    print(
        f"linked in {done - linking:.1f} s ({len(views) / (done - linking):.0f} events/s), "
        f"views {linking - built:.1f} s; {incidents} incidents; peak {peak_memory_mb():.0f} MB"
    )
    if args.store:
        from sitrep.link.store import Incidents

        with tempfile.TemporaryDirectory() as folder:
            store = Store(f"sqlite:///{folder}/scale.db")
            storing = time.perf_counter()
            by_report: dict[str, list[Event]] = {}
            for event in events:
                by_report.setdefault(event.report_id, []).append(event)
            for report_id, own in by_report.items():
                report = Report(text=report_id)
                store.add_report(
                    report,
                    events=[
                        e.model_copy(update={"report_id": report.report_id, "event_id": ""})
                        for e in own
                    ],
                )
            stored = time.perf_counter()
            summary = Incidents(store).rebuild()
            rebuilt = time.perf_counter()
            print(
                f"stored in {stored - storing:.1f} s; rebuild {rebuilt - stored:.1f} s "
                f"({summary.incidents} incidents); peak {peak_memory_mb():.0f} MB"
            )
            time_incident_views(store)
    return 0


def time_incident_views(store: Store) -> None:
    """What the table, map and timeline cost when they count incidents."""
    from sitrep.link.store import Incidents
    from sitrep.store import EventFilter
    from sitrep.web._timeline import timeline
    from sitrep.web._units import counted_events

    every = EventFilter()
    started = time.perf_counter()
    ids = Incidents(store).matching_ids(every)
    listed = time.perf_counter()
    Incidents(store).records(ids[:50])
    paged = time.perf_counter()
    drawn = list(Incidents(store).matching(every.model_copy(update={"limit": 5000})))
    mapped = time.perf_counter()
    by_incident = timeline(counted_events(store, every, "incidents"))
    charted = time.perf_counter()
    by_event = timeline(counted_events(store, every, "events"))
    done = time.perf_counter()
    print(
        f"table: {len(ids)} incident ids {listed - started:.1f} s, a page of 50 records "
        f"{paged - listed:.2f} s; map: {len(drawn)} records {mapped - paged:.1f} s; "
        f"timeline by incident {charted - mapped:.1f} s "
        f"({sum(w.events for w in by_incident.weeks)} counted), by event {done - charted:.1f} s "
        f"({sum(w.events for w in by_event.weeks)} counted); peak {peak_memory_mb():.0f} MB"
    )


if __name__ == "__main__":
    sys.exit(main())
