"""The batch runner: documents in, each stored with its events in one transaction.

A batch killed at any point and run again loses nothing and duplicates nothing: a report
is committed together with its events or not at all, and reports already stored are
recognised by their content hash and not extracted again (those whose extraction failed
are retried).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import cast

from pydantic import BaseModel, Field

from sitrep.errors import InputError, ModelError, SitrepError
from sitrep.ingest._records import IngestIssue
from sitrep.models import SUPPORTED_LANGUAGES, Event, Report
from sitrep.store import Store

Extractor = Callable[[Report], list[Event]]
#: "module:function" of an extractor to use instead of `sitrep.pipeline.extract_report`
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


def load_extractor(spec: str | None = None) -> Extractor:
    """The extractor named "module:function" (default: $SITREP_EXTRACTOR, else the pipeline)."""
    spec = spec or os.environ.get(EXTRACTOR_ENV)
    if not spec:
        from sitrep.pipeline import extract_report

        return extract_report
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
) -> BatchSummary:
    """Extract and store every report of `items`; record every issue in the summary.

    Only a broken database (StoreError) or model (ModelError) stops the batch, with what
    was stored kept: a bad document, or an extractor that raises on one report, is
    recorded as that document's failure.
    """
    extract = extractor or load_extractor()
    summary = BatchSummary()
    for item in items:
        if isinstance(item, IngestIssue):
            {"failed": summary.failures, "skipped": summary.skipped, "warning": summary.warnings}[
                item.kind
            ].append(item)
            continue
        _process(item, store, extract, summary)
        if on_report is not None:
            on_report(summary)
    return summary


def _process(report: Report, store: Store, extract: Extractor, summary: BatchSummary) -> None:
    report_id = report.report_id
    summary.reports_read += 1
    summary.report_ids.append(report_id)
    known = store.get_report(report_id)
    if known is not None and known.status != "failed":
        summary.already_known += 1
        return
    origin = report.origin or report_id
    if report.language is not None and report.language not in SUPPORTED_LANGUAGES:
        supported = ", ".join(sorted(SUPPORTED_LANGUAGES))
        reason = (
            f"written in {report.language!r}, which the pipeline does not code "
            f"(supported: {supported}); stored and flagged, no events"
        )
        store.add_report(report, status="unsupported_language", error=reason, events=[])
        summary.unsupported_language += 1
        summary.warnings.append(IngestIssue(origin=origin, kind="warning", reason=reason))
        return
    try:
        events = extract(report)
    except ModelError:
        raise  # the model or a lexicon is broken: every report would fail the same way
    except SitrepError as error:
        _record_failure(report, str(error), store, summary)
        return
    except Exception as error:  # noqa: BLE001 - one report's bug must not end the batch
        _record_failure(
            report, f"extraction failed: {type(error).__name__}: {error}", store, summary
        )
        return
    store.add_report(report, events=events)
    summary.stored += 1
    summary.events_found += len(events)


def _record_failure(report: Report, reason: str, store: Store, summary: BatchSummary) -> None:
    reason = " ".join(reason.split()) or "extraction failed"
    store.add_report(report, status="failed", error=reason, events=[])
    summary.failures.append(IngestIssue(origin=report.origin or report.report_id, reason=reason))
