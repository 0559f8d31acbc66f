"""Errors as RFC 9457 problem details, and the JSON the API answers with.

Article text is untrusted, so every JSON body has ``<``, ``>`` and ``&`` escaped
(``\\u003c`` ...): a response pasted into an HTML page, or sniffed as one, cannot open a
tag. JSON readers decode the escapes back to the same text.
"""

from __future__ import annotations

import http
import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from claimledger.api.analysis import ClientGone
from claimledger.errors import (
    ClaimledgerError,
    InputError,
    LedgerBusyError,
    LedgerError,
    ModelMissingError,
)

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
NOSNIFF = {"X-Content-Type-Options": "nosniff"}

log = logging.getLogger("claimledger.api")

# JSON leaves these as they are; escaped, the text cannot form HTML or break a line.
_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def dump_json(content: Any) -> bytes:
    text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_ESCAPES).encode("utf-8")


class ApiJSONResponse(JSONResponse):
    """JSON with HTML-significant characters escaped (they can only occur in strings)."""

    def render(self, content: Any) -> bytes:
        return dump_json(content)


class ProblemResponse(ApiJSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def problem(
    status: int,
    detail: str,
    *,
    request: Request | None = None,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> ProblemResponse:
    """A problem-details response: ``type`` about:blank, ``title`` the status phrase."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
    }
    if errors is not None:
        body["errors"] = errors
    return ProblemResponse(body, status_code=status, headers={**NOSNIFF, **(headers or {})})


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not _is_api(request):
        # Pages composed into the same app (the web UI) keep their own error handling.
        return await http_exception_handler(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else http.HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such endpoint: {request.url.path}; see /api/v1/openapi.json"
    elif exc.status_code == 405 and detail == "Method Not Allowed":
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem(exc.status_code, detail, request=request, headers=exc.headers)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not _is_api(request):
        return await request_validation_exception_handler(request, exc)
    errors = [_error(e) for e in exc.errors()]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"])
    detail = f"the request is not valid: {where + ': ' if where else ''}{first['msg']}"
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more, listed in 'errors')"
    return problem(422, detail, request=request, errors=errors)


def _error(error: Any) -> dict[str, Any]:
    # The input is left out: it may be a whole article, and is the client's own anyway.
    kept = {key: error[key] for key in ("type", "loc", "msg", "ctx") if key in error}
    if "ctx" in kept:
        kept["ctx"] = {key: str(value) for key, value in kept["ctx"].items()}
    encoded: dict[str, Any] = jsonable_encoder(kept)
    return encoded


def status_for(exc: ClaimledgerError) -> int:
    """What a ClaimledgerError means over HTTP: the input cannot be analysed (422), the
    server cannot reach its ledger or model (503), or the request is wrong (400)."""
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, LedgerError | ModelMissingError):
        return 503
    return 400


async def on_claimledger_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ClaimledgerError)
    status = status_for(exc)
    if status >= 500:
        log.error("%s %s: %s", request.method, request.url.path, exc)
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    # a ledger another process holds: the same request succeeds a little later
    headers = {"Retry-After": "5"} if isinstance(exc, LedgerBusyError) else None
    return problem(status, message, request=request, headers=headers)


async def on_client_gone(request: Request, exc: Exception) -> Response:
    # The client left while its request waited: nobody reads this answer (499, as nginx
    # logs a request closed by its client).
    return Response(status_code=499)


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        "the server failed to answer this request; the error is in the server's log",
        request=request,
    )


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ClaimledgerError, on_claimledger_error)
    app.add_exception_handler(ClientGone, on_client_gone)
    app.add_exception_handler(Exception, on_unexpected_error)
