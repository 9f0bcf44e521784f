"""Incidents in a real headless Chromium (Debian's, driven by Playwright) against
`sitrep serve`: from an event to its incident, the disputed toll highlighted, an event split
out and merged back, the history listing both acts; three reports of one attack are one
marker on the map, one row and one toll on the timeline, and the toggle counts events
again. Screenshots in test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.link.store import Incidents
from sitrep.store import Store
from sitrep.store.accounts import Accounts

from .conftest import coded_events
from .test_browser import (  # the same browser, skipped the same way
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_FLAGS,
    playwright_api,
)
from .test_browser import pytestmark as browser_marks
from .test_incident_units import third_strike
from .test_incidents import retold_strike

ANALYST, PASSWORD = "leila", "incident browser password"
pytestmark = browser_marks


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    sitrep_server: Callable[[str, dict[str, str]], tuple[str, Path]],
) -> dict[str, Any]:
    """`sitrep serve` over two reports of one shelling (tolls 4 and 6), linked."""
    db = f"sqlite:///{tmp_path_factory.mktemp('incident-browser') / 'sitrep.db'}"
    shelling, events = coded_events()[0]
    retold, event = retold_strike()
    with Store(db) as store:
        Accounts(store).add_user(ANALYST, "analyst", PASSWORD)
        store.add_report(shelling, events=events)
        store.add_report(retold, events=[event])
        Incidents(store).link_pending()
    base, _ = sitrep_server(db, {})
    return {
        "base": base,
        "first": f"{shelling.report_id}-01",
        "second": f"{retold.report_id}-01",
    }


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()


def test_analyst_reviews_an_incident(page: Any, server: dict[str, Any]) -> None:
    base, first, second = server["base"], server["first"], server["second"]
    page.goto(f"{base}/events/{first}")
    page.fill("input[name=name]", ANALYST)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/events/{first}")

    page.click("#incident-link")
    page.wait_for_selector("#side-by-side")
    incident_url = page.url
    assert page.locator("#side-by-side thead th[data-event]").count() == 2
    disputed = page.locator('tr[data-row="fatalities"]')
    assert "disputed" in (disputed.get_attribute("class") or "")
    # The highlight is visible: the disputed row has its own background colour.
    colour = disputed.locator("td").first.evaluate("cell => getComputedStyle(cell).backgroundColor")
    plain = page.locator('tr[data-row="type"] td').first.evaluate(
        "cell => getComputedStyle(cell).backgroundColor"
    )
    assert colour != plain
    assert "4-6" in page.locator('#disagreements li[data-flag="tolls_disagree"]').inner_text()
    assert page.locator("#incident-fatalities").inner_text() == "4"
    page.screenshot(path=str(ARTIFACTS / "incident.png"), full_page=True)

    # Split the second report out: it gets an incident of its own.
    page.locator(f'form:has(input[value="{second}"]) button.split-out').click()
    page.wait_for_url(f"**/incidents/S-{second}")
    assert page.locator("#side-by-side thead th[data-event]").count() == 1

    # Merge it back from the first incident's page.
    page.goto(incident_url)
    assert page.locator("#side-by-side thead th[data-event]").count() == 1
    page.fill("#merge-other", f"S-{second}")
    page.fill("#merge-note", "one shelling")
    page.click("#merge")
    page.wait_for_selector("#link-history li")
    assert page.locator("#side-by-side thead th[data-event]").count() == 2
    history = page.locator("#link-history").inner_text()
    assert f"{ANALYST} · split" in history and f"{ANALYST} · merge" in history


SHELLING = "Shelling/artillery/missile attack"


@pytest.fixture(scope="module")
def three_reports(
    tmp_path_factory: pytest.TempPathFactory,
    sitrep_server: Callable[[str, dict[str, str]], tuple[str, Path]],
) -> str:
    """`sitrep serve` over three reports of one shelling (tolls 4, 6 and 5), not linked
    yet (the pages link them); the server's address."""
    db = f"sqlite:///{tmp_path_factory.mktemp('three-reports') / 'sitrep.db'}"
    shelling, events = coded_events()[0]
    with Store(db) as store:
        Accounts(store).add_user(ANALYST, "analyst", PASSWORD)
        store.add_report(shelling, events=events)
        for report, event in (retold_strike(), third_strike()):
            store.add_report(report, events=[event])
    base, _ = sitrep_server(db, {})
    return base


def test_three_reports_of_one_attack_are_one_marker_and_one_toll(
    page: Any, three_reports: str
) -> None:
    base = three_reports
    page.goto(f"{base}/map?sub_event_type={SHELLING}")
    if "/login" in page.url:
        page.fill("input[name=name]", ANALYST)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/map" in url)
    page.wait_for_selector("#map[data-ready=true]")
    markers = page.locator("path.event-marker")
    assert markers.count() == 1 and page.locator(".marker-cluster").count() == 0
    assert markers.first.get_attribute("data-reports") == "3"
    markers.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "4 fatalities" in popup.inner_text() and "3 report(s)" in popup.inner_text()
    assert page.locator("#map-status").inner_text().startswith("1 incident(s) on the map")
    page.screenshot(path=str(ARTIFACTS / "incidents-map.png"))

    # The toggle counts events again, keeping the filter: three reports, three events.
    page.click("#unit-events")
    page.wait_for_selector("#map[data-ready=true]")
    assert "sub_event_type=" in page.url and "unit=events" in page.url
    assert page.locator("#map-status").inner_text().startswith("3 event(s) on the map")

    page.goto(f"{base}/timeline?sub_event_type={SHELLING}")
    weeks = page.locator("#weeks tbody tr")
    assert weeks.count() == 1
    assert weeks.first.locator("td").nth(1).inner_text() == "1"  # one incident
    assert weeks.first.locator("td").nth(2).inner_text() == "4"  # its lowest credible toll
    assert page.locator("svg#timeline text.fatalities-tick").text_content() == "4 dead"
    page.screenshot(path=str(ARTIFACTS / "incidents-timeline.png"), full_page=True)
    page.click("#unit-events")
    page.wait_for_selector("#weeks")
    assert page.locator("#weeks tbody tr td").nth(2).inner_text() == str(4 + 6 + 5)

    page.goto(f"{base}/events?sub_event_type={SHELLING}")
    rows = page.locator("#incidents-table tbody tr[data-incident-id]")
    assert rows.count() == 1
    assert rows.first.locator("td.reports").inner_text() == "3"
    assert rows.first.locator("td.fatalities").inner_text() == "4"
