"""The HTTP API: the ledger's documents, attributions, claims, entities, claim groups,
relations and timelines as JSON under /api/v1, with an OpenAPI document.

``create_app(Settings.from_env("ledger.sqlite"))`` gives an ASGI app for uvicorn.
"""

from claimledger.api.app import API_ROOT, OPENAPI_URL, create_app
from claimledger.api.settings import Settings

__all__ = ["API_ROOT", "OPENAPI_URL", "Settings", "create_app"]
