"""Incidents in the database: linked on ingest and by `link_pending`, rebuilt from scratch,
and analysts' merges, splits and confirmations audited and replayed after a rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import reextract_report, run_batch
from sitrep.link.store import Incidents
from sitrep.models import Event, Report
from sitrep.store import Store

from .conftest import build_event, protest_event

KABARNET = "Gunmen shot dead four villagers in Kabarnet on Monday."
KABARNET_AGAIN = "Four villagers were shot dead by gunmen in Kabarnet on Monday."
MOMBASA = "Police fired tear gas at protesters in Mombasa on Monday."  # protest_event's


def _store_reports(store: Store) -> list[str]:
    """Three reports: two tell one shooting, one a protest. Returns their report ids."""
    ids = []
    for text, build in ((KABARNET, None), (KABARNET_AGAIN, None), (MOMBASA, protest_event)):
        report = Report(text=text)
        event = build(report.report_id) if build else build_event(report.report_id, text=text)
        store.add_report(report, events=[event])
        ids.append(report.report_id)
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'link.db'}")


def test_link_pending_links_every_event_once(store: Store) -> None:
    first, second, third = _store_reports(store)
    incidents = Incidents(store)
    summary = incidents.link_pending()
    assert summary.events_linked == 3 and summary.incidents == 2 and summary.joined == 1
    shooting = incidents.incident_of(f"{first}-01")
    assert shooting == incidents.incident_of(f"{second}-01")
    assert incidents.incident_of(f"{third}-01") != shooting
    assert incidents.link_pending().events_linked == 0  # nothing left to link
    incident = incidents.get(shooting)  # type: ignore[arg-type]
    assert incident is not None and len(incident.events) == 2 and incident.corroboration == 2


def test_link_new_links_only_the_events_named_and_a_batch_first_links_what_was_left(
    store: Store,
) -> None:
    first, second, third = _store_reports(store)  # stored, never linked (a killed run)
    incidents = Incidents(store)
    assert incidents.link_new([f"{first}-01", f"{first}-01"]) == 1
    assert incidents.incident_of(f"{second}-01") is None
    assert incidents.link_new([f"{first}-01"]) == 0  # already linked: left alone

    def extractor(report: Report) -> list[Event]:
        return [build_event(report.report_id, text=report.text)]

    run_batch(
        [Report(text="Gunmen shot dead four villagers in Kabarnet.")], store, extractor=extractor
    )
    assert incidents.incident_of(f"{second}-01") == incidents.incident_of(f"{first}-01")
    assert incidents.incident_of(f"{third}-01") is not None
    assert incidents.link_pending().events_linked == 0


def test_ingest_links_each_new_report_to_the_stored_incident(store: Store) -> None:
    def extractor(report: Report) -> list[Event]:
        if "protesters" in report.text:
            return [protest_event(report.report_id)]
        return [build_event(report.report_id, text=report.text)]

    reports = [Report(text=text) for text in (KABARNET, MOMBASA, KABARNET_AGAIN)]
    run_batch(reports, store, extractor=extractor)
    incidents = Incidents(store)
    ids = [r.report_id for r in reports]
    assert incidents.incident_of(f"{ids[0]}-01") == incidents.incident_of(f"{ids[2]}-01")
    assert incidents.incident_of(f"{ids[1]}-01") != incidents.incident_of(f"{ids[0]}-01")


def test_analysts_decisions_survive_a_rebuild(store: Store) -> None:
    first, second, third = _store_reports(store)
    incidents = Incidents(store)
    incidents.link_pending()
    shooting = incidents.incident_of(f"{first}-01")
    protest = incidents.incident_of(f"{third}-01")
    assert shooting and protest
    incidents.confirm(f"{first}-01", f"{second}-01", "amira", "same village, same day")
    merged = incidents.merge(shooting, protest, "amira", "one day of unrest")
    assert incidents.incident_of(f"{third}-01") == merged
    split = incidents.split(f"{second}-01", "omar", "a second shooting")
    assert incidents.incident_of(f"{second}-01") == split != merged

    incidents.rebuild()
    assert incidents.incident_of(f"{third}-01") == incidents.incident_of(f"{first}-01")
    assert incidents.incident_of(f"{second}-01") == split
    actions = [(d.action, d.analyst) for d in incidents.decisions()]
    assert actions == [("confirm", "amira"), ("merge", "amira"), ("split", "omar")]
    # A split-out incident takes no new report by machine, even one that matches it.
    again = Report(text="Gunmen killed four villagers in Kabarnet on Monday night.")
    store.add_report(again, events=[build_event(again.report_id, text=KABARNET_AGAIN)])
    incidents.link_pending()
    assert incidents.incident_of(f"{again.report_id}-01") != split


def test_merge_refuses_two_events_of_one_report(store: Store) -> None:
    report = Report(text=KABARNET)
    store.add_report(
        report,
        events=[
            build_event(report.report_id, text=KABARNET),
            build_event(report.report_id, text=KABARNET, position=2),
        ],
    )
    incidents = Incidents(store)
    incidents.link_pending()
    one = incidents.incident_of(f"{report.report_id}-01")
    two = incidents.incident_of(f"{report.report_id}-02")
    assert one != two
    with pytest.raises(InputError, match="never merged"):
        incidents.merge(one, two, "amira")  # type: ignore[arg-type]


def test_confirm_needs_one_incident(store: Store) -> None:
    first, _, third = _store_reports(store)
    incidents = Incidents(store)
    incidents.link_pending()
    with pytest.raises(InputError, match="merge them"):
        incidents.confirm(f"{first}-01", f"{third}-01", "amira")


def test_re_extraction_unlinks_and_relinks(store: Store) -> None:
    first, second, _ = _store_reports(store)
    incidents = Incidents(store)
    incidents.link_pending()
    store.add_events(second, [build_event(second, text=KABARNET_AGAIN, fatalities=5)])
    assert incidents.incident_of(f"{second}-01") is None  # its old link went with the event
    incidents.link_pending()
    assert incidents.incident_of(f"{second}-01") == incidents.incident_of(f"{first}-01")


def test_re_extraction_with_a_corrected_date_links_the_new_events(store: Store) -> None:
    first, second, _ = _store_reports(store)
    incidents = Incidents(store)
    incidents.link_pending()
    reextract_report(
        store,
        second,
        user="amira",
        extractor=lambda report: [build_event(report.report_id, text=KABARNET_AGAIN)],
    )
    assert incidents.incident_of(f"{second}-01") == incidents.incident_of(f"{first}-01")
