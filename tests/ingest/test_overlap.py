"""Reading, coding and storing overlap: the reader runs ahead, a window is coded while the
one before it is stored, and each report still settles in input order."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from functools import partial

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitrep.ingest import BatchSummary, run_batch
from sitrep.ingest._batch import SERIAL_WINDOW
from sitrep.ingest._overlap import in_background, read_ahead
from sitrep.models import Event, Report
from sitrep.store import Store


def test_read_ahead_keeps_the_order_and_raises_the_readers_error_at_its_place() -> None:
    def documents() -> Iterator[int]:
        yield from range(5)
        raise OSError("disk gone")

    seen: list[int] = []
    with pytest.raises(OSError, match="disk gone"):
        seen.extend(read_ahead(documents(), size=2))  # keeps what came before the error
    assert seen == [0, 1, 2, 3, 4]


def test_a_consumer_that_stops_early_stops_the_reader() -> None:
    produced: list[int] = []
    finished = threading.Event()

    def documents() -> Iterator[int]:
        try:
            for number in range(1_000):
                produced.append(number)
                yield number
        finally:
            finished.set()

    ahead = read_ahead(documents(), size=3)
    assert next(ahead) == 0
    ahead.close()
    assert finished.wait(5), "the reader went on after the consumer stopped"
    assert len(produced) < 10


def test_leaving_early_stops_the_background_work_between_documents() -> None:
    stop = threading.Event()
    started = threading.Event()
    coded: list[int] = []

    def code(window: list[int]) -> list[int]:
        started.set()
        for number in window:
            if stop.is_set():
                break
            coded.append(number)
            stop.wait(0.01)
        return coded

    with pytest.raises(KeyboardInterrupt), in_background(stop) as submit:
        submit(partial(code, list(range(1_000))), 1_000)
        started.wait(5)
        raise KeyboardInterrupt
    assert stop.is_set()
    assert len(coded) < 1_000


class WaitsForTheFirstReportToBeStored:
    """Codes the second report only once the first is stored: a batch that stored a window
    only when all of it was coded, or that took turns, would wait for ever (here: fail)."""

    def __init__(self) -> None:
        self.first_stored = threading.Event()
        self.threads: set[str] = set()

    def __call__(self, report: Report) -> list[Event]:
        self.threads.add(threading.current_thread().name)
        if report.text == "report 1" and not self.first_stored.wait(10):
            raise AssertionError("the first report was not stored while the second was coded")
        return []


def test_each_report_is_stored_as_soon_as_it_is_coded_while_the_next_is_coded() -> None:
    extractor = WaitsForTheFirstReportToBeStored()
    reports = [Report(text=f"report {n}") for n in range(SERIAL_WINDOW + 5)]

    def on_report(summary: BatchSummary) -> None:
        if summary.reports_read == 1:
            extractor.first_stored.set()

    store = Store("sqlite://")
    summary = run_batch(reports, store, extractor=extractor, on_report=on_report)
    assert not summary.failures
    assert summary.report_ids == [report.report_id for report in reports]
    assert len(store.list_reports()) == len(reports)
    assert extractor.threads and all(t.startswith("sitrep-extract") for t in extractor.threads)


class ParsesInWindows:
    """A ParsesTogether extractor on a blank vocabulary: records each `parse_many` call and
    leaves texts over 20 characters to be parsed alone."""

    def __init__(self) -> None:
        self.parsed_together: list[list[str]] = []
        self.given_doc: dict[str, bool] = {}

    def parse_many(self, texts: Sequence[str]) -> list[Doc | None]:
        self.parsed_together.append(list(texts))
        return [Doc(Vocab(), words=text.split()) if len(text) <= 20 else None for text in texts]

    def __call__(self, report: Report, doc: Doc | None = None) -> list[Event]:
        self.given_doc[report.text] = doc is not None
        if doc is not None:
            assert doc.text.split() == report.text.split()
        return []


def test_a_window_is_parsed_together_and_a_text_left_out_is_coded_alone() -> None:
    extractor = ParsesInWindows()
    reports = [Report(text=f"short {n}") for n in range(SERIAL_WINDOW + 3)]
    reports.append(Report(text="a text longer than twenty characters"))
    run_batch(reports, Store("sqlite://"), extractor=extractor)
    assert [len(texts) for texts in extractor.parsed_together] == [SERIAL_WINDOW, 4]
    assert extractor.given_doc["short 0"] and extractor.given_doc["short 33"]
    assert extractor.given_doc["a text longer than twenty characters"] is False


class ParsesAhead(ParsesInWindows):
    """Starts a window's parse when asked (`parse_ahead`), and codes the first window's
    last report only once the second window's parse has started: a runner that started a
    parse only at its window's turn would make it wait (here: fail)."""

    def __init__(self) -> None:
        super().__init__()
        self.second_parse_started = threading.Event()
        self.started: list[str] = []

    def parse_ahead(self, texts: Sequence[str]) -> Callable[[], list[Doc | None]]:
        self.started.append(texts[0])
        if texts[0] == f"short {SERIAL_WINDOW}":
            self.second_parse_started.set()
        return partial(self.parse_many, texts)

    def __call__(self, report: Report, doc: Doc | None = None) -> list[Event]:
        last_of_first = report.text == f"short {SERIAL_WINDOW - 1}"
        if last_of_first and not self.second_parse_started.wait(10):
            raise AssertionError("the second window's parse had not started")
        return super().__call__(report, doc)


def test_the_next_windows_parse_starts_while_the_window_before_it_is_coded() -> None:
    extractor = ParsesAhead()
    reports = [Report(text=f"short {n}") for n in range(2 * SERIAL_WINDOW + 1)]
    summary = run_batch(reports, Store("sqlite://"), extractor=extractor)
    assert not summary.failures and summary.stored == len(reports)
    assert extractor.started == ["short 0", f"short {SERIAL_WINDOW}", f"short {2 * SERIAL_WINDOW}"]
    assert all(extractor.given_doc.values())
