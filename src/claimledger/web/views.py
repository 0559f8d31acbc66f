"""The HTML pages: documents, one article with its attributions marked, the claims table,
a claim group's timeline and relations, the sources and their provenance graph, and a
page that analyses pasted text without storing it."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from claimledger.errors import ClaimledgerError
from claimledger.ledger import ClaimQuery, Ledger
from claimledger.ledger.reads import (
    ClaimGroup,
    ClaimRow,
    LedgerDocumentWithText,
    SourceRow,
    TimelineRow,
)
from claimledger.ledger.reconcile import RELATION_KINDS
from claimledger.records import CERTAINTY_ORDER, Attribution, Claim, Document, Entity, Measure
from claimledger.render.timeline import TimelinePoint, render_svg
from claimledger.web.graph import provenance_svg
from claimledger.web.highlight import document_highlights, highlight_text
from claimledger.web.present import FILTERS, GLOBALS, document_name

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
DOCUMENTS_PER_PAGE = 20
CLAIMS_PER_PAGE = 50
# Pasted text: the parser takes up to spaCy's max_length, but one request should not
# hold a worker for long.
MAX_ANALYZE_CHARS = 100_000
MEASURES: tuple[Measure, ...] = get_args(Measure)
SORTS = ("time", "subject", "measure", "figure", "source", "certainty", "document")
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
    env.globals.update(GLOBALS)
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def install(app: FastAPI, *, profile: str = "fast") -> None:
    """Add the web UI's pages to ``app`` and mount its static files at ``/static``. Pages
    read the ledger from ``app.state.ledger``; ``/analyze`` uses ``profile``."""
    app.include_router(_router(profile))
    app.mount("/static", StaticFiles(packages=[("claimledger.web", "static")]), name="static")


def _page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {"root": request.scope.get("root_path", ""), "nav": None, **context},
        status_code=status_code,
        headers=SECURITY_HEADERS,
    )
    return response


def _ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def _not_found(request: Request, what: str) -> Response:
    return _page(request, "error.html", {"title": "Not found", "message": what}, status_code=404)


MAX_PAGE = 1_000_000  # beyond any ledger's last page, within every database's integers


def _page_number(value: str | None) -> int:
    try:
        return min(MAX_PAGE, max(1, int(value or 1)))
    except ValueError:
        return 1


def _query(params: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged)


def _router(profile: str) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

    @router.get("/")
    def documents(request: Request, q: str | None = None, page: str | None = None) -> Response:
        ledger = _ledger(request)
        words = (q or "").strip() or None
        number = _page_number(page)
        total = ledger.count_documents(words=words)
        rows = ledger.documents(
            words=words, limit=DOCUMENTS_PER_PAGE, offset=(number - 1) * DOCUMENTS_PER_PAGE
        )
        pages = max(1, -(-total // DOCUMENTS_PER_PAGE))
        params = {"q": words}
        return _page(
            request,
            "documents.html",
            {
                "title": "Articles",
                "nav": "documents",
                "rows": rows,
                "q": words or "",
                "total": total,
                "page": number,
                "pages": pages,
                "prev": _query(params, page=number - 1) if number > 1 else None,
                "next": _query(params, page=number + 1) if number < pages else None,
            },
        )

    @router.get("/documents/{document_id}")
    def document(request: Request, document_id: str) -> Response:
        found = _ledger(request).document(document_id)
        if found is None:
            return _not_found(request, f"No article with id {document_id} in this ledger.")
        context = _article(
            found.document, found.entities, found.attributions, found.claims, stored=True
        )
        return _page(request, "article.html", context)

    @router.get("/claims")
    def claims(
        request: Request,
        subject: str | None = None,
        measure: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        certainty: str | None = None,
        document: str | None = None,
        sort: str | None = None,
        page: str | None = None,
    ) -> Response:
        ledger = _ledger(request)
        errors: list[str] = []
        chosen = _one_of(MEASURES, measure)
        query = ClaimQuery(
            subject=(subject or "").strip() or None,
            measures=(chosen,) if chosen else (),
            source=(source or "").strip() or None,
            certainty=_one_of(CERTAINTY_ORDER, certainty),
            document=(document or "").strip() or None,
            since=_date(since, "from", errors),
            until=_date(until, "to", errors),
        )
        sort_key = (sort or "time").lstrip("-")
        if sort_key not in SORTS:
            errors.append(f"cannot sort by {sort_key!r}; sort by one of {', '.join(SORTS)}")
            sort_key = "time"
        descending = bool(sort and sort.startswith("-"))
        number = _page_number(page)
        total = ledger.count_claims(query)
        offset = (number - 1) * CLAIMS_PER_PAGE
        if sort_key == "time" and not descending:
            rows = list(ledger.find_claims(query, limit=CLAIMS_PER_PAGE, offset=offset))
        else:
            # any other order is the ledger's order re-sorted here, then paged
            everything = list(ledger.find_claims(query))
            everything.sort(key=_SORT_KEYS[sort_key], reverse=descending)
            rows = everything[offset : offset + CLAIMS_PER_PAGE]
        pages = max(1, -(-total // CLAIMS_PER_PAGE))
        params = {
            "subject": query.subject,
            "measure": chosen,
            "source": query.source,
            "since": since if query.since else None,
            "until": until if query.until else None,
            "certainty": query.certainty,
            "document": query.document,
        }
        current = f"{'-' if descending else ''}{sort_key}"
        headers = [
            {
                "key": key,
                "label": label,
                "url": _query(params, sort=f"-{key}" if current == key else key),
                "aria": (
                    "ascending"
                    if current == key
                    else "descending"
                    if current == f"-{key}"
                    else None
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
        return _page(
            request,
            "claims.html",
            {
                "title": "Claims",
                "nav": "claims",
                "rows": rows,
                "total": total,
                "filters": params,
                "measures": MEASURES,
                "certainties": CERTAINTY_ORDER,
                "headers": headers,
                "sort": current,
                "errors": errors,
                "page": number,
                "pages": pages,
                "prev": _query({**params, "sort": sort}, page=number - 1) if number > 1 else None,
                "next": _query({**params, "sort": sort}, page=number + 1)
                if number < pages
                else None,
            },
            status_code=422 if errors else 200,
        )

    @router.get("/groups")
    def groups(
        request: Request, subject: str | None = None, measure: str | None = None
    ) -> Response:
        ledger = _ledger(request)
        subject = (subject or "").strip()
        if not subject:
            return _page(
                request,
                "groups.html",
                {"title": "Claim groups", "nav": "groups", "groups": _group_index(ledger)},
            )
        return _page(request, "group.html", _group(ledger, subject, _one_of(MEASURES, measure)))

    @router.get("/sources")
    def sources(request: Request) -> Response:
        ledger = _ledger(request)
        graph = ledger.provenance()
        names = {n.id: n.name for n in graph.nodes}
        through: dict[str, list[tuple[str, int]]] = defaultdict(list)
        carried_from: set[str] = set()
        for e in graph.edges:
            through[e.from_].append((names.get(e.to, "?"), e.statements))
            carried_from.add(e.to)
        rows = [
            SourceLine(
                source=s,
                through=through.get(s.id, []),
                root=s.statements > 0 and s.id not in carried_from,
            )
            for s in ledger.sources()
        ]
        rows.sort(key=lambda r: (-r.source.claims, -r.source.statements, r.source.name.lower()))
        return _page(
            request,
            "sources.html",
            {"title": "Sources", "nav": "sources", "rows": rows, "graph": provenance_svg(graph)},
        )

    @router.get("/analyze")
    def analyze_form(request: Request) -> Response:
        return _page(request, "analyze.html", _analyze_form())

    @router.post("/analyze")
    async def analyze_text(request: Request) -> Response:
        settings = getattr(request.app.state, "settings", None)
        limit = _max_chars(request)
        if getattr(settings, "private_analysis", False):
            return _page(
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
            return _page(
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
            return _page(
                request,
                "analyze.html",
                _analyze_form(error="Paste the text of an article to analyse."),
                status_code=422,
            )
        errors: list[str] = []
        published = _date(published_text, "published", errors)
        if errors:
            return _page(
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
            return _page(
                request,
                "analyze.html",
                _analyze_form(text=text, published=published_text, error=str(busy.detail)),
                status_code=busy.status_code,
            )
        except ClaimledgerError as error:
            return _page(
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
        return _page(request, "article.html", context)

    return router


def _max_chars(request: Request) -> int:
    """The server's limit on an article to analyse (the API's), else the form's own."""
    settings = getattr(request.app.state, "settings", None)
    limit = getattr(settings, "max_analyze_chars", MAX_ANALYZE_CHARS)
    return limit if isinstance(limit, int) else MAX_ANALYZE_CHARS


def _too_long(request: Request, text: str) -> Response:
    return _page(
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


def _figure_key(row: ClaimRow) -> tuple[float, float]:
    q = row.claim.quantity
    value = q.value if q.value is not None else q.low
    return (float(value), float(q.low))


def _time_key(row: ClaimRow) -> str:
    end = row.claim.time.end if row.claim.time else None
    day = end or row.published
    return day.isoformat() if day else ""


_SORT_KEYS: dict[str, Callable[[ClaimRow], Any]] = {
    "time": _time_key,
    "subject": lambda r: (r.claim.subject.key, _time_key(r)),
    "measure": lambda r: (r.claim.measure, _time_key(r)),
    "figure": _figure_key,
    "source": lambda r: ((r.source or "").lower(), _time_key(r)),
    "certainty": lambda r: (CERTAINTY_ORDER.index(r.claim.certainty), _time_key(r)),
    "document": lambda r: (
        r.published.isoformat() if r.published else "",
        r.document,
        int(r.claim.id[1:]),
    ),
}


@dataclass(frozen=True)
class SourceLine:
    """A source as the sources page lists it: the ledger's row, where its statements went
    next (name, statements), and whether it is a root (it said things nobody relayed to
    it)."""

    source: SourceRow
    through: list[tuple[str, int]]
    root: bool


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


def _group_index(ledger: Ledger) -> list[ClaimGroup]:
    return ledger.claim_groups()


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


def _group(ledger: Ledger, subject: str, measure: Measure | None) -> dict[str, Any]:
    every_point = ledger.timeline(
        ClaimQuery(subject=subject, measures=(measure,) if measure else ())
    )
    points = _chart_sample(every_point, CHART_POINTS)
    figures = ledger.figures(
        subject=subject, measure=measure, limit=FIGURES_SHOWN, max_claims=CLAIMS_PER_FIGURE
    )
    figure_count = ledger.count_figures(subject=subject, measure=measure)
    # in the order of every list (disagreements first), at most RELATIONS_PER_KIND of
    # each: a subject of a large ledger has hundreds of thousands
    relations = [
        r
        for kind in RELATION_KINDS
        for r in ledger.relations(
            kind=kind, subject=subject, measure=measure, limit=RELATIONS_PER_KIND
        )
    ]
    chart_points = [TimelinePoint.from_ledger(p, label=p.ref, roots=p.independent) for p in points]
    title = f"{subject}: {measure.replace('_', ' ') if measure else 'all measures'}"
    chart = Markup(render_svg(chart_points, title=title)) if chart_points else None
    measures_here = sorted({p.claim.measure for p in points})
    return {
        "title": f"Claims about {subject}",
        "nav": "groups",
        "subject": subject,
        "measure": measure,
        "measures": measures_here,
        "chart": chart,
        "points": points,
        "point_count": len(every_point),
        "figures": figures,
        "figure_count": figure_count,
        "relations": relations,
    }
