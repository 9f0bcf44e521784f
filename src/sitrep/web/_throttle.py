"""Login throttling: failures counted per user name and per client address, checked before
any password is hashed, and a bound on the argon2 work running at once.

The counts live in memory, in the `LoginThrottle` the app object holds (not in the
database): a burst of wrong passwords then costs the database nothing, and a restart
forgets the counts, which at worst grants an attacker one more round of attempts. With
several `sitrep serve` worker processes each counts on its own, so the limits multiply by
the number of workers; the delay still doubles with each further failure.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sitrep.errors import SitrepError


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


@dataclass
class _Failures:
    times: list[float] = field(default_factory=list)


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
    #: Names and addresses tracked at most, so a flood of invented names cannot fill memory.
    max_keys: int = 100_000


class LoginThrottle:
    """Counts failed logins; `check` says whether a new attempt may even be verified."""

    def __init__(
        self, policy: ThrottlePolicy | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], _Failures] = {}
        self._checks = threading.BoundedSemaphore(self.policy.concurrent_checks)

    def check(self, user: str, address: str) -> None:
        """Raise TooManyAttempts if this name or address must wait; cheap, no hashing."""
        now = self._clock()
        with self._lock:
            waits = [
                self._wait(("user", user), self.policy.per_user, now),
                self._wait(("address", address), self.policy.per_address, now),
            ]
        longest = max(waits)
        if longest > 0:
            raise TooManyAttempts(math.ceil(longest))

    def failed(self, user: str, address: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= self.policy.max_keys:
                self._forget_expired(now)
            for key in (("user", user), ("address", address)):
                if key not in self._failures and len(self._failures) >= self.policy.max_keys:
                    continue  # full of live entries: the others are still counted
                entry = self._failures.setdefault(key, _Failures())
                entry.times = [t for t in entry.times if now - t < self.policy.window]
                entry.times.append(now)

    def succeeded(self, user: str) -> None:
        """A right password clears the name's count (not the address's: a guesser with an
        account of their own must not wipe their address's record by logging in)."""
        with self._lock:
            self._failures.pop(("user", user), None)

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

    def _wait(self, key: tuple[str, str], limit: int, now: float) -> float:
        entry = self._failures.get(key)
        if entry is None:
            return 0.0
        recent = [t for t in entry.times if now - t < self.policy.window]
        if len(recent) < limit:
            return 0.0
        delay = min(self.policy.first_delay * 2 ** (len(recent) - limit), self.policy.window)
        return max(0.0, recent[-1] + delay - now)

    def _forget_expired(self, now: float) -> None:
        expired = [
            key
            for key, entry in self._failures.items()
            if not entry.times or now - entry.times[-1] >= self.policy.window
        ]
        for key in expired:
            del self._failures[key]
