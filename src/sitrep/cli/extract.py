"""`sitrep extract`, `sitrep events`, `sitrep show` and `sitrep export`.

Thin commands over `sitrep.ingest`, `sitrep.store` and `sitrep.export`. Errors are one
line on stderr, never a traceback. Exit codes: 0 success; 1 a SitrepError, a run of one
document that failed, or a batch in which nothing could be processed.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO, get_args

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitrep.cli._operator import operator_name
from sitrep.engine import default_engine
from sitrep.errors import InputError, SitrepError
from sitrep.export import (
    ExportSummary,
    event_decisions,
    event_view,
    report_decisions,
    suppression_lines,
    write_events,
    write_geojson,
    write_incidents,
)
from sitrep.ingest import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIME_BUDGET,
    EXTRACTOR_ENV,
    MAX_BYTES_ENV,
    TIME_BUDGET_ENV,
    BatchSummary,
    IngestIssue,
    IngestOptions,
    find_inputs,
    load_extractor,
    parse_report_date,
    read_paths,
    run_batch,
    time_budget_from_env,
)
from sitrep.models import Event, Report
from sitrep.store import DEFAULT_DB_URL, EventFilter, EventRecord, ReviewFilter, Store
from sitrep.store.filter_names import resolve_names

# soft_wrap: a message stays one line, however narrow the terminal.
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    acled = "acled"
    geojson = "geojson"


class ExportUnit(str, Enum):
    events = "events"
    incidents = "incidents"


class ExportFileFormat(str, Enum):
    acled = "acled"
    jsonl = "jsonl"
    geojson = "geojson"
    csv = "csv"
    json = "json"


Db = Annotated[
    str,
    typer.Option(
        "--db", envvar="SITREP_DB", help="Database URL (any SQLAlchemy URL).", show_default=True
    ),
]
Out = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write here instead of to standard output.", dir_okay=False),
]
IncludeUnlocated = Annotated[
    bool,
    typer.Option(
        "--include-unlocated",
        help="GeoJSON: add events without coordinates as features with a null geometry.",
    ),
]
Country = Annotated[str | None, typer.Option(help="Only events in this country.")]
Admin1 = Annotated[str | None, typer.Option(help="Only events in this admin1 (province).")]
EventType = Annotated[str | None, typer.Option("--type", help="Only this ACLED event type.")]
ActorPart = Annotated[str | None, typer.Option("--actor", help="Actor name contains this.")]
Since = Annotated[str | None, typer.Option(help="Only events on or after this date.")]
Until = Annotated[str | None, typer.Option(help="Only events on or before this date.")]
MinFatalities = Annotated[int | None, typer.Option(min=0, help="Only events with this many dead.")]
REVIEW_FILTERS: tuple[str, ...] = get_args(ReviewFilter)
Search = Annotated[
    str | None,
    typer.Option(help="Only events whose report, title, note or actor names hold all these words."),
]
FlagOption = Annotated[
    str | None,
    typer.Option("--flag", help="Only events carrying this flag (e.g. date_implausible)."),
]
ReviewOption = Annotated[
    str | None,
    typer.Option(
        "--review",
        help="Only events with this review status: "
        + ", ".join(REVIEW_FILTERS)
        + " (default: all but the rejected; `--review verified` is the publishable set)",
    ),
]


def extract_cli(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt .html .htm .json .jsonl .csv), folders (recursive), or - for stdin.",
            show_default=False,
        ),
    ],
    report_date: Annotated[
        str | None,
        typer.Option("--date", help="Report date for documents that carry none (2015-11-20)."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source for documents that name none.")] = None,
    db: Db = DEFAULT_DB_URL,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="How to print the events.")
    ] = OutputFormat.table,
    out: Out = None,
    text_column: Annotated[str, typer.Option(help="CSV column / JSON key of the text.")] = "text",
    date_column: Annotated[
        str | None, typer.Option(help="CSV column / JSON key of the date (default: date).")
    ] = None,
    title_column: Annotated[
        str | None, typer.Option(help="CSV column / JSON key of the title (default: title).")
    ] = None,
    source_column: Annotated[
        str | None, typer.Option(help="CSV column / JSON key of the source (default: source).")
    ] = None,
    url_column: Annotated[
        str | None, typer.Option(help="CSV column / JSON key of the URL (default: url).")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            help="Language of every document (e.g. en), instead of the detected one: "
            "re-codes reports stored as another language."
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(help="CSV separator (default: sniffed from the header row: , ; tab |)."),
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            min=1,
            help=f"Largest document in bytes of text (default: {DEFAULT_MAX_BYTES}, or ${MAX_BYTES_ENV}).",
        ),
    ] = None,
    extractor: Annotated[
        str | None,
        typer.Option(
            envvar=EXTRACTOR_ENV,
            help="module:function to code reports instead of sitrep's pipeline.",
        ),
    ] = None,
    include_unlocated: IncludeUnlocated = False,
    time_budget: Annotated[
        float | None,
        typer.Option(
            min=0,
            help=f"Seconds one report may take to code; past it the report fails alone "
            f"(default: {DEFAULT_TIME_BUDGET:g}, or ${TIME_BUDGET_ENV}; 0 for none).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Extract on this many local processes (Dask)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Extract on the workers of this Dask scheduler (tcp://host:8786)."),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also print each report's decision records on stderr: the rule behind "
            "every field, what was suppressed, why a report yields no event.",
        ),
    ] = False,
) -> None:
    """Read reports, extract their events, store both, and print the events.

    Reports already in the database are not extracted again, so an interrupted run can
    simply be started again.
    """
    with _errors_as_one_line():
        options = IngestOptions(
            date=parse_report_date(report_date) if report_date else None,
            source=source,
            text_column=text_column,
            date_column=date_column,
            title_column=title_column,
            source_column=source_column,
            url_column=url_column,
            delimiter=_delimiter(delimiter),
            language=language,
            **({"max_bytes": max_bytes} if max_bytes else {}),
        )
        extract = load_extractor(extractor)
        _check_writable(out)
        store = Store(db)
        budget = time_budget_from_env() if time_budget is None else (time_budget or None)
        summary = _run_with_progress(paths, options, store, extract, workers, scheduler, budget)
        exported = _write(
            _events_of(store, summary.report_ids), output_format.value, out, include_unlocated
        )
        _print_summary(summary, exported, output_format.value)
        if explain:
            _explain(store, summary.report_ids)
    one_document = summary.reports_read + len(summary.failures) <= 1
    if (one_document and summary.failures) or summary.processed == 0:
        if summary.reports_read == 0 and not summary.failures:
            _stderr.print("error: no reports found in the given paths")
        raise typer.Exit(1)


def events_cli(
    db: Db = DEFAULT_DB_URL,
    country: Country = None,
    admin1: Admin1 = None,
    event_type: EventType = None,
    actor: ActorPart = None,
    since: Since = None,
    until: Until = None,
    min_fatalities: MinFatalities = None,
    review: ReviewOption = None,
    search: Search = None,
    flag: FlagOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="How to print the events.")
    ] = OutputFormat.table,
    out: Out = None,
    include_unlocated: IncludeUnlocated = False,
) -> None:
    """List stored events, filtered, oldest first."""
    with _errors_as_one_line():
        store = Store(db)
        filters = _filters(
            store,
            country,
            admin1,
            event_type,
            actor,
            since,
            until,
            min_fatalities,
            review,
            search,
            flag,
        )
        filters.limit = limit
        exported = _write(store.iter_records(filters), output_format.value, out, include_unlocated)
        _report_unlocated(exported, output_format.value)
        if output_format is not OutputFormat.table or out is not None:
            _stderr.print(f"{exported.written} events")


def show_cli(
    event_id: Annotated[str, typer.Argument(help="An event id, as `sitrep events` lists.")],
    db: Db = DEFAULT_DB_URL,
    why: Annotated[
        bool,
        typer.Option(
            "--why",
            help="Print the rule behind each field (as stored) and what the pipeline "
            "suppressed in the report (the report coded again by the current rules).",
        ),
    ] = False,
) -> None:
    """Show one event: its fields, and the report with each field's evidence highlighted."""
    with _errors_as_one_line():
        store = Store(db)
        event = store.get_event(event_id)
        if event is None:
            raise InputError(f"no event {event_id!r} in {db}; list them with `sitrep events`")
        stored = store.get_report(event.report_id)
        console = Console(highlight=False)
        if not why:
            console.print(event_view(event, stored.report if stored else None))
            return
        engine = default_engine()
        console.print(event_decisions(event, engine.rules))
        if stored is None:
            console.print(f"report {event.report_id} is not stored: no suppressions to show")
            return
        console.print("suppressed in the report (coded again now):")
        console.print(suppression_lines(engine.code(stored.report), engine.rules))


def export_cli(
    output_format: Annotated[
        ExportFileFormat, typer.Option("--format", "-f", help="File format.")
    ] = ExportFileFormat.acled,
    out: Out = None,
    db: Db = DEFAULT_DB_URL,
    country: Country = None,
    admin1: Admin1 = None,
    event_type: EventType = None,
    actor: ActorPart = None,
    since: Since = None,
    until: Until = None,
    min_fatalities: MinFatalities = None,
    review: ReviewOption = None,
    search: Search = None,
    flag: FlagOption = None,
    include_unlocated: IncludeUnlocated = False,
    unit: Annotated[
        ExportUnit,
        typer.Option(
            "--unit",
            help="events: one row per event; incidents: one row per incident (events of "
            "several reports linked into one), with sources, corroboration and flags.",
        ),
    ] = ExportUnit.events,
    bom: Annotated[
        bool, typer.Option(help="CSV: start with a UTF-8 byte order mark, for Excel.")
    ] = False,
) -> None:
    """Export stored events or incidents (all but the rejected, or those matching the filters)
    to a file; events carry their review status, reviewer, review time and whether corrected."""
    with _errors_as_one_line():
        store = Store(db)
        filters = _filters(
            store,
            country,
            admin1,
            event_type,
            actor,
            since,
            until,
            min_fatalities,
            review,
            search,
            flag,
        )
        if unit is ExportUnit.incidents:
            from sitrep.link.store import Incidents

            with _output(out) as stream:  # events not linked yet are linked first
                exported = write_incidents(
                    Incidents(store).matching(filters), output_format.value, stream, bom=bom
                )
        else:
            exported = _write(
                store.iter_records(filters), output_format.value, out, include_unlocated, bom=bom
            )
        _report_unlocated(exported, output_format.value)
        _stderr.print(f"{exported.written} {unit.value} written to {out or 'standard output'}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `sitrep` app."""
    app.command("extract")(extract_cli)
    app.command("events")(events_cli)
    app.command("show")(show_cli)
    app.command("export")(export_cli)


# Helpers ----------------------------------------------------------------------------------


@contextmanager
def _errors_as_one_line() -> Iterator[None]:
    try:
        yield
    except SitrepError as error:
        _stderr.print(f"error: {error}", markup=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _stderr.print("interrupted: what was stored is kept; run the command again to go on")
        raise typer.Exit(130) from None


def _run_with_progress(
    paths: list[str],
    options: IngestOptions,
    store: Store,
    extract: Callable[[Report], list[Event]],
    workers: int | None,
    scheduler: str | None,
    time_budget: float | None,
) -> BatchSummary:
    # Folders are listed once more, and CSV/JSONL rows counted, for the bar's total: cheap
    # beside extraction. The bar counts reports, so one big CSV shows its progress too.
    files = [target for target in find_inputs(paths) if isinstance(target, Path)]
    total = expected_reports(files)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_stderr,
        transient=True,
        disable=total < 2 or not _stderr.is_terminal,
    )
    task = progress.add_task("reports", total=total)
    items = read_paths(paths, options)

    def on_report(summary: BatchSummary) -> None:
        done = summary.reports_read + len(summary.failures)
        progress.update(
            task,
            completed=done,
            description=f"{summary.events_found} events",
        )

    with progress:
        summary = run_batch(
            items,
            store,
            extractor=extract,
            on_report=on_report,
            workers=workers,
            scheduler=scheduler,
            time_budget=time_budget,
            by=operator_name(),
        )
    store.record_ingester(summary.report_ids, operator_name(), "cli")
    return summary


def _explain(store: Store, report_ids: Iterable[str]) -> None:
    """Each report's decision records, coded again by the default engine (the batch keeps
    only events; coding is deterministic, so these are the records of the run)."""
    engine = default_engine()
    for report_id in dict.fromkeys(report_ids):
        stored = store.get_report(report_id)
        if stored is None:
            continue
        extraction = engine.code(stored.report)
        title = stored.report.origin or stored.report.title or ""
        _stderr.print(report_decisions(extraction, engine.rules, title))


def expected_reports(files: Iterable[Path]) -> int:
    """How many reports the files hold, for the progress bar: a CSV's rows, a JSON Lines
    file's non-blank lines, one for any other file (a JSON list counts as one: its length
    is not known without parsing it)."""
    total = 0
    for path in files:
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                with path.open(encoding="utf-8", errors="replace", newline="") as rows:
                    total += max(0, sum(1 for _ in csv.reader(rows)) - 1)
            elif suffix == ".jsonl":
                with path.open(encoding="utf-8", errors="replace") as lines:
                    total += sum(1 for line in lines if line.strip())
            else:
                total += 1
        except (OSError, csv.Error):
            total += 1  # the reader reports the problem; the bar only needs a count
    return total


def _events_of(store: Store, report_ids: Iterable[str]) -> Iterator[EventRecord]:
    """The stored events of the reports, with their review (a report already stored may
    have been reviewed since)."""
    seen: set[str] = set()
    for report_id in report_ids:
        if report_id not in seen:  # a report given twice is listed once
            seen.add(report_id)
            yield from store.iter_records(EventFilter(report_id=report_id))


def _write(
    events: Iterable[Event | EventRecord],
    fmt: str,
    out: Path | None,
    include_unlocated: bool,
    *,
    bom: bool = False,
) -> ExportSummary:
    with _output(out) as stream:
        if fmt == "geojson":
            return write_geojson(events, stream, include_unlocated=include_unlocated)
        return write_events(events, fmt, stream, bom=bom)  # type: ignore[arg-type]


@contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    if out is None or str(out) == "-":
        yield sys.stdout
        return
    try:
        stream = out.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise InputError(f"cannot write {out}: {error.strerror or error}") from error
    with stream:
        yield stream


def _delimiter(value: str | None) -> str | None:
    """The --delimiter character; "tab" and "\\t" name a tab."""
    if value is None:
        return None
    value = {"tab": "\t", "\\t": "\t"}.get(value.lower(), value)
    if len(value) != 1:
        raise InputError(f"--delimiter must be one character (or 'tab'), not {value!r}")
    return value


def _check_writable(out: Path | None) -> None:
    """Refuse an --out that cannot be written before any report is read, not after."""
    if out is None or str(out) == "-":
        return
    existed = out.exists()
    try:
        with out.open("a", encoding="utf-8"):
            pass
    except OSError as error:
        raise InputError(
            f"cannot write {out}: {error.strerror or error}; choose another --out"
        ) from error
    if not existed:
        out.unlink()


def _filters(
    store: Store,
    country: str | None,
    admin1: str | None,
    event_type: str | None,
    actor: str | None,
    since: str | None,
    until: str | None,
    min_fatalities: int | None,
    review: str | None,
    search: str | None,
    flag: str | None,
) -> EventFilter:
    if review is not None and review not in REVIEW_FILTERS:
        raise InputError(
            f"--review: unknown review status {review!r}; use {', '.join(REVIEW_FILTERS)}"
        )
    try:
        filters = EventFilter(
            review=review,  # type: ignore[arg-type]
            search=search,
            country=country,
            admin1=admin1,
            event_type=event_type,
            actor=actor,
            since=_date_option(since, "--since"),
            until=_date_option(until, "--until"),
            min_fatalities=min_fatalities,
            flag=flag,
        )
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(
            f"--{first['loc'][0]}: {first['msg'].removeprefix('Value error, ')}"
        ) from None
    # Types are checked and names resolved to every spelling ("Idlib" finds "Idleb").
    return resolve_names(store, filters)


def _date_option(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_report_date(value)
    except SitrepError as error:
        raise InputError(f"{flag}: {error}") from error


def _print_summary(summary: BatchSummary, exported: ExportSummary, fmt: str) -> None:
    line = (
        f"{summary.reports_read} reports read: {summary.stored} new, "
        f"{summary.already_known} already in the database"
    )
    if summary.unsupported_language:
        line += f", {summary.unsupported_language} in a language sitrep does not code"
    _stderr.print(f"{line}; {summary.events_found} new events", markup=False)
    for title, issues in (
        ("failed", summary.failures),
        ("skipped", summary.skipped),
        ("warnings", summary.warnings),
    ):
        if issues:
            _stderr.print(f"{len(issues)} {title}:", markup=False)
            _print_issues(issues)
    _report_unlocated(exported, fmt)


def _print_issues(issues: list[IngestIssue]) -> None:
    """Each issue on its line; a reason shared by several is said once, above their names."""
    by_reason: dict[str, list[str]] = {}
    for issue in issues:
        by_reason.setdefault(issue.reason, []).append(issue.origin)
    for reason, origins in by_reason.items():
        if len(origins) == 1:
            _stderr.print(f"  {origins[0]}: {reason}", markup=False)
            continue
        _stderr.print(f"  {len(origins)} x {reason}:", markup=False)
        for origin in origins:
            _stderr.print(f"    {origin}", markup=False)


def _report_unlocated(exported: ExportSummary, fmt: str) -> None:
    if fmt != "geojson" or not exported.without_coordinates:
        return
    missing = exported.without_coordinates
    shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
    _stderr.print(
        f"{len(missing)} events have no coordinates ({shown}); "
        "--include-unlocated adds them with a null geometry",
        markup=False,
    )
