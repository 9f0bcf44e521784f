"""A report posted again with other metadata: title, source and URL change in place, audited;
another date or language is named, with the command that re-codes the report."""

from __future__ import annotations

from datetime import date

from sitrep.ingest import run_batch
from sitrep.models import Event, Report
from sitrep.store import Store
from sitrep.store.audit import account_audit

TEXT = "Gunmen attacked a checkpoint outside the town on Tuesday; two guards were wounded."


def no_events(report: Report) -> list[Event]:
    return []


def test_a_new_title_and_source_replace_the_old_ones_audited(db_url: str) -> None:
    with Store(db_url) as store:
        first = Report(text=TEXT, title="Checkpoint attacked", source="Wire A")
        run_batch([first], store, extractor=no_events, by="amira")
        again = Report(text=TEXT, title="Guards wounded at checkpoint", source="Wire B")
        summary = run_batch([again], store, extractor=no_events, by="omar")

        stored = store.get_report(first.report_id)
        assert stored is not None
        assert (stored.report.title, stored.report.source) == (
            "Guards wounded at checkpoint",
            "Wire B",
        )
        assert summary.already_known == 1 and summary.stored == 0
        reasons = [issue.reason for issue in summary.warnings]
        assert any("title changed from 'Checkpoint attacked'" in r for r in reasons)
        records = [r for r in account_audit(store) if r.action == "report.metadata_changed"]
        assert {(r.actor, r.subject) for r in records} == {("omar", first.report_id)}
        assert {r.detail for r in records} == {
            "title: 'Checkpoint attacked' -> 'Guards wounded at checkpoint'",
            "source: 'Wire A' -> 'Wire B'",
        }


def test_another_date_is_not_applied_and_the_way_to_apply_it_is_named(db_url: str) -> None:
    with Store(db_url) as store:
        first = Report(text=TEXT, published=date(2024, 3, 5))
        run_batch([first], store, extractor=no_events)
        summary = run_batch(
            [Report(text=TEXT, published=date(2024, 3, 6))], store, extractor=no_events
        )
        stored = store.get_report(first.report_id)
        assert stored is not None and stored.report.published == date(2024, 3, 5)
        [warning] = summary.warnings
        assert "published 2024-03-06 not applied (stored: 2024-03-05)" in warning.reason
        assert f"sitrep reextract {first.report_id} --date 2024-03-06" in warning.reason


def test_the_same_report_given_again_as_it_is_changes_nothing(db_url: str) -> None:
    with Store(db_url) as store:
        report = Report(text=TEXT, title="Checkpoint attacked")
        run_batch([report], store, extractor=no_events)
        # a copy that leaves the title out does not erase it either
        summary = run_batch([report, Report(text=TEXT)], store, extractor=no_events)
        assert summary.warnings == [] and summary.already_known == 2
        stored = store.get_report(report.report_id)
        assert stored is not None and stored.report.title == "Checkpoint attacked"
        assert not [r for r in account_audit(store) if r.action == "report.metadata_changed"]
