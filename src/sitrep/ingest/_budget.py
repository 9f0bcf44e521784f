"""A per-report time budget: a report that takes too long fails alone, with a message.

Python cannot kill a thread, so the budget raises an exception *in* the thread that codes
the report (`PyThreadState_SetAsyncExc`, the interpreter's own way to do so), from a timer.
It is raised at the next Python instruction: in a batch's main thread, a Dask worker or a
web server's thread alike. Work inside one C call (one spaCy parse of a 100,000-character
piece) finishes first, so a report stops within a few seconds of its budget.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sitrep.errors import InputError, SitrepError

#: Seconds one report may take to code by default (env SITREP_TIME_BUDGET; 0 for none).
DEFAULT_TIME_BUDGET = 300.0
TIME_BUDGET_ENV = "SITREP_TIME_BUDGET"


class TimeBudgetExceeded(SitrepError):
    """A report took longer to code than its time budget."""


def time_budget_from_env() -> float | None:
    """The budget from SITREP_TIME_BUDGET (seconds; 0 turns it off), else the default."""
    raw = os.environ.get(TIME_BUDGET_ENV, "").strip()
    if not raw:
        return DEFAULT_TIME_BUDGET
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise InputError(f"{TIME_BUDGET_ENV}={raw!r} is not a number of seconds (0 for none)")
    return seconds or None


@contextmanager
def within_budget(seconds: float | None) -> Iterator[None]:
    """Raise TimeBudgetExceeded in this thread if the block runs longer than `seconds`."""
    if not seconds:
        yield
        return
    thread_id = threading.get_ident()
    state = threading.Lock()
    finished = False

    def interrupt() -> None:
        with state:
            if not finished:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread_id), ctypes.py_object(TimeBudgetExceeded)
                )

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with state:
            finished = True
        timer.cancel()
        # An interruption sent just as the block ended is withdrawn, never raised later.
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
