"""The incident pages and API: reports side by side with the disputed rows marked, and the
analyst's merge, split and confirm, audited and refused to viewers."""

from __future__ import annotations

import re
from datetime import date

from sitrep.link.store import Incidents
from sitrep.models import Event, Report

from .conftest import Workspace, coded_events, evidence, fixture_report


def retelling(fixture: str, fatalities: int, source: str, words: str) -> tuple[Report, Event]:
    """Another report of the Saraqib shelling (our own sentence in `fixture`) with its own
    toll, supported by `words`."""
    report = fixture_report(fixture, date(2024, 3, 6))
    strike = coded_events()[0][1][0]
    event = strike.model_copy(
        update={
            "fatalities": fatalities,
            "source": source,
            "attribution": None,
            "evidence": {"fatalities": evidence(report.text, words)},
        }
    )
    return report, event


def retold_strike() -> tuple[Report, Event]:
    """A second report of the Saraqib shelling, with a higher toll."""
    return retelling("strike_retold.txt", 6, "Second Monitor", "killing six civilians")


def _linked(workspace: Workspace) -> tuple[str, str, str]:
    """Store the retold strike, link; (incident id, first event id, second event id)."""
    report, event = retold_strike()
    workspace.store.add_report(report, events=[event])
    incidents = Incidents(workspace.store)
    incidents.link_pending()
    second = f"{report.report_id}-01"
    incident_id = incidents.incident_of(workspace.events["strike"])
    assert incident_id is not None and incidents.incident_of(second) == incident_id
    return incident_id, workspace.events["strike"], second


def test_incident_page_shows_reports_side_by_side(workspace: Workspace) -> None:
    incident_id, first, second = _linked(workspace)
    page = workspace.client("viewer").get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    assert f'data-event="{first}"' in page.text and f'data-event="{second}"' in page.text
    assert re.search(r'<tr data-row="fatalities" class="disputed">', page.text)
    assert 'data-row="actor1" class="disputed"' not in page.text  # both name the army
    assert "tolls_disagree" in page.text and "4-6" in page.text
    assert "killing six civilians" in page.text and "killing four civilians" in page.text
    assert 'id="incident-fatalities">4<' in page.text  # the lowest credible figure
    assert "Split out" not in page.text  # viewers see no forms


def test_event_page_links_to_its_incident(workspace: Workspace) -> None:
    incident_id, first, _ = _linked(workspace)
    client = workspace.client("viewer")
    assert f'href="/events/{first}/incident"' in client.get(f"/events/{first}").text
    answer = client.get(f"/events/{first}/incident", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/incidents/{incident_id}"


def test_incident_api_returns_the_record(workspace: Workspace) -> None:
    incident_id, _, _ = _linked(workspace)
    body = workspace.client("viewer").get(f"/api/incidents/{incident_id}").json()
    assert body["incident_id"] == incident_id
    assert body["event"]["fatalities"] == 4
    assert sorted(t["value"] for t in body["tolls"]) == ["4", "6"]
    assert workspace.client("viewer").get("/api/incidents/I-nothing").status_code == 404


def test_analyst_splits_confirms_and_merges_and_each_act_is_audited(workspace: Workspace) -> None:
    incident_id, _first, second = _linked(workspace)
    client, csrf = workspace.browser("analyst")
    confirm = client.post(
        f"/incidents/{incident_id}/confirm",
        data={"csrf_token": csrf, "event_id": second, "note": "same shelling"},
        follow_redirects=False,
    )
    assert confirm.status_code == 303
    split = client.post(
        f"/incidents/{incident_id}/split",
        data={"csrf_token": csrf, "event_id": second},
        follow_redirects=False,
    )
    new_id = split.headers["location"].rsplit("/", 1)[1]
    incidents = Incidents(workspace.store)
    assert incidents.incident_of(second) == new_id != incident_id
    merge = client.post(
        f"/incidents/{incident_id}/merge",
        data={"csrf_token": csrf, "other": new_id, "note": "one shelling after all"},
        follow_redirects=False,
    )
    assert merge.status_code == 303
    assert incidents.incident_of(second) == incident_id
    history = client.get(f"/incidents/{incident_id}").text
    for act in ("confirm", "split", "merge"):
        assert f"analyst · {act}" in history
    assert "one shelling after all" in history


def test_merge_errors_are_shown_and_viewers_are_refused(workspace: Workspace) -> None:
    incident_id, _, _ = _linked(workspace)
    client, csrf = workspace.browser("analyst")
    page = client.post(
        f"/incidents/{incident_id}/merge", data={"csrf_token": csrf, "other": incident_id}
    )
    assert page.status_code == 422 and "cannot be merged with itself" in page.text
    viewer, viewer_csrf = workspace.browser("viewer")
    refused = viewer.post(
        f"/incidents/{incident_id}/split",
        data={"csrf_token": viewer_csrf, "event_id": workspace.events["strike"]},
    )
    assert refused.status_code == 403
