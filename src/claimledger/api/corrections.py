"""The API's corrections: a fact-checker's merges, splits, measure and subject fixes and
dismissed relations (claimledger.ledger.corrections). Reading them is open like every
read; storing or removing one needs the write token.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from claimledger.api import inputs
from claimledger.api.auth import require_write
from claimledger.api.models import MAX_LABEL_CHARS, MAX_NOTE_CHARS
from claimledger.api.problems import ApiJSONResponse
from claimledger.api.routes import PagingDep, ledger_of, problem_responses
from claimledger.errors import LedgerError
from claimledger.ledger.corrections import ACTIONS, Correction, CorrectionError
from claimledger.render.export import correction_json

reads = APIRouter()
writes = APIRouter()

MAX_REF_CHARS = 100


class CorrectionIn(BaseModel):
    """A correction to store. ``names``: two sources (merge_sources, split_sources) or a
    subject and the subject it joins (merge_subjects). ``claims``: claim references
    ("DOCUMENT/CLAIM") — one for set_measure and set_subject, whose ``value`` is the
    corrected measure or subject, two for dismiss."""

    model_config = ConfigDict(extra="forbid")

    action: Literal[ACTIONS]  # type: ignore[valid-type]
    names: list[Annotated[str, Field(min_length=1, max_length=MAX_LABEL_CHARS)]] = Field(
        default_factory=list, max_length=2
    )
    claims: list[
        Annotated[
            str, Field(min_length=3, max_length=MAX_REF_CHARS, pattern=r"^[^/\x00]+/[^/\x00]+$")
        ]
    ] = Field(default_factory=list, max_length=2, examples=[["493db561d9636d49/c4"]])
    value: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)
    reviewer: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)


class ClaimKeyOut(BaseModel):
    document: str
    start: int
    end: int
    figure: str


class CorrectionOut(BaseModel):
    """A stored correction; a claim is named by what it is (document, figure span and
    words), so the correction holds when the article is analysed again."""

    id: int
    action: str
    names: list[str]
    claims: list[ClaimKeyOut]
    value: str | None
    note: str | None
    reviewer: str | None
    created: str
    description: str


class CorrectionPage(BaseModel):
    items: list[CorrectionOut]
    total: int
    limit: int
    offset: int


@reads.get(
    "/corrections",
    response_model=CorrectionPage,
    response_class=ApiJSONResponse,
    summary="A fact-checker's corrections, the oldest first",
)
def list_corrections(request: Request, paging: PagingDep) -> dict[str, Any]:
    found = [correction_json(c) for c in ledger_of(request).corrections()]
    return paging.slice(found)


def _store(request: Request, given: CorrectionIn) -> dict[str, Any]:
    ledger = ledger_of(request)
    lock: threading.Lock = request.app.state.write_lock
    with lock:
        try:
            keys = tuple(ledger.claim_key(ref) for ref in given.claims)
        except LedgerError as exc:
            raise HTTPException(404, str(exc)) from None
        correction = Correction(
            given.action,
            names=tuple(n.strip() for n in given.names),
            claims=keys,
            value=given.value,
            note=given.note,
            reviewer=given.reviewer,
        )
        try:
            new_id = ledger.correct(correction)
        except CorrectionError as exc:
            raise HTTPException(422, str(exc)) from None
    stored = next(c for c in ledger.corrections() if c.id == new_id)
    return correction_json(stored)


@writes.post(
    "/corrections",
    status_code=201,
    response_model=CorrectionOut,
    response_class=ApiJSONResponse,
    responses=problem_responses(401, 403, 404, 413, 415, 422),
    summary="Store a correction; the next read reconciles with it",
    dependencies=[Depends(require_write)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/CorrectionIn"}}
            },
        }
    },
)
async def add_correction(request: Request) -> dict[str, Any]:
    given = await inputs.json_body(request, CorrectionIn)
    return await run_in_threadpool(_store, request, given)


def _remove(request: Request, correction_id: int) -> None:
    ledger = ledger_of(request)
    lock: threading.Lock = request.app.state.write_lock
    with lock:
        try:
            ledger.uncorrect(correction_id)
        except LedgerError as exc:
            raise HTTPException(404, str(exc)) from None


@writes.delete(
    "/corrections/{correction_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403, 404),
    summary="Remove a correction",
    dependencies=[Depends(require_write)],
)
async def remove_correction(
    request: Request,
    correction_id: Annotated[int, Path(ge=1, le=2**31 - 1, description="a correction id")],
) -> Response:
    await run_in_threadpool(_remove, request, correction_id)
    return Response(status_code=204)
