"""The batch runner stores each report with its events once, and survives bad documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import InputError, ModelError, ParseError
from sitrep.ingest import IngestIssue, IngestOptions, load_extractor, read_paths, run_batch
from sitrep.models import Event, Report
from sitrep.store import EventFilter, Store

FIXTURES = Path(__file__).parent / "fixtures"


class CountingExtractor:
    """One event per sentence that says "killing"; raises on reports that say "crash"."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, report: Report) -> list[Event]:
        self.calls.append(report.report_id)
        if "crash" in report.text:
            raise RuntimeError("model blew up\non two lines")
        if "unreadable" in report.text:
            raise ParseError("the report's date could not be resolved")
        sentences = [s for s in report.text.split(". ") if "killing" in s]
        return [
            Event(
                event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike",
                report_id=report.report_id,
                event_id=f"{report.report_id}-{n:02d}",
                notes=sentence,
            )
            for n, sentence in enumerate(sentences, start=1)
        ]


@pytest.fixture
def store() -> Store:
    return Store("sqlite://")


def test_a_folder_batch_counts_everything(store: Store) -> None:
    extractor = CountingExtractor()
    summary = run_batch(read_paths([FIXTURES]), store, extractor=extractor)
    # arabic.txt, article.html, report.json, reports.json x2, reports.jsonl x2, wire.txt
    assert summary.reports_read == 8
    assert summary.unsupported_language == 1  # the Arabic report: stored, flagged
    assert summary.stored == 7
    assert summary.events_found == 3  # wire.txt, article.html, report.json say "killing"
    assert store.count_events() == 3
    reasons = {Path(i.origin).name: i.reason for i in summary.failures}
    assert reasons["navigation_only.html"].startswith("no article text")
    assert reasons["reports.csv"].startswith("no column 'text'")
    assert len(summary.failures) == 6
    assert len(extractor.calls) == 7  # never on the unsupported report
    arabic = store.list_reports(status="unsupported_language")
    assert [r.report.language for r in arabic] == ["ar"]
    assert "'ar', which the pipeline does not code" in (arabic[0].error or "")


def test_running_twice_stores_nothing_twice_and_extracts_nothing_again(store: Store) -> None:
    first = run_batch(read_paths([FIXTURES]), store, extractor=CountingExtractor())
    second_extractor = CountingExtractor()
    second = run_batch(read_paths([FIXTURES]), store, extractor=second_extractor)
    assert second.already_known == first.reports_read == 8
    assert second.stored == 0 and second_extractor.calls == []
    assert second.report_ids == first.report_ids
    assert store.count_reports() == 8 and store.count_events() == 3


def test_an_extractor_failure_loses_only_that_report_and_is_retried(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Jets struck Douma, killing four. Rescuers dug.")
    (tmp_path / "in" / "b.txt").write_text("The parser will crash on this one, killing it.")
    (tmp_path / "in" / "c.txt").write_text("An unreadable report about a raid near Hama.")
    summary = run_batch(read_paths([tmp_path / "in"]), store, extractor=CountingExtractor())
    assert summary.stored == 1 and summary.events_found == 1
    assert [(Path(i.origin).name, i.reason) for i in summary.failures] == [
        ("b.txt", "extraction failed: RuntimeError: model blew up on two lines"),
        ("c.txt", "the report's date could not be resolved"),
    ]
    assert store.count_reports(status="failed") == 2
    (tmp_path / "in" / "b.txt").unlink()
    retry = run_batch(
        read_paths([tmp_path / "in", FIXTURES / "wire.txt"]),
        store,
        extractor=lambda report: [],
    )
    assert (retry.already_known, retry.stored) == (1, 2)  # c.txt retried, wire.txt new
    still_failed = store.list_reports(status="failed")  # b.txt was not given again
    assert [Path(r.report.origin or "").name for r in still_failed] == ["b.txt"]


def test_issues_are_sorted_into_the_summary(store: Store) -> None:
    items: list[Report | IngestIssue] = [
        IngestIssue(origin="a.pdf", reason="not a report format", kind="skipped"),
        IngestIssue(origin="b.csv#row=2", reason="date unreadable", kind="warning"),
        IngestIssue(origin="c.txt", reason="empty file"),
    ]
    summary = run_batch(items, store, extractor=CountingExtractor())
    assert [len(summary.skipped), len(summary.warnings), len(summary.failures)] == [1, 1, 1]
    assert summary.processed == 0


def test_events_of_a_report_come_back_in_order(store: Store) -> None:
    report = Report(text="Shells fell, killing two. Later a raid, killing one. Calm after.")
    run_batch([report], store, extractor=CountingExtractor())
    events = store.query_events(EventFilter(report_id=report.report_id))
    assert [e.notes for e in events] == ["Shells fell, killing two", "Later a raid, killing one"]


def test_load_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.pipeline import PipelineExtractor

    assert isinstance(load_extractor(), PipelineExtractor)
    monkeypatch.setenv("SITREP_EXTRACTOR", "json:dumps")
    import json

    loaded: object = load_extractor()  # any callable of the user's; here not a real extractor
    assert loaded is json.dumps
    with pytest.raises(InputError, match="extractor 'nowhere:thing' cannot be loaded"):
        load_extractor("nowhere:thing")


def test_run_batch_uses_the_options_date(store: Store) -> None:
    items = read_paths([FIXTURES / "wire.txt"], IngestOptions(source="Desk"))
    run_batch(items, store, extractor=CountingExtractor())
    (stored,) = store.list_reports()
    assert stored.report.source == "Desk" and stored.status == "ok"


def test_a_broken_model_stops_the_batch_keeping_what_was_stored(store: Store) -> None:
    def model_missing(report: Report) -> list[Event]:
        if "second" in report.text:
            raise ModelError("the spaCy model is not installed; run scripts/setup.sh")
        return []

    items = [Report(text="first report"), Report(text="second report"), Report(text="third")]
    with pytest.raises(ModelError, match="not installed"):
        run_batch(items, store, extractor=model_missing)
    assert [r.report.text for r in store.list_reports()] == ["first report"]


def test_a_report_taken_for_another_language_is_recoded_when_told_its_language(
    store: Store, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_text(
        '{"text": "Militias were killing villagers near Raqqa.", "language": "it"}',
        encoding="utf-8",
    )
    first = run_batch(read_paths([report]), store, extractor=CountingExtractor())
    assert first.unsupported_language == 1 and store.count_events() == 0
    again = run_batch(read_paths([report]), store, extractor=CountingExtractor())
    assert again.already_known == 1  # the same language: nothing to redo
    recoded = run_batch(
        read_paths([report], IngestOptions(language="en")), store, extractor=CountingExtractor()
    )
    assert recoded.stored == 1 and recoded.events_found == 1
    stored = store.get_report(first.report_ids[0])
    assert stored is not None and stored.status == "ok" and stored.report.language == "en"
