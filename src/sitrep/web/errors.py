"""The one place where errors become HTTP answers.

API paths get JSON `{"detail": message}`; pages get a small HTML page with the message, or
a redirect to the login page. Request validation errors are answered without the submitted
values, so nothing a client sent (a confidential source contact among them) is echoed back.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep.errors import InputError, ParseError, SitrepError, StoreError
from sitrep.link.store import LinkConflict
from sitrep.store.review import ConflictError, NotFoundError, SourceProtectionError
from sitrep.web._ingest import ContactNotAllowed
from sitrep.web._throttle import PasswordCheckBusy, TooManyAttempts
from sitrep.web.deps import NotAuthenticated, get_services

#: The status code of each deliberate error; the most specific class listed wins.
STATUS_OF_ERROR: dict[type[SitrepError], int] = {
    NotFoundError: status.HTTP_404_NOT_FOUND,
    ContactNotAllowed: status.HTTP_403_FORBIDDEN,
    TooManyAttempts: status.HTTP_429_TOO_MANY_REQUESTS,
    PasswordCheckBusy: status.HTTP_503_SERVICE_UNAVAILABLE,
    ConflictError: status.HTTP_409_CONFLICT,
    LinkConflict: status.HTTP_409_CONFLICT,
    InputError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    ParseError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    SourceProtectionError: status.HTTP_422_UNPROCESSABLE_CONTENT,
    StoreError: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def status_for(error: SitrepError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_OF_ERROR:
            return STATUS_OF_ERROR[cls]
    return status.HTTP_500_INTERNAL_SERVER_ERROR


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/health"


def error_response(request: Request, code: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=code)
    templates = get_services(request).templates
    return templates.TemplateResponse(
        request, "error.html", {"code": code, "message": message}, status_code=code
    )


async def handle_sitrep_error(request: Request, error: SitrepError) -> Response:
    if isinstance(error, ConflictError) and wants_json(request):
        # What is stored now, so a client can show it beside its own changes.
        return JSONResponse(
            {
                "detail": str(error),
                "version": error.version,
                "current": error.current.model_dump(mode="json"),
            },
            status_code=status.HTTP_409_CONFLICT,
        )
    response = error_response(request, status_for(error), str(error))
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    elif isinstance(error, PasswordCheckBusy):
        response.headers["Retry-After"] = "5"
    return response


async def handle_http_error(request: Request, error: StarletteHTTPException) -> Response:
    response = error_response(request, error.status_code, str(error.detail))
    if error.headers:
        response.headers.update(error.headers)
    return response


async def handle_not_authenticated(request: Request, error: NotAuthenticated) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"detail": str(error)},
            status_code=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status.HTTP_303_SEE_OTHER)


async def handle_validation_error(request: Request, error: RequestValidationError) -> Response:
    problems = [
        f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
        for problem in error.errors()
    ]
    return error_response(
        request, status.HTTP_422_UNPROCESSABLE_CONTENT, "invalid request: " + "; ".join(problems)
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SitrepError, handle_sitrep_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, handle_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(NotAuthenticated, handle_not_authenticated)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, handle_validation_error)  # type: ignore[arg-type]
