"""The HTML pages: documents, one article with its attributions marked, the claims, the
conflicts ranked, a claim group's charts and relations, the sources and their provenance
graph, a fact-checker's corrections, and a page that analyses pasted text without storing
it. The lists' filters, facets and downloads come from :mod:`claimledger.ledger.browse`."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from claimledger.errors import ClaimledgerError
from claimledger.ledger import ClaimQuery, Ledger, browse
from claimledger.ledger.browse import (
    BrowseError,
    ClaimFilters,
    ConflictFilters,
    SourceFilters,
)
from claimledger.ledger.corrections import ClaimKey, Correction
from claimledger.ledger.reads import (
    LedgerDocumentWithText,
    RelationRow,
    SourceRow,
    TimelineRow,
)
from claimledger.ledger.reconcile import RELATION_KINDS
from claimledger.records import CERTAINTY_ORDER, Attribution, Claim, Document, Entity, Measure
from claimledger.web import visits
from claimledger.web.chart import measure_charts
from claimledger.web.graph import provenance_svg
from claimledger.web.highlight import document_highlights, highlight_text
from claimledger.web.present import FILTERS, GLOBALS, document_name, safe_url

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on a
    # form's POST, and the corrections forms check that they were posted from here. Other
    # sites still get no referrer (and links out carry rel="noreferrer").
    "Referrer-Policy": "same-origin",
}
DOCUMENTS_PER_PAGE = 20
CLAIMS_PER_PAGE = 50
CONFLICTS_PER_PAGE = 25
SOURCES_PER_PAGE = 100
# Pasted text: the parser takes up to spaCy's max_length, but one request should not
# hold a worker for long.
MAX_ANALYZE_CHARS = 100_000
MEASURES: tuple[Measure, ...] = browse.MEASURES
C = TypeVar("C", bound=str)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("claimledger.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.filters["utc_time"] = visits.utc_time
    env.filters["iso_utc"] = browse.iso_utc
    env.globals.update(GLOBALS)
    env.globals["query"] = lambda params, **changes: _query(params, **changes)
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def install(app: FastAPI, *, profile: str = "fast") -> None:
    """Add the web UI's pages to ``app`` and mount its static files at ``/static``. Pages
    read the ledger from ``app.state.ledger``; ``/analyze`` uses ``profile``. A path that
    is neither a page nor under /api answers an HTML 404 page; the API keeps its JSON
    problems."""
    from claimledger.web import corrections

    app.include_router(_router(profile))
    app.include_router(corrections.router)
    app.mount("/static", StaticFiles(packages=[("claimledger.web", "static")]), name="static")
    previous = app.exception_handlers.get(HTTPException)

    async def on_http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        path = request.url.path
        if path.startswith(("/api/", "/static/")) or exc.status_code not in (404, 405):
            if previous is not None:
                answer = previous(request, exc)
                return answer if isinstance(answer, Response) else await answer
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, exc)
        if exc.status_code == 405:
            return error_page(
                request, 405, "Not allowed", f"{request.method} is not allowed on {path}."
            )
        return error_page(request, 404, "Not found", f"There is no page at {path}.")

    app.add_exception_handler(HTTPException, on_http_exception)


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "root": request.scope.get("root_path", ""),
            "nav": None,
            "conflict_count": _conflict_count(request),
            **context,
        },
        status_code=status_code,
        headers=SECURITY_HEADERS,
    )
    return response


_page = page


def _conflict_count(request: Request) -> int | None:
    ledger: Ledger | None = getattr(request.app.state, "ledger", None)
    if ledger is None:
        return None
    try:
        return ledger.count_relations(kind="conflicts")
    except ClaimledgerError:
        return None


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    """An HTML error page: 400 names the bad value, 404 the missing page."""
    return page(request, "error.html", {"title": title, "message": message}, status_code=status)


def _bad_request(request: Request, error: BrowseError) -> Response:
    return error_page(
        request,
        400,
        "Bad request",
        f"The value {error.value!r} of {error.name!r} cannot be used: {error}.",
    )


def _ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def _not_found(request: Request, what: str) -> Response:
    return error_page(request, 404, "Not found", what)


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


def _query(params: Mapping[str, Any], **changes: Any) -> str:
    """A query string of ``params`` with ``changes`` (None removes a key); "?" alone for
    none."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged)


def _pager(params: Mapping[str, str], found: browse.Page[Any]) -> dict[str, Any]:
    number = found.number
    return {
        "page": number,
        "pages": found.pages,
        "prev": _query(params, page=number - 1 if number > 2 else None) if number > 1 else None,
        "next": _query(params, page=number + 1) if number < found.pages else None,
    }


def _download(name: str, text: str, kind: str) -> Response:
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/json"
    return Response(
        text,
        media_type=media,
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'inline; filename="{name}.{kind}"',
        },
    )


def claim_key(document: str, claim: Claim) -> ClaimKey:
    """The key a correction names ``claim`` by (claimledger.ledger.corrections)."""
    spans = claim.quantity.spans or ((0, 0),)
    return ClaimKey(document, int(spans[0][0]), int(spans[0][1]), claim.quantity.text)


def corrections_by_claim(corrections: Sequence[Correction]) -> dict[ClaimKey, list[Correction]]:
    found: dict[ClaimKey, list[Correction]] = defaultdict(list)
    for c in corrections:
        for key in c.claims:
            found[key].append(c)
    return found


def _router(profile: str) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

    @router.get("/")
    def documents(request: Request) -> Response:
        ledger = _ledger(request)
        params = _params(request)
        try:
            words = browse.text_param(params, "q")
            number = browse.page_number(params)
        except BrowseError as error:
            return _bad_request(request, error)
        total = ledger.count_documents(words=words)
        pages = max(1, -(-total // DOCUMENTS_PER_PAGE))
        if number > pages:
            return _bad_request(
                request, BrowseError("page", str(number), f"beyond the last page ({pages})")
            )
        rows = ledger.documents(
            words=words, limit=DOCUMENTS_PER_PAGE, offset=(number - 1) * DOCUMENTS_PER_PAGE
        )
        openings = browse.openings(ledger, [d.id for d in rows if not d.title])
        conflicts: dict[str, int] = defaultdict(int)
        for ref, n in browse.conflict_refs(ledger).items():
            conflicts[ref.partition("/")[0]] += n
        kept = {"q": words}
        return page(
            request,
            "documents.html",
            {
                "title": "Articles",
                "nav": "documents",
                "rows": rows,
                "names": {d.id: document_name(d, openings.get(d.id)) for d in rows},
                "urls": {d.id: safe_url(d.url) for d in rows},
                "conflicts": conflicts,
                "q": words or "",
                "total": total,
                "page": number,
                "pages": pages,
                "prev": _query(kept, page=number - 1) if number > 1 else None,
                "next": _query(kept, page=number + 1) if number < pages else None,
            },
        )

    @router.get("/documents/{document_id}")
    def document(request: Request, document_id: str) -> Response:
        ledger = _ledger(request)
        found = ledger.document(document_id)
        if found is None:
            return _not_found(request, f"No article with id {document_id} in this ledger.")
        context = _article(
            found.document, found.entities, found.attributions, found.claims, stored=True
        )
        refs = browse.conflict_refs(ledger)
        context["conflicts"] = {c.id: refs.get(f"{document_id}/{c.id}", 0) for c in found.claims}
        by_key = corrections_by_claim(ledger.corrections())
        context["corrections"] = {
            c.id: by_key.get(claim_key(document_id, c), []) for c in found.claims
        }
        context["measures"] = MEASURES
        context["url"] = safe_url(found.document.url)
        return page(request, "article.html", context)

    @router.get("/claims")
    def claims(request: Request) -> Response:
        return _claims(request, None)

    @router.get("/claims.csv")
    def claims_csv(request: Request) -> Response:
        return _claims(request, "csv")

    @router.get("/claims.json")
    def claims_json(request: Request) -> Response:
        return _claims(request, "json")

    @router.get("/conflicts")
    def conflicts(request: Request) -> Response:
        return _conflicts(request, None)

    @router.get("/conflicts.csv")
    def conflicts_csv(request: Request) -> Response:
        return _conflicts(request, "csv")

    @router.get("/conflicts.json")
    def conflicts_json(request: Request) -> Response:
        return _conflicts(request, "json")

    @router.get("/conflicts/{a_document}/{a_claim}/{b_document}/{b_claim}")
    def conflict(
        request: Request, a_document: str, a_claim: str, b_document: str, b_claim: str
    ) -> Response:
        ledger = _ledger(request)
        refs = {f"{a_document}/{a_claim}", f"{b_document}/{b_claim}"}
        # the line between the two claims' figures, whichever pair shows it now: a link
        # to a conflict keeps working when a stronger pair of its figures comes along
        figures = set(ledger.figure_ids(refs).values()) if len(refs) == 2 else set()
        found = next(
            (
                r
                for r in ledger.relations(kind="conflicts")
                if {r.a.ref, r.b.ref} == refs
                or (len(figures) == 2 and {r.a_figure, r.b_figure} == figures)
            ),
            None,
        )
        if found is None:
            return _not_found(
                request,
                f"No conflict between {' and '.join(sorted(refs))} in this ledger "
                "(it may have been dismissed).",
            )
        sentences = _sentences(ledger, [found])
        behind = {
            f.id: f for f in ledger.figures(ids={found.a_figure, found.b_figure}, max_claims=20)
        }
        return page(
            request,
            "conflict.html",
            {
                "sides": [behind.get(found.a_figure), behind.get(found.b_figure)],
                "title": f"Conflict: {found.subject}",
                "nav": "conflicts",
                "r": found,
                "sentences": sentences,
                "next_url": "/conflicts",
            },
        )

    @router.get("/groups")
    def groups(request: Request) -> Response:
        ledger = _ledger(request)
        params = _params(request)
        try:
            subject = (browse.text_param(params, "subject") or "").lower()
            measure = browse.choice_param(params, "measure", MEASURES)
        except BrowseError as error:
            return _bad_request(request, error)
        if not subject:
            index = ledger.claim_groups()
            counts = browse.conflict_groups(ledger)
            return page(
                request,
                "groups.html",
                {
                    "title": "Claim groups",
                    "nav": "groups",
                    "groups": index,
                    "conflicts": counts,
                },
            )
        return page(request, "group.html", _group(ledger, subject, measure))  # type: ignore[arg-type]

    @router.get("/sources")
    def sources(request: Request) -> Response:
        return _sources(request, None)

    @router.get("/sources.csv")
    def sources_csv(request: Request) -> Response:
        return _sources(request, "csv")

    @router.get("/sources.json")
    def sources_json(request: Request) -> Response:
        return _sources(request, "json")

    @router.get("/analyze")
    def analyze_form(request: Request) -> Response:
        return page(request, "analyze.html", _analyze_form())

    @router.post("/analyze")
    async def analyze_text(request: Request) -> Response:
        settings = getattr(request.app.state, "settings", None)
        limit = _max_chars(request)
        if getattr(settings, "private_analysis", False):
            return page(
                request,
                "analyze.html",
                _analyze_form(
                    error="Analysis on this server needs the API token: post the article to "
                    "/api/v1/analyze with 'Authorization: Bearer <token>'."
                ),
                status_code=403,
            )
        length = request.headers.get("content-length")
        # form-encoded text takes up to 9 bytes a character (%XX of 3 UTF-8 bytes)
        if length is not None and length.isdigit() and int(length) > limit * 9:
            return _too_long(request, "")
        try:
            form = await request.form(max_files=0, max_fields=10, max_part_size=limit * 4)
        except (HTTPException, MultiPartException):  # malformed, or a part too large
            return page(
                request,
                "analyze.html",
                _analyze_form(error="The form could not be read; paste plain text."),
                status_code=400,
            )
        text = str(form.get("text") or "").replace("\r\n", "\n")
        published_text = str(form.get("published") or "").strip()
        if len(text) > limit:
            return _too_long(request, text[:200])
        if not text.strip():
            return page(
                request,
                "analyze.html",
                _analyze_form(error="Paste the text of an article to analyse."),
                status_code=422,
            )
        errors: list[str] = []
        published = _date(published_text, "published", errors)
        if errors:
            return page(
                request,
                "analyze.html",
                _analyze_form(text=text, published=published_text, error=errors[0]),
                status_code=422,
            )
        from claimledger.extract import analyze

        def analyse_one() -> Any:
            # one analysis at a time, shared with the API's when it set a lock: spaCy's
            # pipelines are not documented as thread-safe
            lock = getattr(request.app.state, "analysis_lock", None) or _ANALYSIS_LOCK
            with lock:
                return analyze(
                    text,
                    published=published,
                    profile=profile,
                    path="pasted text",
                    gazetteer=getattr(request.app.state, "gazetteer", None),
                )

        queue = getattr(request.app.state, "analysis_queue", None)
        try:
            if queue is None:
                analysis = await run_in_threadpool(analyse_one)
            else:
                # the API's queue: one analysis at a time, a few waiting, then 503
                analysis = await queue.run(request, analyse_one)
        except HTTPException as busy:
            return page(
                request,
                "analyze.html",
                _analyze_form(text=text, published=published_text, error=str(busy.detail)),
                status_code=busy.status_code,
            )
        except ClaimledgerError as error:
            return page(
                request,
                "analyze.html",
                _analyze_form(text=text, published=published_text, error=str(error)),
                status_code=422,
            )
        context = _article(
            analysis.document,
            analysis.entities,
            analysis.attributions,
            analysis.claims,
            stored=False,
        )
        context["form"] = _analyze_form(text=text, published=published_text)
        return page(request, "article.html", context)

    return router


def _sentences(ledger: Ledger, relations: Sequence[RelationRow]) -> dict[str, str]:
    """The sentence of each claim on either side of ``relations``, by ref."""
    wanted = {}
    for r in relations:
        for s in (r.a, r.b):
            spans = s.quantity.spans or ((0, 0),)
            wanted[s.ref] = (s.document, int(spans[0][0]), int(spans[0][1]))
    found = browse.claim_sentences(ledger, wanted.values())
    return {ref: found.get((doc, start), "") for ref, (doc, start, _) in wanted.items()}


def _claims(request: Request, download: str | None) -> Response:
    ledger = _ledger(request)
    params = _params(request)
    try:
        filters = ClaimFilters.parse(params)
        number = browse.page_number(params)
        rows = browse.find_claims(ledger, filters)
        if download == "csv":
            return _download("claims", browse.claims_csv(rows), "csv")
        if download == "json":
            text = browse.to_json_text(
                (r.to_json() for r in rows), filters=filters.params(), total=len(rows)
            )
            return _download("claims", text, "json")
        found = browse.page_of(rows, number, CLAIMS_PER_PAGE)
    except BrowseError as error:
        return _bad_request(request, error)
    kept = filters.params()
    sentences = browse.claim_sentences(
        ledger,
        (
            (
                r.document,
                int((r.claim.quantity.spans or ((0, 0),))[0][0]),
                int((r.claim.quantity.spans or ((0, 0),))[0][1]),
            )
            for r in found.rows
        ),
    )
    refs = browse.conflict_refs(ledger)
    current = filters.sort
    headers = [
        {
            "key": key,
            "label": label,
            "url": _query(kept, sort=f"-{key}" if current == key else key, page=None),
            "aria": (
                "ascending" if current == key else "descending" if current == f"-{key}" else None
            ),
        }
        for key, label in (
            ("time", "as of"),
            ("subject", "subject"),
            ("measure", "measure"),
            ("figure", "figure"),
            ("source", "source"),
            ("certainty", "certainty"),
            ("document", "article"),
        )
    ]
    openings = browse.openings(ledger, [r.document for r in found.rows if not r.title])
    return page(
        request,
        "claims.html",
        {
            "title": "Claims",
            "nav": "claims",
            "rows": found.rows,
            "total": found.total,
            "filters": filters,
            "kept": kept,
            "facets": browse.claim_facets(rows, filters),
            "sentences": {
                (r.document, r.claim.id): sentences.get(
                    (r.document, int((r.claim.quantity.spans or ((0, 0),))[0][0])), ""
                )
                for r in found.rows
            },
            "names": {
                r.document: r.title
                or (f"{r.outlet}, {r.published}" if r.outlet and r.published else None)
                or browse_opening(openings.get(r.document), r.document)
                for r in found.rows
            },
            "conflicts": refs,
            "measures": MEASURES,
            "certainties": CERTAINTY_ORDER,
            "headers": headers,
            "sort": current,
            **_pager(kept, found),
        },
    )


def browse_opening(text: str | None, fallback: str) -> str:
    from claimledger.web.present import opening_words

    return opening_words(text) if text and text.strip() else fallback


def _conflicts(request: Request, download: str | None) -> Response:
    ledger = _ledger(request)
    params = _params(request)
    try:
        filters = ConflictFilters.parse(params)
        number = browse.page_number(params)
        # new since the time in the URL (a link from this page, or one shared), else since
        # this browser's last view of the page
        from_link = filters.new_since is not None
        new = browse.new_conflicts(ledger, filters.new_since or visits.last_seen(request))
        # after new_conflicts brought the ledger up to date: what this view shows is what
        # was found before this time, so the next view marks only what comes after it
        seen = visits.now_to_the_millisecond()
        rows = browse.find_conflicts(ledger, filters, new=new)
        if download == "csv":
            return _download("conflicts", browse.conflicts_csv(rows), "csv")
        if download == "json":
            text = browse.to_json_text(
                ({"rank": i, **r.to_json()} for i, r in enumerate(rows, 1)),
                filters=filters.params(),
                total=len(rows),
            )
            return _download("conflicts", text, "json")
        found = browse.page_of(rows, number, CONFLICTS_PER_PAGE)
    except BrowseError as error:
        return _bad_request(request, error)
    if new.known and not from_link and (new.found or filters.new):
        # the page's own links (pages, facets, filters, downloads) keep the time: by then
        # the cookie holds this view's
        filters = replace(filters, new_since=new.since)
    kept = filters.params()
    corrections = ledger.corrections()
    dismissed = [c for c in corrections if c.action == "dismiss"]
    response = page(
        request,
        "conflicts.html",
        {
            "title": "Conflicts",
            "nav": "conflicts",
            "rows": found.rows,
            "first_rank": (found.number - 1) * found.size + 1,
            "total": found.total,
            "filters": filters,
            "kept": kept,
            # the filters that narrow the list (not the order, nor "new", said apart)
            "narrowed": {k: v for k, v in kept.items() if k not in ("new", "new_since", "sort")},
            "new": new,
            "new_count": sum(1 for r in rows if new.at(r) is not None) if new.known else 0,
            "new_from_link": from_link,
            "facets": browse.conflict_facets(rows, filters),
            "sentences": _sentences(ledger, found.rows),
            "measures": MEASURES,
            "dismissed": dismissed,
            "dismissed_refs": _claim_refs(ledger, dismissed),
            "next_url": "/conflicts" + (_query(kept) if kept else ""),
            **_pager(kept, found),
        },
    )
    visits.remember_seen(request, response, seen)
    return response


def _claim_refs(ledger: Ledger, corrections: list[Correction]) -> dict[ClaimKey, str]:
    from claimledger.web.corrections import claim_refs

    return claim_refs(ledger, corrections)


def _sources(request: Request, download: str | None) -> Response:
    ledger = _ledger(request)
    params = _params(request)
    every = ledger.sources()
    graph = ledger.provenance()
    names = {n.id: n.name for n in graph.nodes}
    through: dict[str, list[tuple[str, int]]] = defaultdict(list)
    carried_from: set[str] = set()
    for e in graph.edges:
        through[e.from_].append((names.get(e.to, "?"), e.statements))
        carried_from.add(e.to)
    roots = {s.id for s in every if s.statements > 0 and s.id not in carried_from}
    try:
        filters = SourceFilters.parse(params, [s.kind for s in every])
        number = browse.page_number(params)
        kept_rows = browse.find_sources(every, roots, filters)
        kept_rows.sort(key=lambda s: (-s.claims, -s.statements, s.name.lower()))
        if download == "csv":
            return _download("sources", browse.sources_csv(kept_rows), "csv")
        if download == "json":
            text = browse.to_json_text(
                (s.to_json() for s in kept_rows), filters=filters.params(), total=len(kept_rows)
            )
            return _download("sources", text, "json")
        found = browse.page_of(kept_rows, number, SOURCES_PER_PAGE)
    except BrowseError as error:
        return _bad_request(request, error)
    kept = filters.params()
    corrections = [
        c for c in ledger.corrections() if c.action in ("merge_sources", "split_sources")
    ]
    by_name: dict[str, list[Correction]] = defaultdict(list)
    for c in corrections:
        for n in c.names:
            by_name[n.lower()].append(c)
    rows = [
        SourceLine(
            source=s,
            through=through.get(s.id, []),
            root=s.id in roots,
            corrections=[
                c
                for n in {s.name.lower(), *(a.lower() for a in s.aliases)}
                for c in by_name.get(n, [])
            ],
        )
        for s in found.rows
    ]
    return page(
        request,
        "sources.html",
        {
            "title": "Sources",
            "nav": "sources",
            "rows": rows,
            "total": found.total,
            "filters": filters,
            "kept": kept,
            "facets": [
                browse.facet("kind", "kind", (s.kind for s in kept_rows), filters.kind),
                browse.facet(
                    "role",
                    "role",
                    ("root" if s.id in roots else "relay" for s in kept_rows),
                    filters.role,
                ),
            ],
            "graph": provenance_svg(graph) if not kept else "",
            "names": sorted({s.name for s in every}),
            "next_url": "/sources",
            **_pager(kept, found),
        },
    )


def _max_chars(request: Request) -> int:
    """The server's limit on an article to analyse (the API's), else the form's own."""
    settings = getattr(request.app.state, "settings", None)
    limit = getattr(settings, "max_analyze_chars", MAX_ANALYZE_CHARS)
    return limit if isinstance(limit, int) else MAX_ANALYZE_CHARS


def _too_long(request: Request, text: str) -> Response:
    return page(
        request,
        "analyze.html",
        _analyze_form(
            text=text,
            error=f"The text is longer than {_max_chars(request):,} characters; "
            "paste one article at a time, or use `claimledger analyze FILE`.",
        ),
        status_code=413,
    )


def _analyze_form(
    *, text: str = "", published: str = "", error: str | None = None
) -> dict[str, Any]:
    return {
        "title": "Analyse an article",
        "nav": "analyze",
        "text": text,
        "published": published,
        "error": error,
        "max_chars": MAX_ANALYZE_CHARS,
    }


def _one_of(choices: tuple[C, ...], value: str | None) -> C | None:
    """``value`` if it is one of ``choices``, else None: a query string may hold anything."""
    return next((choice for choice in choices if choice == value), None)


def _date(value: str | None, name: str, errors: list[str]) -> dt.date | None:
    if not value or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{name}: {value!r} is not a date; write it as YYYY-MM-DD")
        return None


@dataclass(frozen=True)
class SourceLine:
    """A source as the sources page lists it: the ledger's row, where its statements went
    next (name, statements), whether it is a root (it said things nobody relayed to
    it), and the corrections that name it."""

    source: SourceRow
    through: list[tuple[str, int]]
    root: bool
    corrections: list[Correction]


def _article(
    document: LedgerDocumentWithText | Document,
    entities: Sequence[Entity],
    attributions: Sequence[Attribution],
    claims: Sequence[Claim],
    *,
    stored: bool,
) -> dict[str, Any]:
    """What the article view shows of one analysis."""
    claims_by_attribution: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.attribution:
            claims_by_attribution[c.attribution].append(c)
    return {
        "title": document_name(document) if stored else "Analysed text",
        "nav": "documents" if stored else "analyze",
        "document": document,
        "stored": stored,
        "body": highlight_text(document.text, document_highlights(attributions, claims)),
        "attributions": attributions,
        "attribution_by_id": {a.id: a for a in attributions},
        "claims": claims,
        "claims_by_attribution": claims_by_attribution,
        "entities": entities,
        "form": None,
    }


RELATIONS_PER_KIND = 200
# A group page of a large ledger shows a sample: the chart and its table this many points,
# the figures this many (each with this many of its claims).
CHART_POINTS = 300
FIGURES_SHOWN = 100
CLAIMS_PER_FIGURE = 10
_ANALYSIS_LOCK = threading.Lock()


def _chart_sample(points: list[TimelineRow], most: int) -> list[TimelineRow]:
    """At most ``most`` points, in time order: every conflicting one (up to half), the rest
    evenly spaced through time, so a large group still draws its shape."""
    if len(points) <= most:
        return points
    flagged = [p for p in points if p.conflicts][: most // 2]
    others = [p for p in points if not p.conflicts]
    room = most - len(flagged)
    step = len(others) / room
    chosen = {id(p) for p in flagged} | {id(others[int(i * step)]) for i in range(room)}
    return [p for p in points if id(p) in chosen]


@dataclass(frozen=True)
class RelationSection:
    """The relations of one kind on a group page, with how many there are in all."""

    kind: str
    rows: list[RelationRow]
    total: int


def _group(ledger: Ledger, subject: str, measure: Measure | None) -> dict[str, Any]:
    keys = {g.subject for g in ledger.claim_groups()}
    exact = subject in keys
    every_point = ledger.timeline(
        ClaimQuery(subject=subject, measures=(measure,) if measure else ())
    )
    if exact:
        every_point = [p for p in every_point if p.claim.subject.key == subject]
    points = _chart_sample(every_point, CHART_POINTS)
    figures = ledger.figures(
        subject=subject, measure=measure, limit=FIGURES_SHOWN, max_claims=CLAIMS_PER_FIGURE
    )
    if exact:
        figures = [f for f in figures if f.subject == subject]
    figure_count = ledger.count_figures(subject=subject, measure=measure)
    # in the order of every list (conflicts first, the strongest first), at most
    # RELATIONS_PER_KIND of each: a subject of a large ledger has hundreds of thousands
    sections = []
    for kind in RELATION_KINDS:
        rows = ledger.relations(
            kind=kind, subject=subject, measure=measure, exact=exact, limit=RELATIONS_PER_KIND
        )
        if rows:
            total = ledger.count_relations(kind=kind, subject=subject, measure=measure, exact=exact)
            sections.append(RelationSection(kind, rows, total))
    measures_here = sorted({p.claim.measure for p in every_point})
    corrections = [
        c
        for c in ledger.corrections()
        if c.action == "merge_subjects" and subject in {n.strip().lower() for n in c.names}
    ]
    return {
        "title": f"Claims about {subject}",
        "nav": "groups",
        "subject": subject,
        "measure": measure,
        "measures": measures_here,
        "charts": measure_charts(points),
        "points": points,
        "point_count": len(every_point),
        "figures": figures,
        "figure_count": figure_count,
        "sections": sections,
        "sentences": _sentences(ledger, [r for s in sections for r in s.rows[:50]]),
        "corrections": corrections,
        "subjects": sorted(k for k in keys if k and k != subject),
        "next_url": group_url_of(subject, measure),
    }


def group_url_of(subject: str, measure: str | None) -> str:
    from claimledger.web.present import group_url

    return group_url(subject, measure)
