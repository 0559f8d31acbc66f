"""The FastAPI application: ``create_app(settings)`` wires the ledger, the endpoints, the
error handling, the body limit and the OpenAPI document together.

The ledger is opened in the app's lifespan (``app.state.ledger``) and closed at shutdown,
so an app that is created but never started touches no database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool

from claimledger.api import changes, corrections, routes
from claimledger.api.analysis import AnalysisQueue
from claimledger.api.auth import require_read
from claimledger.api.corrections import CorrectionIn
from claimledger.api.middleware import BodySizeLimit, RefuseNul, SecurityHeaders
from claimledger.api.models import DocumentIn, RatingIn
from claimledger.api.problems import PROBLEM_MEDIA_TYPE, install_handlers
from claimledger.api.settings import Settings
from claimledger.errors import LedgerBusyError
from claimledger.gazetteer import load_gazetteer
from claimledger.ledger.store import Ledger

API_ROOT = "/api/v1"
log = logging.getLogger("claimledger.api")
OPENAPI_URL = f"{API_ROOT}/openapi.json"

DESCRIPTION = """\
The claimledger ledger over HTTP: stored news articles, the attributed statements in them
(who said what, through whom, when, how sure), the figures they claim, and how those
claims relate across articles.

* Every list is paged: `limit` (1..500, default 50) and `offset`, answered as
  `{items, total, limit, offset}`.
* Writes (posting a document, rating a claim) need the server's token as
  `Authorization: Bearer <token>`; with no token configured they are refused.
* Analysis is queued: one runs at a time, a few wait, and beyond that, or while the ledger
  is locked by another writer, the answer is 503 with `Retry-After`.
* Errors are RFC 9457 problem details (`application/problem+json`).
* Article text is untrusted: the API only answers JSON, with `<`, `>` and `&` escaped.

The record fields are described in docs/schema.md; relations in docs/reconciliation.md.
"""

# The multipart form is read by hand (one endpoint takes JSON or a file), so its schema is
# written here for the OpenAPI document.
DOCUMENT_UPLOAD: dict[str, Any] = {
    "title": "DocumentUpload",
    "description": "A .txt or .html file in the field `file`, with optional metadata fields.",
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "the article file"},
        "url": {"type": "string", "maxLength": 2048},
        "outlet": {"type": "string", "maxLength": 500},
        "published": {"type": "string", "format": "date"},
        "title": {"type": "string", "maxLength": 500},
    },
    "required": ["file"],
    "additionalProperties": False,
}


class _ClaimledgerAPI(FastAPI):
    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            _refine(super().openapi())
        return self.openapi_schema or {}


def _refine(schema: dict[str, Any]) -> None:
    """Add the hand-read request bodies' schemas and give errors their problem media type."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (DocumentIn, RatingIn, CorrectionIn):
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components[model.__name__] = body
    components["DocumentUpload"] = DOCUMENT_UPLOAD
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def create_app(settings: Settings) -> FastAPI:
    """The API for ``settings``; serve it with any ASGI server (uvicorn) so that its
    lifespan runs: that is where the ledger is opened."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ledger = await run_in_threadpool(Ledger, settings.db)
        try:
            # Reconciled before the first read, so concurrent reads never race to do it;
            # a ledger another process holds past the busy timeout leaves it to a read.
            try:
                await run_in_threadpool(ledger.reconcile)
            except LedgerBusyError as exc:
                log.warning("reconcile at start left for later: %s", exc)
            app.state.ledger = ledger
            # made here, in the server's event loop, which its lock belongs to
            app.state.analysis_queue = AnalysisQueue(settings.analysis_queue)
            yield
        finally:
            app.state.ledger = None
            app.state.analysis_queue = None
            ledger.close()

    app = _ClaimledgerAPI(
        title="claimledger",
        version=routes.VERSION,
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL,
        # FastAPI's /docs and /redoc pages load Swagger UI and ReDoc from a CDN, blank
        # offline; the one PyPI bundle (swagger-ui-bundle 1.1.0, Swagger UI 4.15) cannot
        # read OpenAPI 3.1, which FastAPI writes. The document itself is the reference.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.ledger = None
    app.state.analysis_queue = None
    # read now, so a bad file stops the server before it starts; spaCy-free
    app.state.gazetteer = load_gazetteer(Path(settings.gazetteer) if settings.gazetteer else None)
    app.state.write_lock = threading.Lock()
    app.state.analysis_lock = threading.Lock()

    install_handlers(app)
    # Added last, so outermost: a 413 gets the security headers too.
    app.add_middleware(RefuseNul)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)

    validation = routes.problem_responses(422)
    app.include_router(routes.open_reads, prefix=API_ROOT, tags=["ledger"])
    if settings.private_reads:
        app.include_router(
            routes.reads,
            prefix=API_ROOT,
            tags=["ledger"],
            dependencies=[Depends(require_read)],
            responses={**validation, **routes.problem_responses(401)},
        )
    else:
        app.include_router(routes.reads, prefix=API_ROOT, tags=["ledger"], responses=validation)
    app.include_router(routes.writes, prefix=API_ROOT, tags=["writes"], responses=validation)
    # a fact-checker's corrections: read like the ledger, written with the token
    app.include_router(
        corrections.reads,
        prefix=API_ROOT,
        tags=["corrections"],
        dependencies=[Depends(require_read)] if settings.private_reads else [],
        responses=validation,
    )
    app.include_router(
        corrections.writes, prefix=API_ROOT, tags=["corrections"], responses=validation
    )
    # what changed, and the Atom feed of new conflicts: read like the ledger
    app.include_router(
        changes.reads,
        prefix=API_ROOT,
        tags=["changes"],
        dependencies=[Depends(require_read)] if settings.private_reads else [],
        responses=validation,
    )
    return app
