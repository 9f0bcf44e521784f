"""Static files behind the login: only what the login page itself needs is public."""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from sitrep.web.deps import NotAuthenticated, identify


class LoggedInStaticFiles(StaticFiles):
    """Files served to logged-in users only, except those named in `public`."""

    def __init__(
        self, *, directory: Path, public: frozenset[str] = frozenset(), check_dir: bool = True
    ) -> None:
        super().__init__(directory=directory, check_dir=check_dir)
        self._public = public

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path not in self._public:
            request = Request(scope)
            try:
                await run_in_threadpool(identify, request, request.app.state.services)
            except NotAuthenticated as error:
                return JSONResponse({"detail": str(error)}, status_code=401)
        return await super().get_response(path, scope)
