"""The API's endpoints under /api/v1: reads of the ledger, analysis, and the two writes
(posting a document, rating a claim).

Reads are plain functions, which FastAPI runs in its thread pool (the ledger is
synchronous); the endpoints that read a body are async and hand analysis and storage to
the thread pool, since spaCy is CPU-bound. Writes are serialised by one lock so that
storing and reconciling never race each other.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from importlib import metadata
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from claimledger.api import inputs
from claimledger.api.analysis import queue_of
from claimledger.api.auth import bearer, may_read, require_analysis, require_write, settings_of
from claimledger.api.models import (
    Analysis,
    AttributionPage,
    ClaimDetail,
    ClaimPage,
    DocumentDetail,
    DocumentPage,
    EntityPage,
    FigurePage,
    Health,
    Problem,
    Provenance,
    RatingIn,
    RatingOut,
    RelationPage,
    StoredDocument,
    TimelinePage,
)
from claimledger.api.problems import ApiJSONResponse
from claimledger.codec import to_plain
from claimledger.errors import InputError, LedgerError
from claimledger.ledger import ClaimQuery, Ledger, Rating, browse
from claimledger.ledger import reads as ledger_reads
from claimledger.ledger.changes import parse_since
from claimledger.ledger.reconcile import RelationKind
from claimledger.ledger.writes import Stored
from claimledger.records import Analysis as AnalysisRecord
from claimledger.records import Certainty, EntityKind, Measure

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Past this an offset is no page anyone reads, and SQLite's integers end not much later.
MAX_OFFSET = 1_000_000_000
MAX_QUERY_CHARS = 500
# NUL is refused in query text: PostgreSQL cannot store or compare it.
NO_NUL = r"^[^\x00]*$"

reads = APIRouter()
writes = APIRouter()
open_reads = APIRouter()

logger = logging.getLogger("claimledger.api")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "The request cannot be carried out (the message says why).",
        401: "The token is missing or wrong.",
        403: "Writes are disabled: no token is configured on the server.",
        404: "Not in the ledger.",
        413: "The request body is over the server's limit.",
        415: "The body is not in an accepted format.",
        422: "The request is not valid (the errors say which field), or the article "
        "cannot be analysed.",
        503: "The ledger or the language model is not available.",
    }
    return {s: {"model": Problem, "description": described[s]} for s in statuses}


# --- shared pieces ---------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int

    def page(self, items: list[Any], total: int) -> dict[str, Any]:
        return {"items": items, "total": total, "limit": self.limit, "offset": self.offset}

    def slice(self, items: list[Any]) -> dict[str, Any]:
        return self.page(items[self.offset : self.offset + self.limit], len(items))


def paging(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"items per page (1..{MAX_LIMIT})")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(paging)]


def text_query(description: str) -> Any:
    return Query(max_length=MAX_QUERY_CHARS, pattern=NO_NUL, description=description)


def ledger_of(request: Request) -> Ledger:
    ledger = getattr(request.app.state, "ledger", None)
    if not isinstance(ledger, Ledger):
        raise RuntimeError("the API's ledger is not open: run the app with its lifespan")
    return ledger


LedgerDep = Annotated[Ledger, Depends(ledger_of)]


def _version() -> str:
    try:
        return metadata.version("claimledger")
    except metadata.PackageNotFoundError:
        return "0+unknown"


VERSION = _version()

DocumentId = Annotated[str, Path(max_length=MAX_QUERY_CHARS, description="a document id")]
ClaimId = Annotated[str, Path(max_length=MAX_QUERY_CHARS, description="a claim id: c1, c2 ...")]


def _document(ledger: Ledger, document_id: str) -> ledger_reads.DocumentDetail:
    found = ledger.document(document_id)
    if found is None:
        raise HTTPException(404, f"no document {document_id} in the ledger")
    return found


def _claim(ledger: Ledger, document_id: str, claim_id: str) -> ledger_reads.ClaimDetail:
    found = ledger.claim(document_id, claim_id)
    if found is None:
        raise HTTPException(404, f"no claim {document_id}/{claim_id} in the ledger")
    return found


# --- health ----------------------------------------------------------------------------


@open_reads.get(
    "/health",
    response_model=Health,
    response_class=ApiJSONResponse,
    responses=problem_responses(503),
    summary="Whether the server can reach its ledger",
    description="Open to all. The row counts are left out when reads are private and the "
    "request has no valid token.",
)
async def health(request: Request) -> dict[str, Any]:
    ledger = ledger_of(request)
    try:
        counts = await run_in_threadpool(ledger.counts)
    except sa.exc.SQLAlchemyError as exc:
        # the driver's message can name hosts and users: logged, never sent
        logger.warning("health check: the ledger cannot be reached: %s", exc)
        raise HTTPException(503, "the ledger database cannot be reached") from exc
    credentials = await bearer(request)
    return {
        "status": "ok",
        "version": VERSION,
        "database": ledger.dialect,
        "counts": counts if may_read(request, credentials) else None,
    }


# --- documents -------------------------------------------------------------------------


@reads.get(
    "/documents",
    response_model=DocumentPage,
    response_class=ApiJSONResponse,
    summary="Stored documents, newest publication first",
)
def list_documents(
    ledger: LedgerDep,
    page: PagingDep,
    q: Annotated[str | None, text_query("keep documents whose text has all these words")] = None,
) -> dict[str, Any]:
    items = ledger.documents(words=q, limit=page.limit, offset=page.offset)
    return page.page([d.to_json() for d in items], ledger.count_documents(words=q))


@reads.get(
    "/documents/{document_id}",
    name="document",
    response_model=DocumentDetail,
    response_class=ApiJSONResponse,
    responses=problem_responses(404),
    summary="One document whole: text, entities, attributions and claims",
)
def get_document(ledger: LedgerDep, document_id: DocumentId) -> dict[str, Any]:
    return _document(ledger, document_id).to_json()


@reads.get(
    "/documents/{document_id}/attributions",
    response_model=AttributionPage,
    response_class=ApiJSONResponse,
    responses=problem_responses(404),
    summary="A document's attributions, in document order",
)
def list_attributions(
    ledger: LedgerDep, page: PagingDep, document_id: DocumentId
) -> dict[str, Any]:
    attributions = _document(ledger, document_id).attributions
    return page.slice([to_plain(a) for a in attributions])


# --- claims ----------------------------------------------------------------------------


@reads.get(
    "/claims",
    response_model=ClaimPage,
    response_class=ApiJSONResponse,
    summary="Stored claims, oldest first",
    description="Every filter given must match. `subject` and `source` match parts of the "
    "subject key and the source's name, case-insensitively; `since` keeps claims whose time "
    "(else publication date) ends on or after it, `until` those that start on or before it.",
)
def list_claims(
    ledger: LedgerDep,
    page: PagingDep,
    subject: Annotated[str | None, text_query("part of the subject: 'korean soldiers'")] = None,
    measure: Annotated[Measure | None, Query(description="what happened to it")] = None,
    source: Annotated[str | None, text_query("part of the source's name")] = None,
    since: Annotated[dt.date | None, Query(description="YYYY-MM-DD")] = None,
    until: Annotated[dt.date | None, Query(description="YYYY-MM-DD")] = None,
    certainty: Annotated[Certainty | None, Query()] = None,
    document: Annotated[str | None, text_query("a document id")] = None,
    q: Annotated[str | None, text_query("keep claims whose statement has all these words")] = None,
) -> dict[str, Any]:
    query = ClaimQuery(
        subject=subject,
        measures=(measure,) if measure else (),
        source=source,
        since=since,
        until=until,
        certainty=certainty,
        document=document,
    )
    if q is not None:
        wanted = set(ledger.search_claims(q))
        matching = [
            c.to_json() for c in ledger.find_claims(query) if (c.document, c.claim.id) in wanted
        ]
        return page.slice(matching)
    items = ledger.find_claims(query, limit=page.limit, offset=page.offset)
    return page.page([c.to_json() for c in items], ledger.count_claims(query))


@reads.get(
    "/claims/{document_id}/{claim_id}",
    response_model=ClaimDetail,
    response_class=ApiJSONResponse,
    responses=problem_responses(404),
    summary="One claim, with its rating if it has one",
)
def get_claim(ledger: LedgerDep, document_id: DocumentId, claim_id: ClaimId) -> dict[str, Any]:
    return _claim(ledger, document_id, claim_id).to_json()


@reads.get(
    "/claims/{document_id}/{claim_id}/rating",
    response_model=RatingOut,
    response_class=ApiJSONResponse,
    responses=problem_responses(404),
    summary="A claim's rating",
)
def get_rating(ledger: LedgerDep, document_id: DocumentId, claim_id: ClaimId) -> dict[str, Any]:
    rating = _claim(ledger, document_id, claim_id).rating
    if rating is None:
        raise HTTPException(404, f"claim {document_id}/{claim_id} has no rating")
    return rating.to_json()


# --- the reconciled ledger -------------------------------------------------------------


@reads.get(
    "/entities",
    response_model=EntityPage,
    response_class=ApiJSONResponse,
    summary="Sources and carriers across the ledger, most claims first",
)
def list_entities(
    ledger: LedgerDep,
    page: PagingDep,
    q: Annotated[str | None, text_query("part of the name or an alias")] = None,
    kind: Annotated[EntityKind | None, Query()] = None,
) -> dict[str, Any]:
    rows = ledger.sources()
    if kind is not None:
        rows = [r for r in rows if r.kind == kind]
    if q:
        needle = q.casefold()
        rows = [r for r in rows if any(needle in name.casefold() for name in [r.name, *r.aliases])]
    return page.slice([r.to_json() for r in rows])


@reads.get(
    "/figures",
    response_model=FigurePage,
    response_class=ApiJSONResponse,
    summary="Claim groups: corroborating figures with their claims and independent roots",
)
def list_figures(
    ledger: LedgerDep,
    page: PagingDep,
    subject: Annotated[str | None, text_query("part of the subject")] = None,
    measure: Annotated[Measure | None, Query()] = None,
    claims_per_figure: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="list at most this many claims of each")
    ] = 20,
) -> dict[str, Any]:
    items = ledger.figures(
        subject=subject,
        measure=measure,
        limit=page.limit,
        offset=page.offset,
        max_claims=claims_per_figure,
    )
    total = ledger.count_figures(subject=subject, measure=measure)
    return page.page([f.to_json() for f in items], total)


@reads.get(
    "/relations",
    response_model=RelationPage,
    response_class=ApiJSONResponse,
    summary="How claims relate (corroborates, compatible, conflicts, updates), with reasons",
)
def list_relations(
    ledger: LedgerDep,
    page: PagingDep,
    kind: Annotated[RelationKind | None, Query()] = None,
    subject: Annotated[str | None, text_query("part of the subject")] = None,
) -> dict[str, Any]:
    items = ledger.relations(kind=kind, subject=subject, limit=page.limit, offset=page.offset)
    total = ledger.count_relations(kind=kind, subject=subject)
    return page.page([r.to_json() for r in items], total)


@reads.get(
    "/conflicts",
    response_model=RelationPage,
    response_class=ApiJSONResponse,
    summary="Claims that cannot both be true, with reasons",
)
def list_conflicts(
    ledger: LedgerDep,
    page: PagingDep,
    subject: Annotated[str | None, text_query("part of the subject")] = None,
    new_since: Annotated[
        str | None,
        text_query(
            "only the conflicts the ledger found at or after this time (its change log, "
            "/changes): ISO 8601 (2026-12-07T06:00:00Z; no zone means UTC) or a duration "
            "ago (90m, 2h, 1d)"
        ),
    ] = None,
) -> dict[str, Any]:
    if new_since is not None:
        try:
            moment = parse_since(new_since)
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None
        new = browse.new_conflicts(ledger, moment)
        found = [r for r in ledger.conflicts(subject=subject) if new.at(r) is not None]
        shown = found[page.offset : page.offset + page.limit]
        return page.page([r.to_json() for r in shown], len(found))
    items = ledger.conflicts(subject=subject, limit=page.limit, offset=page.offset)
    total = ledger.count_relations(kind="conflicts", subject=subject)
    return page.page([r.to_json() for r in items], total)


@reads.get(
    "/timeline",
    response_model=TimelinePage,
    response_class=ApiJSONResponse,
    summary="Dated count figures about a subject, oldest first",
)
def timeline(
    ledger: LedgerDep,
    page: PagingDep,
    subject: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, pattern=NO_NUL)],
    measure: Annotated[
        list[Measure] | None, Query(description="repeat to keep several; default: all")
    ] = None,
) -> dict[str, Any]:
    points = ledger.timeline(ClaimQuery(subject=subject, measures=tuple(measure or ())))
    return page.slice([p.to_json() for p in points])


@reads.get(
    "/provenance",
    response_model=Provenance,
    response_class=ApiJSONResponse,
    summary="How statements reached the ledger: a graph, root source first",
    description="One graph, not paged: its edges name its nodes, so a part of it would "
    "not be readable.",
)
def provenance(
    ledger: LedgerDep,
    subject: Annotated[str | None, text_query("keep statements with claims about it")] = None,
) -> dict[str, Any]:
    return ledger.provenance(subject=subject).to_json()


# --- analysis and writes ---------------------------------------------------------------

ARTICLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/DocumentIn"}},
            "multipart/form-data": {"schema": {"$ref": "#/components/schemas/DocumentUpload"}},
        },
    }
}

RATING_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RatingIn"}}},
    }
}


def _analyze(request: Request, given: inputs.PostedArticle) -> AnalysisRecord:
    """Parse and analyse a posted article; the caller runs this in the analysis queue."""
    # imported here: the read endpoints never load spaCy
    from claimledger.extract import analyze

    posted = given.load()
    lock: threading.Lock = request.app.state.analysis_lock
    # spaCy pipelines are not documented as thread-safe; one analysis at a time (the
    # queue already runs one at a time; the lock also covers a caller without it).
    with lock:
        return analyze(
            posted.text,
            published=posted.published,
            url=posted.url,
            outlet=posted.outlet,
            title=posted.title,
            path=posted.path,
            format=posted.format,
            profile=settings_of(request).profile,
            gazetteer=request.app.state.gazetteer,
        )


async def _analysed(request: Request) -> AnalysisRecord:
    settings = settings_of(request)
    posted = await inputs.article(request, settings.max_body_bytes, settings.max_analyze_chars)
    return await queue_of(request).run(request, lambda: _analyze(request, posted))


@open_reads.post(
    "/analyze",
    response_model=Analysis,
    response_class=ApiJSONResponse,
    responses=problem_responses(401, 413, 415, 422, 503),
    openapi_extra=ARTICLE_BODY,
    summary="Analyse an article without storing it",
    description="JSON with `text` or `html` and metadata, or a multipart upload of a .txt "
    "or .html file (field `file`) with the metadata as form fields. Open to all unless the "
    "server makes analysis private; one analysis runs at a time, a few wait, and beyond "
    "that the answer is 503 with Retry-After. An article over the server's character "
    "limit (100,000 by default) is a 413.",
    dependencies=[Depends(require_analysis)],
)
async def analyze_document(request: Request) -> dict[str, Any]:
    return (await _analysed(request)).to_json()


def _store(request: Request, result: AnalysisRecord) -> Stored:
    ledger = ledger_of(request)
    lock: threading.Lock = request.app.state.write_lock
    with lock:
        return ledger.store_analysis(result)


def _reconcile(request: Request) -> bool:
    """Before the answer: the ledger's figures and relations include what was written
    (an incremental reconcile re-derives only the subjects its claims are in). Another
    process holding the ledger past the busy timeout leaves it to the next read."""
    ledger = ledger_of(request)
    lock: threading.Lock = request.app.state.write_lock
    try:
        with lock:
            ledger.catch_up()
    except LedgerError as exc:
        logger.warning("reconcile after a write left for the next read: %s", exc)
        return False
    return True


@writes.post(
    "/documents",
    status_code=201,
    response_model=StoredDocument,
    response_class=ApiJSONResponse,
    responses={
        200: {"model": StoredDocument, "description": "It was already stored (analysed again)."},
        **problem_responses(401, 403, 413, 415, 422, 503),
    },
    openapi_extra=ARTICLE_BODY,
    summary="Analyse an article and store it in the ledger",
    description="Idempotent: the document id is the hash of its text, so posting it again "
    "answers 200 instead of 201 and stores no second copy. The answer comes once the "
    "article is stored and the ledger reconciled (incrementally: only the subjects its "
    "claims are in), so the conflicts it makes are there for the next read.",
    dependencies=[Depends(require_write)],
)
async def post_document(request: Request, response: Response) -> dict[str, Any]:
    result = await _analysed(request)
    stored = await run_in_threadpool(_store, request, result)
    reconciled = await run_in_threadpool(_reconcile, request)
    # A relative reference (RFC 9110 allows it): nothing taken from the Host header.
    location = request.url_for("document", document_id=stored.document_id).path
    response.status_code = 201 if stored.new else 200
    response.headers["Location"] = location
    return {
        "id": stored.document_id,
        "new": stored.new,
        "duplicate_of": stored.duplicate_of,
        "similarity": stored.similarity,
        "claims": len(result.claims),
        "attributions": len(result.attributions),
        "location": location,
        "reconciled": reconciled,
    }


def _delete(request: Request, document_id: str) -> bool:
    ledger = ledger_of(request)
    lock: threading.Lock = request.app.state.write_lock
    with lock:
        return ledger.delete(document_id)


@writes.delete(
    "/documents/{document_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403, 404),
    summary="Delete a stored article and everything read from it",
    description="In one transaction: its claims, attributions, entities, ratings and "
    "near-copy links; the answer comes once the ledger is reconciled without it.",
    dependencies=[Depends(require_write)],
)
async def delete_document(
    request: Request,
    document_id: DocumentId,
) -> Response:
    if not await run_in_threadpool(_delete, request, document_id):
        raise HTTPException(404, f"no document {document_id} in this ledger")
    await run_in_threadpool(_reconcile, request)
    return Response(status_code=204)


def _rate(
    request: Request, document_id: str, claim_id: str, given: RatingIn
) -> tuple[Rating, bool]:
    ledger = ledger_of(request)
    lock: threading.Lock = request.app.state.write_lock
    with lock:
        earlier = _claim(ledger, document_id, claim_id).rating
        rating = Rating(
            document=document_id,
            claim=claim_id,
            verdict=given.verdict.strip(),
            value=given.value,
            reviewer=given.reviewer.strip(),
            reviewed=given.reviewed,
            url=given.url,
            note=given.note,
        )
        ledger.rate(rating)
    return rating, earlier is None


@writes.post(
    "/claims/{document_id}/{claim_id}/rating",
    status_code=201,
    response_model=RatingOut,
    response_class=ApiJSONResponse,
    responses={
        200: {"model": RatingOut, "description": "It replaced the claim's earlier rating."},
        **problem_responses(401, 403, 404, 413, 415, 422),
    },
    openapi_extra=RATING_BODY,
    summary="Rate a claim (a fact-checker's verdict); replaces an earlier rating",
    dependencies=[Depends(require_write)],
)
async def rate_claim(
    request: Request, response: Response, document_id: DocumentId, claim_id: ClaimId
) -> dict[str, Any]:
    given = await inputs.json_body(request, RatingIn)
    rating, new = await run_in_threadpool(_rate, request, document_id, claim_id, given)
    response.status_code = 201 if new else 200
    return rating.to_json()
