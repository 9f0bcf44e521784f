"""Each export format carries the events' fields and evidence, in the layout it promises."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime

import pytest

from sitrep.export import (
    ACLED_COLUMNS,
    PLAIN_COLUMNS,
    SITREP_COLUMNS,
    ExportFormat,
    ExportSummary,
    write_acled_csv,
    write_events,
    write_geojson,
    write_json,
    write_jsonl,
    write_plain_csv,
    write_table,
)
from sitrep.models import PLACE_FIELDS, Actor, Event, Evidence, Place, Span
from sitrep.store import EventRecord

TEXT = (
    "Government shelling killed three civilians in Kafr Nabl, Idlib, on Monday, the Syrian "
    "Observatory said. In Deir ez-Zor, IS fighters abducted a teacher."
)


def span(words: str) -> Span:
    start = TEXT.index(words)
    return Span.of(TEXT, start, start + len(words))


def shelling() -> Event:
    return Event(
        event_id="a1b2c3d4e5f60718-01",
        report_id="a1b2c3d4e5f60718",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=date(2019, 5, 6),
        time_precision=1,
        actor1=Actor(name="Military Forces of Syria (2000-)", inter=1, country="Syria"),
        actor2=Actor(name="Civilians (Syria)", inter=7, country="Syria"),
        place=Place(
            location="Kafr Nabl",
            country="Syria",
            iso=760,
            admin1="Idlib",
            admin2="Maarrat an Nu'man",
            latitude=35.6136,
            longitude=36.5606,
            geo_precision=1,
        ),
        fatalities=3,
        attack_method="shelling/artillery",
        source="Syrian Observatory",
        notes="On 6 May 2019, government shelling killed 3 civilians in Kafr Nabl.",
        confidence=0.85,
        attribution="Syrian Observatory",
        evidence={
            "fatalities": Evidence(spans=[span("killed three civilians")], rule="death verb"),
            "location": Evidence(spans=[span("Kafr Nabl"), span("Idlib")], confidence=0.9),
        },
        flags=["claim_by_monitor"],
    )


def abduction_without_coordinates() -> Event:
    return Event(
        event_id="a1b2c3d4e5f60718-02",
        report_id="a1b2c3d4e5f60718",
        event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        actor1=Actor(name="Islamic State (Syria)", inter=2, associated=["Chechen fighters"]),
        actor2=Actor(name="Civilians (Syria)", inter=7),
        place=Place(location="Deir ez-Zor", country="Syria", geo_precision=3, resolved=False),
        evidence={"actor2": Evidence(spans=[span("a teacher")])},
        flags=["undated", "place_unresolved"],
    )


EVENTS = [shelling(), abduction_without_coordinates()]


def written(
    writer: Callable[..., ExportSummary], events: list[Event] = EVENTS, **options: object
) -> str:
    out = io.StringIO()
    writer(events, out, **options)
    return out.getvalue()


def test_acled_columns_are_what_the_model_produces_in_acled_order() -> None:
    assert tuple(shelling().acled_row()) == ACLED_COLUMNS
    # The place's fields, shared by the plain CSV and `sitrep show`, are ACLED columns.
    assert set(PLACE_FIELDS) <= set(ACLED_COLUMNS) and set(PLACE_FIELDS) <= set(PLAIN_COLUMNS)
    assert ACLED_COLUMNS[:7] == (
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
    )


def test_acled_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(written(write_acled_csv))))
    header = next(csv.reader(io.StringIO(written(write_acled_csv))))
    assert tuple(header) == ACLED_COLUMNS + SITREP_COLUMNS
    first, second = rows
    assert first["event_date"] == "2019-05-06" and first["year"] == "2019"
    assert (first["actor1"], first["inter1"], first["inter2"]) == (
        "Military Forces of Syria (2000-)",
        "1",
        "7",
    )
    assert first["interaction"] == "17" and first["civilian_targeting"] == "Civilian targeting"
    assert (first["latitude"], first["longitude"], first["iso"]) == ("35.6136", "36.5606", "760")
    assert first["attack_method"] == "shelling/artillery" and first["confidence"] == "0.85"
    evidence = json.loads(first["evidence"])
    assert evidence["fatalities"]["spans"][0]["text"] == "killed three civilians"
    assert [s["text"] for s in evidence["location"]["spans"]] == ["Kafr Nabl", "Idlib"]
    assert second["event_date"] == "" and second["assoc_actor_1"] == "Chechen fighters"
    assert second["flags"] == "undated; place_unresolved"
    assert second["report_id"] == "a1b2c3d4e5f60718"


def test_plain_csv_quotes_evidence_as_text() -> None:
    rows = list(csv.DictReader(io.StringIO(written(write_plain_csv))))
    assert tuple(rows[0]) == PLAIN_COLUMNS
    assert rows[0]["evidence"] == (
        'fatalities: "killed three civilians"; location: "Kafr Nabl" | "Idlib"'
    )
    assert rows[1]["latitude"] == "" and rows[1]["actor2"] == "Civilians (Syria)"


def test_jsonl_round_trips_complete_events() -> None:
    lines = written(write_jsonl).splitlines()
    assert [Event.model_validate_json(line) for line in lines] == EVENTS


def test_json_is_an_array_of_complete_events() -> None:
    data = json.loads(written(write_json))
    assert [Event.model_validate(item) for item in data] == EVENTS
    assert json.loads(written(write_json, [])) == []


def test_geojson_reports_events_without_coordinates() -> None:
    out = io.StringIO()
    summary = write_geojson(EVENTS, out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [36.5606, 35.6136]}
    assert feature["id"] == "a1b2c3d4e5f60718-01"
    assert feature["properties"]["fatalities"] == 3
    assert feature["properties"]["evidence"]["fatalities"]["spans"][0]["start"] == TEXT.index(
        "killed three"
    )
    assert (summary.written, summary.without_coordinates) == (1, ["a1b2c3d4e5f60718-02"])


def test_geojson_can_include_unlocated_events_with_null_geometry() -> None:
    out = io.StringIO()
    summary = write_geojson(EVENTS, out, include_unlocated=True)
    features = json.loads(out.getvalue())["features"]
    assert [f["geometry"] is None for f in features] == [False, True]
    assert summary.written == 2 and summary.without_coordinates == ["a1b2c3d4e5f60718-02"]


def test_geojson_of_no_events_is_valid() -> None:
    assert json.loads(written(write_geojson, [])) == {"type": "FeatureCollection", "features": []}


def test_table_shows_the_main_fields() -> None:
    table = written(write_table)
    assert "a1b2c3d4e5f60718-01" in table and "2019-05-06" in table
    (row,) = [line for line in table.splitlines() if "Military Forces of Syria" in line]
    assert row.index("Military Forces of Syria") < row.index("Civilians (Syria)")
    assert "Kafr Nabl, Idlib, Syria" in table
    assert "undated" in table  # the abduction has no date
    assert written(write_table, []).strip() == "no events"


def test_table_shows_each_event_s_review() -> None:
    reviewed = EventRecord(
        event=EVENTS[0],
        review_status="verified",
        reviewed_by="amira",
        reviewed_at=datetime(2026, 12, 7, 14, 3),
        corrected=True,
    )
    table = written(write_table, [reviewed, EventRecord(event=EVENTS[1])])
    (verified_row,) = [line for line in table.splitlines() if "a1b2c3d4e5f60718-01" in line]
    assert "verified, corrected" in verified_row
    assert any("amira 2026-12-07 14:03" in line for line in table.splitlines())
    (unreviewed_row,) = [line for line in table.splitlines() if "a1b2c3d4e5f60718-02" in line]
    assert "unreviewed" in unreviewed_row and "corrected" not in unreviewed_row


@pytest.mark.parametrize("fmt", ["acled", "csv", "json", "jsonl", "geojson", "table"])
def test_every_format_counts_what_it_wrote(fmt: ExportFormat) -> None:
    summary = write_events(EVENTS, fmt, io.StringIO())
    assert summary.written == (1 if fmt == "geojson" else 2)


def test_highlighted_text_styles_each_field_s_evidence() -> None:
    from sitrep.export import highlighted_text

    event = shelling()
    styles = {"fatalities": "on yellow", "location": "on cyan"}
    text = highlighted_text(event, TEXT, styles)
    styled = {(s.start, s.end, str(s.style)) for s in text.spans}
    start = TEXT.index("killed three civilians")
    assert (start, start + len("killed three civilians"), "on yellow") in styled
    assert (TEXT.index("Idlib"), TEXT.index("Idlib") + 5, "on cyan") in styled
    assert text.plain == TEXT
