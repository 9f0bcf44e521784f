"""Logging in and out, the health check, changing one's own password, and the admins'
users, tokens and audit API.

The login form is protected against login CSRF by a double-submit cookie: the form's
hidden token must equal the `sitrep_login_csrf` cookie set with the form. Failed logins are
throttled per name and per address before any password is hashed (web/_throttle.py).
"""

from __future__ import annotations

import hmac
import os
import secrets
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from sitrep.store.accounts import ApiToken, User, WrongPassword, lookup_name
from sitrep.store.audit import AccountAuditRecord, account_audit
from sitrep.web._throttle import TooManyAttempts
from sitrep.web.deps import (
    SESSION_COOKIE,
    AdminDep,
    PrincipalDep,
    Services,
    ServicesDep,
    StoreDep,
    client_address,
)
from sitrep.web.schemas import PasswordChangeIn, RoleIn, TokenIn, TokenOut, UserIn

router = APIRouter(tags=["access"])

LOGIN_CSRF_COOKIE = "sitrep_login_csrf"


@router.get("/health")
def health(store: StoreDep) -> dict[str, str | int]:
    """Reachable without logging in: tells a supervisor the server is up and its database
    answers (a database that does not gives 503, through the StoreError handler), and which
    worker process answered (`sitrep serve --workers N`)."""
    store.ping()
    return {"status": "ok", "worker": os.getpid()}


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not bounce the user to another site."""
    if not target:
        return "/events"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/events"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request, services: ServicesDep, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(32)
    response = services.templates.TemplateResponse(
        request, "login.html", {"login_csrf": token, "next": _safe_next(next), "error": None}
    )
    _set_cookie(response, services.settings.cookie_secure, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    services: ServicesDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    login_csrf: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    user: User | None = None
    error = "The login form expired: try again."
    code = status.HTTP_401_UNAUTHORIZED
    headers: dict[str, str] = {}
    if expected and hmac.compare_digest(expected.encode(), login_csrf.encode()):
        try:
            user = verified_password(services, name, password, client_address(request))
            error = "Wrong name or password."
        except TooManyAttempts as waiting:
            error = str(waiting).capitalize() + "."
            code = status.HTTP_429_TOO_MANY_REQUESTS
            headers["Retry-After"] = str(waiting.retry_after)
    if user is None:
        token = secrets.token_urlsafe(32)
        refused = services.templates.TemplateResponse(
            request,
            "login.html",
            {"login_csrf": token, "next": _safe_next(next), "error": error},
            status_code=code,
            headers=headers,
        )
        _set_cookie(
            refused, services.settings.cookie_secure, LOGIN_CSRF_COOKIE, token, max_age=3600
        )
        return refused
    lifetime = timedelta(hours=services.settings.session_hours)
    session_id, _ = services.accounts.start_session(user, lifetime=lifetime)
    response = RedirectResponse(_safe_next(next), status.HTTP_303_SEE_OTHER)
    _set_cookie(
        response,
        services.settings.cookie_secure,
        SESSION_COOKIE,
        session_id,
        max_age=int(lifetime.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


def verified_password(services: Services, name: str, password: str, address: str) -> User | None:
    """The user if the password is right. The throttle is asked first, so a refused attempt
    costs no hashing; the hashing itself runs in one of a few slots (TooManyAttempts,
    PasswordCheckBusy)."""
    key = lookup_name(name)
    services.throttle.check(key, address)
    with services.throttle.password_check():
        user = services.accounts.authenticate(name, password)
    if user is None:
        services.throttle.failed(key, address)
    else:
        services.throttle.succeeded(key)
    return user


@router.post("/api/account/password", response_model=User)
def change_own_password(
    request: Request, change: PasswordChangeIn, principal: PrincipalDep, services: ServicesDep
) -> User:
    """Change your own password: the current one is required (and throttled like a login);
    the new one must follow the password policy. Your browser sessions end: log in again."""
    name = principal.user.name
    if verified_password(services, name, change.current_password, client_address(request)) is None:
        raise WrongPassword("the current password is wrong: type it again")
    return services.accounts.set_password(name, change.new_password, by=name)


@router.get("/api/audit", response_model=list[AccountAuditRecord])
def audit(
    _: AdminDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=10_000)] = 200
) -> list[AccountAuditRecord]:
    """Who changed which user, role, password, API token or source contact, newest first
    (admins only; values of secrets are never recorded)."""
    return account_audit(services.store, limit=limit)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, _: PrincipalDep, services: ServicesDep) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        services.accounts.end_session(session_id)
    response = RedirectResponse("/login", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _set_cookie(response: Response, secure: bool, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


@router.get("/api/users", response_model=list[User], tags=["access"])
def list_users(_: AdminDep, services: ServicesDep) -> list[User]:
    """Every user and role (admins only)."""
    return services.accounts.list_users()


@router.post("/api/users", response_model=User, status_code=status.HTTP_201_CREATED)
def add_user(new_user: UserIn, admin: AdminDep, services: ServicesDep) -> User:
    """Add a user with a role (admins only); the password must follow the password policy."""
    return services.accounts.add_user(
        new_user.name, new_user.role, new_user.password, by=admin.user.name
    )


@router.patch("/api/users/{name}", response_model=User)
def set_role(name: str, change: RoleIn, admin: AdminDep, services: ServicesDep) -> User:
    """Give a user another role, from their next request on; the last admin stays one
    (admins only)."""
    return services.accounts.set_role(name, change.role, by=admin.user.name)


@router.delete("/api/users/{name}", status_code=status.HTTP_204_NO_CONTENT)
def remove_user(name: str, admin: AdminDep, services: ServicesDep) -> Response:
    """Remove a user with their tokens and sessions; the audit trail keeps their name
    (admins only)."""
    services.accounts.remove_user(name, by=admin.user.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/tokens", response_model=list[ApiToken])
def list_tokens(_: AdminDep, services: ServicesDep, user: str | None = None) -> list[ApiToken]:
    """Every API token (or one `user`'s): id, user, label and creation time, never the
    secret (admins only)."""
    return services.accounts.list_tokens(user)


@router.delete("/api/tokens/{token_id}", response_model=ApiToken)
def revoke_token(token_id: int, admin: AdminDep, services: ServicesDep) -> ApiToken:
    """Revoke a token: requests carrying it are refused (401) from now on (admins only)."""
    return services.accounts.revoke_token(token_id, by=admin.user.name)


@router.post("/api/tokens", response_model=TokenOut, status_code=status.HTTP_201_CREATED)
def create_token(request_body: TokenIn, admin: AdminDep, services: ServicesDep) -> TokenOut:
    """A new API token for a user, shown once (admins only)."""
    token = services.accounts.create_token(
        request_body.user, request_body.label, by=admin.user.name
    )
    return TokenOut(user=request_body.user, label=request_body.label, token=token)
