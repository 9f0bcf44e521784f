"""The batch runner: documents in, each stored with its events in one transaction.

A batch killed at any point and run again loses nothing and duplicates nothing: a report
is committed together with its events or not at all, and reports already stored are
recognised by their content hash and not extracted again (those whose extraction failed
are retried).

Documents go through in windows: the reports of a window are parsed together (`nlp.pipe`)
and coded one by one on a background thread; each is stored as soon as it is coded, while
the next is coded and the documents after it are read (`_overlap`). In a large batch the
next window is parsed in another process while this one is coded (`parse_ahead`).
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from functools import partial
from importlib import import_module
from itertools import islice
from typing import Literal, NamedTuple, Protocol, cast, runtime_checkable

from pydantic import BaseModel, Field
from spacy.tokens import Doc

from sitrep.errors import InputError, ModelError, SitrepError
from sitrep.ingest._budget import (
    TIME_BUDGET_ENV,
    TimeBudgetExceeded,
    time_budget_from_env,
    within_budget,
)
from sitrep.ingest._overlap import in_background, read_ahead
from sitrep.ingest._records import IngestIssue
from sitrep.link.store import Incidents
from sitrep.models import SUPPORTED_LANGUAGES, Event, Report
from sitrep.store import Store, StoredReport
from sitrep.store.report_metadata import update_metadata

Extractor = Callable[[Report], list[Event]]
#: Reports of a serial run parsed together as one window (each stored once it is coded).
SERIAL_WINDOW = 32
#: Documents read ahead of the one being coded.
READ_AHEAD = 64
#: "module:function" of an extractor to use instead of `sitrep.pipeline.PipelineExtractor`
#: (a user's own model, or a slow fake in tests).
EXTRACTOR_ENV = "SITREP_EXTRACTOR"


class BatchSummary(BaseModel):
    """What a batch did. `report_ids` lists every report read, in input order."""

    reports_read: int = 0
    stored: int = 0
    already_known: int = 0
    unsupported_language: int = 0
    events_found: int = 0
    report_ids: list[str] = Field(default_factory=list)
    failures: list[IngestIssue] = Field(default_factory=list)
    skipped: list[IngestIssue] = Field(default_factory=list)
    warnings: list[IngestIssue] = Field(default_factory=list)

    @property
    def processed(self) -> int:
        """Reports that went through: stored now, stored before, or stored and flagged."""
        return self.stored + self.already_known + self.unsupported_language


@runtime_checkable
class ParsesTogether(Protocol):
    """An extractor that parses many texts at once (`parse_many`, None for a text it leaves
    to be parsed alone) and codes a report from its parsed text."""

    def __call__(self, report: Report, doc: Doc | None = None) -> list[Event]: ...

    def parse_many(self, texts: Sequence[str]) -> list[Doc | None]: ...


@runtime_checkable
class ParsesAhead(ParsesTogether, Protocol):
    """An extractor that can start parsing a window before it is coded (`parse_ahead`: the
    returned function gives `parse_many`'s answer when the window's turn comes)."""

    def parse_ahead(self, texts: Sequence[str]) -> Callable[[], Iterable[Doc | None]]: ...


def load_extractor(spec: str | None = None) -> Extractor:
    """The extractor named "module:function" (default: $SITREP_EXTRACTOR, else the pipeline)."""
    spec = spec or os.environ.get(EXTRACTOR_ENV)
    if not spec:
        from sitrep.pipeline import PipelineExtractor

        return PipelineExtractor()
    module_name, _, function_name = spec.partition(":")
    try:
        extractor = getattr(import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError) as error:
        raise InputError(
            f"extractor {spec!r} cannot be loaded ({error}); give it as module:function"
        ) from error
    if not callable(extractor):
        raise InputError(f"extractor {spec!r} is not a function")
    return cast(Extractor, extractor)


def run_batch(
    items: Iterable[Report | IngestIssue],
    store: Store,
    *,
    extractor: Extractor | None = None,
    on_report: Callable[[BatchSummary], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    time_budget: float | None | Literal["default"] = "default",
    by: str | None = None,
) -> BatchSummary:
    """Extract and store every report of `items`; record every issue in the summary.

    Only a broken database (StoreError) or model (ModelError) stops the batch, with what
    was stored kept: a bad document, or an extractor that raises on one report, is
    recorded as that document's failure.

    `workers` (local processes) or `scheduler` (the address of a Dask scheduler) runs the
    extraction on Dask, window by window; reading, skipping and storing stay here, in
    input order, so the database ends up exactly as a serial run leaves it.

    `time_budget` is the seconds one report may take to code (None: no limit; by default
    $SITREP_TIME_BUDGET, else 300): a report past it fails with a message, alone.

    A report already stored, given again with another title, source or URL, takes them
    (audited as done `by` this user); another date or language is named in a warning with
    the command that re-codes it (store/report_metadata.py).
    """
    extract = extractor or load_extractor()
    budget = time_budget_from_env() if time_budget == "default" else time_budget
    stop = threading.Event()
    if workers is None and scheduler is None:
        serial = partial(_begin_in_turn, extract=extract, budget=budget, stop=stop)
        return _run_windows(items, store, serial, SERIAL_WINDOW, on_report, by, stop)
    from sitrep.ingest._parallel import IN_FLIGHT, WINDOW, dask_extraction

    with dask_extraction(
        extract, workers=workers, scheduler=scheduler, budget=budget
    ) as extract_many:
        return _run_windows(
            items,
            store,
            lambda reports: partial(extract_many, reports),  # Dask starts when it is run
            WINDOW,
            on_report,
            by,
            stop,
            IN_FLIGHT,
        )


class ExtractionFailure(NamedTuple):
    """Why one report could not be coded (its extractor raised)."""

    reason: str


class BrokenModel(NamedTuple):
    """The model or a lexicon broke while coding this report. Every report would fail the
    same way, so the batch stops at this report's turn, keeping what was stored before."""

    error: ModelError


Outcome = list[Event] | ExtractionFailure | BrokenModel
#: Codes a list of reports, one outcome each, in order (given as each is ready).
ManyExtractor = Callable[[list[Report]], Iterable[Outcome]]
#: Begins coding a window of reports (what can start at once, a parse in another process,
#: has started) and gives the work that codes it, run on the extraction thread.
WindowCoder = Callable[[list[Report]], Callable[[], Iterable[Outcome]]]


def extract_safely(report: Report, extract: Extractor, budget: float | None = None) -> Outcome:
    """The report's events, or why they could not be found; a broken model still raises.

    `budget` (seconds) bounds the time one report may take; past it the report fails."""
    try:
        with within_budget(budget):
            return extract(report)
    except TimeBudgetExceeded:
        return ExtractionFailure(
            f"took longer than the time budget of {budget:g} s to code; raise it with "
            f"--time-budget or {TIME_BUDGET_ENV}, or split the report"
        )
    except RecursionError:
        return ExtractionFailure("extraction failed: the report is nested too deeply to code")
    except MemoryError:
        return ExtractionFailure("extraction failed: out of memory coding this report")
    except ModelError:
        raise  # the model or a lexicon is broken: every report would fail the same way
    except SitrepError as error:
        return ExtractionFailure(str(error))
    except Exception as error:  # noqa: BLE001 - one report's bug must not end the batch
        return ExtractionFailure(f"extraction failed: {type(error).__name__}: {error}")


def extract_all(
    reports: list[Report], extract: Extractor, budget: float | None = None
) -> list[Outcome]:
    """One outcome per report (`code_in_turn`'s, all at once: a Dask task's result)."""
    return list(code_in_turn(reports, extract, budget))


def _begin_in_turn(
    reports: list[Report], extract: Extractor, budget: float | None, stop: threading.Event
) -> Callable[[], Iterator[Outcome]]:
    """The serial WindowCoder: the window's parse starts now when the extractor parses
    ahead, and its reports are coded in turn on the extraction thread."""
    parsed = None
    if reports and isinstance(extract, ParsesAhead):
        parsed = extract.parse_ahead([report.text for report in reports])
    return partial(code_in_turn, reports, extract, budget, stop, parsed)


def code_in_turn(
    reports: list[Report],
    extract: Extractor,
    budget: float | None = None,
    stop: threading.Event | None = None,
    parsed: Callable[[], Iterable[Doc | None]] | None = None,
) -> Iterator[Outcome]:
    """One outcome per report, each within the time budget, as each is coded; an extractor
    that parses many texts at once parses the reports' texts together first (or gives
    them as `parsed`, started earlier). Reports after a broken model, or once `stop` is set
    (the batch ended early), are not coded."""
    try:
        coders = _coders(reports, extract, parsed)
    except ModelError as error:
        yield from [BrokenModel(error)] * len(reports)
        return
    broken: BrokenModel | None = None
    for report, coder in zip(reports, coders, strict=True):
        if broken is not None:
            yield broken
        elif stop is not None and stop.is_set():
            yield ExtractionFailure("the batch stopped before this report was coded")
        else:
            try:
                yield extract_safely(report, coder, budget)
            except ModelError as error:
                broken = BrokenModel(error)
                yield broken


def _coders(
    reports: list[Report],
    extract: Extractor,
    parsed: Callable[[], Iterable[Doc | None]] | None = None,
) -> Iterator[Extractor]:
    """The extractor for each report, in turn: given its parsed text when the extractor
    parses texts together (as each is parsed, when the parse started ahead)."""
    if not isinstance(extract, ParsesTogether):
        return iter([extract] * len(reports))
    docs = parsed() if parsed is not None else extract.parse_many([r.text for r in reports])
    return (extract if doc is None else partial(extract, doc=doc) for doc in docs)


def _run_windows(
    items: Iterable[Report | IngestIssue],
    store: Store,
    begin: WindowCoder,
    window: int,
    on_report: Callable[[BatchSummary], None] | None,
    by: str | None,
    stop: threading.Event,
    in_flight: int = 1,
) -> BatchSummary:
    """Windows are coded in the background, `in_flight` at a time, while here each report
    is stored, in input order, as soon as it is coded."""
    summary = BatchSummary()
    Incidents(store).link_pending()  # events a run killed between storing and linking left
    coding: deque[tuple[list[Report | IngestIssue], dict[str, Future[Outcome]]]] = deque()
    with in_background(stop, threads=in_flight) as submit:
        for batch in _windows(read_ahead(items, READ_AHEAD), window):
            # Reports already stored are left out before extraction, so a rerun redoes
            # nothing; one that a window still in flight stores is coded again, and settled
            # as known.
            pending = {
                item.report_id: item
                for item in batch
                if isinstance(item, Report) and _needs_extraction(item, store)
            }
            reports = list(pending.values())
            outcomes = dict(zip(pending, submit(begin(reports), len(reports)), strict=True))
            coding.append((batch, outcomes))
            if len(coding) > in_flight:
                _store_window(*coding.popleft(), store, summary, on_report, by)
        while coding:
            _store_window(*coding.popleft(), store, summary, on_report, by)
    return summary


def _store_window(
    batch: list[Report | IngestIssue],
    outcomes: dict[str, Future[Outcome]],
    store: Store,
    summary: BatchSummary,
    on_report: Callable[[BatchSummary], None] | None,
    by: str | None,
) -> None:
    for item in batch:
        if isinstance(item, IngestIssue):
            {
                "failed": summary.failures,
                "skipped": summary.skipped,
                "warning": summary.warnings,
            }[item.kind].append(item)
            continue
        _settle(item, outcomes, store, summary, by)
        if on_report is not None:
            on_report(summary)


def _needs_extraction(report: Report, store: Store) -> bool:
    if report.language is not None and report.language not in SUPPORTED_LANGUAGES:
        return False
    return _is_new_or_to_recode(store.get_report(report.report_id))


def _is_new_or_to_recode(known: StoredReport | None) -> bool:
    """Not stored yet, or stored without events that a supported-language run can now give:
    its extraction failed, or it was taken for a language sitrep does not code."""
    return known is None or known.status in ("failed", "unsupported_language")


def _windows(
    items: Iterable[Report | IngestIssue], size: int
) -> Iterator[list[Report | IngestIssue]]:
    iterator = iter(items)
    while window := list(islice(iterator, size)):
        yield window


def _settle(
    report: Report,
    outcomes: dict[str, Future[Outcome]],
    store: Store,
    summary: BatchSummary,
    by: str | None,
) -> None:
    """Store one report with its outcome and count it, as a serial run would at its turn."""
    report_id = report.report_id
    summary.reports_read += 1
    summary.report_ids.append(report_id)
    known = store.get_report(report_id)
    origin = report.origin or report_id
    unsupported = report.language is not None and report.language not in SUPPORTED_LANGUAGES
    # A report given twice is stored at its first turn and known at the second; one stored
    # as another language is coded now if this run says it is in one sitrep codes.
    if not _is_new_or_to_recode(known) or (
        known is not None and known.status == "unsupported_language" and unsupported
    ):
        summary.already_known += 1
        if known is not None:
            for line in update_metadata(store, known, report, by):
                summary.warnings.append(
                    IngestIssue(origin=origin, kind="warning", reason=f"already stored: {line}")
                )
        return
    if unsupported:
        supported = ", ".join(sorted(SUPPORTED_LANGUAGES))
        reason = (
            f"written in {report.language!r}, which the pipeline does not code "
            f"(supported: {supported}); stored and flagged, no events"
        )
        store.add_report(report, status="unsupported_language", error=reason, events=[])
        summary.unsupported_language += 1
        summary.warnings.append(IngestIssue(origin=origin, kind="warning", reason=reason))
        return
    outcome = outcomes[report_id].result()  # waits until the report is coded
    if isinstance(outcome, BrokenModel):
        raise outcome.error
    if isinstance(outcome, ExtractionFailure):
        reason = " ".join(outcome.reason.split()) or "extraction failed"
        store.add_report(report, status="failed", error=reason, events=[])
        summary.failures.append(IngestIssue(origin=origin, reason=reason))
        return
    store.add_report(report, events=outcome)
    if outcome:
        # Linking on ingest: the new events join the incidents other reports told.
        Incidents(store).link_new([event.event_id for event in outcome])
    summary.stored += 1
    summary.events_found += len(outcome)
