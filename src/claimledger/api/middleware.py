"""Pure ASGI middleware: the request body limit, NUL refused in paths and queries, and the
headers every response carries.

The body limit rejects a declared Content-Length over the limit before reading anything,
and counts a streamed (chunked) body as it arrives, stopping at the first byte over: no
body is ever held beyond the limit.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claimledger.api.problems import API_PREFIX, problem

API_CSP = b"default-src 'none'; frame-ancestors 'none'"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit; as an HTTPException
    it becomes a 413 problem wherever the app was reading the body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large(limit))


def _too_large(limit: int, size: int | None = None) -> str:
    what = f"the request body ({size:,} bytes)" if size is not None else "the request body"
    return f"{what} is over the {limit:,}-byte limit; send a smaller document"


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            response = problem(413, _too_large(self.max_bytes, declared), request=Request(scope))
            await response(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge as exc:
            # Normally answered inside the app; this catches a body read outside its handlers.
            if started:
                raise
            await problem(413, str(exc.detail), request=Request(scope))(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


class SecurityHeaders:
    """``X-Content-Type-Options: nosniff`` on every response, and on the API's a content
    security policy that lets nothing load or frame it: it only ever answers JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = str(scope.get("path", "")).startswith(API_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                replaced = (b"x-content-type-options", b"content-security-policy")
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != replaced[0] and not (is_api and name.lower() in replaced)
                ]
                headers.append((b"x-content-type-options", b"nosniff"))
                if is_api:
                    headers.append((b"content-security-policy", API_CSP))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RefuseNul:
    """A NUL character in the path (404) or the query string (422), refused before any
    endpoint sees it, for the API and the web UI alike: PostgreSQL cannot store or compare
    NUL, and no id, word or date has one, so both databases answer the same."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = bytes(scope.get("query_string", b"")).lower()
            if "\x00" in str(scope.get("path", "")):
                response = _refusal(scope, 404, "no such path: it has a NUL character")
                await response(scope, receive, send)
                return
            if b"%00" in query or b"\x00" in query:
                raw = bytes(scope.get("query_string", b"")).decode("latin-1")
                names = [k for k, v in parse_qsl(raw, keep_blank_values=True) if "\x00" in k + v]
                errors: list[dict[str, Any]] = [
                    {"type": "string_pattern_mismatch", "loc": ["query", name], "msg": "NUL"}
                    for name in names or ["?"]
                ]
                where = errors[0]["loc"][1]
                detail = f"the query parameter '{where}' has a NUL character (%00); remove it"
                response = _refusal(scope, 422, detail, errors)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refusal(
    scope: Scope, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> Response:
    if str(scope.get("path", "")).startswith(API_PREFIX):
        return problem(status, detail, request=Request(scope), errors=errors)
    return PlainTextResponse(detail, status_code=status)
