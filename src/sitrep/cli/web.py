"""`sitrep serve`, `sitrep users add|list|role|remove|password|audit` and `sitrep tokens
create|list|revoke`: the analyst workspace.

Changes made here are audited as made by the operating-system user, "NAME (cli)"."""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from sitrep.cli._operator import operator_name
from sitrep.errors import InputError, SitrepError
from sitrep.store import DEFAULT_DB_URL

if TYPE_CHECKING:  # the store is imported when a command runs, keeping `--help` quick
    from fastapi import FastAPI

    from sitrep.store.accounts import Accounts

DbOption = Annotated[str, typer.Option("--db", help="SQLAlchemy database URL.", envvar="SITREP_DB")]

#: Passwords never come from the command line, where `ps` and the shell history show them.
StdinOption = typer.Option(
    "--stdin", help="Read the password from the first line of stdin (for scripts)."
)

#: How long a worker process may take to answer its supervisor before it is restarted.
WORKER_HEALTHCHECK_SECONDS = 60
#: How often a worker looks whether its supervisor is still there.
ORPHAN_CHECK_SECONDS = 1.0

users_app = typer.Typer(help="Manage the workspace's users.", no_args_is_help=True)
tokens_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


def serve(
    db: DbOption = DEFAULT_DB_URL,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Worker processes answering requests (each loads the models; about one per "
            "core). They share everything through the database.",
        ),
    ] = 1,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Send session cookies over plain HTTP to a non-loopback host (behind a "
            "TLS proxy only).",
        ),
    ] = False,
) -> None:
    """Serve the REST API (/docs) and the web pages over the database."""
    import uvicorn

    from sitrep.web import Settings, create_app

    try:
        settings = Settings(db=db, cookie_secure=not insecure_cookies)
        if workers > 1:
            _check_shared_database(settings.db)
        # With several workers this app only checks what each will build (a wrong setting
        # is one line here, not workers failing and restarting in a loop) and creates or
        # upgrades the schema once, before they open it together.
        app = create_app(settings)
    except SitrepError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    processes = f" with {workers} worker processes" if workers > 1 else ""
    typer.echo(f"sitrep serving {db} on http://{host}:{port}{processes} (API docs at /docs)")
    if not insecure_cookies and not _is_loopback(host):
        typer.echo(
            "note: session cookies are Secure, so browsers send them over HTTPS only: put a "
            "TLS proxy in front, or pass --insecure-cookies on a trusted network",
            err=True,
        )
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="info")
        return
    app.state.services.store.close()
    # Each worker process builds its own app with `create_app()`, which reads its Settings
    # from SITREP_* variables: the options given here reach the workers that way.
    os.environ["SITREP_DB"] = settings.db
    os.environ["SITREP_COOKIE_SECURE"] = str(settings.cookie_secure).lower()
    uvicorn.run(
        "sitrep.cli.web:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # A worker imports the pipeline before it can answer the supervisor's health pings:
        # on a busy machine that takes longer than uvicorn's default of 5 s.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        log_level="info",
    )


def worker_app() -> FastAPI:
    """The app of one `sitrep serve --workers N` process, with its settings from SITREP_*
    variables. The worker stops itself when its supervisor dies, so a `serve` killed with
    SIGKILL (which it cannot pass on) leaves no worker behind."""
    from sitrep.web import create_app

    threading.Thread(
        target=_stop_when_orphaned,
        args=(os.getppid(),),
        name="sitrep-supervisor-watch",
        daemon=True,
    ).start()
    return create_app()


def _stop_when_orphaned(supervisor: int) -> None:
    while os.getppid() == supervisor:  # an orphan is handed to another parent
        time.sleep(ORPHAN_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own graceful shutdown


def _check_shared_database(url: str) -> None:
    """Several workers need one database they all open: not an in-memory SQLite one."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # the store says what is wrong with it
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise InputError(
            f"--workers needs a database every worker opens, and {url} is in memory (one per "
            "process): give a file (sqlite:///sitrep.db) or a PostgreSQL URL, or serve with "
            "--workers 1"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def _accounts(db: str) -> Iterator[Accounts]:
    """The accounts of the database; any error ends the command with one line and exit 1."""
    from sitrep.store import Store
    from sitrep.store.accounts import Accounts

    try:
        with Store(db) as store:
            yield Accounts(store)
    except SitrepError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error


def _new_password(prompt: str, *, stdin: bool) -> str:
    """The password typed twice (hidden), or the first line of stdin with --stdin."""
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "viewer",
    stdin: Annotated[bool, StdinOption] = False,
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Add a user with a role: viewer (read), analyst (ingest, edit, review), admin. The
    password is asked twice, never taken from the command line (--stdin for scripts)."""
    password = _new_password(f"Password for {name}", stdin=stdin)
    with _accounts(db) as accounts:
        user = accounts.add_user(name, role, password, by=operator_name())
    typer.echo(f"added {user.name} ({user.role})")


@users_app.command("list")
def list_users(db: DbOption = DEFAULT_DB_URL) -> None:
    """List the users and their roles."""
    with _accounts(db) as accounts:
        users = accounts.list_users()
    if not users:
        typer.echo("no users: add one with `sitrep users add NAME --role admin`")
    for user in users:
        typer.echo(f"{user.name:<20}  {user.role}")


@users_app.command("role")
def set_role(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Argument(help="viewer, analyst or admin.")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Change a user's role; it applies from their next request (the last admin stays one)."""
    with _accounts(db) as accounts:
        user = accounts.set_role(name, role, by=operator_name())
    typer.echo(f"{user.name} is now {user.role}")


@users_app.command("remove")
def remove_user(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Remove a user, their API tokens and sessions (the audit trail keeps their name)."""
    with _accounts(db) as accounts:
        accounts.remove_user(name, by=operator_name())
    typer.echo(f"removed {name}")


@users_app.command("password")
def set_password(
    name: Annotated[str, typer.Argument(help="Login name.")],
    stdin: Annotated[bool, StdinOption] = False,
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Set a user's password: asked twice, never taken from the command line (--stdin for
    scripts). At least 12 characters, not a common password; the user's browser sessions
    end. Users restored from a backup need this before they can log in."""
    password = _new_password(f"New password for {name}", stdin=stdin)
    with _accounts(db) as accounts:
        user = accounts.set_password(name, password, by=operator_name())
    typer.echo(f"password of {user.name} changed")


@users_app.command("audit")
def show_audit(
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="How many records.")] = 50,
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Who changed which user, role, password, API token or source contact, newest first."""
    from sitrep.store.audit import account_audit

    with _accounts(db) as accounts:
        records = account_audit(accounts.store, limit=limit)
    if not records:
        typer.echo("nothing recorded yet")
    for entry in records:
        typer.echo(entry.line())


@tokens_app.command("create")
def create_token(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[
        str | None, typer.Option(help="What the token is for, shown by `tokens list`.")
    ] = None,
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Create an API token for a user and print it (only its hash is kept: copy it now)."""
    with _accounts(db) as accounts:
        token = accounts.create_token(name, label, by=operator_name())
    typer.echo(token)


@tokens_app.command("list")
def list_tokens(
    user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """List API tokens: id, user, creation time and label (never the secret, which is not
    kept)."""
    with _accounts(db) as accounts:
        tokens = accounts.list_tokens(user)
    if not tokens:
        typer.echo("no API tokens" + (f" for {user}" if user else ""))
        return
    typer.echo(f"{'id':>5}  {'user':<20}  {'created (UTC)':<19}  label")
    for token in tokens:
        created = token.created_at.strftime("%Y-%m-%d %H:%M:%S")
        typer.echo(f"{token.token_id:>5}  {token.user:<20}  {created}  {token.label or ''}")


@tokens_app.command("revoke")
def revoke_tokens(
    name: Annotated[str, typer.Argument(help="The user whose tokens to revoke.")],
    token_id: Annotated[
        int | None,
        typer.Option("--id", help="Revoke only this token (its id in `sitrep tokens list`)."),
    ] = None,
    db: DbOption = DEFAULT_DB_URL,
) -> None:
    """Revoke a user's API tokens (all of them, or one with --id): they stop working at once."""
    with _accounts(db) as accounts:
        revoked = accounts.revoke_tokens(name, token_id=token_id, by=operator_name())
    typer.echo(f"revoked {revoked} token{'' if revoked == 1 else 's'} of {name}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `sitrep` app."""
    app.command()(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
