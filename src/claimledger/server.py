"""The one process behind ``claimledger serve``: the JSON API under /api/v1 and the web UI
at /, over one ledger."""

from __future__ import annotations

from fastapi import FastAPI

from claimledger import web
from claimledger.api import Settings, create_app


def build_app(settings: Settings) -> FastAPI:
    """The API app (its lifespan opens the ledger) with the web UI's pages installed. With
    private reads the UI, which has no log-in, is left out: only the API answers, and
    only to the token."""
    app = create_app(settings)
    if not settings.private_reads:
        web.install(app, profile=settings.profile)
    return app
