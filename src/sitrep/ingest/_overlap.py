"""Reading, extraction and storing at the same time, in three threads.

A batch runs as a pipeline: a reader thread reads documents ahead, an extraction thread
codes them window by window, and the batch's own thread stores each report as soon as it
is coded, while the next one is coded. Only the batch's thread touches the database (a
Store is not shared between threads), so what is stored is stored in input order, as in a
run that takes turns. spaCy's matrix work, SQLite's writes and file reads release the GIL:
that is the time won here. A large batch also parses its next window in another process
meanwhile (`Engine.parse_ahead`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: How long a waiting thread sleeps before it checks whether the batch has ended (seconds).
_POLL = 0.2


class _ReaderFailed:
    """The reader raised: its exception, handed over to be raised in the batch's thread."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def read_ahead(items: Iterable[Item], size: int) -> Iterator[Item]:
    """`items` in order, read by another thread up to `size` ahead of the one iterating.

    An exception of the reader is raised here, at its place in the order; a consumer that
    stops early stops the reader at its next item."""
    handed: queue.Queue[object] = queue.Queue(maxsize=size)
    stopped = threading.Event()

    def hand(value: object) -> bool:
        while not stopped.is_set():
            try:
                handed.put(value, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not hand(item):
                    return
        except BaseException as error:  # noqa: BLE001 - re-raised in the batch's thread
            hand(_ReaderFailed(error))
            return
        hand(_END)

    reader = threading.Thread(target=read, name="sitrep-read-ahead", daemon=True)
    reader.start()
    try:
        while (value := handed.get()) is not _END:
            if isinstance(value, _ReaderFailed):
                raise value.error
            yield value  # type: ignore[misc]
    finally:
        stopped.set()


@contextmanager
def in_background(
    stop: threading.Event, threads: int = 1
) -> Iterator[Callable[[Callable[[], Iterable[Result]], int], list[Future[Result]]]]:
    """Work run on background threads: `submit(work, count)` queues `work` (giving `count`
    results) and returns a future for each result, done as soon as `work` gives it.

    Leaving the block early (an exception, Ctrl-C) cancels the work not started and sets
    `stop`, which the running work checks between documents, instead of waiting."""
    executor = ThreadPoolExecutor(threads, thread_name_prefix="sitrep-extract")

    def submit(work: Callable[[], Iterable[Result]], count: int) -> list[Future[Result]]:
        futures: list[Future[Result]] = [Future() for _ in range(count)]

        def run() -> None:
            try:
                for future, result in zip(futures, work(), strict=True):
                    future.set_result(result)
            except BaseException as error:  # noqa: BLE001 - raised where the result is read
                for future in futures:
                    if not future.done():
                        future.set_exception(error)

        executor.submit(run)
        return futures

    finished = False
    try:
        yield submit
        finished = True
    finally:
        if not finished:
            stop.set()
        executor.shutdown(wait=finished, cancel_futures=not finished)
