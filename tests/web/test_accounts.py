"""A user changes their own password (API and page), an admin or script sets one with
`sitrep users password`, and admins read the account audit (API, page, CLI)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.web.conftest import PASSWORD, Workspace
from typer.testing import CliRunner

from sitrep.cli.app import app
from sitrep.store import Store
from sitrep.store.accounts import Accounts

runner = CliRunner()
NEW = "a new passphrase for me"


def test_a_user_changes_their_own_password_through_the_api(workspace: Workspace) -> None:
    viewer = workspace.client("viewer")
    wrong = viewer.post(
        "/api/account/password", json={"current_password": "a guess", "new_password": NEW}
    )
    assert wrong.status_code == 422 and "current password is wrong" in wrong.json()["detail"]
    weak = viewer.post(
        "/api/account/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert weak.status_code == 422 and "too short" in weak.json()["detail"]
    changed = viewer.post(
        "/api/account/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert changed.status_code == 200 and changed.json()["name"] == "viewer"
    accounts = Accounts(workspace.store)
    assert accounts.authenticate("viewer", NEW) is not None
    assert accounts.authenticate("viewer", PASSWORD) is None


def test_wrong_current_passwords_are_throttled_like_logins(workspace: Workspace) -> None:
    viewer = workspace.client("viewer")
    for _ in range(5):
        viewer.post(
            "/api/account/password", json={"current_password": "a guess", "new_password": NEW}
        )
    refused = viewer.post(
        "/api/account/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_the_account_page_changes_the_password_and_ends_the_session(
    workspace: Workspace,
) -> None:
    browser, csrf = workspace.browser("analyst")
    page = browser.get("/account")
    assert page.status_code == 200 and "Change your password" in page.text
    form = {"csrf_token": csrf, "current_password": PASSWORD, "new_password": NEW}
    differ = browser.post("/account/password", data={**form, "new_password_again": "other"})
    assert differ.status_code == 422 and "two new passwords differ" in differ.text
    done = browser.post(
        "/account/password", data={**form, "new_password_again": NEW}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert browser.get("/api/events").status_code == 401  # the session ended
    assert Accounts(workspace.store).authenticate("analyst", NEW) is not None


def test_admins_read_the_account_audit(workspace: Workspace) -> None:
    admin = workspace.client("admin")
    added = admin.post(
        "/api/users", json={"name": "Noor", "role": "viewer", "password": "noor's passphrase"}
    )
    assert added.status_code == 201 and added.json()["name"] == "noor"
    admin.patch("/api/users/NOOR", json={"role": "analyst"})
    token = admin.post("/api/tokens", json={"user": "noor", "label": "import"}).json()
    [listed] = [t for t in admin.get("/api/tokens").json() if t["user"] == "noor"]
    admin.delete(f"/api/tokens/{listed['token_id']}")
    records = admin.get("/api/audit").json()
    assert [(r["action"], r["actor"], r["subject"]) for r in records[:4]] == [
        ("token.revoked", "admin", f"token {listed['token_id']} of noor"),
        ("token.created", "admin", f"token {listed['token_id']} of noor"),
        ("user.role_changed", "admin", "noor"),
        ("user.created", "admin", "noor"),
    ]
    assert token["token"] not in str(records) and "passphrase" not in str(records)
    assert workspace.client("analyst").get("/api/audit").status_code == 403
    assert admin.get("/api/audit", params={"limit": 0}).status_code == 422
    browser, _ = workspace.browser("admin")
    page = browser.get("/users").text
    assert (
        "Account audit" in page and "user.role_changed" in page and "viewer -&gt; analyst" in page
    )


def test_users_password_asks_twice_or_reads_stdin(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(db) as store:
        Accounts(store).add_user("layla", "analyst", "a good password")
    typo = runner.invoke(
        app, ["users", "password", "Layla", "--db", db], input=f"{NEW}\nanother one\n{NEW}\n{NEW}\n"
    )
    assert typo.exit_code == 0, typo.output
    assert "do not match" in typo.output and "password of layla changed" in typo.output
    weak = runner.invoke(
        app, ["users", "password", "layla", "--stdin", "--db", db], input="password1234\n"
    )
    assert weak.exit_code == 1 and "too easy to guess" in weak.output
    scripted = runner.invoke(
        app, ["users", "password", "layla", "--stdin", "--db", db], input="from a script, long\n"
    )
    assert scripted.exit_code == 0, scripted.output
    with Store(db) as store:
        assert Accounts(store).authenticate("layla", "from a script, long") is not None
    audit = runner.invoke(app, ["users", "audit", "--db", db])
    assert audit.exit_code == 0
    lines = audit.output.splitlines()
    assert re.search(r"user\.password_changed\s+layla\s+by .*\(cli\)", lines[0]), lines
    assert "user.created" in lines[-1]
