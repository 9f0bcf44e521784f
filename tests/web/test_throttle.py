"""Login throttling: per name and per address, asked before any password is hashed, with a
growing delay, counted in the database so every server worker shares the counts; and the
bound on password checks running at once."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.web.conftest import PASSWORD, Workspace

from sitrep.store import Store
from sitrep.store.server_state import LoginFailureRow, LoginFailures
from sitrep.web._throttle import LoginThrottle, PasswordCheckBusy, ThrottlePolicy, TooManyAttempts


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 12, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def failures(db_url: str) -> Iterator[LoginFailures]:
    with Store(db_url) as store:
        yield LoginFailures(store)


def test_five_failures_lock_the_name_with_a_doubling_delay(failures: LoginFailures) -> None:
    clock = Clock()
    throttle = LoginThrottle(failures, ThrottlePolicy(per_user=5, first_delay=30), clock)
    for _ in range(4):
        throttle.failed("rana", "10.0.0.1")
    throttle.check("rana", "10.0.0.1")  # four failures: still allowed
    throttle.failed("rana", "10.0.0.1")
    with pytest.raises(TooManyAttempts) as first:
        throttle.check("rana", "10.0.0.2")  # another address does not help
    assert first.value.retry_after == 30
    throttle.check("omar", "10.0.0.2")  # other names are not affected
    clock.advance(31)
    throttle.check("rana", "10.0.0.1")
    throttle.failed("rana", "10.0.0.1")
    with pytest.raises(TooManyAttempts) as second:
        throttle.check("rana", "10.0.0.1")
    assert second.value.retry_after == 60


def test_failures_older_than_the_window_are_forgotten_and_deleted(
    failures: LoginFailures,
) -> None:
    clock = Clock()
    throttle = LoginThrottle(failures, ThrottlePolicy(per_user=2, window=900), clock)
    throttle.failed("rana", "a")
    clock.advance(901)
    throttle.failed("rana", "a")
    throttle.check("rana", "a")
    with failures._store.session() as session:  # the expired failure's rows are gone
        assert session.scalar(select(func.count()).select_from(LoginFailureRow)) == 2


def test_a_success_clears_the_name_but_not_the_address(failures: LoginFailures) -> None:
    throttle = LoginThrottle(failures, ThrottlePolicy(per_user=3, per_address=3), Clock())
    for name in ("rana", "rana", "omar"):
        throttle.failed(name, "10.0.0.9")
    throttle.succeeded("rana")
    throttle.check("rana", "10.0.0.8")
    with pytest.raises(TooManyAttempts):
        throttle.check("rana", "10.0.0.9")  # that address guessed three times


def test_counts_are_shared_by_every_throttle_on_the_database(db_url: str) -> None:
    """Two server workers: each has its own store and throttle over one database."""
    clock = Clock()
    policy = ThrottlePolicy(per_user=4)
    with Store(db_url) as one, Store(db_url) as other:
        first = LoginThrottle(LoginFailures(one), policy, clock)
        second = LoginThrottle(LoginFailures(other), policy, clock)
        for throttle in (first, second, first, second):
            throttle.failed("rana", "10.0.0.1")
        with pytest.raises(TooManyAttempts):
            first.check("rana", "10.0.0.1")
        with pytest.raises(TooManyAttempts):
            second.check("rana", "10.0.0.1")
        second.succeeded("rana")
        first.check("rana", "10.0.0.3")


def test_typed_names_are_not_stored(failures: LoginFailures) -> None:
    """People type passwords into the name field: only a hash of what is counted is kept."""
    LoginThrottle(failures, clock=Clock()).failed("my secret password", "10.0.0.1")
    with failures._store.session() as session:
        keys = set(session.scalars(select(LoginFailureRow.key_sha256)))
    assert len(keys) == 2 and all(re.fullmatch("[0-9a-f]{64}", key) for key in keys)


def test_password_checks_beyond_the_bound_wait_then_give_up(failures: LoginFailures) -> None:
    throttle = LoginThrottle(failures, ThrottlePolicy(concurrent_checks=1, wait=0.05))
    with throttle.password_check(), pytest.raises(PasswordCheckBusy), throttle.password_check():
        pass
    with throttle.password_check():  # released again
        pass


def _login(client: TestClient, name: str, password: str) -> object:
    form = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text)
    assert token is not None
    return client.post(
        "/login",
        data={"name": name, "password": password, "login_csrf": token.group(1)},
        follow_redirects=False,
    )


def test_login_is_refused_with_429_before_any_hashing(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = workspace.app.state.services
    checked: list[str] = []
    authenticate = services.accounts.authenticate

    def counting(name: str, password: str) -> object:
        checked.append(name)
        return authenticate(name, password)

    monkeypatch.setattr(services.accounts, "authenticate", counting)
    client = workspace.client()
    for _ in range(5):
        assert _login(client, "analyst", "not the password").status_code == 401  # type: ignore[attr-defined]
    refused = _login(client, "Analyst", PASSWORD)  # the right password, the same user
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert int(refused.headers["Retry-After"]) >= 1  # type: ignore[attr-defined]
    assert "too many failed logins" in refused.text.lower()  # type: ignore[attr-defined]
    assert len(checked) == 5  # the sixth attempt hashed nothing
    assert _login(client, "viewer", PASSWORD).status_code == 303  # type: ignore[attr-defined]


def test_a_right_password_resets_the_count(workspace: Workspace) -> None:
    client = workspace.client()
    for _ in range(4):
        _login(client, "admin", "not the password")
    assert _login(client, "admin", PASSWORD).status_code == 303  # type: ignore[attr-defined]
    for _ in range(4):
        assert _login(client, "admin", "not the password").status_code == 401  # type: ignore[attr-defined]


def test_the_address_limit_covers_guesses_across_names(workspace_with) -> None:  # type: ignore[no-untyped-def]
    built = workspace_with(login_failures_per_address=3, login_failures_per_user=50)
    client = built.client()
    for name in ("viewer", "analyst", "nobody"):
        assert _login(client, name, "wrong password 1").status_code == 401  # type: ignore[attr-defined]
    assert _login(client, "admin", PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_concurrent_logins_share_a_bounded_number_of_hashing_slots(workspace: Workspace) -> None:
    services = workspace.app.state.services
    inside = 0
    most = 0
    lock = threading.Lock()
    authenticate = services.accounts.authenticate

    def watched(name: str, password: str) -> object:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        try:
            return authenticate(name, password)
        finally:
            with lock:
                inside -= 1

    services.accounts.authenticate = watched  # type: ignore[method-assign]
    threads = [
        threading.Thread(target=_login, args=(workspace.client(), "viewer", PASSWORD))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= most <= services.throttle.policy.concurrent_checks
