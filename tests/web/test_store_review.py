"""Accounts, corrections with their audit trail, review status and encrypted source contacts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from sitrep.errors import InputError
from sitrep.events.notes import note_for
from sitrep.models import Actor, Event, Place, Report
from sitrep.store import Store
from sitrep.store.accounts import Accounts
from sitrep.store.review import (
    NotFoundError,
    Reviews,
    SourceCipher,
    SourceProtectionError,
    corrected,
)

KEY = "a test key of more than sixteen characters"


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


@pytest.fixture
def event_id(store: Store) -> str:
    report = Report(text="Shelling killed three civilians in Douma on Monday.")
    event = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        fatalities=3,
        actor2=Actor(name="Civilians (Syria)", inter=7),
        place=Place(location="Douma", country="Syria", admin1="Rif Dimashq"),
    )
    report_id, _ = store.add_report(report, events=[event])
    return f"{report_id}-01"


def test_passwords_are_hashed_and_checked(store: Store) -> None:
    accounts = Accounts(store)
    accounts.add_user("rana", "analyst", "correct horse")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2") and "correct horse" not in stored
    assert accounts.authenticate("rana", "correct horse") is not None
    assert accounts.authenticate("rana", "wrong horse") is None
    assert accounts.authenticate("nobody", "correct horse") is None


def test_bad_accounts_are_refused_with_the_way_out(store: Store) -> None:
    accounts = Accounts(store)
    with pytest.raises(InputError, match="unknown role 'boss': use one of viewer, analyst, admin"):
        accounts.add_user("x", "boss", "long enough pass")
    with pytest.raises(InputError, match="at least 12"):
        accounts.add_user("x", "viewer", "short")
    accounts.add_user("x", "viewer", "long enough pass")
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user("x", "admin", "long enough pass")
    with pytest.raises(InputError, match="no user 'y'"):
        accounts.create_token("y")


def test_tokens_are_stored_hashed(store: Store) -> None:
    accounts = Accounts(store)
    accounts.add_user("omar", "viewer", "long enough pass")
    token = accounts.create_token("omar")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_sha256 FROM api_tokens")).scalar_one()
    assert token not in stored
    found = accounts.user_for_token(token)
    assert found is not None and found.name == "omar"
    assert accounts.user_for_token(token + "x") is None


def test_tokens_are_listed_without_secrets_and_revoked(store: Store) -> None:
    accounts = Accounts(store)
    accounts.add_user("omar", "viewer", "long enough pass")
    accounts.add_user("rana", "analyst", "long enough pass")
    first, second = accounts.create_token("omar"), accounts.create_token("omar")
    kept = accounts.create_token("rana")
    listed = accounts.list_tokens()
    assert [token.user for token in listed] == ["omar", "omar", "rana"]
    assert all(secret not in repr(listed) for secret in (first, second, kept))
    assert [token.user for token in accounts.list_tokens("rana")] == ["rana"]
    second_id = listed[1].token_id
    assert accounts.revoke_tokens("omar", token_id=second_id) == 1
    assert accounts.user_for_token(second) is None
    assert accounts.user_for_token(first) is not None
    with pytest.raises(NotFoundError, match=f"omar has no token {second_id}"):
        accounts.revoke_tokens("omar", token_id=second_id)
    assert accounts.revoke_tokens("omar") == 1
    assert accounts.user_for_token(first) is None
    assert accounts.user_for_token(kept) is not None
    with pytest.raises(InputError, match="no user 'ghost'"):
        accounts.revoke_tokens("ghost")
    with pytest.raises(InputError, match="no user 'ghost'"):
        accounts.list_tokens("ghost")
    revoked = accounts.revoke_token(accounts.list_tokens("rana")[0].token_id)
    assert revoked.user == "rana" and accounts.user_for_token(kept) is None
    with pytest.raises(NotFoundError, match=f"no API token {revoked.token_id}"):
        accounts.revoke_token(revoked.token_id)


def test_sessions_expire_and_end(store: Store) -> None:
    accounts = Accounts(store)
    user = accounts.add_user("omar", "viewer", "long enough pass")
    session_id, started = accounts.start_session(user, lifetime=timedelta(hours=1))
    found = accounts.get_session(session_id)
    assert found is not None and found.csrf_token == started.csrf_token
    accounts.end_session(session_id)
    assert accounts.get_session(session_id) is None
    expired_id, _ = accounts.start_session(user, lifetime=timedelta(seconds=-1))
    assert accounts.get_session(expired_id) is None


def test_correction_keeps_the_original_and_audits_each_changed_field(
    store: Store, event_id: str
) -> None:
    reviews = Reviews(store)
    reviews.correct(
        event_id, {"fatalities": 4, "admin1": "Rif Dimashq"}, user="rana", note="hospital list"
    )
    assert store.get_event(event_id).fatalities == 4  # type: ignore[union-attr]
    assert store.get_original_event(event_id).fatalities == 3  # type: ignore[union-attr]
    history = reviews.history(event_id)
    assert [(h.field, h.old, h.new, h.user, h.note) for h in history] == [
        ("fatalities", 3, 4, "rana", "hospital list")
    ]


def test_corrections_are_validated(store: Store, event_id: str) -> None:
    reviews = Reviews(store)
    with pytest.raises(InputError, match="invalid value for fatalities"):
        reviews.correct(event_id, {"fatalities": -2}, user="rana")
    with pytest.raises(InputError, match="cannot edit report_id"):
        reviews.correct(event_id, {"report_id": "x"}, user="rana")
    with pytest.raises(InputError, match="is not a sub-event type of 'Battles'"):
        reviews.correct(event_id, {"event_type": "Battles"}, user="rana")
    with pytest.raises(NotFoundError, match="no event 'nope'"):
        reviews.correct("nope", {"fatalities": 1}, user="rana")
    assert reviews.history(event_id) == []


def test_associated_actors_are_corrected_and_audited(store: Store, event_id: str) -> None:
    reviews = Reviews(store)
    reviews.correct(
        event_id,
        {"assoc_actor_2": "Displaced persons; Medics (Syria) ;displaced persons; ;Medics (Syria)"},
        user="rana",
        note="named in the second paragraph",
    )
    event = store.get_event(event_id)
    assert event is not None and event.actor2 is not None
    assert event.actor2.associated == ["Displaced persons", "Medics (Syria)", "displaced persons"]
    assert event.acled_row()["assoc_actor_2"] == (
        "Displaced persons; Medics (Syria); displaced persons"
    )
    reviews.correct(event_id, {"assoc_actor_2": ["Medics (Syria)"]}, user="omar")
    reviews.correct(event_id, {"assoc_actor_2": None}, user="omar", note="not involved")
    original = store.get_original_event(event_id)
    assert original is not None and original.actor2 is not None
    assert original.actor2.associated == []
    history = [(h.field, h.old, h.new, h.user) for h in reviews.history(event_id)]
    assert history == [
        (
            "assoc_actor_2",
            [],
            ["Displaced persons", "Medics (Syria)", "displaced persons"],
            "rana",
        ),
        (
            "assoc_actor_2",
            ["Displaced persons", "Medics (Syria)", "displaced persons"],
            ["Medics (Syria)"],
            "omar",
        ),
        ("assoc_actor_2", ["Medics (Syria)"], [], "omar"),
    ]
    with pytest.raises(InputError, match="give actor1 to create one before setting assoc_actor_1"):
        reviews.correct(event_id, {"assoc_actor_1": "Chechen fighters"}, user="rana")
    with pytest.raises(InputError, match="invalid value for actor2.associated"):
        reviews.correct(event_id, {"assoc_actor_2": 7}, user="rana")
    fixed = reviews.correct(
        event_id,
        {"actor1": "Islamic State (Syria)", "inter1": 2, "assoc_actor_1": "Chechen fighters"},
        user="rana",
    )
    assert fixed.actor1 is not None and fixed.actor1.associated == ["Chechen fighters"]


def test_attribution_source_and_notes_are_corrected_and_cleared(
    store: Store, event_id: str
) -> None:
    reviews = Reviews(store)
    reviews.correct(
        event_id,
        {"attribution": "Syrian Civil Defence", "source": "SANA", "notes": "Three killed."},
        user="rana",
    )
    reviews.correct(event_id, {"notes": None, "source": None}, user="rana", note="unsourced")
    event = store.get_event(event_id)
    assert event is not None
    assert (event.attribution, event.source, event.notes) == ("Syrian Civil Defence", None, "")
    history = [(h.field, h.old, h.new) for h in reviews.history(event_id)]
    assert history == [
        ("attribution", None, "Syrian Civil Defence"),
        ("source", None, "SANA"),
        ("notes", "", "Three killed."),
        ("notes", "Three killed.", ""),
        ("source", "SANA", None),
    ]


def test_correction_can_create_a_missing_actor() -> None:
    event = Event(event_type="Battles", sub_event_type="Armed clash")
    with pytest.raises(InputError, match="give actor1"):
        corrected(event, {"inter1": 2})
    fixed = corrected(event, {"actor1": "Hayat Tahrir al-Sham", "inter1": 2})
    assert fixed.actor1 is not None and (fixed.actor1.name, fixed.actor1.inter) == (
        "Hayat Tahrir al-Sham",
        2,
    )


def test_review_status_is_recorded_and_audited(store: Store, event_id: str) -> None:
    reviews = Reviews(store)
    assert reviews.review(event_id).status == "unreviewed"
    reviews.set_review(event_id, "verified", user="rana", note="two sources agree")
    review = reviews.review(event_id)
    assert (review.status, review.note, review.reviewer) == (
        "verified",
        "two sources agree",
        "rana",
    )
    assert [(h.field, h.old, h.new) for h in reviews.history(event_id)] == [
        ("review_status", "unreviewed", "verified")
    ]


def test_source_contact_is_encrypted_at_rest(store: Store, event_id: str) -> None:
    report_id = event_id.rsplit("-", 1)[0]
    reviews = Reviews(store, SourceCipher(KEY))
    reviews.set_source_contact(report_id, "Abu Karim, +963 955 000 111")
    with store.engine.connect() as connection:
        raw = connection.execute(text("SELECT contact_encrypted FROM report_sources")).scalar_one()
    assert "Abu Karim" not in raw and "955" not in raw
    assert reviews.source_contact(report_id) == "Abu Karim, +963 955 000 111"
    with pytest.raises(SourceProtectionError, match="SITREP_SECRET_KEY differs"):
        Reviews(store, SourceCipher(KEY + "!")).source_contact(report_id)


def test_source_contact_without_a_key_is_refused_and_not_stored(
    store: Store, event_id: str
) -> None:
    report_id = event_id.rsplit("-", 1)[0]
    reviews = Reviews(store)
    with pytest.raises(SourceProtectionError, match="set SITREP_SECRET_KEY") as raised:
        reviews.set_source_contact(report_id, "Abu Karim")
    assert "Abu Karim" not in str(raised.value)
    assert not reviews.has_source_contact(report_id)
    with pytest.raises(SourceProtectionError, match="too short"):
        SourceCipher("short")


def test_migration_creates_the_tables_as_the_models_declare_them(store: Store) -> None:
    from sqlalchemy import inspect

    from sitrep.store import Base

    inspector = inspect(store.engine)
    for table in (
        "users",
        "api_tokens",
        "web_sessions",
        "event_reviews",
        "event_audit",
        "report_sources",
    ):
        migrated = {column["name"] for column in inspector.get_columns(table)}
        declared = set(Base.metadata.tables[table].columns.keys())
        assert migrated == declared, table


def test_the_pipelines_note_follows_a_correction_and_an_analysts_note_stays() -> None:
    event = Event(
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        fatalities=3,
        place=Place(location="Douma", country="Syria", admin1="Rural Damascus"),
    )
    event.notes = note_for(event)
    assert "3 killed" in event.notes
    fixed = corrected(event, {"fatalities": 5})
    assert "5 killed" in fixed.notes and "3 killed" not in fixed.notes
    own = corrected(event, {"notes": "Three bodies found after the shelling."})
    assert corrected(own, {"fatalities": 5}).notes == "Three bodies found after the shelling."


def test_a_regenerated_note_follows_but_only_the_analysts_change_is_audited(
    store: Store,
) -> None:
    event = Event(event_type="Battles", sub_event_type="Armed clash", fatalities=2)
    event.notes = note_for(event)
    report_id, _ = store.add_report(Report(text="Two fighters died in a clash."), events=[event])
    reviews = Reviews(store)
    after = reviews.correct(f"{report_id}-01", {"fatalities": 1}, user="rana")
    assert "1 killed" in after.notes
    fields = [(h.field, h.new) for h in reviews.history(f"{report_id}-01")]
    assert fields == [("fatalities", 1)]
