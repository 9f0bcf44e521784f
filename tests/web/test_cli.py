"""`sitrep users add|list|role|remove`, `sitrep tokens create|list|revoke` and the options of
`sitrep serve`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.store import Store
from sitrep.store.accounts import Accounts

runner = CliRunner()


def test_users_add_prompts_for_the_password_and_tokens_work(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    added = runner.invoke(
        app,
        ["users", "add", "layla", "--role", "analyst", "--db", db],
        input="a good password\na good password\n",
    )
    assert added.exit_code == 0, added.output
    assert "added layla (analyst)" in added.output
    created = runner.invoke(app, ["tokens", "create", "layla", "--db", db])
    assert created.exit_code == 0
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("sitrep_")
    with Store(db) as store:
        accounts = Accounts(store)
        user = accounts.user_for_token(token)
        assert user is not None and (user.name, user.role) == ("layla", "analyst")
        assert accounts.authenticate("layla", "a good password") is not None


def test_tokens_are_listed_without_secrets_and_revoked(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(db) as store:
        accounts = Accounts(store)
        accounts.add_user("layla", "analyst", "a good password")
        accounts.add_user("omar", "viewer", "a good password")
        kept = accounts.create_token("omar")
    first = runner.invoke(
        app, ["tokens", "create", "layla", "--label", "nightly import", "--db", db]
    ).output.split()[-1]
    second = runner.invoke(app, ["tokens", "create", "layla", "--db", db]).output.split()[-1]
    listed = runner.invoke(app, ["tokens", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    rows = [line.split() for line in listed.output.splitlines()[1:]]
    assert [(row[0], row[1]) for row in rows] == [("1", "omar"), ("2", "layla"), ("3", "layla")]
    assert listed.output.splitlines()[2].endswith("nightly import")
    assert all(token not in listed.output for token in (kept, first, second))
    assert "sitrep_" not in listed.output
    only_one = runner.invoke(app, ["tokens", "revoke", "layla", "--id", "3", "--db", db])
    assert only_one.exit_code == 0 and "revoked 1 token of layla" in only_one.output
    with Store(db) as store:
        accounts = Accounts(store)
        assert accounts.user_for_token(second) is None
        assert accounts.user_for_token(first) is not None
    revoked = runner.invoke(app, ["tokens", "revoke", "layla", "--db", db])
    assert revoked.exit_code == 0 and "revoked 1 token of layla" in revoked.output
    mine = runner.invoke(app, ["tokens", "list", "--user", "layla", "--db", db])
    assert mine.output.strip() == "no API tokens for layla"
    with Store(db) as store:
        accounts = Accounts(store)
        assert accounts.user_for_token(first) is None
        assert accounts.user_for_token(kept) is not None
    wrong_id = runner.invoke(app, ["tokens", "revoke", "omar", "--id", "2", "--db", db])
    assert wrong_id.exit_code == 1
    assert "error: omar has no token 2: see `sitrep tokens list --user omar`" in wrong_id.output
    ghost = runner.invoke(app, ["tokens", "revoke", "ghost", "--db", db])
    assert ghost.exit_code == 1 and "no user 'ghost'" in ghost.output


def test_cli_errors_are_one_line_with_the_way_out(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    bad_role = runner.invoke(
        app,
        ["users", "add", "x", "--role", "boss", "--stdin", "--db", db],
        input="a good password\n",
    )
    assert bad_role.exit_code == 1
    assert "error: unknown role 'boss': use one of viewer, analyst, admin" in bad_role.output
    assert "Traceback" not in bad_role.output
    no_user = runner.invoke(app, ["tokens", "create", "ghost", "--db", db])
    assert no_user.exit_code == 1
    assert "no user 'ghost': add it with `sitrep users add`" in no_user.output


def test_serve_options_are_documented() -> None:
    shown = runner.invoke(app, ["serve", "--help"], terminal_width=120)
    assert shown.exit_code == 0
    for option in ("--db", "--host", "--port", "--workers"):
        assert option in shown.output


def test_several_workers_need_a_database_they_all_open() -> None:
    refused = runner.invoke(app, ["serve", "--db", "sqlite://", "--workers", "2"])
    assert refused.exit_code == 1
    assert "--workers needs a database every worker opens" in refused.output
    assert "--workers 1" in refused.output and "Traceback" not in refused.output
    too_many = runner.invoke(app, ["serve", "--workers", "0"])
    assert too_many.exit_code == 2


def test_a_wrong_setting_stops_several_workers_before_they_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_EXTRACTOR", "no_such_module:extract")
    db = f"sqlite:///{tmp_path / 'w.db'}"
    refused = runner.invoke(app, ["serve", "--db", db, "--workers", "2"])
    assert refused.exit_code == 1
    assert refused.output.startswith("error: extractor 'no_such_module:extract' cannot be loaded")


def test_users_add_never_takes_the_password_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    given = runner.invoke(
        app, ["users", "add", "rana", "--password", "a good password", "--db", db]
    )
    assert given.exit_code == 2 and "No such option: --password" in given.output
    scripted = runner.invoke(
        app,
        ["users", "add", "rana", "--role", "admin", "--stdin", "--db", db],
        input="a good password\nignored second line\n",
    )
    assert scripted.exit_code == 0, scripted.output
    assert "a good password" not in scripted.output
    mismatched = runner.invoke(
        app, ["users", "add", "omar", "--db", db], input="a good password\nanother one\n"
    )
    assert mismatched.exit_code != 0 and "do not match" in mismatched.output.lower()
    weak = runner.invoke(app, ["users", "add", "omar", "--stdin", "--db", db], input="short\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    with Store(db) as store:
        accounts = Accounts(store)
        assert accounts.authenticate("rana", "a good password") is not None
        assert accounts.get_user("omar") is None


def test_roles_change_users_go_and_the_last_admin_stays(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(db) as store:
        accounts = Accounts(store)
        accounts.add_user("amira", "admin", "a good password")
        accounts.add_user("omar", "viewer", "a good password")
        token = accounts.create_token("omar")
    promoted = runner.invoke(app, ["users", "role", "omar", "analyst", "--db", db])
    assert promoted.exit_code == 0 and "omar is now analyst" in promoted.output
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert [line.split() for line in listed.output.splitlines()] == [
        ["amira", "admin"],
        ["omar", "analyst"],
    ]
    with Store(db) as store:
        user = Accounts(store).user_for_token(token)
        assert user is not None and user.role == "analyst"

    last_admin = runner.invoke(app, ["users", "role", "amira", "viewer", "--db", db])
    assert last_admin.exit_code == 1 and "amira is the last admin" in last_admin.output
    assert runner.invoke(app, ["users", "remove", "amira", "--db", db]).exit_code == 1
    unknown = runner.invoke(app, ["users", "role", "omar", "boss", "--db", db])
    assert unknown.exit_code == 1 and "unknown role 'boss'" in unknown.output

    removed = runner.invoke(app, ["users", "remove", "omar", "--db", db])
    assert removed.exit_code == 0 and "removed omar" in removed.output
    with Store(db) as store:
        accounts = Accounts(store)
        assert accounts.user_for_token(token) is None
        assert accounts.get_user("omar") is None
    again = runner.invoke(app, ["users", "remove", "omar", "--db", db])
    assert again.exit_code == 1 and "no user 'omar'" in again.output
