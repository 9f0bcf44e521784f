"""A request body larger than the upload limit is refused before it is read.

Pure ASGI (Starlette's BaseHTTPMiddleware would read the body first): a declared
Content-Length over the limit is answered 413 at once; a body sent without one (chunked)
is counted as it streams in and cut off with 413 the moment it passes the limit. Every
route is covered, JSON included.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Room for the form fields and multipart boundaries around an upload of the largest size.
ENVELOPE_BYTES = 64 * 1024


class BodyTooLarge(Exception):
    """The body streamed in so far is already over the limit."""


class BodySizeLimit:
    """Refuse request bodies over `limit` bytes (plus the envelope) with 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit + ENVELOPE_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except* BodyTooLarge:  # raised through the app's task groups, so maybe in a group
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        detail = (
            f"the request body is larger than {self.limit - ENVELOPE_BYTES:,} bytes: split the "
            "report, or raise SITREP_MAX_UPLOAD_BYTES"
        )
        body = json.dumps({"detail": detail}).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
