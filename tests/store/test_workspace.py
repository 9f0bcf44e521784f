"""The store side of the analyst workspace: versioned corrections, the review queue's order,
full-text search, names that mean the same place or actor, records with their review, and
what a correction settles (flags, inter codes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.models import Actor, Event, Place, Report
from sitrep.store import EventFilter, Store
from sitrep.store.filter_names import resolve_names
from sitrep.store.review import ConflictError, Reviews

SHELLING = (
    "Artillery of the army struck the market of Saraqib on Monday, killing three people. "
    "Medics at the field hospital counted the dead."
)
ARREST = "Security forces detained a journalist in Homs on Tuesday."


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'workspace.db'}")


def add(store: Store, text: str, *events: Event, title: str | None = None) -> list[str]:
    report_id, _ = store.add_report(Report(text=text, title=title), events=list(events))
    return [f"{report_id}-{n:02d}" for n in range(1, len(events) + 1)]


def shelling(**changes: object) -> Event:
    event = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        event_date=date(2024, 3, 4),
        actor2=Actor(name="Civilians (Syria)", inter=7, country="Syria"),
        place=Place(location="Saraqib", country="Syria", admin1="Idleb"),
        fatalities=3,
        confidence=0.7,
        flags=["perpetrator_unnamed"],
    )
    return event.model_copy(update=changes)


def test_a_correction_on_an_older_version_is_refused_with_what_is_stored(store: Store) -> None:
    (event_id,) = add(store, SHELLING, shelling())
    reviews = Reviews(store)
    assert store.event_version(event_id) == 1
    reviews.correct(event_id, {"fatalities": 4}, user="rana", version=1)
    assert store.event_version(event_id) == 2
    with pytest.raises(ConflictError) as refused:
        reviews.correct(event_id, {"location": "Ariha"}, user="omar", version=1)
    assert refused.value.version == 2 and refused.value.current.fatalities == 4
    stored = store.get_event(event_id)
    assert stored is not None and stored.place is not None
    assert (stored.fatalities, stored.place.location) == (4, "Saraqib")
    assert [(h.user, h.field) for h in reviews.history(event_id)] == [("rana", "fatalities")]
    reviews.correct(event_id, {"location": "Ariha"}, user="omar", version=2)
    assert store.event_version(event_id) == 3


def test_naming_the_perpetrator_settles_the_flag_and_takes_the_dictionary_inter(
    store: Store,
) -> None:
    (event_id,) = add(store, SHELLING, shelling())
    fixed = Reviews(store).correct(
        event_id, {"actor1": "Military Forces of Syria (2000-)"}, user="rana"
    )
    assert fixed.actor1 is not None and fixed.actor1.inter == 1
    assert fixed.interaction == 17
    assert "perpetrator_unnamed" not in fixed.flags


def test_a_new_actor_needs_an_inter_code_and_is_flagged(store: Store) -> None:
    (event_id,) = add(store, SHELLING, shelling())
    reviews = Reviews(store)
    with pytest.raises(InputError, match="not in the actor dictionary: choose its inter code"):
        reviews.correct(event_id, {"actor1": "Brigade of the Eastern Hills"}, user="rana")
    fixed = reviews.correct(
        event_id, {"actor1": "Brigade of the Eastern Hills", "inter1": 3}, user="rana"
    )
    assert fixed.actor1 is not None and fixed.actor1.inter == 3
    assert "actor_not_in_dictionary" in fixed.flags and fixed.interaction == 37


def test_the_queue_puts_the_least_sure_first_then_the_most_flagged(store: Store) -> None:
    sure, unsure, flagged = add(
        store,
        SHELLING,
        shelling(confidence=0.9, flags=[]),
        shelling(confidence=0.4, flags=[]),
        shelling(confidence=0.4, flags=["undated", "place_unresolved"]),
    )
    order = [e.event_id for e in store.query_events(EventFilter(order="queue"))]
    assert order == [flagged, unsure, sure]
    queue = EventFilter(order="queue", review="unreviewed")
    around = store.neighbours(queue, unsure)
    assert (around.previous, around.next, around.position, around.total) == (flagged, sure, 2, 3)
    Reviews(store).set_reviews([flagged, unsure], "verified", user="rana", note="checked")
    assert [e.event_id for e in store.query_events(queue)] == [sure]


def test_rejected_events_are_left_out_unless_asked_for(store: Store) -> None:
    kept, dropped = add(store, SHELLING, shelling(), shelling(fatalities=1))
    Reviews(store).set_review(dropped, "rejected", user="rana", note="duplicate")
    assert [e.event_id for e in store.iter_events()] == [kept]
    assert store.count_events() == 1
    records = {r.event.event_id: r for r in store.iter_records(EventFilter(review="all"))}
    assert records[dropped].review_status == "rejected"
    assert records[dropped].reviewed_by == "rana" and records[dropped].reviewed_at is not None
    assert records[kept].review_status == "unreviewed" and not records[kept].corrected
    Reviews(store).correct(kept, {"fatalities": 2}, user="rana")
    (record,) = store.iter_records()
    assert record.corrected and record.version == 2


def test_search_finds_report_words_titles_notes_and_actors(store: Store) -> None:
    strike, arrest = (
        add(store, SHELLING, shelling(), title="Market shelled")[0],
        add(
            store,
            ARREST,
            Event(
                event_type="Strategic developments",
                sub_event_type="Arrests",
                actor1=Actor(name="Police Forces of Syria (2000-)", inter=1),
                notes="A reporter was held.",
            ),
        )[0],
    )

    def found(words: str) -> list[str]:
        return [e.event_id for e in store.query_events(EventFilter(search=words))]

    assert found("field hospital") == [strike]
    assert found("market shelled") == [strike]  # the title
    assert found("reporter") == [arrest]  # the note
    assert found("police") == [arrest]  # an actor name
    assert found("journ") == [arrest]  # a word's start
    assert found("hospital journalist") == []  # every word must be found
    assert found('NEAR "OR') == []  # operators are plain words
    Reviews(store).correct(arrest, {"notes": "A photographer was held."}, user="rana")
    assert found("photographer") == [arrest] and found("reporter") == []
    with pytest.raises(InputError, match="no words to look for"):
        store.query_events(EventFilter(search="?!"))


def test_a_province_or_an_actor_is_found_under_any_of_its_names(store: Store) -> None:
    (event_id,) = add(
        store,
        SHELLING,
        shelling(
            actor1=Actor(name="Hayat Tahrir al-Sham", inter=2, associated=["Ajnad al-Kavkaz"])
        ),
    )

    def found(**filters: object) -> list[str]:
        wanted = resolve_names(store, EventFilter.model_validate(filters))
        return [e.event_id for e in store.query_events(wanted)]

    assert found(admin1="Idlib") == [event_id]  # stored as ACLED's Idleb
    assert found(admin1="Hama") == []
    assert found(actor="HTS") == [event_id]  # an abbreviation of the dictionary
    assert found(actor="kavkaz") == [event_id]  # an associated actor
    with pytest.raises(InputError, match="unknown event type 'Shelling'"):
        found(event_type="Shelling")
    with pytest.raises(InputError, match="unknown sub-event type"):
        found(sub_event_type="Bombing")
