"""Re-extracting a stored report after its date or language was corrected keeps the
analysts' reviews, corrections and audit trail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.errors import InputError
from sitrep.ingest import reextract_report
from sitrep.models import Actor, Event, Report, Span
from sitrep.store import Store
from sitrep.store.review import Reviews

TEXT = "Jets bombed Ariha on Monday, killing four. Gunmen shot a guard in Saraqib."
REGIME = Actor(name="Military Forces of Syria (2000-)", inter=1, country="Syria")


def dated_from_the_report(report: Report, triggers: tuple[str, ...] = ("bombed", "shot")):
    """A stand-in extractor: one event per trigger word, dated the report's date."""
    events = []
    for number, word in enumerate(triggers, start=1):
        start = report.text.index(word)
        events.append(
            Event(
                event_id=f"{report.report_id}-{number:02d}",
                report_id=report.report_id,
                event_type="Explosions/Remote violence" if word == "bombed" else "Battles",
                sub_event_type="Air/drone strike" if word == "bombed" else "Armed clash",
                event_date=report.published,
                time_precision=1,
                fatalities=3 if word == "bombed" else 0,
                actor1=REGIME,
                trigger=Span(start=start, end=start + len(word), text=word),
            )
        )
    return events


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'reextract.db'}")


@pytest.fixture
def reviewed(store: Store) -> str:
    """The report stored with a wrong date; its first event corrected and verified."""
    report = Report(text=TEXT, published=date(2019, 5, 20), source="Test Wire")
    report_id, _ = store.add_report(report, events=dated_from_the_report(report))
    reviews = Reviews(store)
    reviews.correct(f"{report_id}-01", {"fatalities": 4}, user="amira", note="the lead says four")
    reviews.set_review(f"{report_id}-01", "verified", user="amira")
    return report_id


def test_a_corrected_date_reextracts_and_keeps_review_corrections_and_audit(store, reviewed):
    result = reextract_report(
        store,
        reviewed,
        user="omar",
        published=date(2019, 5, 13),
        extractor=dated_from_the_report,
    )
    assert result.carried == {f"{reviewed}-01": f"{reviewed}-01"} and result.dropped == []
    stored = store.get_report(reviewed)
    assert stored is not None and stored.report.published == date(2019, 5, 13)
    event = store.get_event(f"{reviewed}-01")
    original = store.get_original_event(f"{reviewed}-01")
    assert event is not None and original is not None
    # the new extraction is the machine's original; the analyst's value is applied again
    assert (original.event_date, original.fatalities) == (date(2019, 5, 13), 3)
    assert (event.event_date, event.fatalities) == (date(2019, 5, 13), 4)
    reviews = Reviews(store)
    assert reviews.review(f"{reviewed}-01").status == "verified"
    history = reviews.history(f"{reviewed}-01")
    assert [record.field for record in history] == ["fatalities", "review_status", "reextracted"]
    assert history[0].user == "amira" and history[0].note == "the lead says four"
    last = history[-1]
    assert last.user == "omar"
    assert last.old["published"] == "2019-05-20" and last.new["published"] == "2019-05-13"
    assert "fatalities" in (last.note or "")
    # an event nobody worked on is simply replaced
    assert reviews.history(f"{reviewed}-02") == []


def test_a_reviewed_event_without_a_counterpart_is_never_dropped_silently(store, reviewed):
    def only_the_shooting(report: Report) -> list[Event]:
        [shooting] = dated_from_the_report(report, ("shot",))
        return [shooting.model_copy(update={"event_id": f"{report.report_id}-01"})]

    with pytest.raises(InputError, match=f"{reviewed}-01.*--discard-unmatched"):
        reextract_report(store, reviewed, user="omar", extractor=only_the_shooting)
    assert Reviews(store).review(f"{reviewed}-01").status == "verified"  # nothing changed
    assert store.get_report(reviewed).report.published == date(2019, 5, 20)  # type: ignore[union-attr]

    result = reextract_report(
        store, reviewed, user="omar", extractor=only_the_shooting, discard_unmatched=True
    )
    assert result.dropped == [f"{reviewed}-01"] and result.events == 1
    event = store.get_event(f"{reviewed}-01")
    assert event is not None and event.event_type == "Battles"
    assert Reviews(store).review(f"{reviewed}-01").status == "unreviewed"


def test_a_language_the_pipeline_does_not_code_leaves_no_events(store, reviewed):
    result = reextract_report(
        store,
        reviewed,
        user="omar",
        language="FR",
        extractor=dated_from_the_report,
        discard_unmatched=True,
    )
    stored = store.get_report(reviewed)
    assert stored is not None
    assert (stored.status, stored.report.language, result.events) == (
        "unsupported_language",
        "fr",
        0,
    )
    assert result.dropped == [f"{reviewed}-01"]


def test_the_command_reextracts_and_says_what_it_kept(store, reviewed, tmp_path, monkeypatch):
    monkeypatch.setattr("sitrep.ingest._reextract.load_extractor", lambda: dated_from_the_report)
    db = f"sqlite:///{tmp_path / 'reextract.db'}"
    args = ["reextract", f"{reviewed}-02", "--date", "13 May 2019", "--user", "omar", "--db", db]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"kept: the review and corrections of {reviewed}-01 now belong to {reviewed}-01" in (
        result.stdout
    )
    event = store.get_event(f"{reviewed}-02")
    assert event is not None and event.event_date == date(2019, 5, 13)
    missing = CliRunner().invoke(app, ["reextract", "0123456789abcdef", "--db", db])
    assert missing.exit_code == 1
    assert "no report '0123456789abcdef'" in missing.stderr


@pytest.mark.slow
def test_the_pipeline_dates_the_event_from_the_corrected_report_date(store):
    report = Report(text="Government forces shelled Douma on Tuesday, killing four civilians.")
    from sitrep.pipeline import extract_report

    stored = report.model_copy(update={"published": date(2019, 5, 10)})
    report_id, _ = store.add_report(stored, events=extract_report(stored))
    assert store.get_event(f"{report_id}-01").event_date == date(2019, 5, 7)  # type: ignore[union-attr]
    reextract_report(store, report_id, user="omar", published=date(2019, 5, 17))
    assert store.get_event(f"{report_id}-01").event_date == date(2019, 5, 14)  # type: ignore[union-attr]
