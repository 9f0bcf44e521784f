"""Login throttling: failures counted per user name and per client address, checked before
any password is hashed, and a bound on the argon2 work running at once.

The counts live in the database (`login_failures`, store/server_state.py), so every
`sitrep serve` worker process sees the same counts and the limits hold however many
workers there are. Each failure costs one small write; failures pass through the bounded
password checks first, so a flood of wrong passwords cannot turn into a flood of writes.
The bound on password checks is per process: each worker runs at most
`concurrent_checks` at once.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sitrep.errors import SitrepError
from sitrep.store.server_state import LoginFailures, ThrottleKind, utc_now


class TooManyAttempts(SitrepError):
    """Logins for this name or from this address failed too often: wait `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many failed logins: wait {retry_after} s before trying again "
            "(an admin can reset a forgotten password with `sitrep users password NAME`)"
        )
        self.retry_after = retry_after


class PasswordCheckBusy(SitrepError):
    """Every slot for checking a password is taken: the server is under a burst of logins."""


@dataclass(frozen=True)
class ThrottlePolicy:
    #: Failures within `window` after which a name is refused for a while.
    per_user: int = 5
    #: The same for an address: higher, since one office may share an address.
    per_address: int = 20
    window: float = 15 * 60
    #: The first refusal lasts this long; each further failure doubles it, up to `window`.
    first_delay: float = 30.0
    #: Password checks (argon2) running at once; others wait up to `wait` seconds.
    concurrent_checks: int = 2
    wait: float = 10.0


class LoginThrottle:
    """Counts failed logins; `check` says whether a new attempt may even be verified."""

    def __init__(
        self,
        failures: LoginFailures,
        policy: ThrottlePolicy | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.policy = policy or ThrottlePolicy()
        self._failures = failures
        self._clock = clock
        self._checks = threading.BoundedSemaphore(self.policy.concurrent_checks)

    def check(self, user: str, address: str) -> None:
        """Raise TooManyAttempts if this name or address must wait; cheap, no hashing."""
        now = self._clock()
        longest = max(
            self._wait("user", user, self.policy.per_user, now),
            self._wait("address", address, self.policy.per_address, now),
        )
        if longest > 0:
            raise TooManyAttempts(math.ceil(longest))

    def failed(self, user: str, address: str) -> None:
        now = self._clock()
        self._failures.add(user, address, at=now, forget_before=now - self._window)

    def succeeded(self, user: str) -> None:
        """A right password clears the name's count (not the address's: a guesser with an
        account of their own must not wipe their address's record by logging in)."""
        self._failures.clear("user", user)

    @contextmanager
    def password_check(self) -> Iterator[None]:
        """Hold one of the few slots for argon2 work; PasswordCheckBusy if none frees up."""
        if not self._checks.acquire(timeout=self.policy.wait):
            raise PasswordCheckBusy(
                "the server is busy checking other logins: try again in a few seconds"
            )
        try:
            yield
        finally:
            self._checks.release()

    @property
    def _window(self) -> timedelta:
        return timedelta(seconds=self.policy.window)

    def _wait(self, kind: ThrottleKind, value: str, limit: int, now: datetime) -> float:
        recent = self._failures.since(kind, value, now - self._window)
        if len(recent) < limit:
            return 0.0
        delay = min(self.policy.first_delay * 2 ** (len(recent) - limit), self.policy.window)
        return max(0.0, (recent[-1] - now).total_seconds() + delay)
