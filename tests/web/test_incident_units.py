"""The table, map and timeline count incidents: three reports of one shelling are one row,
one marker and one timeline contribution with the lowest credible toll, not three; the
toggle counts events again; rejected reports stay out of the incident; the JSON API for
the analyst's linking acts (merge, split, confirm) is audited and survives a rebuild."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from sitrep.link.store import Incidents
from sitrep.models import Event, Report

from .conftest import Workspace
from .test_incidents import retelling, retold_strike


def third_strike() -> tuple[Report, Event]:
    """A third report of the Saraqib shelling, with a toll of five."""
    return retelling("strike_third.txt", 5, "Third Outlet", "Five civilians died")


def store_three_reports(workspace: Workspace) -> list[str]:
    """The shelling told by three reports (tolls 4, 6 and 5), stored without linking:
    the views link what is not linked yet. The three event ids."""
    ids = [workspace.events["strike"]]
    for report, event in (retold_strike(), third_strike()):
        workspace.store.add_report(report, events=[event])
        ids.append(f"{report.report_id}-01")
    return ids


def _week(timeline: dict[str, Any], monday: str) -> dict[str, Any]:
    return next(week for week in timeline["weeks"] if week["monday"] == monday)


def test_the_map_api_draws_one_marker_per_incident(workspace: Workspace) -> None:
    strike_ids = store_three_reports(workspace)
    client = workspace.client("viewer")
    syria = {"country": "Syria"}
    events = client.get("/api/map/events", params=syria).json()["features"]
    assert len(events) == 5  # the three reports of the shelling, the clash, the checkpoint
    incidents = client.get("/api/map/events", params={**syria, "unit": "incidents"}).json()
    assert len(incidents["features"]) == 3
    shelling = [f for f in incidents["features"] if f["properties"]["reports"] == 3]
    assert len(shelling) == 1
    properties = shelling[0]["properties"]
    assert properties["fatalities"] == 4  # the lowest credible toll, not 4 + 6 + 5
    assert sorted(properties["events"]) == sorted(strike_ids)
    assert "tolls_disagree" in properties["flags"]
    assert shelling[0]["geometry"]["coordinates"] == [36.8006, 35.8641]
    assert "event_id" not in properties


def test_the_timeline_api_counts_the_shelling_once(workspace: Workspace) -> None:
    store_three_reports(workspace)
    client = workspace.client("viewer")
    syria = {"country": "Syria"}
    by_event = _week(client.get("/api/timeline", params=syria).json(), "2024-03-04")
    assert (by_event["events"], by_event["fatalities"]) == (4, 4 + 6 + 5 + 2)
    counted = client.get("/api/timeline", params={**syria, "unit": "incidents"}).json()
    by_incident = _week(counted, "2024-03-04")
    assert (by_incident["events"], by_incident["fatalities"]) == (2, 4 + 2)
    assert by_incident["fatalities_by_type"]["Explosions/Remote violence"] == 4


def test_the_incidents_api_lists_and_counts_incidents(workspace: Workspace) -> None:
    store_three_reports(workspace)
    client = workspace.client("viewer")
    page = client.get("/api/incidents", params={"country": "Syria", "limit": 2}).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert client.get("/api/events", params={"country": "Syria"}).json()["total"] == 5
    rest = client.get("/api/incidents", params={"country": "Syria", "offset": 2}).json()
    listed = {i["incident_id"] for i in page["items"] + rest["items"]}
    assert len(listed) == 3
    shelling = next(i for i in page["items"] + rest["items"] if len(i["events"]) == 3)
    assert shelling["event"]["fatalities"] == 4 and shelling["corroboration"] == 3
    # A filter that matches one report of the incident selects the whole incident.
    tolls = client.get("/api/incidents", params={"min_fatalities": 6}).json()
    assert tolls["total"] == 1 and len(tolls["items"][0]["events"]) == 3
    assert client.get("/api/map/events", params={"unit": "reports"}).status_code == 422


def test_the_export_writes_one_row_per_incident(workspace: Workspace) -> None:
    store_three_reports(workspace)
    client = workspace.client("viewer")
    syria = {"country": "Syria", "format": "acled", "unit": "incidents", "bom": "true"}
    exported = client.get("/api/export", params=syria)
    assert exported.status_code == 200 and exported.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert len(rows) == 3
    shelling = next(row for row in rows if row["location"] == "Saraqib")
    assert (shelling["fatalities"], shelling["tolls"]) == ("4", "4; 5; 6")
    assert len(shelling["reports"].split("; ")) == 3
    table = client.get("/api/export", params={"format": "table", "unit": "incidents"})
    assert table.status_code == 422 and "incidents are exported as" in table.json()["detail"]
    browser, _ = workspace.browser("viewer")
    page = browser.get("/events", params={"country": "Syria"}).text
    assert "/api/export?country=Syria&amp;unit=incidents&amp;format=acled" in page
    assert 'data-format="table"' not in page


def test_rejected_reports_stay_out_of_the_incident(workspace: Workspace) -> None:
    first, _, _ = store_three_reports(workspace)
    analyst = workspace.client("analyst")
    answer = analyst.put(f"/api/events/{first}/review", json={"status": "rejected"})
    assert answer.status_code == 200
    points = analyst.get("/api/map/events", params={"unit": "incidents"}).json()["features"]
    shelling = next(f["properties"] for f in points if f["properties"]["location"] == "Saraqib")
    assert (shelling["reports"], shelling["fatalities"]) == (2, 5)
    week = _week(analyst.get("/api/timeline", params={"unit": "incidents"}).json(), "2024-03-04")
    assert week["fatalities"] == 5 + 2
    everything = analyst.get("/api/incidents", params={"review": "all", "country": "Syria"})
    counted = next(i for i in everything.json()["items"] if len(i["events"]) == 3)
    assert counted["event"]["fatalities"] == 4


def test_pages_count_incidents_by_default_and_the_toggle_keeps_the_filters(
    workspace: Workspace,
) -> None:
    store_three_reports(workspace)
    browser, _ = workspace.browser("viewer")
    table = browser.get("/events", params={"country": "Syria"}).text
    assert "3 incidents found" in table
    assert len(re.findall(r"<tr data-incident-id=", table)) == 3
    assert '<td class="num reports">3</td>' in table
    assert 'href="/events?country=Syria&amp;unit=events" id="unit-events"' in table
    events = browser.get("/events", params={"country": "Syria", "unit": "events"}).text
    assert (
        "5 events found" in events and 'href="/events?country=Syria" id="unit-incidents"' in events
    )
    assert '<input type="hidden" name="unit" value="events">' in events  # the filter form keeps it
    timeline = browser.get("/timeline", params={"country": "Syria"}).text
    assert re.search(r'<td>2024-03-04</td><td class="num">2</td><td class="num">6</td>', timeline)
    by_event = browser.get("/timeline", params={"country": "Syria", "unit": "events"}).text
    assert re.search(r'<td>2024-03-04</td><td class="num">4</td><td class="num">17</td>', by_event)
    map_page = browser.get("/map", params={"country": "Syria"}).text
    assert 'data-events-url="/api/map/events?country=Syria&amp;unit=incidents"' in map_page


def _shelling(workspace: Workspace, event_id: str) -> str:
    incident_id = Incidents(workspace.store).incident_of(event_id)
    assert incident_id is not None
    return incident_id


def test_analysts_act_through_the_api_and_a_rebuild_keeps_their_acts(
    workspace: Workspace,
) -> None:
    first, second, third = store_three_reports(workspace)
    client = workspace.client("analyst")
    client.get("/api/incidents")  # links the stored reports
    incident_id = _shelling(workspace, first)
    confirmed = client.post(
        f"/api/incidents/{incident_id}/confirm",
        json={"event_id": second, "other_event_id": first, "note": "same shelling"},
    )
    assert confirmed.status_code == 200 and confirmed.json()["incident_id"] == incident_id
    split = client.post(f"/api/incidents/{incident_id}/split", json={"event_id": third})
    assert split.status_code == 201
    assert split.json()["incident_id"] == f"S-{third}" and len(split.json()["events"]) == 1
    assert len(client.get(f"/api/incidents/{incident_id}").json()["events"]) == 2
    checkpoint = _shelling(workspace, workspace.events["checkpoint"])
    merged = client.post(
        f"/api/incidents/{checkpoint}/merge", json={"other": f"S-{third}", "note": "test"}
    )
    assert merged.status_code == 200 and len(merged.json()["events"]) == 2
    acts = [(d.action, d.analyst) for d in Incidents(workspace.store).decisions()]
    assert acts == [("confirm", "analyst"), ("split", "analyst"), ("merge", "analyst")]

    Incidents(workspace.store).rebuild()
    assert _shelling(workspace, third) == _shelling(workspace, workspace.events["checkpoint"])
    assert (
        _shelling(workspace, first) == _shelling(workspace, second) != _shelling(workspace, third)
    )
    record = client.get(f"/api/incidents/{_shelling(workspace, first)}").json()
    assert record["confirmed"] is True


def test_the_api_acts_answer_clear_errors(workspace: Workspace) -> None:
    first, second, _ = store_three_reports(workspace)
    client = workspace.client("analyst")
    client.get("/api/incidents")
    incident_id = _shelling(workspace, first)
    clash = _shelling(workspace, workspace.events["clash"])
    missing = client.post("/api/incidents/I-nothing/merge", json={"other": incident_id})
    assert missing.status_code == 404 and "no incident" in missing.json()["detail"]
    same_report = client.post(f"/api/incidents/{incident_id}/merge", json={"other": clash})
    assert same_report.status_code == 409 and "split it out first" in same_report.json()["detail"]
    itself = client.post(f"/api/incidents/{incident_id}/merge", json={"other": incident_id})
    assert itself.status_code == 422
    outsider = client.post(
        f"/api/incidents/{incident_id}/split", json={"event_id": workspace.events["clash"]}
    )
    assert outsider.status_code == 409 and "is not in incident" in outsider.json()["detail"]
    alone = client.post(
        f"/api/incidents/{clash}/confirm", json={"event_id": workspace.events["clash"]}
    )
    assert alone.status_code == 409 and "no link to confirm" in alone.json()["detail"]
    assert client.post(f"/api/incidents/{incident_id}/split", json={}).status_code == 422
    assert (
        client.post(
            f"/api/incidents/{incident_id}/confirm", json={"event_id": first, "extra": 1}
        ).status_code
        == 422
    )
    viewer = workspace.client("viewer")
    refused = viewer.post(f"/api/incidents/{incident_id}/split", json={"event_id": second})
    assert refused.status_code == 403
    assert Incidents(workspace.store).decisions() == []


def test_a_session_needs_its_csrf_token_for_the_api_acts(workspace: Workspace) -> None:
    first, second, _ = store_three_reports(workspace)
    browser, csrf = workspace.browser("analyst")
    browser.get("/events")  # links the stored reports
    incident_id = _shelling(workspace, first)
    body = {"event_id": second}
    assert browser.post(f"/api/incidents/{incident_id}/split", json=body).status_code == 403
    sent = browser.post(
        f"/api/incidents/{incident_id}/split", json=body, headers={"X-CSRF-Token": csrf}
    )
    assert sent.status_code == 201
