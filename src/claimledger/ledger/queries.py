"""The ledger's reads: documents, claims (by :class:`~claimledger.ledger.reads.ClaimQuery`),
relations, figures, sources, provenance, timelines, full-text search, ratings and counts,
each as the typed records of :mod:`claimledger.ledger.reads`.

Every function reads through the connection it is given; :class:`~claimledger.ledger.Ledger`
opens it, after reconciling when a read needs the derived tables.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from claimledger.codec import from_json
from claimledger.gazetteer import normalise_name
from claimledger.ledger import reasons
from claimledger.ledger import tables as t
from claimledger.ledger.corrections import Correction
from claimledger.ledger.reads import (
    ClaimDetail,
    ClaimGroup,
    ClaimQuery,
    ClaimRow,
    ClaimSummary,
    DocumentDetail,
    FigureGroup,
    FigureRow,
    LedgerDocument,
    LedgerDocumentWithText,
    Provenance,
    ProvenanceEdge,
    ProvenanceNode,
    Rating,
    RelationRow,
    SourceRow,
    StoredClaim,
    TimelineRow,
)
from claimledger.records import Attribution, Claim, Entity, Quantity

_WORD = re.compile(r"\w+")
_CHUNK = 500  # keys per IN (...) list


def count_rows(conn: Connection, query: sa.Select[Any] | sa.CompoundSelect[Any]) -> int:
    """How many rows ``query`` gives."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())


def counts(conn: Connection) -> dict[str, int]:
    """Rows per table."""
    return {
        table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in (t.documents, t.entities, t.attributions, t.claims)
    }


# --- claims -----------------------------------------------------------------------------


def stored_claims(conn: Connection) -> Iterator[StoredClaim]:
    """Every stored claim with its document id, in document and claim order."""
    query = sa.select(t.claims.c.document_id, t.claims.c.payload).order_by(
        t.claims.c.document_id, t.claims.c.seq
    )
    for document_id, payload in conn.execute(query):
        yield StoredClaim(claim=from_json(Claim, json.loads(payload)), document=document_id)


def find_claims(
    conn: Connection, query: ClaimQuery, *, limit: int | None = None, offset: int = 0
) -> Iterator[ClaimRow]:
    """The claims matching ``query``, oldest first (undated first), paged by ``limit`` and
    ``offset``."""
    select = _claims_query(query, conn.dialect.name)
    if limit is not None:
        select = select.limit(limit)
    if offset:
        select = select.offset(offset)
    for row in conn.execute(select):
        yield ClaimRow(**_claim_row_values(row))


def count_claims(conn: Connection, query: ClaimQuery) -> int:
    return count_rows(conn, _claims_query(query, conn.dialect.name))


def claim(conn: Connection, document: str, claim_id: str) -> ClaimDetail | None:
    """One stored claim as :func:`find_claims` gives it, with its rating."""
    select = _claims_query(ClaimQuery(document=document), conn.dialect.name).where(
        t.claims.c.id == claim_id
    )
    row = conn.execute(select).first()
    if row is None:
        return None
    return ClaimDetail(**_claim_row_values(row), rating=rating(conn, document, claim_id))


def _claim_row_values(row: Row[Any]) -> dict[str, Any]:
    return {
        "claim": from_json(Claim, json.loads(row.payload)),
        "document": row.document_id,
        "source": row.resolved or row.source_entity or row.source,
        "outlet": row.outlet,
        "published": row.published,
        "url": row.url,
        "title": row.title,
        "statement": row.text,
        "roots": (row.root_name,) if row.root_name else (),
        "source_kind": row.kind,
    }


def _claims_query(query: ClaimQuery, dialect: str) -> sa.Select[Any]:
    c, a, d = t.claims, t.attributions, t.documents
    f, le = t.claim_facts, t.ledger_entities
    select = (
        sa.select(
            c.c.document_id,
            c.c.seq,
            c.c.payload,
            a.c.source_entity,
            a.c.source,
            d.c.outlet,
            d.c.published,
            d.c.url,
            d.c.title,
            c.c.text,
            f.c.root_name,
            f.c.source.label("resolved"),
            le.c.kind,
        )
        .select_from(
            c.join(d, d.c.id == c.c.document_id)
            .outerjoin(a, (a.c.document_id == c.c.document_id) & (a.c.id == c.c.attribution_id))
            .outerjoin(f, (f.c.document_id == c.c.document_id) & (f.c.claim_id == c.c.id))
            .outerjoin(le, le.c.id == f.c.root)
        )
        .order_by(
            # undated claims first, the same on SQLite and PostgreSQL
            sa.nulls_first(sa.func.coalesce(c.c.time_end, d.c.published)),
            c.c.document_id,
            c.c.seq,
        )
    )
    if query.subject:
        select = select.where(c.c.subject.contains(query.subject.lower(), autoescape=True))
    if query.measures:
        select = select.where(c.c.measure.in_(query.measures))
    if query.source:
        needle = query.source.lower()
        select = select.where(
            sa.func.lower(a.c.source_entity).contains(needle, autoescape=True)
            | sa.func.lower(f.c.source).contains(needle, autoescape=True)
            | sa.func.lower(a.c.source).contains(needle, autoescape=True)
        )
    if query.since:
        select = select.where(sa.func.coalesce(c.c.time_end, d.c.published) >= query.since)
    if query.until:
        select = select.where(sa.func.coalesce(c.c.time_start, d.c.published) <= query.until)
    if query.certainty:
        select = select.where(c.c.certainty == query.certainty)
    if query.document:
        select = select.where(c.c.document_id == query.document)
    if query.outlet:
        select = select.where(
            sa.func.lower(d.c.outlet).contains(query.outlet.lower(), autoescape=True)
        )
    if query.minimum is not None:
        # the figure's interval reaches the minimum: its top (none: open) is at least it
        select = select.where(c.c.high.is_(None) | (c.c.high >= query.minimum))
    if query.maximum is not None:
        select = select.where(c.c.low <= query.maximum)
    if query.search is not None:
        select = select.where(_statement_has_words(query.search, dialect))
    return select


def _statement_has_words(words: str, dialect: str) -> sa.ColumnElement[bool] | sa.TextClause:
    """Claims whose statement has all of ``words``, through the same full-text index as
    :func:`search` (no words: no claim)."""
    c = t.claims
    terms = _WORD.findall(words)
    if not terms:
        return sa.false()
    if dialect == "sqlite":
        fts = sa.table("claims_fts", sa.column("document_id"), sa.column("claim_id"))
        # every term quoted: the user's words are never FTS5 syntax
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        found = sa.select(fts.c.document_id, fts.c.claim_id).where(
            sa.text("claims_fts MATCH :words").bindparams(words=match)
        )
        return sa.tuple_(c.c.document_id, c.c.id).in_(found)
    return sa.text("claims.search @@ plainto_tsquery('english', :words)").bindparams(
        words=" ".join(terms)
    )


def claim_groups(conn: Connection) -> list[ClaimGroup]:
    """Every (subject, measure) pair with its number of claims, by subject."""
    c = t.claims
    query = (
        sa.select(c.c.subject, c.c.measure, sa.func.count().label("claims"))
        .group_by(c.c.subject, c.c.measure)
        .order_by(c.c.subject, c.c.measure)
    )
    return [
        ClaimGroup(subject=subject, measure=measure, claims=int(n))
        for subject, measure, n in conn.execute(query)
    ]


def timeline(conn: Connection, query: ClaimQuery) -> list[TimelineRow]:
    """The dated count figures among the claims ``query`` finds, oldest first: each claim
    row with the interval it holds for (docs/reconciliation.md), how it was dated, whether
    a conflict involves it and the independent roots of its figure."""
    r, f = t.relations, t.claim_facts
    # every claim of a figure in a conflict is in it, not only the pair that shows it
    conflicts = sa.select(r.c.a_figure, r.c.b_figure).where(r.c.kind == "conflicts")
    facts_query = sa.select(
        f.c.document_id,
        f.c.claim_id,
        f.c.start,
        f.c.end,
        f.c.dated_by,
        f.c.figure,
        t.figures.c.independent,
    ).join(t.figures, t.figures.c.id == f.c.figure)
    if query.subject:
        needle = query.subject.lower()
        conflicts = conflicts.where(r.c.subject.contains(needle, autoescape=True))
        facts_query = facts_query.where(f.c.subject.contains(needle, autoescape=True))
    in_conflict = {figure for pair in conn.execute(conflicts) for figure in pair}
    facts_rows = list(conn.execute(facts_query))
    conflicted = {f"{x.document_id}/{x.claim_id}" for x in facts_rows if x.figure in in_conflict}
    facts = {(x.document_id, x.claim_id): x for x in facts_rows}
    points = []
    for row in find_claims(conn, query):
        fact = facts.get((row.document, row.claim.id))
        if fact is None or fact.start is None or fact.end is None:
            continue
        if row.claim.quantity.unit not in ("count", "percent"):
            continue
        ref = f"{row.document}/{row.claim.id}"
        points.append(
            TimelineRow(
                **{name: getattr(row, name) for name in _CLAIM_ROW_FIELDS},
                ref=ref,
                start=fact.start,
                end=fact.end,
                dated_by=fact.dated_by,
                conflicts=ref in conflicted,
                independent=int(fact.independent),
            )
        )
    points.sort(key=lambda p: (p.start, p.ref))
    return points


_CLAIM_ROW_FIELDS = tuple(ClaimRow.__dataclass_fields__)


# --- documents ----------------------------------------------------------------------------


def documents(
    conn: Connection, *, words: str | None = None, limit: int | None = None, offset: int = 0
) -> list[LedgerDocument]:
    """Stored documents, newest publication first (undated last); ``words`` keeps those
    whose text has all of them."""
    d = t.documents
    query = _documents_query(conn, words).order_by(sa.nulls_last(d.c.published.desc()), d.c.id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [LedgerDocument(**_document_values(row)) for row in conn.execute(query)]


def count_documents(conn: Connection, *, words: str | None = None) -> int:
    return count_rows(conn, _documents_query(conn, words))


def _documents_query(conn: Connection, words: str | None) -> sa.Select[Any]:
    d, nd = t.documents, t.near_duplicates
    claims = (
        sa.select(sa.func.count())
        .where(t.claims.c.document_id == d.c.id)
        .scalar_subquery()
        .label("claims")
    )
    attributions = (
        sa.select(sa.func.count())
        .where(t.attributions.c.document_id == d.c.id)
        .scalar_subquery()
        .label("attributions")
    )
    query = sa.select(
        d.c.id,
        d.c.url,
        d.c.outlet,
        d.c.title,
        d.c.published,
        d.c.analysed_at,
        d.c.format,
        d.c.path,
        nd.c.duplicate_of,
        nd.c.similarity,
        claims,
        attributions,
    ).select_from(d.outerjoin(nd, nd.c.document_id == d.c.id))
    if words is not None:
        query = query.where(d.c.id.in_(search(conn, "documents", words)))
    return query


def _document_values(row: Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "outlet": row.outlet,
        "title": row.title,
        "published": row.published,
        "analysed_at": t.aware(row.analysed_at),
        "format": row.format,
        "path": row.path,
        "duplicate_of": row.duplicate_of,
        "similarity": row.similarity,
        "claims": int(row.claims),
        "attributions": int(row.attributions),
    }


def document(conn: Connection, document_id: str) -> DocumentDetail | None:
    """One document with its text, entities, attributions and claims, and its ledger
    metadata; None if it is not stored."""
    d = t.documents
    row = conn.execute(
        _documents_query(conn, None).add_columns(d.c.text).where(d.c.id == document_id)
    ).first()
    if row is None:
        return None

    def payloads(table: sa.Table) -> Iterator[Any]:
        order = table.c.seq if "seq" in table.c else table.c.id
        query = sa.select(table.c.payload).where(table.c.document_id == document_id).order_by(order)
        for (payload,) in conn.execute(query):
            yield json.loads(payload)

    entities = [from_json(Entity, e) for e in payloads(t.entities)]
    return DocumentDetail(
        document=LedgerDocumentWithText(**_document_values(row), text=row.text),
        entities=tuple(sorted(entities, key=lambda e: int(e.id[1:]))),
        attributions=tuple(from_json(Attribution, a) for a in payloads(t.attributions)),
        claims=tuple(from_json(Claim, c) for c in payloads(t.claims)),
    )


def duplicates(conn: Connection) -> list[tuple[str, str, float]]:
    """(document, the earlier document it copies, similarity) for every link."""
    nd = t.near_duplicates
    query = sa.select(nd.c.document_id, nd.c.duplicate_of, nd.c.similarity).order_by(
        nd.c.document_id
    )
    return [(a, b, float(s)) for a, b, s in conn.execute(query)]


def search(conn: Connection, what: Literal["documents", "claims"], words: str) -> list[str]:
    """Ids of documents (or "document/claim" references of claims) whose text has all of
    ``words``, best first."""
    terms = _WORD.findall(words)
    if not terms:
        return []
    if conn.dialect.name == "sqlite":
        # every term quoted: the user's words are never FTS5 syntax
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        if what == "documents":
            sql = "SELECT document_id FROM documents_fts WHERE documents_fts MATCH :q ORDER BY rank"
        else:
            sql = (
                "SELECT document_id || '/' || claim_id FROM claims_fts"
                " WHERE claims_fts MATCH :q ORDER BY rank"
            )
        return [row[0] for row in conn.execute(sa.text(sql), {"q": match})]
    if what == "documents":
        sql = (
            "SELECT id FROM documents WHERE search @@ plainto_tsquery('english', :q)"
            " ORDER BY ts_rank(search, plainto_tsquery('english', :q)) DESC, id"
        )
    else:
        sql = (
            "SELECT document_id || '/' || id FROM claims"
            " WHERE search @@ plainto_tsquery('english', :q)"
            " ORDER BY ts_rank(search, plainto_tsquery('english', :q)) DESC, id"
        )
    return [row[0] for row in conn.execute(sa.text(sql), {"q": " ".join(terms)})]


# --- ratings ------------------------------------------------------------------------------


def rating(conn: Connection, document: str, claim_id: str) -> Rating | None:
    """The rating of one claim, if it has one."""
    row = conn.execute(
        sa.select(t.ratings).where(
            (t.ratings.c.document_id == document) & (t.ratings.c.claim_id == claim_id)
        )
    ).first()
    return None if row is None else _rating(row)


def ratings(conn: Connection) -> dict[tuple[str, str], Rating]:
    """Every rating, by (document id, claim id)."""
    return {(r.document_id, r.claim_id): _rating(r) for r in conn.execute(sa.select(t.ratings))}


def _rating(row: Row[Any]) -> Rating:
    return Rating(
        document=row.document_id,
        claim=row.claim_id,
        verdict=row.verdict,
        value=row.value,
        reviewer=row.reviewer,
        reviewed=row.reviewed,
        url=row.url,
        note=row.note,
    )


# --- the reconciled ledger ----------------------------------------------------------------


def _claim_summaries(
    conn: Connection, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], ClaimSummary]:
    """For each (document, claim): its figure, measure, subject, source, root, time, outlet
    and publication date."""
    wanted = sorted(set(keys))
    found: dict[tuple[str, str], ClaimSummary] = {}
    c, f, d, fg = t.claims, t.claim_facts, t.documents, t.figures
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        query = (
            sa.select(
                c.c.document_id,
                c.c.id,
                c.c.payload,
                c.c.text,
                f.c.source,
                f.c.root_name,
                f.c.start,
                f.c.end,
                f.c.dated_by,
                f.c.scope,
                d.c.outlet,
                d.c.published,
                d.c.url,
                fg.c.independent,
                fg.c.roots,
            )
            .select_from(
                c.join(f, (f.c.document_id == c.c.document_id) & (f.c.claim_id == c.c.id))
                .join(d, d.c.id == c.c.document_id)
                .join(fg, fg.c.id == f.c.figure)
            )
            .where(t.claims_in(c.c.document_id, c.c.id, chunk))
        )
        for row in conn.execute(query):
            stored = json.loads(row.payload)
            found[(row.document_id, row.id)] = ClaimSummary(
                ref=f"{row.document_id}/{row.id}",
                document=row.document_id,
                claim=row.id,
                subject=stored["subject"]["key"],
                measure=stored["measure"],
                quantity=from_json(Quantity, stored["quantity"]),
                certainty=stored["certainty"],
                statement=row.text,
                source=row.source,
                root=row.root_name,
                start=row.start,
                end=row.end,
                dated_by=row.dated_by,
                scope=row.scope,
                outlet=row.outlet,
                published=row.published,
                url=row.url,
                figure=FigureGroup(independent=row.independent, roots=tuple(json.loads(row.roots))),
            )
    return found


def _relations_query(
    kind: str | None, subject: str | None, measure: str | None = None, exact: bool = False
) -> sa.Select[Any] | sa.CompoundSelect[Any]:
    """The relations ``kind`` (every kind if None), ``subject`` and ``measure`` say: the
    lines of ``relations`` and, of the corroborations, each member's of its figure (kept
    on the member's claim facts)."""
    r, f = t.relations, t.claim_facts
    lines = sa.select(*(r.c[name] for name in _RELATION_COLUMNS))
    if kind:
        lines = lines.where(r.c.kind == kind)
    if subject:
        lines = lines.where(_subject_is(r.c.subject, subject, exact))
    if measure:
        side = sa.select(f.c.claim_id).where(f.c.measure == measure)
        lines = lines.where(
            sa.exists(
                side.where((f.c.document_id == r.c.a_document) & (f.c.claim_id == r.c.a_claim))
            )
            | sa.exists(
                side.where((f.c.document_id == r.c.b_document) & (f.c.claim_id == r.c.b_claim))
            )
        )
    if kind not in (None, "corroborates"):
        return lines
    joins = sa.select(
        sa.literal(0, r.c.id.type).label("id"),
        f.c.subject,
        f.c.joins_document.label("a_document"),
        f.c.joins_claim.label("a_claim"),
        f.c.document_id.label("b_document"),
        f.c.claim_id.label("b_claim"),
        f.c.figure.label("a_figure"),
        f.c.figure.label("b_figure"),
        sa.literal("corroborates", r.c.kind.type).label("kind"),
        sa.literal(0.0, r.c.strength.type).label("strength"),
        sa.literal(1, r.c.pairs.type).label("pairs"),
    ).where(f.c.joins_claim.is_not(None))
    if subject:
        joins = joins.where(_subject_is(f.c.subject, subject, exact))
    if measure:
        joins = joins.where(f.c.measure == measure)  # both claims are of one figure
    return sa.union_all(lines, joins)


_RELATION_COLUMNS = (
    "id",
    "subject",
    "a_document",
    "a_claim",
    "b_document",
    "b_claim",
    "a_figure",
    "b_figure",
    "kind",
    "strength",
    "pairs",
)


def _subject_is(column: sa.ColumnElement[str], subject: str, exact: bool) -> sa.ColumnElement[bool]:
    """The subject key ``column`` is ``subject`` (``exact``) or has its words."""
    return column == subject if exact else column.contains(subject.lower(), autoescape=True)


def relations(
    conn: Connection,
    *,
    kind: str | None = None,
    subject: str | None = None,
    measure: str | None = None,
    exact: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[RelationRow]:
    """Relations between claims, each with both claims summarised; by subject, kind and
    order of finding."""
    query = _relations_query(kind, subject, measure, exact)
    c = query.selected_columns
    # conflicts the strongest first (docs/reconciliation.md); every list in one order (a
    # member's corroboration of its figure has no id of its own: by its claim)
    query = query.order_by(
        *((c.strength.desc(),) if kind == "conflicts" else ()),
        c.subject,
        c.kind,
        c.id,
        c.b_document,
        c.b_claim,
    )
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = conn.execute(query).all()
    claims = _claim_summaries(
        conn,
        [(x.a_document, x.a_claim) for x in rows] + [(x.b_document, x.b_claim) for x in rows],
    )
    pairs = [(f"{x.a_document}/{x.a_claim}", f"{x.b_document}/{x.b_claim}") for x in rows]
    why = reasons.reasons(conn, pairs)
    return [
        RelationRow(
            kind=x.kind,
            subject=x.subject,
            reason=why.get(pair, ""),
            a=claims[(x.a_document, x.a_claim)],
            b=claims[(x.b_document, x.b_claim)],
            strength=float(x.strength),
            a_figure=int(x.a_figure),
            b_figure=int(x.b_figure),
            pairs=int(x.pairs),
        )
        for x, pair in zip(rows, pairs, strict=True)
        # a document analysed again between the two reads has lost its old claims
        if (x.a_document, x.a_claim) in claims and (x.b_document, x.b_claim) in claims
    ]


def relations_with_claims(
    rows: Iterable[RelationRow], claims: Iterable[ClaimRow], figures: Collection[int] = ()
) -> list[RelationRow]:
    """The relations, in their order, with one of ``claims`` on either side, or one of
    ``figures`` (the figures those claims stand in: a relation between two figures is
    about every claim of both): the claim filters (:class:`ClaimQuery`) applied to a list
    of relations."""
    refs = {f"{c.document}/{c.claim.id}" for c in claims}
    return [
        r
        for r in rows
        if r.a.ref in refs or r.b.ref in refs or r.a_figure in figures or r.b_figure in figures
    ]


def claim_figures(conn: Connection, refs: Iterable[str]) -> dict[str, int]:
    """The figure each claim ("DOCUMENT/CLAIM") stands in, for those still stored."""
    wanted = sorted({tuple(ref.split("/", 1)) for ref in refs if "/" in ref})
    f = t.claim_facts
    found: dict[str, int] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        for doc, claim, figure in conn.execute(
            sa.select(f.c.document_id, f.c.claim_id, f.c.figure).where(
                t.claims_in(f.c.document_id, f.c.claim_id, chunk)
            )
        ):
            found[f"{doc}/{claim}"] = int(figure)
    return found


def count_relations(
    conn: Connection,
    *,
    kind: str | None = None,
    subject: str | None = None,
    measure: str | None = None,
    exact: bool = False,
) -> int:
    return count_rows(conn, _relations_query(kind, subject, measure, exact))


def _figures_query(
    subject: str | None, measure: str | None, ids: Collection[int] | None = None
) -> sa.Select[Any]:
    fg = t.figures
    query = sa.select(fg)
    if ids is not None:
        query = query.where(fg.c.id.in_(sorted(ids)))
    if subject:
        query = query.where(fg.c.subject.contains(subject.lower(), autoescape=True))
    if measure:
        query = query.where(fg.c.measure == measure)
    return query


def count_figures(
    conn: Connection, *, subject: str | None = None, measure: str | None = None
) -> int:
    return count_rows(conn, _figures_query(subject, measure))


def figures(
    conn: Connection,
    *,
    subject: str | None = None,
    measure: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    max_claims: int | None = None,
    ids: Collection[int] | None = None,
) -> list[FigureRow]:
    """Corroborating figures with their claims (at most ``max_claims`` each, the earliest
    first) and independent roots, by subject and measure, or by id."""
    fg, f = t.figures, t.claim_facts
    query = _figures_query(subject, measure, ids).order_by(fg.c.subject, fg.c.measure, fg.c.id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    found = conn.execute(query).all()
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    ids = [x.id for x in found]
    for i in range(0, len(ids), _CHUNK):
        for doc, claim_id, figure in conn.execute(
            sa.select(f.c.document_id, f.c.claim_id, f.c.figure)
            .where(f.c.figure.in_(ids[i : i + _CHUNK]))
            .order_by(f.c.start, f.c.document_id, f.c.claim_id)
        ):
            if max_claims is None or len(members[figure]) < max_claims:
                members[figure].append((doc, claim_id))
    claims = _claim_summaries(conn, [k for keys in members.values() for k in keys])
    return [
        FigureRow(
            id=x.id,
            subject=x.subject,
            measure=x.measure,
            independent=x.independent,
            roots=tuple(json.loads(x.roots)),
            size=x.claims,  # all its claims; "claims" lists the first max_claims by time
            claims=tuple(claims[k] for k in members[x.id] if k in claims),
        )
        for x in found
    ]


def filter_sources(
    rows: Iterable[SourceRow], *, words: str | None = None, kind: str | None = None
) -> list[SourceRow]:
    """The sources, in their order, of ``kind`` and with all of ``words`` (case-insensitive,
    whole words) among the words of their name and aliases."""
    wanted = {w.casefold() for w in _WORD.findall(words or "")}
    kept = []
    for row in rows:
        if kind is not None and row.kind != kind:
            continue
        names = {w.casefold() for name in (row.name, *row.aliases) for w in _WORD.findall(name)}
        if wanted <= names:
            kept.append(row)
    return kept


def sources(conn: Connection) -> list[SourceRow]:
    """Every ledger entity that gave a figure or carried a statement: claims it is the
    root of, attributions it is the source of or an intermediary in, documents, and the
    roots it relayed."""
    entities = {
        r.id: r
        for r in conn.execute(
            sa.select(t.ledger_entities).where(t.ledger_entities.c.kind != "equipment")
        )
    }
    link = {
        (r.document_id, r.entity_id): r.ledger_entity
        for r in conn.execute(sa.select(t.entity_links))
    }
    said: dict[str, int] = defaultdict(int)
    carried: dict[str, int] = defaultdict(int)
    documents: dict[str, set[str]] = defaultdict(set)
    relayed: dict[str, set[str]] = defaultdict(set)
    for document_id, payload in conn.execute(
        sa.select(t.attributions.c.document_id, t.attributions.c.payload)
    ):
        a = json.loads(payload)
        source = a.get("source") or {}
        origin = link.get((document_id, source.get("entity_id") or ""))
        if origin:
            said[origin] += 1
            documents[origin].add(document_id)
        for via in a.get("via") or []:
            carrier = link.get((document_id, via.get("entity_id") or ""))
            if carrier:
                carried[carrier] += 1
                documents[carrier].add(document_id)
                if origin and origin != carrier:
                    relayed[carrier].add(entities[origin].name if origin in entities else origin)
    roots: dict[str, int] = dict(
        conn.execute(
            sa.select(t.claim_facts.c.root, sa.func.count()).group_by(t.claim_facts.c.root)
        ).all()
    )
    rows = [
        SourceRow(
            id=entity_id,
            name=e.name,
            kind=e.kind,
            aliases=tuple(json.loads(e.aliases)),
            roles=tuple(json.loads(e.roles)),
            statements=said[entity_id],
            carried=carried[entity_id],
            claims=int(roots.get(entity_id, 0)),
            documents=len(documents[entity_id]),
            relayed=tuple(sorted(relayed[entity_id])),
            merged=e.reason,
        )
        for entity_id, e in entities.items()
        if said[entity_id] or carried[entity_id] or roots.get(entity_id)
    ]
    rows.sort(key=lambda r: (-r.claims, -r.statements - r.carried, r.name))
    return rows


def provenance(conn: Connection, *, subject: str | None = None) -> Provenance:
    """Nodes (ledger entities and outlets) and counted edges, root source first, for the
    attributions that yield claims (about ``subject`` if given)."""
    link = {
        (r.document_id, r.entity_id): r.ledger_entity
        for r in conn.execute(sa.select(t.entity_links))
    }
    names: dict[str, tuple[str, str]] = {}
    outlet_entity: dict[str, str] = {}  # an outlet's name -> the ledger entity named so
    for r in conn.execute(sa.select(t.ledger_entities)):
        names[r.id] = (r.name, r.kind)
        if r.kind == "outlet":
            for name in (r.name, *json.loads(r.aliases)):
                outlet_entity[normalise_name(name)] = r.id
    outlets = dict(conn.execute(sa.select(t.documents.c.id, t.documents.c.outlet)).all())
    claimed = sa.select(t.claims.c.document_id, t.claims.c.attribution_id).distinct()
    if subject:
        claimed = claimed.where(
            t.claim_facts.c.subject.contains(subject.lower(), autoescape=True)
            & (t.claim_facts.c.document_id == t.claims.c.document_id)
            & (t.claim_facts.c.claim_id == t.claims.c.id)
        )
    wanted = {(doc, a) for doc, a in conn.execute(claimed) if a}
    nodes: dict[str, tuple[str, str]] = {}  # key -> (name, kind), as first seen
    statements: dict[str, int] = defaultdict(int)
    edges: dict[tuple[str, str], int] = defaultdict(int)

    def node(key: str, name: str, kind: str) -> str:
        nodes.setdefault(key, (name, kind))
        statements[key] += 1
        return key

    for document_id, attribution_id, payload in conn.execute(
        sa.select(t.attributions.c.document_id, t.attributions.c.id, t.attributions.c.payload)
    ):
        if (document_id, attribution_id) not in wanted:
            continue
        a = json.loads(payload)
        chain: list[str] = []
        for who in [a.get("source"), *reversed(a.get("via") or [])]:
            if not who:
                continue
            entity = link.get((document_id, who.get("entity_id") or ""))
            if entity and entity in names:
                chain.append(node(entity, *names[entity]))
            elif who.get("text"):
                key = "words:" + normalise_name(who["text"])
                chain.append(node(key, who["text"], who.get("kind") or "unknown"))
        outlet = outlets.get(document_id)
        if outlet:
            key = outlet_entity.get(normalise_name(outlet), "outlet:" + normalise_name(outlet))
            if not chain or chain[-1] != key:
                chain.append(node(key, *names.get(key, (outlet, "outlet"))))
        for before, after in itertools.pairwise(chain):
            if before != after:
                edges[(before, after)] += 1
    found = [
        ProvenanceNode(id=key, name=name, kind=kind, statements=statements[key])
        for key, (name, kind) in nodes.items()
    ]
    return Provenance(
        nodes=tuple(sorted(found, key=lambda n: (-n.statements, n.name))),
        edges=tuple(
            ProvenanceEdge(from_=a, to=b, statements=n) for (a, b), n in sorted(edges.items())
        ),
    )


def corrections(conn: Connection) -> list[Correction]:
    """Every stored correction, the oldest first."""
    c = t.corrections
    rows = conn.execute(sa.select(c).order_by(c.c.created, c.c.id)).mappings()
    return [Correction.from_row(dict(row)) for row in rows]
