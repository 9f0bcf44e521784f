"""The database every store, CLI and web test runs on: SQLite, or PostgreSQL when
SITREP_TEST_DB=postgresql (`make test` runs those suites once more that way).

For PostgreSQL a throwaway server is started from Debian's packages for the session: its
own data folder, listening on a Unix socket only (no TCP port), run as the `postgres`
user when the tests run as root (PostgreSQL refuses root), stopped at the end. Each test
gets a database of its own.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

#: "sqlite" (default) or "postgresql".
TEST_DB_ENV = "SITREP_TEST_DB"
_PORT = 5432  # names the socket file inside our own folder: no clash with another server


def backend_under_test() -> str:
    backend = os.environ.get(TEST_DB_ENV, "sqlite")
    if backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"{TEST_DB_ENV}={backend!r}: use sqlite or postgresql")
    return backend


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        which = shutil.which("pg_ctl")
        if which is None:
            pytest.fail("PostgreSQL is not installed: run scripts/setup.sh --test")
        return Path(which).parent
    return Path(found[-1]).parent


def _as_server_user(command: list[str], *, check: bool = True) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=check, capture_output=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a PostgreSQL server for the session; yields the URL of its `postgres` database."""
    binaries = _postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    _as_server_user(
        [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
        + ["-E", "UTF8", "--locale=C", "--no-sync"]
    )
    # Durability is not tested here: fsync off keeps database creation per test cheap.
    options = f"-k {folder} -p {_PORT} -c listen_addresses='' -c fsync=off"
    _as_server_user(
        [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log")]
        + ["-o", options, "-w", "start"]
    )
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}&port={_PORT}"
    finally:
        stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        _as_server_user(stop, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def new_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., str]]:
    """`new_database(template=None)`: the URL of a new, empty database on the test backend
    (or a copy of `template`, a URL it returned before)."""
    if backend_under_test() == "sqlite":
        folder = tmp_path_factory.mktemp("databases")

        def new_sqlite(template: str | None = None) -> str:
            path = folder / f"{uuid.uuid4().hex}.db"
            if template is not None:
                shutil.copy(template.removeprefix("sqlite:///"), path)
            return f"sqlite:///{path}"

        yield new_sqlite
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    admin_url = server.replace("postgresql+psycopg://", "postgresql://")

    def new_postgres(template: str | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:20]}"
        copy = f" TEMPLATE {make_url(template).database}" if template else ""
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}{copy}")  # type: ignore[arg-type]
        return server.replace("/postgres?", f"/{name}?")

    yield new_postgres


@pytest.fixture
def db_url(new_database: Callable[..., str]) -> str:
    """A new, empty database on the test backend."""
    return new_database()
