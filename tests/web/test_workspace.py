"""The analyst workspace of issue 15, through the API and the pages: no lost updates, review
status everywhere, the review queue, consistent fields, search, the timeline, uploads with
other column names, readable reports and exports, and the small things."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

from tests.web.conftest import Workspace
from tests.web.test_pages import form_values

from sitrep.models import Event, Place, Report
from sitrep.web._timeline import timeline


def event_ids(answer: object) -> list[str]:
    return [item["event"]["event_id"] for item in answer.json()["items"]]  # type: ignore[attr-defined]


# 1. No lost updates ------------------------------------------------------------------------


def test_a_stale_correction_is_refused_with_409_and_what_is_stored(workspace: Workspace) -> None:
    event_id = workspace.events["strike"]
    rana, omar = workspace.client("analyst"), workspace.client("admin")
    seen = rana.get(f"/api/events/{event_id}").json()["version"]
    assert seen == 1
    first = omar.patch(f"/api/events/{event_id}", json={"fatalities": 5, "version": seen})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = rana.patch(f"/api/events/{event_id}", json={"location": "Sarmin", "version": seen})
    assert stale.status_code == 409
    body = stale.json()
    assert "changed by someone else" in body["detail"] and body["version"] == 2
    assert body["current"]["fatalities"] == 5
    stored = workspace.store.get_event(event_id)
    assert stored is not None and stored.place is not None and stored.place.location == "Saraqib"
    missing = rana.patch(f"/api/events/{event_id}", json={"location": "Sarmin"})
    assert missing.status_code == 422 and "version: Field required" in missing.json()["detail"]
    history = rana.get(f"/api/events/{event_id}").json()["history"]
    assert [(h["user"], h["field"]) for h in history] == [("admin", "fatalities")]


def test_the_second_analyst_gets_the_conflict_page_and_chooses(workspace: Workspace) -> None:
    event_id = workspace.events["strike"]
    first, first_csrf = workspace.browser("analyst")
    second, second_csrf = workspace.browser("admin")
    first_form = form_values(first.get(f"/events/{event_id}").text)
    second_form = form_values(second.get(f"/events/{event_id}").text)
    saved = first.post(
        f"/events/{event_id}/correct",
        data={**first_form, "csrf_token": first_csrf, "fatalities": "5"},
    )
    assert saved.status_code == 200
    # The second analyst's form still shows 4 dead: only what they changed is sent.
    conflict = second.post(
        f"/events/{event_id}/correct",
        data={**second_form, "csrf_token": second_csrf, "fatalities": "6", "location": "Sarmin"},
    )
    assert conflict.status_code == 409 and 'id="conflict"' in conflict.text
    rows = {
        field: (seen, theirs, yours)
        for field, seen, theirs, yours in re.findall(
            r'<tr data-field="(\w+)"[^>]*>\s*<th>\w+</th>\s*<td class="seen">([^<]*)</td>\s*'
            r'<td class="theirs">([^<]*)</td>\s*<td class="yours">([^<]*)</td>',
            conflict.text,
        )
    }
    assert rows == {"fatalities": ("4", "5", "6"), "location": ("Saraqib", "Saraqib", "Sarmin")}
    assert workspace.store.get_event(event_id).fatalities == 5  # type: ignore[union-attr]
    # They keep the first analyst's toll and their own place.
    resolved = second.post(
        f"/events/{event_id}/correct",
        data={
            "csrf_token": second_csrf,
            "version": "2",
            "seen_fatalities": "5",
            "seen_location": "Saraqib",
            "fatalities": "5",
            "location": "Sarmin",
        },
    )
    assert resolved.status_code == 200
    stored = workspace.store.get_event(event_id)
    assert stored is not None and stored.place is not None
    assert (stored.fatalities, stored.place.location) == (5, "Sarmin")


# 2. Review status everywhere ---------------------------------------------------------------


def test_rejected_events_leave_exports_map_timeline_and_counts(workspace: Workspace) -> None:
    analyst = workspace.client("analyst")
    clash, strike = workspace.events["clash"], workspace.events["strike"]
    assert analyst.put(f"/api/events/{clash}/review", json={"status": "rejected"}).is_success
    assert analyst.put(f"/api/events/{strike}/review", json={"status": "verified"}).is_success
    exported = analyst.get("/api/export", params={"format": "acled"})
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(exported.text))}
    assert clash not in rows and len(rows) == 3
    assert (rows[strike]["review_status"], rows[strike]["reviewed_by"]) == ("verified", "analyst")
    assert rows[strike]["corrected"] == "False" and rows[strike]["reviewed_at"]
    assert 'filename="sitrep-acled-' in exported.headers["content-disposition"]
    geojson = analyst.get("/api/export", params={"format": "geojson"})
    assert 'filename="sitrep-geojson-' in geojson.headers["content-disposition"]
    assert "sitrep-events" not in geojson.headers["content-disposition"]
    located = analyst.get("/api/map/events").json()
    assert clash not in [f["properties"]["event_id"] for f in located["features"]]
    assert analyst.get("/api/events").json()["total"] == 3
    assert analyst.get("/api/events", params={"review": "all"}).json()["total"] == 4
    browser, _ = workspace.browser("viewer")
    week = browser.get("/timeline", params={"country": "Syria"}).text
    assert re.search(r"<td>2024-03-04</td><td class=\"num\">1</td><td class=\"num\">4</td>", week)
    publishable = analyst.get("/api/export", params={"format": "jsonl", "review": "verified"})
    assert [line.count(strike) > 0 for line in publishable.text.splitlines()] == [True]
    assert '"review_status": "verified"' in publishable.text


def test_csv_exports_open_safely_in_a_spreadsheet(workspace: Workspace) -> None:
    event_id = workspace.events["ied"]
    analyst = workspace.client("analyst")
    answer = analyst.patch(
        f"/api/events/{event_id}",
        json={"notes": '=HYPERLINK("http://example.org","see")', "version": 1},
    )
    assert answer.status_code == 200
    plain = analyst.get("/api/export", params={"format": "csv", "bom": "true"})
    assert plain.content.startswith(b"\xef\xbb\xbf")
    (row,) = [
        r
        for r in csv.DictReader(io.StringIO(plain.content.decode("utf-8-sig")))
        if r["event_id"] == event_id
    ]
    assert row["notes"] == '\'=HYPERLINK("http://example.org","see")' and row["corrected"] == "True"
    acled = analyst.get("/api/export", params={"format": "acled"})
    assert not acled.content.startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK" in acled.text
    longitude = next(csv.DictReader(io.StringIO(acled.text)))["longitude"]
    assert not longitude.startswith("'")  # numbers are never touched


# 3. The review queue -----------------------------------------------------------------------


def test_the_queue_walks_the_least_sure_events_first_keeping_the_filters(
    workspace: Workspace,
) -> None:
    browser, csrf = workspace.browser("analyst")
    # Confidences: checkpoint 0.6, clash 0.7, ied 0.7, strike 0.8; the Syria filter drops ied.
    start = browser.get("/queue", params={"country": "Syria"}, follow_redirects=False)
    assert start.status_code == 303
    first_url = start.headers["location"]
    assert first_url.startswith(f"/events/{workspace.events['checkpoint']}?")
    assert "country=Syria" in first_url and "order=queue" in first_url
    page = browser.get(first_url).text
    assert "1 of 3" in page
    next_link = re.search(r'href="([^"]+)" id="next-event"', page)
    assert next_link is not None
    next_url = html.unescape(next_link.group(1))
    assert workspace.events["clash"] in next_url and "country=Syria" in next_url
    assert "<kbd>v</kbd> verify" in page  # the shortcuts are listed on the page
    # Verifying goes on to the next event of the queue, chosen before this one left it.
    verified = browser.post(
        f"/events/{workspace.events['checkpoint']}/review",
        data={"csrf_token": csrf, "status": "verified", "next": next_url},
        follow_redirects=False,
    )
    assert verified.headers["location"] == next_url
    # Correct and verify in one submit.
    clash_page = browser.get(verified.headers["location"]).text
    form = form_values(clash_page)
    done = browser.post(
        f"/events/{workspace.events['clash']}/correct",
        data={**form, "csrf_token": csrf, "fatalities": "3", "and_verify": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and workspace.events["strike"] in done.headers["location"]
    clash = workspace.client("viewer").get(f"/api/events/{workspace.events['clash']}").json()
    assert clash["event"]["fatalities"] == 3 and clash["review"]["status"] == "verified"
    # A form's "next" only ever leads within the site.
    elsewhere = browser.post(
        f"/events/{workspace.events['ied']}/review",
        data={"csrf_token": csrf, "status": "verified", "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert elsewhere.headers["location"] == f"/events/{workspace.events['ied']}"


def test_several_events_are_verified_or_rejected_at_once(workspace: Workspace) -> None:
    strike, clash = workspace.events["strike"], workspace.events["clash"]
    api = workspace.client("analyst")
    answer = api.post(
        "/api/events/review",
        json={"event_ids": [strike, clash], "status": "verified", "note": "checked with SOHR"},
    )
    assert answer.status_code == 200 and answer.json()["reviewed"] == 2
    verified = api.get("/api/events", params={"review": "verified"})
    assert sorted(event_ids(verified)) == sorted([strike, clash])
    refused = api.post(
        "/api/events/review", json={"event_ids": [strike, "nope-01"], "status": "rejected"}
    )
    assert refused.status_code == 404
    assert api.get(f"/api/events/{strike}").json()["review"]["status"] == "verified"
    browser, csrf = workspace.browser("analyst")
    table = browser.get("/events", params={"unit": "events"}).text
    assert f'name="event_id" value="{strike}"' in table and 'id="bulk-reject"' in table
    rejected = browser.post(
        "/events/review",
        data={
            "csrf_token": csrf,
            "event_id": [workspace.events["checkpoint"], workspace.events["ied"]],
            "status": "rejected",
            "note": "duplicates",
        },
    )
    assert rejected.status_code == 200
    gone = api.get("/api/events", params={"review": "rejected"}).json()["items"]
    assert {item["review"]["note"] for item in gone} == {"duplicates"} and len(gone) == 2


# 4. Fields that stay consistent ------------------------------------------------------------


def test_places_are_searched_as_typed_within_a_country(workspace: Workspace) -> None:
    client = workspace.client("viewer")
    found = client.get("/api/places", params={"q": "Saraq", "country": "Syria"}).json()
    assert found, "Saraqib is in GeoNames cities500"
    first = found[0]
    assert (first["location"], first["country"], first["admin1"], first["kind"]) == (
        "Saraqib",
        "Syria",
        "Idleb",
        "PPL",
    )
    assert abs(first["latitude"] - 35.86) < 0.05 and abs(first["longitude"] - 36.80) < 0.05
    iraq = client.get("/api/places", params={"q": "Mosu", "country": "IQ"}).json()
    assert iraq and all(place["country"] == "Iraq" for place in iraq)
    bad = client.get("/api/places", params={"q": "Mosul", "country": "Atlantis"})
    assert bad.status_code == 422 and "unknown country 'Atlantis'" in bad.json()["detail"]


def test_actors_come_from_the_dictionary_with_their_inter_codes(workspace: Workspace) -> None:
    client = workspace.client("analyst")
    names = {
        a["name"]: a["inter"] for a in client.get("/api/actors", params={"q": "tahrir"}).json()
    }
    assert names.get("HTS: Hayat Tahrir al Sham") == 2
    event_id = workspace.events["ied"]  # its perpetrator is unknown
    fixed = client.patch(
        f"/api/events/{event_id}",
        json={"actor1": "Islamic State (Iraq)", "version": 1, "note": "claimed by IS"},
    ).json()["event"]
    assert fixed["actor1"]["inter"] == 2 and fixed["interaction"] == 12
    new = client.patch(
        f"/api/events/{event_id}",
        json={"actor2": "Neighbourhood Watch of Nabi Yunus", "version": 2},
    )
    assert new.status_code == 422 and "choose its inter code (inter2" in new.json()["detail"]


def test_analysts_add_a_missed_event_and_split_a_merged_one(workspace: Workspace) -> None:
    client = workspace.client("analyst")
    report_id = workspace.reports["iraq_report.txt"]
    added = client.post(
        f"/api/reports/{report_id}/events",
        json={
            "event_type": "Violence against civilians",
            "sub_event_type": "Attack",
            "event_date": "2024-04-12",
            "location": "Mosul",
            "note": "the wounded passers-by",
        },
    )
    assert added.status_code == 201, added.text
    new = added.json()
    assert new["event"]["event_id"] == f"{report_id}-02"
    assert "added_by_analyst" in new["event"]["flags"] and new["version"] == 1
    assert [(h["field"], h["new"]) for h in new["history"]] == [("event", "added")]
    strike = workspace.events["strike"]
    split = client.post(f"/api/events/{strike}/split", json={"location": "Sarmin"})
    assert split.status_code == 201, split.text
    half = split.json()["event"]
    assert half["place"]["location"] == "Sarmin" and half["fatalities"] == 4
    assert "split_by_analyst" in half["flags"] and half["event_id"].endswith("-03")
    assert client.get("/api/events", params={"search": "shelled"}).json()["total"] == 3
    incomplete = client.post(f"/api/reports/{report_id}/events", json={"event_type": "Battles"})
    assert incomplete.status_code == 422 and "sub_event_type" in incomplete.json()["detail"]


# 5. Search ---------------------------------------------------------------------------------


def test_search_and_aliases_in_the_api_and_the_table(workspace: Workspace) -> None:
    client = workspace.client("viewer")
    assert event_ids(client.get("/api/events", params={"search": "policeman"})) == [
        workspace.events["ied"]
    ]
    medics = client.get("/api/events", params={"search": "local medics"})
    assert sorted(event_ids(medics)) == sorted(
        [workspace.events["strike"], workspace.events["clash"]]
    )
    idleb = client.get("/api/events", params={"admin1": "Idleb"})  # stored as "Idlib"
    assert sorted(event_ids(idleb)) == sorted(
        [workspace.events["strike"], workspace.events["clash"]]
    )
    hts = client.get("/api/events", params={"actor": "HTS"})
    assert event_ids(hts) == [workspace.events["clash"]]
    for params, message in (
        ({"event_type": "Shootings"}, "unknown event type 'Shootings'"),
        ({"sub_event_type": "Bombing"}, "unknown sub-event type 'Bombing'"),
        ({"search": "!!"}, "has no words to look for"),
        ({"order": "random"}, "invalid filter order"),
    ):
        answer = client.get("/api/events", params=params)
        assert answer.status_code == 422 and message in answer.json()["detail"], params
    browser, _ = workspace.browser("viewer")
    page = browser.get("/events", params={"search": "policeman", "unit": "events"}).text
    assert "1 event found" in page and "Mosul" in page and 'value="policeman"' in page


# 6. Timeline -------------------------------------------------------------------------------


def test_a_mistyped_year_is_flagged_on_the_event_filterable_and_listed(
    workspace: Workspace,
) -> None:
    analyst = workspace.client("analyst")
    strike = workspace.events["strike"]
    typo = analyst.patch(f"/api/events/{strike}", json={"event_date": "2204-03-04", "version": 1})
    assert typo.status_code == 200, typo.text
    assert "date_implausible" in typo.json()["event"]["flags"]
    flagged = analyst.get("/api/events", params={"flag": "date_implausible"})
    assert [item["event"]["event_id"] for item in flagged.json()["items"]] == [strike]
    bad = analyst.get("/api/events", params={"flag": "Date Implausible"})
    assert bad.status_code == 422 and "is not a flag name" in bad.json()["detail"]
    browser, _ = workspace.browser("viewer")
    page = browser.get(f"/events/{strike}").text
    assert 'id="date-warning"' in page and '<span class="flag">date_implausible</span>' in page
    incidents = browser.get("/timeline").text  # the incident takes its event's date
    assert ">2204-03-04</a>" in incidents[incidents.index('id="implausible-dates"') :]
    listed = browser.get("/timeline", params={"unit": "events"}).text
    checks = listed[listed.index('id="implausible-dates"') :]
    assert f'href="/events/{strike}">2204-03-04' in checks
    table = browser.get("/events", params={"flag": "date_implausible", "unit": "events"}).text
    assert "1 event found" in table and 'value="date_implausible"' in table
    fixed = analyst.patch(f"/api/events/{strike}", json={"event_date": "2024-03-04", "version": 2})
    assert "date_implausible" not in fixed.json()["event"]["flags"]


def test_the_timeline_lists_implausible_dates_instead_of_stretching() -> None:
    def on(day: date, event_id: str) -> Event:
        return Event(
            event_id=event_id,
            event_type="Battles",
            sub_event_type="Armed clash",
            event_date=day,
            place=Place(location="Homs"),
        )

    events = [on(date(2024, 3, d), f"r-0{d}") for d in (4, 11, 18)]
    chart = timeline(
        [*events, on(date(1924, 3, 4), "typo"), on(date(2031, 1, 1), "future")],
        today=date(2024, 4, 1),
    )
    assert [e.event_id for e in chart.implausible] == ["typo", "future"]
    assert [w.monday for w in chart.weeks] == [
        date(2024, 3, 4),
        date(2024, 3, 11),
        date(2024, 3, 18),
    ]
    assert chart.weeks[0].label == "04 Mar 2024"


# 7, 8, 9. Uploads, languages, small things -------------------------------------------------


def test_a_csv_with_other_column_names_is_uploaded_with_a_mapping(workspace: Workspace) -> None:
    browser, csrf = workspace.browser("analyst")
    feed = "headline,body,pubdate\nMosul blast,An improvised explosive device struck a police patrol in Mosul on Friday.,2024-04-13\n"
    answer = browser.post(
        "/upload",
        data={
            "csrf_token": csrf,
            "text_column": "body",
            "title_column": "headline",
            "date_column": "pubdate",
        },
        files={"file": ("feed.csv", feed.encode(), "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    assert 'id="upload-result"' in answer.text and "Mosul blast" in answer.text
    unmapped = browser.post(
        "/upload",
        data={"csrf_token": csrf},
        files={"file": ("feed.csv", feed.encode(), "text/csv")},
    )
    assert unmapped.status_code == 422 and "text" in unmapped.text


def test_arabic_reports_read_right_to_left_and_pages_say_what_they_are(
    workspace: Workspace,
) -> None:
    report = Report(text="قصفت قوات النظام مدينة سراقب", language="ar", title="سراقب")
    report_id, _ = workspace.store.add_report(
        report,
        events=[
            Event(
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                event_date=date(2024, 3, 5),
                place=Place(location="Saraqib"),
            )
        ],
    )
    browser, _ = workspace.browser("admin")
    page = browser.get(f"/events/{report_id}-01").text
    assert 'id="report-text" dir="rtl" lang="ar"' in page
    strike = browser.get(f"/events/{workspace.events['strike']}").text
    titles = {
        re.search(r"<title>(.*?)</title>", text).group(1)  # type: ignore[union-attr]
        for text in (page, strike)
    }
    assert len(titles) == 2
    assert "<title>Shelling/artillery/missile attack, Saraqib, 2024-03-05 (" in strike
    users = browser.get("/users").text
    assert 'data-confirm="Remove viewer?' in users and "/static/confirm.js" in users
