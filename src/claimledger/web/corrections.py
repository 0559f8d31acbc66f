"""A fact-checker's corrections in the web UI: the list of them (who, when, why), and the
forms that store or remove one (claimledger.ledger.corrections).

A write needs the API's token, typed into the form (app.js keeps it in the tab's
sessionStorage to fill the next form, never in a cookie): a page on another site cannot
submit a correction, since it cannot know the token, and a form posted from elsewhere is
refused by its Origin too. With no token configured, writes are refused, as in the API.
"""

from __future__ import annotations

import hmac
import threading
from collections import defaultdict
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from claimledger.errors import LedgerError
from claimledger.ledger.corrections import ACTIONS, ClaimKey, Correction, CorrectionError
from claimledger.ledger.store import Ledger
from claimledger.web.views import MEASURES, SECURITY_HEADERS, claim_key, error_page, page

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

MAX_FIELD_CHARS = 2_000
WRITES_DISABLED = (
    "Corrections need the server's write token, and this server has none: set "
    "CLAIMLEDGER_TOKEN (or CLAIMLEDGER_TOKEN_FILE) and restart `claimledger serve`."
)
ACTION_WORDS = {
    "merge_sources": "merge sources",
    "split_sources": "split sources",
    "merge_subjects": "merge subjects",
    "set_measure": "fix a measure",
    "set_subject": "fix a subject",
    "dismiss": "dismiss a relation",
}


def _ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def claim_refs(ledger: Ledger, corrections: list[Correction]) -> dict[ClaimKey, str]:
    """The current "DOCUMENT/CLAIM" of each claim the corrections name, where it is still
    in the ledger."""
    wanted = defaultdict(set)
    for c in corrections:
        for key in c.claims:
            wanted[key.document].add(key)
    found: dict[ClaimKey, str] = {}
    for document_id, keys in wanted.items():
        detail = ledger.document(document_id)
        if detail is None:
            continue
        for claim in detail.claims:
            key = claim_key(document_id, claim)
            if key in keys:
                found[key] = f"{document_id}/{claim.id}"
    return found


@router.get("/corrections")
def corrections_page(request: Request) -> Response:
    ledger = _ledger(request)
    corrections = ledger.corrections()
    settings = getattr(request.app.state, "settings", None)
    return page(
        request,
        "corrections.html",
        {
            "title": "Corrections",
            "nav": "corrections",
            "corrections": list(reversed(corrections)),
            "refs": claim_refs(ledger, corrections),
            "action_words": ACTION_WORDS,
            "writes": getattr(settings, "token", None) is not None,
            "measures": MEASURES,
            "next_url": "/corrections",
            "sources": sorted({s.name for s in ledger.sources()}),
            "subjects": sorted({g.subject for g in ledger.claim_groups() if g.subject}),
        },
    )


def _same_origin(request: Request) -> bool:
    """A form posted from a page of this server: its Origin (sent by every current
    browser on a POST), where there is one, names this host."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _check_token(request: Request, given: str) -> Response | None:
    settings = getattr(request.app.state, "settings", None)
    token = getattr(settings, "token", None)
    if token is None:
        return error_page(request, 403, "Writes are disabled", WRITES_DISABLED)
    if not given:
        return error_page(
            request, 401, "The token is missing", "Type the server's write token into the form."
        )
    if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        return error_page(
            request,
            401,
            "Wrong token",
            "The token is not the server's write token; nothing was changed.",
        )
    return None


def _next_url(value: str) -> str:
    """Where to go after a write: a path on this site, never another site."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/corrections"


async def _form(request: Request) -> dict[str, str] | Response:
    if not _same_origin(request):
        return error_page(
            request, 403, "Refused", "A correction can only be posted from this site's pages."
        )
    try:
        form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_FIELD_CHARS * 4)
    except (HTTPException, MultiPartException):
        return error_page(request, 400, "Bad request", "The form could not be read.")
    fields = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    too_long = [k for k, v in fields.items() if len(v) > MAX_FIELD_CHARS]
    if too_long:
        return error_page(
            request,
            400,
            "Bad request",
            f"The field {too_long[0]!r} is longer than {MAX_FIELD_CHARS:,} characters.",
        )
    refused = _check_token(request, fields.get("token", ""))
    return refused if refused is not None else fields


def _lock(request: Request) -> threading.Lock:
    lock = getattr(request.app.state, "write_lock", None)
    return lock if lock is not None else _WRITE_LOCK


_WRITE_LOCK = threading.Lock()


@router.post("/corrections")
async def add_correction(request: Request) -> Response:
    fields = await _form(request)
    if isinstance(fields, Response):
        return fields
    action = fields.get("action", "")
    if action not in ACTIONS:
        return error_page(
            request,
            400,
            "Bad request",
            f"The value {action!r} of 'action' cannot be used: use one of {', '.join(ACTIONS)}.",
        )
    names = tuple(n for n in (fields.get("name_a", ""), fields.get("name_b", "")) if n)
    refs = tuple(r for r in (fields.get("claim_a", ""), fields.get("claim_b", "")) if r)
    value = fields.get("value") or None
    if action == "set_measure" and value not in MEASURES:
        return error_page(
            request,
            400,
            "Bad request",
            f"The value {value!r} of 'value' cannot be used: give one of {', '.join(MEASURES)}.",
        )
    ledger = _ledger(request)

    def store() -> Response | None:
        with _lock(request):
            try:
                keys = tuple(ledger.claim_key(ref) for ref in refs)
            except LedgerError as exc:
                return error_page(request, 404, "No such claim", str(exc))
            correction = Correction(
                action,
                names=names,
                claims=keys,
                value=value,
                note=fields.get("note") or None,
                reviewer=fields.get("reviewer") or None,
            )
            try:
                ledger.correct(correction)
            except CorrectionError as exc:
                return error_page(request, 400, "Bad request", f"{exc}.")
        return None

    failed = await run_in_threadpool(store)
    if failed is not None:
        return failed
    return RedirectResponse(
        _next_url(fields.get("next", "")), status_code=303, headers=SECURITY_HEADERS
    )


@router.post("/corrections/{correction_id}/remove")
async def remove_correction(request: Request, correction_id: int) -> Response:
    fields = await _form(request)
    if isinstance(fields, Response):
        return fields
    ledger = _ledger(request)

    def remove() -> Response | None:
        with _lock(request):
            try:
                ledger.uncorrect(correction_id)
            except LedgerError as exc:
                return error_page(request, 404, "No such correction", str(exc))
        return None

    failed = await run_in_threadpool(remove)
    if failed is not None:
        return failed
    return RedirectResponse(
        _next_url(fields.get("next", "")), status_code=303, headers=SECURITY_HEADERS
    )
