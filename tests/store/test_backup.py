"""`backup` and `restore`: a database with users, reports, events (corrected), reviews,
audits, incidents, link decisions and a source contact goes into one file and comes back
whole into an empty database, without password hashes or tokens; a non-empty database is
refused."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.web.conftest import coded_events
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.errors import InputError
from sitrep.link.store import Incidents
from sitrep.store import EventFilter, Store
from sitrep.store.accounts import Accounts
from sitrep.store.backup import backup, restore
from sitrep.store.review import Reviews, SourceCipher

KEY = "backup tests: a key of some length"
PASSWORD = "a passphrase to lose"
#: The tables a backup carries, each with the columns that order its rows.
CARRIED = {
    "users": "user_id",
    "reports": "report_id",
    "events": "event_id",
    "event_reviews": "event_id",
    "event_audit": "audit_id",
    "report_sources": "report_id",
    "account_audit": "audit_id",
    "incident_links": "event_id",
    "link_decisions": "decision_id",
}


def _fill(url: str) -> dict[str, str]:
    """A worked-on database: returns the API token created (it must not travel)."""
    with Store(url) as store:
        accounts = Accounts(store)
        accounts.add_user("amira", "admin", PASSWORD, by="root (cli)")
        accounts.add_user("rana", "analyst", PASSWORD, by="amira")
        token = accounts.create_token("rana", "import", by="amira")
        for report, events in coded_events():
            store.add_report(report, events=events)
        incidents = Incidents(store)
        incidents.link_pending()
        reviews = Reviews(store, SourceCipher(KEY))
        by_place = {e.place.location: e.event_id for e in store.query_events() if e.place}
        strike, clash = by_place["Saraqib"], by_place["Maarat al-Numan"]
        reviews.correct(strike, {"fatalities": 5}, user="rana", note="the clinic's count")
        reviews.set_review(clash, "verified", user="rana", note="two sources")
        reviews.set_source_contact(strike.rsplit("-", 1)[0], "Abu Samir, +963 1", by="amira")
        incidents.split(clash, "rana", "a different day")
    return {"token": token}


def _content(url: str) -> dict[str, list[dict[str, Any]]]:
    with Store(url) as store, store.engine.connect() as connection:
        content = {}
        for table, order in CARRIED.items():
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))
            content[table] = [dict(row) for row in rows.mappings()]
    for user in content["users"]:
        user.pop("password_hash")
    return content


@pytest.fixture
def filled(db_url: str) -> tuple[str, dict[str, str]]:
    return db_url, _fill(db_url)


def test_a_backup_restores_whole_into_an_empty_database(
    filled: tuple[str, dict[str, str]], new_database: Callable[..., str], tmp_path: Path
) -> None:
    url, secrets = filled
    file = tmp_path / "sitrep-backup.zip"
    with Store(url) as store:
        written = backup(store, file)
    assert written.rows["events"] == 4 and written.rows["users"] == 2
    assert file.stat().st_mode & 0o077 == 0  # the owner's only
    target = new_database()
    with Store(target) as store:
        restored = restore(store, file)
    assert restored.rows == written.rows
    before, after = _content(url), _content(target)
    for table in CARRIED:
        assert after[table] == before[table], table
        assert before[table], f"the fixture left {table} empty: the test would prove nothing"
    with Store(target) as store:
        [event] = store.query_events(EventFilter(search="Saraqib", min_fatalities=5))
        assert event.fatalities == 5  # the corrected value, found through the rebuilt index
        assert (
            Reviews(store, SourceCipher(KEY)).source_contact(event.report_id) == "Abu Samir, +963 1"
        )
        accounts = Accounts(store)
        assert accounts.authenticate("rana", PASSWORD) is None  # no password travels
        assert accounts.user_for_token(secrets["token"]) is None
        assert accounts.list_tokens() == []
        accounts.set_password("rana", "a new passphrase now", by="amira")
        assert accounts.authenticate("rana", "a new passphrase now") is not None
        accounts.add_user("noor", "viewer", "another passphrase", by="amira")  # ids continue


def test_the_file_holds_no_secret(filled: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    url, secrets = filled
    file = tmp_path / "b.zip"
    with Store(url) as store:
        backup(store, file)
    with zipfile.ZipFile(file) as archive:
        names = set(archive.namelist())
        everything = b"".join(archive.read(name) for name in names)
    assert "manifest.json" in names and "tables/events.jsonl" in names
    assert not {"tables/api_tokens.jsonl", "tables/web_sessions.jsonl"} & names
    assert not any(name.startswith("tables/event_search") for name in names)
    assert b"$argon2" not in everything and secrets["token"].encode() not in everything
    assert b"Abu Samir" not in everything  # the contact stays encrypted


def test_a_non_empty_database_is_refused(
    filled: tuple[str, dict[str, str]], new_database: Callable[..., str], tmp_path: Path
) -> None:
    url, _ = filled
    file = tmp_path / "b.zip"
    with Store(url) as store:
        backup(store, file)
    other = new_database()
    with Store(other) as store:
        Accounts(store).add_user("someone", "admin", PASSWORD)
        with pytest.raises(
            InputError, match=r"is not empty \(.*1 users\): restore into a new, empty"
        ):
            restore(store, file)
        assert [user.name for user in Accounts(store).list_users()] == ["someone"]


def test_bad_backup_files_are_refused_in_one_line(db_url: str, tmp_path: Path) -> None:
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("not a zip")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", '{"format": "something-else", "rows": {}}')
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(newer, "w") as archive:
        archive.writestr(
            "manifest.json", '{"format": "sitrep-backup", "version": 1, "rows": {"gadgets": 1}}'
        )
    with Store(db_url) as store:
        for file, why in (
            (not_zip, "cannot read"),
            (other, "another format"),
            (newer, "newer sitrep"),
        ):
            with pytest.raises(InputError, match=why):
                restore(store, file)


def test_the_commands(
    filled: tuple[str, dict[str, str]], new_database: Callable[..., str], tmp_path: Path
) -> None:
    url, _ = filled
    file = tmp_path / "cli.zip"
    runner = CliRunner()
    written = runner.invoke(app, ["backup", str(file), "--db", url])
    assert written.exit_code == 0, written.output
    assert "backed up" in written.output and "4 events" in written.output
    target = new_database()
    restored = runner.invoke(app, ["restore", str(file), "--db", target])
    assert restored.exit_code == 0, restored.output
    assert "restored" in restored.output and "sitrep users password NAME" in restored.output
    again = runner.invoke(app, ["restore", str(file), "--db", target])
    assert again.exit_code == 1 and "is not empty" in again.output
    assert "Traceback" not in again.output
    missing = runner.invoke(app, ["restore", str(tmp_path / "nope.zip"), "--db", target])
    assert missing.exit_code == 1 and "no backup file" in missing.output
