"""Extraction on Dask: local worker processes, or the workers of a Dask scheduler.

Only the pure per-report extraction leaves the driver. Each window of reports is cut into
chunks, one Dask task each; a chunk's reports come back as outcomes (events, or why they
failed), in order, and the batch runner stores them. Worker processes live for the whole
batch, so each loads the spaCy model once (`load_model` caches it per process).

Dask is imported only here, when a parallel run is asked for.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import Any

from sitrep.errors import InputError
from sitrep.ingest._batch import Extractor, ManyExtractor, Outcome, extract_all
from sitrep.models import Report

#: Reports sent to the workers at once, and windows in flight: the workers start on the
#: next window while the last tasks of one finish (no worker waits at a window's end), and
#: the memory a corpus of any size takes stays bounded.
WINDOW = 128
IN_FLIGHT = 2
#: Reports per task, parsed together on the worker: large enough that scheduling costs
#: little beside spaCy and `nlp.pipe` has a batch to work on.
CHUNK = 16
#: How often a worker checks that the run that started it is still there (seconds).
PARENT_CHECK_INTERVAL = 0.5


@contextmanager
def dask_extraction(
    extract: Extractor,
    *,
    workers: int | None,
    scheduler: str | None,
    budget: float | None = None,
) -> Iterator[ManyExtractor]:
    """A ManyExtractor running on `workers` local processes or at the `scheduler` address."""
    if workers is not None and scheduler is not None:
        raise InputError("give --workers or --scheduler, not both")
    if scheduler is not None:
        with _scheduler_client(scheduler) as client:
            yield _on_dask(extract, budget, scheduler=client)
        return
    if workers is None or workers < 1:
        raise InputError(f"--workers must be 1 or more, not {workers}")
    pool = ProcessPoolExecutor(
        workers,
        mp_context=_worker_start(),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
    with pool:
        yield _on_dask(extract, budget, scheduler="processes", pool=pool)


def _exit_with_parent(parent: int) -> None:
    """In each worker: end when the run that started it is gone. A run killed or terminated
    (kill -9, a closed terminal, an out-of-memory kill) runs no clean-up of its own, and
    its workers would otherwise go on coding reports nobody will store."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_INTERVAL)
        os._exit(1)  # no clean-up: the run that would use the results is gone

    threading.Thread(target=watch, name="sitrep-parent-watch", daemon=True).start()


def _worker_start() -> BaseContext:
    """Fork where there is fork: workers inherit sitrep's imports (a second each, saved)."""
    methods = get_all_start_methods()
    return get_context("fork" if "fork" in methods else "spawn")


def _on_dask(extract: Extractor, budget: float | None, **compute_options: Any) -> ManyExtractor:
    try:
        import dask
    except ImportError as error:
        raise InputError("parallel runs need Dask; install sitrep[scale]") from error

    def extract_many(reports: list[Report]) -> list[Outcome]:
        chunks = [reports[start : start + CHUNK] for start in range(0, len(reports), CHUNK)]
        tasks = [dask.delayed(extract_all)(chunk, extract, budget) for chunk in chunks]
        results = dask.compute(*tasks, **compute_options)
        return [outcome for chunk_outcomes in results for outcome in chunk_outcomes]

    return extract_many


@contextmanager
def _scheduler_client(address: str) -> Iterator[Any]:
    try:
        from distributed import Client
    except ImportError as error:
        raise InputError(
            "--scheduler needs Dask's distributed package; install sitrep[scale]"
        ) from error
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError(
            f"cannot reach the Dask scheduler at {address} ({error}); "
            "check the address (tcp://host:8786) and that the scheduler runs"
        ) from error
    with client:
        yield client
