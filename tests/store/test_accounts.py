"""Accounts: user names normalised, the password policy, password changes, and the account
audit of every user and token change."""

from __future__ import annotations

import re

import pytest

from sitrep.errors import InputError
from sitrep.store import Store
from sitrep.store.accounts import (
    Accounts,
    WrongPassword,
    check_password,
    normalise_user_name,
)
from sitrep.store.audit import account_audit

GOOD = "four unrelated words"


@pytest.fixture
def accounts(db_url: str) -> Accounts:
    return Accounts(Store(db_url))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Amira", "amira"),
        ("  amira\t", "amira"),
        ("ＡＭＩＲＡ", "amira"),  # full-width letters (NFKC)
        ("Straße", "strasse"),  # case folding
        ("rana.k", "rana.k"),
    ],
)
def test_names_are_normalised(typed: str, stored: str) -> None:
    assert normalise_user_name(typed) == stored


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("am\u200bira", "U+200B"),  # zero-width space (Cf)
        ("amira\u202e", "U+202E"),  # right-to-left override (Cf)
        ("am\x07ira", "U+0007"),  # control (Cc)
        ("am\u2028ira", "U+2028"),  # line separator (Zl)
        ("\ufeffamira", "U+FEFF"),  # byte order mark (Cf)
    ],
)
def test_invisible_characters_are_refused_in_one_line(name: str, code: str) -> None:
    with pytest.raises(InputError, match=re.escape(code)) as refused:
        normalise_user_name(name)
    assert "\n" not in str(refused.value) and "type the name again" in str(refused.value)


def test_names_that_normalise_the_same_are_one_user(accounts: Accounts) -> None:
    accounts.add_user("Amira", "viewer", GOOD)
    with pytest.raises(InputError, match="already exists"):
        accounts.add_user("ＡＭＩＲＡ ", "viewer", GOOD)
    assert accounts.authenticate("AMIRA", GOOD) is not None
    assert accounts.get_user(" amira") is not None
    assert accounts.set_role("Amira", "analyst", by="test").role == "analyst"
    assert [user.name for user in accounts.list_users()] == ["amira"]


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short one", "too short"),
        ("x" * 1001, "too long"),
        ("aaaaaaaaaaaaaa", "one character repeated"),
        ("Password1234", "too easy"),
        ("qwerty 123456", "too easy"),  # spaces do not hide a common one
        ("somebody-else", "too easy"),  # the user's name
    ],
)
def test_the_password_policy(password: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        check_password(password, "Somebody-Else")
    check_password("correct battery stapler", "somebody-else")


def test_the_policy_applies_when_adding_and_changing(accounts: Accounts) -> None:
    with pytest.raises(InputError, match="too short"):
        accounts.add_user("omar", "viewer", "short")
    accounts.add_user("omar", "viewer", GOOD)
    with pytest.raises(InputError, match="too easy"):
        accounts.set_password("omar", "password1234")
    with pytest.raises(WrongPassword, match="current password is wrong"):
        accounts.change_password("omar", "not my password", "a brand new passphrase")
    accounts.change_password("Omar", GOOD, "a brand new passphrase")
    assert accounts.authenticate("omar", GOOD) is None
    assert accounts.authenticate("omar", "a brand new passphrase") is not None


def test_a_new_password_ends_the_users_browser_sessions(accounts: Accounts) -> None:
    from datetime import timedelta

    user = accounts.add_user("omar", "viewer", GOOD)
    session_id, _ = accounts.start_session(user, lifetime=timedelta(hours=1))
    token = accounts.create_token("omar", "laptop")
    accounts.set_password("omar", "another fine passphrase", by="amira")
    assert accounts.get_session(session_id) is None
    assert accounts.user_for_token(token) is not None  # tokens are revoked on their own


def test_user_and_token_changes_are_audited_without_secrets(accounts: Accounts) -> None:
    accounts.add_user("amira", "admin", GOOD, by="root (cli)")
    accounts.add_user("omar", "viewer", GOOD, by="amira")
    accounts.set_role("omar", "analyst", by="amira")
    accounts.set_password("omar", "another fine passphrase", by="amira")
    token = accounts.create_token("omar", "nightly import", by="amira")
    [listed] = accounts.list_tokens("omar")
    accounts.revoke_token(listed.token_id, by="amira")
    accounts.create_token("omar", by="amira")
    accounts.revoke_tokens("omar", by="root (cli)")
    accounts.remove_user("omar", by="amira")
    records = list(reversed(account_audit(accounts.store)))
    assert [(r.action, r.actor) for r in records] == [
        ("user.created", "root (cli)"),
        ("user.created", "amira"),
        ("user.role_changed", "amira"),
        ("user.password_changed", "amira"),
        ("token.created", "amira"),
        ("token.revoked", "amira"),
        ("token.created", "amira"),
        ("token.revoked", "root (cli)"),
        ("user.removed", "amira"),
    ]
    assert records[2].detail == "viewer -> analyst"
    assert records[4].detail == "nightly import"
    assert records[5].subject == f"token {listed.token_id} of omar"
    everything = " ".join(r.model_dump_json() for r in records)
    for secret in (GOOD, "another fine passphrase", token):
        assert secret not in everything


def _database_at(url: str, revision: str, names: list[str]) -> None:
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    config = Config()
    config.set_main_option("script_location", str(files("sitrep.store") / "migrations"))
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for name in names:
            connection.execute(
                text(
                    "INSERT INTO users (name, role, password_hash, created_at) "
                    "VALUES (:name, 'viewer', 'x', '2026-11-24 10:00:00')"
                ),
                {"name": name},
            )
    engine.dispose()


def test_the_upgrade_normalises_stored_names(db_url: str) -> None:
    _database_at(db_url, "0004_i15_workspace", ["Amira ", "omar"])
    with Store(db_url) as store:
        assert [user.name for user in Accounts(store).list_users()] == ["amira", "omar"]


def test_the_upgrade_refuses_names_that_would_merge(db_url: str) -> None:
    from sitrep.errors import StoreError

    _database_at(db_url, "0004_i15_workspace", ["Amira", "amira"])
    with pytest.raises(StoreError, match="one name once normalised"):
        Store(db_url)
