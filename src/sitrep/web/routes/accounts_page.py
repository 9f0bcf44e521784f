"""The admins' page for users and API tokens: add a user, change a role, remove a user,
create a labelled token (shown once) and revoke one, and read the account audit. The same
rules as the CLI and the API apply, from `store.accounts`: the last admin stays one.

Every user's own page (/account) changes their password (the current one required)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse

from sitrep.errors import InputError
from sitrep.store.accounts import ROLES, lookup_name
from sitrep.store.audit import account_audit
from sitrep.store.review import NotFoundError
from sitrep.web._throttle import PasswordCheckBusy, TooManyAttempts
from sitrep.web.deps import AdminDep, Principal, ServicesDep, ViewerDep, client_address
from sitrep.web.routes.auth import verified_password
from sitrep.web.routes.pages import render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    principal: Principal,
    services: ServicesDep,
    *,
    error: str | None = None,
    new_token: str | None = None,
) -> Response:
    context = {
        "users": services.accounts.list_users(),
        "tokens": services.accounts.list_tokens(),
        "audit": account_audit(services.store, limit=50),
        "roles": ROLES,
        "error": error,
        "new_token": new_token,
    }
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if error else status.HTTP_200_OK
    return render(request, services, principal, "users.html", context, status_code=code)


def _apply(
    request: Request,
    principal: Principal,
    services: ServicesDep,
    change: Callable[[], object],
    *,
    then: str = "/users",
) -> Response:
    """Make an account change, then go to `then`; a refused change shows the page with why."""
    try:
        change()
    except (InputError, NotFoundError) as refused:
        return _page(request, principal, services, error=str(refused))
    return RedirectResponse(then, status.HTTP_303_SEE_OTHER)


@router.get("/users")
def users_page(request: Request, principal: AdminDep, services: ServicesDep) -> Response:
    return _page(request, principal, services)


@router.post("/users")
def add_user_form(
    request: Request,
    principal: AdminDep,
    services: ServicesDep,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    return _apply(
        request,
        principal,
        services,
        lambda: services.accounts.add_user(name, role, password, by=principal.user.name),
    )


@router.post("/users/{name}/role")
def role_form(
    name: str,
    request: Request,
    principal: AdminDep,
    services: ServicesDep,
    role: Annotated[str, Form()],
) -> Response:
    return _apply(
        request,
        principal,
        services,
        lambda: services.accounts.set_role(name, role, by=principal.user.name),
    )


@router.post("/users/{name}/remove")
def remove_form(
    name: str, request: Request, principal: AdminDep, services: ServicesDep
) -> Response:
    # They may remove themselves.
    then = "/login" if lookup_name(name) == principal.user.name else "/users"
    return _apply(
        request,
        principal,
        services,
        lambda: services.accounts.remove_user(name, by=principal.user.name),
        then=then,
    )


@router.post("/tokens")
def create_token_form(
    request: Request,
    principal: AdminDep,
    services: ServicesDep,
    user: Annotated[str, Form()],
    label: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        token = services.accounts.create_token(user, label, by=principal.user.name)
    except InputError as refused:
        return _page(request, principal, services, error=str(refused))
    return _page(request, principal, services, new_token=token)


@router.post("/tokens/{token_id}/revoke")
def revoke_form(
    token_id: int, request: Request, principal: AdminDep, services: ServicesDep
) -> Response:
    return _apply(
        request,
        principal,
        services,
        lambda: services.accounts.revoke_token(token_id, by=principal.user.name),
    )


@router.get("/account")
def account_page(request: Request, principal: ViewerDep, services: ServicesDep) -> Response:
    return render(request, services, principal, "account.html", {"error": None})


@router.post("/account/password")
def change_password_form(
    request: Request,
    principal: ViewerDep,
    services: ServicesDep,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
    new_password_again: Annotated[str, Form()],
) -> Response:
    name = principal.user.name
    error: str | None = None
    code = status.HTTP_422_UNPROCESSABLE_CONTENT
    try:
        if new_password != new_password_again:
            raise InputError("the two new passwords differ: type the same one twice")
        if verified_password(services, name, current_password, client_address(request)) is None:
            raise InputError("the current password is wrong: type it again")
        services.accounts.set_password(name, new_password, by=name)
    except TooManyAttempts as waiting:
        error, code = str(waiting), status.HTTP_429_TOO_MANY_REQUESTS
    except PasswordCheckBusy as busy:
        error, code = str(busy), status.HTTP_503_SERVICE_UNAVAILABLE
    except InputError as refused:
        error = str(refused)
    if error is None:
        return RedirectResponse("/login", status.HTTP_303_SEE_OTHER)
    return render(request, services, principal, "account.html", {"error": error}, status_code=code)
