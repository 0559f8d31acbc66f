"""Who may read and write: one bearer token, compared in constant time.

No token configured refuses every write (403, saying how to enable them); a missing or
wrong token is a 401 with ``WWW-Authenticate: Bearer``. Reads are open unless the settings
make them private.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from claimledger.api.settings import TOKEN_FILE_VARIABLE, TOKEN_VARIABLE, Settings

WRITES_DISABLED = f"writes are disabled: set {TOKEN_VARIABLE} or {TOKEN_FILE_VARIABLE} and restart"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description=f"The server's token ({TOKEN_VARIABLE} or {TOKEN_FILE_VARIABLE}), "
    "sent as 'Authorization: Bearer <token>'.",
)


def settings_of(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def token_matches(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> bool:
    if settings.token is None or credentials is None:
        return False
    return hmac.compare_digest(
        credentials.credentials.encode("utf-8"), settings.token.encode("utf-8")
    )


def _check(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    if settings.token is None:
        raise HTTPException(403, WRITES_DISABLED)
    if credentials is None:
        raise HTTPException(
            401,
            "this needs the server's token: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="claimledger"'},
        )
    if not token_matches(settings, credentials):
        raise HTTPException(
            401,
            "the token is not the server's token; check the Authorization header",
            headers={"WWW-Authenticate": 'Bearer realm="claimledger", error="invalid_token"'},
        )


Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def require_write(request: Request, credentials: Credentials) -> None:
    """A dependency for every endpoint that changes the ledger."""
    _check(settings_of(request), credentials)


def require_read(request: Request, credentials: Credentials) -> None:
    """A dependency for reads when the settings make them private."""
    settings = settings_of(request)
    if settings.private_reads:
        _check(settings, credentials)


def require_analysis(request: Request, credentials: Credentials) -> None:
    """A dependency for analysis on demand, open unless the settings make it (or all
    reads) private: analysis is the costliest thing an anonymous client can ask for."""
    settings = settings_of(request)
    if settings.private_analysis or settings.private_reads:
        _check(settings, credentials)


def may_read(request: Request, credentials: HTTPAuthorizationCredentials | None) -> bool:
    """Whether this request may see ledger data (for endpoints open to all, like health)."""
    settings = settings_of(request)
    return not settings.private_reads or token_matches(settings, credentials)
