"""Words per second of `sitrep extract`'s batch runner: serial against Dask worker processes.

    .venv/bin/python bench/parallel.py [--reports 300] [--workers 2] [--scheduler ADDRESS]

The corpus is bench/throughput.py's (the example reports, the ACLED fixture notes and the
FA-KES dev articles when present, cycled into distinct copies). Each side runs the whole
batch into its own in-memory database: extraction and one transaction per report. Both
sides run after a warm-up that loads the model in this process, and the parallel side's
workers are forked from it with the model loaded, so neither pays for loading it (a cold
`sitrep extract --workers 2` loads it once in each worker, both at once); the parallel side
counts starting its processes. The serial run is measured twice: all in one process (the
issue's baseline for the workers' speed-up), and as it runs by default, its next window
parsed in a second process (started and ready before it is timed). Every database must end
up with the same events. Not a test: timings vary by machine.

With `--scheduler`, the parallel side runs on that Dask cluster instead of local processes,
for instance one started on loopback as the README shows (`dask scheduler`, then `dask
worker ADDRESS --nthreads 1` once per worker). Its workers load the model themselves: a
warm-up batch on the cluster, not timed, lets each load it first.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import corpus  # bench/ is not a package

import sitrep
from sitrep.engine import Engine, default_engine
from sitrep.ingest import Extractor, parse_report_date, run_batch
from sitrep.models import Report
from sitrep.pipeline import PipelineExtractor
from sitrep.store import Store


def timed_batch(
    reports: list[Report],
    workers: int | None,
    extractor: Extractor | None = None,
    scheduler: str | None = None,
) -> tuple[float, list[str]]:
    """Seconds the batch took, and the event ids it stored in database order."""
    store = Store("sqlite://")
    start = time.perf_counter()
    summary = run_batch(reports, store, workers=workers, extractor=extractor, scheduler=scheduler)
    elapsed = time.perf_counter() - start
    if summary.failures:
        raise SystemExit(f"{len(summary.failures)} reports failed: {summary.failures[0]}")
    return elapsed, [event.event_id for event in store.iter_events()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300, help="corpus size (default 300)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--scheduler", help="a Dask scheduler's address, instead of --workers")
    args = parser.parse_args()

    texts, described = corpus(args.reports)
    reports = [
        Report(text=item.text, published=_date(item.date), origin=f"corpus#{n}")
        for n, item in enumerate(texts, start=1)
    ]
    words = sum(len(report.text.split()) for report in reports)
    sitrep.extract(texts[0].text)  # warm-up: model, lexicons, gazetteer
    engine = default_engine()
    # The same models and gazetteer; an engine handed its pipeline parses in its own process.
    in_one_process = PipelineExtractor(
        Engine(nlp=engine.nlp, geocoder=engine.geocoder, dictionary=engine.dictionary)
    )

    serial_seconds, serial_events = timed_batch(reports, None, in_one_process)
    if args.scheduler:
        warm_up = [Report(text=f"(warm-up {n})\n{texts[n].text}") for n in range(64)]
        timed_batch(warm_up, None, scheduler=args.scheduler)
        parallel_seconds, parallel_events = timed_batch(reports, None, scheduler=args.scheduler)
        parallel = f"the cluster at {args.scheduler}"
    else:
        parallel_seconds, parallel_events = timed_batch(reports, args.workers)
        parallel = f"--workers {args.workers} (worker start-up included)"
    engine.start_parse_process(wait=True)
    default_seconds, default_events = timed_batch(reports, None)
    if not serial_events == parallel_events == default_events:
        print("the runs stored different events")
        return 1
    serial_speed, parallel_speed = words / serial_seconds, words / parallel_seconds
    default_speed = words / default_seconds
    print(f"corpus: {len(reports)} reports, {words:,} words ({described})")
    print(f"serial, one process: {serial_speed:,.0f} words/s ({serial_seconds:.1f} s)")
    print(f"{parallel}: {parallel_speed:,.0f} words/s ({parallel_seconds:.1f} s)")
    print(f"serial with its parse process: {default_speed:,.0f} words/s ({default_seconds:.1f} s)")
    print(
        f"ratio parallel / serial in one process: {parallel_speed / serial_speed:.2f}x, "
        f"parallel / serial with its parse process: {parallel_speed / default_speed:.2f}x"
    )
    print(f"all three stored the same {len(serial_events)} events")
    return 0


def _date(value: str | None) -> date | None:
    return parse_report_date(value) if value else None


if __name__ == "__main__":
    sys.exit(main())
