"""The pages: login and sessions, CSRF on every state change, roles, escaping, timeline."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # conftest is not importable under --import-mode=importlib
    from conftest import Workspace

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_login_sets_a_protected_session_cookie(workspace: Workspace) -> None:
    browser, _ = workspace.browser("viewer")
    cookie = next(c for c in browser.cookies.jar if c.name == "sitrep_session")
    assert cookie.secure
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert cookie.get_nonstandard_attr("SameSite").lower() == "strict"


def test_wrong_password_and_forged_login_form_are_refused(workspace: Workspace) -> None:
    client = workspace.client()
    form = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    wrong = client.post("/login", data={"name": "viewer", "password": "guess", "login_csrf": token})
    assert wrong.status_code == 401 and "Wrong name or password." in wrong.text
    forged = workspace.client().post(
        "/login", data={"name": "viewer", "password": "long password 1", "login_csrf": "x"}
    )
    assert forged.status_code == 401 and "The login form expired" in forged.text
    assert "sitrep_session" not in forged.cookies


def test_login_never_redirects_off_site(workspace: Workspace) -> None:
    client = workspace.client()
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        page = client.get("/login", params={"next": target})
        assert 'name="next" value="/events"' in page.text


def test_logout_ends_the_session(workspace: Workspace) -> None:
    browser, csrf = workspace.browser("viewer")
    answer = browser.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert browser.get("/api/events").status_code == 401


def test_state_changes_need_the_csrf_token(workspace: Workspace) -> None:
    event_id = workspace.events["strike"]
    browser, csrf = workspace.browser("analyst")
    for data in ({"status": "verified"}, {"status": "verified", "csrf_token": "forged"}):
        refused = browser.post(f"/events/{event_id}/review", data=data)
        assert refused.status_code == 403
        assert "missing or wrong CSRF token" in refused.text
    api = browser.patch(f"/api/events/{event_id}", json={"fatalities": 9, "version": 1})
    assert api.status_code == 403 and "X-CSRF-Token" in api.json()["detail"]
    upload = browser.post("/upload", data={"text": "Clashes in Homs."})
    assert upload.status_code == 403
    logout = browser.post("/logout")
    assert logout.status_code == 403
    assert workspace.store.get_event(event_id).fatalities == 4  # type: ignore[union-attr]
    allowed = browser.patch(
        f"/api/events/{event_id}",
        json={"fatalities": 9, "version": 1},
        headers={"X-CSRF-Token": csrf},
    )
    assert allowed.status_code == 200


def form_values(page: str) -> dict[str, str]:
    """Every named input of the correction form with the value the page gives it."""
    form = re.search(r'<form [^>]*id="correct-form".*?</form>', page, re.DOTALL)
    assert form is not None
    return dict(re.findall(r'<input [^>]*?name="([\w]+)" value="([^"]*)"', form.group()))


def test_correction_form_changes_only_what_was_edited(workspace: Workspace) -> None:
    event_id = workspace.events["strike"]
    browser, csrf = workspace.browser("analyst")
    page = browser.get(f"/events/{event_id}").text
    form = form_values(page)
    form.update({"csrf_token": csrf, "fatalities": "6", "note": "second count"})
    form["event_type"] = "Explosions/Remote violence"
    form["sub_event_type"] = "Shelling/artillery/missile attack"
    answer = browser.post(f"/events/{event_id}/correct", data=form)
    assert answer.status_code == 200
    history = workspace.client("viewer").get(f"/api/events/{event_id}").json()["history"]
    assert [(h["field"], h["old"], h["new"], h["note"]) for h in history] == [
        ("fatalities", 4, 6, "second count")
    ]
    assert 'class="corrected"' in answer.text and "second count" in answer.text
    bad = browser.post(
        f"/events/{event_id}/correct",
        data={"csrf_token": csrf, "fatalities": "lots", "location": "Sarmin", "version": "2"},
    )
    assert bad.status_code == 422 and "fatalities: Input should be a valid integer" in bad.text
    # Nothing the analyst typed is lost: the form shows it again.
    assert 'name="fatalities" value="lots"' in bad.text
    assert 'name="location" value="Sarmin"' in bad.text


def test_viewers_see_no_forms_analysts_do(workspace: Workspace) -> None:
    event_id = workspace.events["strike"]
    viewer, _ = workspace.browser("viewer")
    page = viewer.get(f"/events/{event_id}").text
    assert 'id="correct-form"' not in page and 'id="verify"' not in page
    assert viewer.get("/upload").status_code == 403
    analyst, _ = workspace.browser("analyst")
    assert 'id="correct-form"' in analyst.get(f"/events/{event_id}").text


def test_event_page_highlights_evidence(workspace: Workspace) -> None:
    browser, _ = workspace.browser("viewer")
    page = browser.get(f"/events/{workspace.events['strike']}").text
    assert '<mark class="evidence" data-fields="fatalities"' in page
    assert re.search(r'data-fields="fatalities"[^>]*>killing four civilians</mark>', page)
    assert re.search(r'data-fields="location"[^>]*>Saraqib</mark>', page)


def test_hostile_report_text_is_escaped(workspace: Workspace) -> None:
    browser, _ = workspace.browser("viewer")
    page = browser.get(f"/events/{workspace.events['checkpoint']}").text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page and 'href="javascript:' not in page


def test_filters_table_and_pages(workspace: Workspace) -> None:
    browser, _ = workspace.browser("viewer")
    page = browser.get("/events", params={"country": "Iraq", "unit": "events"}).text
    assert "1 event found" in page and "Mosul" in page and "Saraqib" not in page
    assert "/api/export?country=Iraq&amp;unit=events&amp;format=csv" in page
    ied = browser.get(
        "/events", params={"sub_event_type": "Remote explosive/landmine/IED", "unit": "events"}
    ).text
    assert "1 event found" in ied and "Mosul" in ied
    assert '<option value="Remote explosive/landmine/IED" selected>' in ied
    bad = browser.get("/events", params={"since": "soon"})
    assert bad.status_code == 422 and "is not a date: use YYYY-MM-DD" in bad.text
    assert browser.get("/events/nope-01").status_code == 404


def test_event_table_map_and_exports_follow_the_review_filter(workspace: Workspace) -> None:
    browser, csrf = workspace.browser("analyst")
    strike = workspace.events["strike"]
    verified = browser.post(
        f"/events/{strike}/review", data={"csrf_token": csrf, "status": "verified"}
    )
    assert verified.status_code == 200 and 'id="review-status">verified' in verified.text
    page = browser.get("/events", params={"review": "verified", "unit": "events"}).text
    assert "1 event found" in page and "Saraqib" in page and "Mosul" not in page
    assert '<option value="verified" selected>verified</option>' in page
    assert "/api/export?review=verified&amp;unit=events&amp;format=csv" in page
    assert 'href="/map?review=verified&amp;unit=events"' in page
    unreviewed = browser.get("/events", params={"review": "unreviewed", "unit": "events"}).text
    assert "3 events found" in unreviewed and "Saraqib" not in unreviewed
    map_page = browser.get("/map", params={"review": "verified"}).text
    assert 'data-events-url="/api/map/events?review=verified&amp;unit=incidents"' in map_page
    bad = browser.get("/events", params={"review": "approved"})
    assert bad.status_code == 422
    assert "is not a review status: use unreviewed, verified, rejected" in bad.text


def test_associated_actors_are_corrected_on_the_event_page(workspace: Workspace) -> None:
    event_id = workspace.events["clash"]
    browser, csrf = workspace.browser("analyst")
    answer = browser.post(
        f"/events/{event_id}/correct",
        data={
            "csrf_token": csrf,
            "assoc_actor_2": "Republican Guard; 4th Division",
            "note": "units named by the monitor",
            "version": "1",
        },
    )
    assert answer.status_code == 200
    assert re.search(
        r'<tr data-field="assoc_actor_2" class="corrected">\s*<th>assoc_actor_2</th>\s*'
        r'<td class="value">Republican Guard; 4th Division</td>',
        answer.text,
    )
    assert '<input name="assoc_actor_2" value="Republican Guard; 4th Division">' in answer.text
    history = re.search(r'<table class="history" id="history">.*?</table>', answer.text, re.DOTALL)
    assert history is not None
    assert "assoc_actor_2" in history.group() and "units named by the monitor" in history.group()
    event = workspace.store.get_event(event_id)
    assert event is not None and event.actor2 is not None
    assert event.actor2.associated == ["Republican Guard", "4th Division"]
    # Sending the page's own value back changes nothing.
    again = browser.post(
        f"/events/{event_id}/correct",
        data={"csrf_token": csrf, "assoc_actor_2": "Republican Guard; 4th Division"},
    )
    assert again.status_code == 422 and "nothing to correct" in again.text


def test_timeline_counts_events_and_fatalities_per_week(workspace: Workspace) -> None:
    browser, _ = workspace.browser("viewer")
    page = browser.get("/timeline", params={"country": "Syria"}).text
    rows = re.findall(
        r"<tr><td>(\d{4}-\d\d-\d\d)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>",
        page,
    )
    # Strike (4 dead, Tuesday 5 March) and clash (2 dead, 6 March): week of 4 March.
    # The Daraa clash (2 dead, Sunday 17 March) closes the week of 11 March.
    assert rows == [("2024-03-04", "2", "6"), ("2024-03-11", "1", "2")]
    assert page.count('<rect class="bar') == 3


def test_upload_form_error_is_shown(workspace: Workspace) -> None:
    browser, csrf = workspace.browser("analyst")
    answer = browser.post("/upload", data={"csrf_token": csrf, "published": "last week"})
    assert answer.status_code == 422
    assert "report date &#39;last week&#39; is not a date" in answer.text
    empty = browser.post("/upload", data={"csrf_token": csrf})
    assert empty.status_code == 422 and "nothing to ingest" in empty.text


def test_docs_page_uses_packaged_swagger(workspace: Workspace) -> None:
    browser, _ = workspace.browser("viewer")
    page = browser.get("/docs").text
    assert "/assets/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_static_files_need_a_login_but_the_login_style(workspace: Workspace) -> None:
    anonymous = workspace.client()
    assert anonymous.get("/static/sitrep.css").status_code == 200
    for path in (
        "/static/map.js",
        "/assets/leaflet/leaflet.js",
        "/assets/world-atlas/countries-50m.json",
    ):
        answer = anonymous.get(path)
        assert answer.status_code == 401 and "not logged in" in answer.json()["detail"]
    browser, _ = workspace.browser("viewer")
    assert browser.get("/static/map.js").status_code == 200
    leaflet = browser.get("/assets/leaflet/leaflet.js")
    if leaflet.status_code == 404:
        pytest.skip("front-end packages not installed (npm ci in src/sitrep/web/assets)")
    assert leaflet.status_code == 200 and "Leaflet" in leaflet.text[:2000]


def test_a_tile_url_can_be_configured_for_online_use(
    workspace_with: Callable[..., Workspace],
) -> None:
    tiles = workspace_with(tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    browser, _ = tiles.browser("viewer")
    page = browser.get("/map")
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page.text
    assert (
        "img-src 'self' data: https://tiles.example.org;" in page.headers["content-security-policy"]
    )


def test_admins_manage_users_and_tokens_on_their_page(workspace: Workspace) -> None:
    browser, csrf = workspace.browser("admin")
    page = browser.get("/users")
    assert page.status_code == 200 and 'href="/users"' in page.text
    added = browser.post(
        "/users",
        data={"csrf_token": csrf, "name": "noor", "role": "viewer", "password": "a long secret"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    browser.post("/users/noor/role", data={"csrf_token": csrf, "role": "analyst"})
    assert workspace.app.state.services.accounts.get_user("noor").role == "analyst"

    created = browser.post("/tokens", data={"csrf_token": csrf, "user": "noor", "label": "sync"})
    token = re.search(r'<code class="token">(sitrep_[^<]+)</code>', created.text)
    assert token is not None
    bearer = {"Authorization": f"Bearer {token[1]}"}
    assert workspace.client().get("/api/events", headers=bearer).status_code == 200
    listed = browser.get("/users").text
    assert "<td>sync</td>" in listed and token[1] not in listed

    accounts = workspace.app.state.services.accounts
    token_id = next(t.token_id for t in accounts.list_tokens("noor"))
    browser.post(f"/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert workspace.client().get("/api/events", headers=bearer).status_code == 401
    again = browser.post(f"/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert again.status_code == 422 and f"no API token {token_id}" in again.text

    last = browser.post("/users/admin/role", data={"csrf_token": csrf, "role": "viewer"})
    assert last.status_code == 422 and "admin is the last admin" in last.text
    removed = browser.post("/users/noor/remove", data={"csrf_token": csrf}, follow_redirects=False)
    assert removed.status_code == 303
    assert workspace.app.state.services.accounts.get_user("noor") is None
    assert workspace.client().get("/api/events", headers=bearer).status_code == 401


def test_only_admins_see_the_users_page(workspace: Workspace) -> None:
    browser, csrf = workspace.browser("analyst")
    assert browser.get("/users").status_code == 403
    assert 'href="/users"' not in browser.get("/events").text
    forbidden = browser.post("/users/viewer/remove", data={"csrf_token": csrf})
    assert forbidden.status_code == 403


@pytest.mark.parametrize(
    ("number", "words", "shown"),
    [
        (1, ("report",), "1 report"),
        (3, ("report",), "3 reports"),
        (1, ("fatality", "fatalities"), "1 fatality"),
        (0, ("fatality", "fatalities"), "0 fatalities"),
    ],
)
def test_counts_take_the_noun_in_the_right_number(
    number: int, words: tuple[str, ...], shown: str
) -> None:
    from sitrep.web.app import counted

    assert counted(number, *words) == shown
