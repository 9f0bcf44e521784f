"""The per-report time budget: a report past it fails alone, in any thread, and an
interruption never escapes the report it was meant for."""

from __future__ import annotations

import threading
import time

import pytest

from sitrep.errors import InputError
from sitrep.ingest import (
    TimeBudgetExceeded,
    run_batch,
    time_budget_from_env,
    within_budget,
)
from sitrep.models import Event, Report
from sitrep.store import Store


def busy_for(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sum(range(1000))


def test_a_block_past_its_budget_is_interrupted() -> None:
    started = time.monotonic()
    with pytest.raises(TimeBudgetExceeded), within_budget(0.2):
        busy_for(10)
    assert time.monotonic() - started < 5


def test_a_block_in_another_thread_is_interrupted_too() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with within_budget(0.2):
                busy_for(10)
            outcome.append("finished")
        except TimeBudgetExceeded:
            outcome.append("interrupted")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=8)
    assert outcome == ["interrupted"]


def test_a_block_within_its_budget_is_never_interrupted_later() -> None:
    with within_budget(0.1):
        pass
    busy_for(0.4)  # past the budget: the timer was cancelled with the block


class SlowOnLoop:
    """Codes every report at once, except one that says "loop", which never ends."""

    def __call__(self, report: Report) -> list[Event]:
        if "loop" in report.text:
            busy_for(60)
        return []


def test_a_report_past_its_budget_fails_alone_and_the_batch_goes_on() -> None:
    store = Store("sqlite://")
    reports = [Report(text=text) for text in ("first report", "a loop report", "last report")]
    started = time.monotonic()
    summary = run_batch(reports, store, extractor=SlowOnLoop(), time_budget=0.5)
    assert time.monotonic() - started < 30
    assert summary.stored == 2
    (failure,) = summary.failures
    assert failure.reason.startswith("took longer than the time budget of 0.5 s")
    assert "--time-budget" in failure.reason
    stored = store.get_report(reports[1].report_id)
    assert stored is not None and stored.status == "failed"


def test_the_budget_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_TIME_BUDGET", "12.5")
    assert time_budget_from_env() == 12.5
    monkeypatch.setenv("SITREP_TIME_BUDGET", "0")
    assert time_budget_from_env() is None
    monkeypatch.setenv("SITREP_TIME_BUDGET", "soon")
    with pytest.raises(InputError, match="SITREP_TIME_BUDGET='soon' is not a number"):
        time_budget_from_env()
