"""What changed, over HTTP: ``GET /api/v1/changes?since=`` lists the changes each reconcile
recorded (new claims, new and resolved conflicts, updated figures), and
``GET /api/v1/conflicts.atom`` is an Atom feed of the newest conflicts, for a feed reader
or a chat bridge. Read like the rest of the ledger (with the token when reads are private).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from starlette.exceptions import HTTPException

from claimledger.api.models import page_of, response_model
from claimledger.api.problems import ApiJSONResponse
from claimledger.api.routes import LedgerDep, PagingDep, ledger_of, text_query
from claimledger.errors import InputError
from claimledger.ledger.changes import CHANGE_KINDS, Change, ChangeKind, parse_since
from claimledger.render.report import printable

reads = APIRouter()

ChangeOut = response_model(Change)
ChangePage = page_of("ChangePage", ChangeOut)

ATOM = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
FEED_ENTRIES = 50
MAX_ID = 2**53  # within every database's integers and JSON's
MAX_FEED_ENTRIES = 200


@reads.get(
    "/changes",
    response_model=ChangePage,
    response_class=ApiJSONResponse,
    summary="What changed since a time: new claims, new and resolved conflicts, updated figures",
)
def list_changes(
    ledger: LedgerDep,
    page: PagingDep,
    since: Annotated[
        str,
        text_query(
            "ISO 8601 date or time (2026-12-07T06:00:00Z; no zone means UTC), or a duration "
            "ago (90m, 2h, 1d)"
        ),
    ],
    after: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="only changes with an id above this one")
    ] = None,
    kind: Annotated[list[ChangeKind] | None, Query(description="kinds to list")] = None,
) -> dict[str, Any]:
    try:
        moment = parse_since(since)
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None
    kinds = tuple(kind or ())
    items = ledger.changes(
        since=moment, after=after, kinds=kinds, limit=page.limit, offset=page.offset
    )
    total = ledger.count_changes(since=moment, after=after, kinds=kinds)
    return page.page([c.to_json() for c in items], total)


@reads.get(
    "/conflicts.atom",
    response_class=Response,
    summary="An Atom feed of the newest conflicts",
    responses={200: {"content": {"application/atom+xml": {}}, "description": "Atom 1.0"}},
)
def conflicts_feed(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=MAX_FEED_ENTRIES, description="entries in the feed")
    ] = FEED_ENTRIES,
) -> Response:
    ledger = ledger_of(request)
    found = ledger.changes(kinds=("conflict",), limit=limit, newest_first=True)
    root = str(request.base_url)
    body = atom_feed(
        found,
        feed_id=ledger.stable_id("conflicts").urn,
        entry_id=lambda change: ledger.stable_id(f"change/{change.id}").urn,
        self_url=str(request.url),
        site=root,
    )
    return Response(body, media_type=ATOM_MEDIA_TYPE)


def atom_feed(
    changes: list[Change],
    *,
    feed_id: str,
    entry_id: Any,
    self_url: str,
    site: str,
    now: dt.datetime | None = None,
) -> bytes:
    """Atom 1.0 (RFC 4287) of conflict changes, newest first: each entry links to the UI's
    page of its claim group and to the two articles. Text is escaped by the XML writer and
    made printable (no control characters, which XML forbids)."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = printable(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", feed_id)
    sub(feed, "title", "claimledger: new conflicts")
    newest = changes[0].at if changes else (now or dt.datetime.now(dt.UTC))
    sub(feed, "updated", _stamp(newest))
    author = sub(feed, "author")
    sub(author, "name", "claimledger")
    sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=site, type="text/html")
    sub(feed, "generator", "claimledger")
    for change in changes:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(change))
        sub(entry, "title", _title(change))
        sub(entry, "updated", _stamp(change.at))
        group = {"subject": change.subject or ""}
        if change.measure:
            group["measure"] = change.measure
        sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=f"{site}groups?{urlencode(group)}",
        )
        for ref in change.refs:
            document = ref.split("/", 1)[0]
            sub(entry, "link", rel="related", type="text/html", href=f"{site}documents/{document}")
        sub(entry, "summary", _summary(change), type="text")
    written: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _side(change: Change, index: int) -> str:
    figure = change.figures[index] if index < len(change.figures) else None
    source = change.sources[index] if index < len(change.sources) else None
    words = figure or "?"
    return f"{words} ({source})" if source else words


def _title(change: Change) -> str:
    what = f"{change.subject or '?'}" + (f", {change.measure}" if change.measure else "")
    return f"Conflict on {what}: {_side(change, 0)} against {_side(change, 1)}"


def _summary(change: Change) -> str:
    lines = [_title(change) + "."]
    if change.reason:
        lines.append(f"Why: {change.reason}")
    for claim in change.claims:
        said = claim.statement or ""
        where = ", ".join(str(x) for x in (claim.outlet, claim.published) if x)
        lines.append(f"{claim.source or 'unattributed'}{f' ({where})' if where else ''}: {said}")
    return " ".join(lines)


__all__ = ["CHANGE_KINDS", "atom_feed", "reads"]
