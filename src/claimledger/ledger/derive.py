"""The ledger's derived tables: read every stored document's records, reconcile them
(:mod:`claimledger.ledger.reconcile`) and write the result; and the queries over it.

Only :class:`claimledger.ledger.store.Ledger` calls this module, inside its own
transactions."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claimledger.gazetteer import default_gazetteer, normalise_name
from claimledger.ledger import tables as t
from claimledger.ledger.reconcile import (
    SAME_TIME_DAYS,
    ClaimFacts,
    DatedBy,
    DocumentEntity,
    LedgerEntity,
    reconcile,
    resolve_entities,
    scope_of,
)

# Bump when the reconciliation rules change: ledgers reconciled by older rules are then
# reconciled again on their next query.
RULES_VERSION = 8
_BATCH = 5_000
_DURATION_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_DERIVED = (t.relations, t.claim_facts, t.figures, t.entity_links, t.ledger_entities)


def rebuild(conn: Connection) -> None:
    """Replace every derived table's rows with a reconciliation of the stored records."""
    for table in _DERIVED:
        conn.execute(table.delete())
    entities = resolve_entities(_document_entities(conn))
    _insert(conn, t.ledger_entities, (_entity_row(e) for e in entities))
    link = {member: e for e in entities for member in e.members}
    _insert(
        conn,
        t.entity_links,
        (
            {"document_id": doc, "entity_id": local, "ledger_entity": e.id}
            for (doc, local), e in link.items()
        ),
    )
    facts = list(_claim_facts(conn, link, entities))
    result = reconcile(facts)
    _insert(
        conn,
        t.figures,
        (
            {
                "id": i,
                "subject": f.subject,
                "measure": f.measure,
                "claims": len(f.claims),
                "independent": f.independent,
                "roots": json.dumps(list(f.roots)),
            }
            for i, f in enumerate(result.figures)
        ),
    )
    _insert(
        conn,
        t.claim_facts,
        (
            {
                "document_id": c.document,
                "claim_id": c.claim,
                "subject": c.subject,
                "measure": c.measure,
                "source": c.source,
                "root": c.root,
                "root_name": c.root_name,
                "scope": c.scope,
                "start": c.start,
                "end": c.end,
                "dated_by": c.dated_by,
                "figure": result.figure_of[c.ref],
            }
            for c in facts
        ),
    )
    subject_of = {c.ref: c.subject for c in facts}
    _insert(
        conn,
        t.relations,
        (
            {
                "id": i,
                "subject": subject_of[r.a],
                "a_document": r.a.split("/", 1)[0],
                "a_claim": r.a.split("/", 1)[1],
                "b_document": r.b.split("/", 1)[0],
                "b_claim": r.b.split("/", 1)[1],
                "kind": r.kind,
                "reason": r.reason,
            }
            for i, r in enumerate(result.relations)
        ),
    )


def _insert(conn: Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _entity_row(e: LedgerEntity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "kind": e.kind,
        "aliases": json.dumps(list(e.aliases)),
        "roles": json.dumps(list(e.roles)),
        "affiliations": json.dumps(list(e.affiliations)),
        "reason": e.reason,
    }


def _document_entities(conn: Connection) -> Iterator[DocumentEntity]:
    query = sa.select(t.entities.c.document_id, t.entities.c.payload).order_by(
        t.entities.c.document_id, t.entities.c.id
    )
    for document_id, payload in conn.execute(query):
        e = json.loads(payload)
        yield DocumentEntity(
            document=document_id,
            id=e["id"],
            name=e["name"],
            kind=e["kind"],
            roles=tuple(e.get("roles") or ()),
            affiliations=tuple(e.get("affiliations") or ()),
            aliases=tuple(e.get("aliases") or ()),
        )


def _claim_facts(
    conn: Connection,
    link: Mapping[tuple[str, str], LedgerEntity],
    entities: Iterable[LedgerEntity] = (),
) -> Iterator[ClaimFacts]:
    documents = {
        r.id: (r.published, r.outlet)
        for r in conn.execute(
            sa.select(t.documents.c.id, t.documents.c.published, t.documents.c.outlet)
        )
    }
    copy_of: dict[str, str] = dict(
        conn.execute(
            sa.select(t.near_duplicates.c.document_id, t.near_duplicates.c.duplicate_of)
        ).all()
    )
    attributions: dict[tuple[str, str], dict[str, Any]] = {}
    citing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for document_id, attribution_id, payload in conn.execute(
        sa.select(t.attributions.c.document_id, t.attributions.c.id, t.attributions.c.payload)
    ):
        attribution = json.loads(payload)
        attributions[(document_id, attribution_id)] = attribution
        if attribution["cue"]["lemma"] == "cite":
            citing[document_id].append(attribution)
    named = _names_of(entities)
    query = sa.select(t.claims.c.document_id, t.claims.c.payload).order_by(
        t.claims.c.document_id, t.claims.c.seq
    )
    for document_id, payload in conn.execute(query):
        claim = json.loads(payload)
        attribution = attributions.get((document_id, claim["attribution"] or ""))
        root_doc = copy_of.get(document_id, document_id)
        published, _ = documents[document_id]
        facts = _facts(
            document_id,
            claim,
            attribution,
            published,
            root_doc,
            documents[root_doc][1],
            link,
        )
        cited = _cited(attribution, citing.get(document_id, ()), named)
        yield facts if cited is None else replace(facts, root=cited[0], root_name=cited[1])


# How far after a statement a "citing X" may stand and still belong to it, in characters:
# "..., a lawmaker said on Thursday, citing the National Intelligence Service."
_CITING_REACH = 80


def _names_of(entities: Iterable[LedgerEntity]) -> dict[str, LedgerEntity]:
    """Ledger entities by every normalised name they go by (sources, not equipment)."""
    named: dict[str, LedgerEntity] = {}
    for e in entities:
        if e.kind != "equipment":
            for name in (e.name, *e.aliases):
                named.setdefault(normalise_name(name), e)
    return named


def _cited(
    attribution: dict[str, Any] | None,
    citing: Iterable[dict[str, Any]],
    named: Mapping[str, LedgerEntity],
) -> tuple[str, str] | None:
    """(root key, root name) of the party a statement's source cites for it ("…, a
    lawmaker said, citing the National Intelligence Service"): the figure comes from the
    cited party, through the speaker."""
    source = (attribution or {}).get("source")
    if attribution is None or not source:
        return None
    start = attribution["cue"]["spans"][0][0]
    end = max(e for _, e in (*attribution["content"]["spans"], *attribution["cue"]["spans"]))
    for other in citing:
        other_source = other.get("source") or {}
        same = (
            source.get("entity_id") and other_source.get("entity_id") == source["entity_id"]
        ) or (other_source.get("text") == source.get("text"))
        cue_at = other["cue"]["spans"][0][0]
        if other is attribution or not same or not start < cue_at <= end + _CITING_REACH:
            continue
        words = other["content"]["text"]
        entry = default_gazetteer().lookup(words)
        name = entry.name if entry is not None else words
        entity = named.get(normalise_name(name))
        if entity is not None:
            return entity.id, entity.name
        shown = " ".join(w for w in name.split() if w.lower() != "the") or name
        return f"words:{normalise_name(name)}", shown
    return None


def _facts(
    document_id: str,
    claim: dict[str, Any],
    attribution: dict[str, Any] | None,
    published: dt.date | None,
    root_doc: str,
    root_outlet: str | None,
    link: Mapping[tuple[str, str], LedgerEntity],
) -> ClaimFacts:
    quantity = claim["quantity"]
    source_name, root, root_name = _root(document_id, attribution, root_doc, root_outlet, link)
    start, end, dated_by = _effective_time(claim, attribution, published)
    statement = (attribution or {}).get("content", {}).get("text") or quantity["text"]
    time = claim.get("time") or {}
    return ClaimFacts(
        document=document_id,
        claim=claim["id"],
        subject=claim["subject"]["key"],
        measure=claim["measure"],
        low=float(quantity["low"]),
        high=None if quantity["high"] is None else float(quantity["high"]),
        value=None if quantity.get("value") is None else float(quantity["value"]),
        bound=quantity.get("bound", "exact"),
        unit=quantity.get("unit", "count"),
        polarity=claim["polarity"],
        start=start,
        end=end,
        dated_by=dated_by,
        root=root,
        root_name=root_name,
        source=source_name,
        statement=statement,
        figure=quantity["text"],
        scope=scope_of(
            claim["measure"], statement, time.get("granularity"), quantity.get("unit", "count")
        ),
        place=(claim.get("place") or {}).get("key"),
    )


def _root(
    document_id: str,
    attribution: dict[str, Any] | None,
    root_doc: str,
    root_outlet: str | None,
    link: Mapping[tuple[str, str], LedgerEntity],
) -> tuple[str | None, str, str]:
    """(the source as named, the root's key, the root's name). The root is who the
    figure comes from: the resolved source; else the innermost named intermediary
    ("according to Reuters"); else the original of the document (a wire copy's first
    appearance), as that outlet's own report."""
    source = (attribution or {}).get("source")
    chain = [source] if source else []
    chain += list(reversed((attribution or {}).get("via") or []))
    for who in chain:
        if who.get("kind") in ("document", "unknown") and not who.get("entity_id"):
            continue  # "reports say": hearsay, not an origin
        entity = link.get((document_id, who.get("entity_id") or ""))
        if entity is not None:
            return entity.name, entity.id, entity.name
        if who.get("text"):
            words = normalise_name(who["text"])
            return who["text"], f"words:{words}", who["text"]
    name = f"{root_outlet or 'unattributed'} report {root_doc[:8]}"
    return (source or {}).get("text"), f"document:{root_doc}", name


def _effective_time(
    claim: dict[str, Any], attribution: dict[str, Any] | None, published: dt.date | None
) -> tuple[dt.date | None, dt.date | None, DatedBy | None]:
    """The interval a figure holds for: its own time, else its statement's, else the
    article's publication day. An absence with a duration but no dates ("not seen for
    three weeks") runs back from the day it was stated or published."""
    time = claim.get("time") or {}
    if time.get("start") and time.get("end"):
        return (dt.date.fromisoformat(time["start"]), dt.date.fromisoformat(time["end"]), "claim")
    stated = (attribution or {}).get("stated") or {}
    dated_by: DatedBy | None
    if stated.get("start") and stated.get("end"):
        start, end = dt.date.fromisoformat(stated["start"]), dt.date.fromisoformat(stated["end"])
        dated_by = "statement"
    elif published is not None:
        # said at some point before the article appeared: within the week before it
        start, end = published - dt.timedelta(days=SAME_TIME_DAYS), published
        dated_by = "publication"
    else:
        return None, None, None
    quantity = claim["quantity"]
    days = _DURATION_DAYS.get(quantity.get("unit", ""))
    if claim["measure"] == "absent" and days:
        length = quantity["high"] if quantity["high"] is not None else quantity["low"]
        start = end - dt.timedelta(days=round(float(length) * days))
    return start, end, dated_by


# --- queries ------------------------------------------------------------------------------


def _claim_summaries(
    conn: Connection, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """For each (document, claim): its figure, measure, subject, source, root, time, outlet
    and publication date."""
    wanted = sorted(set(keys))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    c, f, d, fg = t.claims, t.claim_facts, t.documents, t.figures
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
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
            .where(sa.tuple_(c.c.document_id, c.c.id).in_(chunk))
        )
        for row in conn.execute(query):
            claim = json.loads(row.payload)
            found[(row.document_id, row.id)] = {
                "ref": f"{row.document_id}/{row.id}",
                "document": row.document_id,
                "claim": row.id,
                "subject": claim["subject"]["key"],
                "measure": claim["measure"],
                "quantity": claim["quantity"],
                "certainty": claim["certainty"],
                "statement": row.text,
                "source": row.source,
                "root": row.root_name,
                "start": _iso(row.start),
                "end": _iso(row.end),
                "dated_by": row.dated_by,
                "scope": row.scope,
                "outlet": row.outlet,
                "published": _iso(row.published),
                "url": row.url,
                "figure": {"independent": row.independent, "roots": json.loads(row.roots)},
            }
    return found


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def count_rows(conn: Connection, query: sa.Select[Any]) -> int:
    """How many rows ``query`` gives."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())


def _relations_query(
    kind: str | None, subject: str | None, measure: str | None = None, exact: bool = False
) -> sa.Select[Any]:
    r, f = t.relations, t.claim_facts
    query = sa.select(r)
    if kind:
        query = query.where(r.c.kind == kind)
    if subject:
        query = query.where(
            r.c.subject == subject
            if exact
            else r.c.subject.contains(subject.lower(), autoescape=True)
        )
    if measure:
        side = sa.select(f.c.claim_id).where(f.c.measure == measure)
        query = query.where(
            sa.exists(
                side.where((f.c.document_id == r.c.a_document) & (f.c.claim_id == r.c.a_claim))
            )
            | sa.exists(
                side.where((f.c.document_id == r.c.b_document) & (f.c.claim_id == r.c.b_claim))
            )
        )
    return query


def relation_rows(
    conn: Connection,
    *,
    kind: str | None = None,
    subject: str | None = None,
    measure: str | None = None,
    exact: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    r = t.relations
    query = _relations_query(kind, subject, measure, exact).order_by(r.c.subject, r.c.kind, r.c.id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = conn.execute(query).all()
    claims = _claim_summaries(
        conn,
        [(x.a_document, x.a_claim) for x in rows] + [(x.b_document, x.b_claim) for x in rows],
    )
    return [
        {
            "kind": x.kind,
            "subject": x.subject,
            "reason": x.reason,
            "a": claims[(x.a_document, x.a_claim)],
            "b": claims[(x.b_document, x.b_claim)],
        }
        for x in rows
        # a document analysed again between the two reads has lost its old claims
        if (x.a_document, x.a_claim) in claims and (x.b_document, x.b_claim) in claims
    ]


def count_relations(
    conn: Connection,
    *,
    kind: str | None = None,
    subject: str | None = None,
    measure: str | None = None,
    exact: bool = False,
) -> int:
    query = _relations_query(kind, subject, measure, exact)
    return count_rows(conn, query)


def _figures_query(subject: str | None, measure: str | None) -> sa.Select[Any]:
    fg = t.figures
    query = sa.select(fg)
    if subject:
        query = query.where(fg.c.subject.contains(subject.lower(), autoescape=True))
    if measure:
        query = query.where(fg.c.measure == measure)
    return query


def count_figures(
    conn: Connection, *, subject: str | None = None, measure: str | None = None
) -> int:
    query = _figures_query(subject, measure)
    return count_rows(conn, query)


def figure_rows(
    conn: Connection,
    *,
    subject: str | None = None,
    measure: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    max_claims: int | None = None,
) -> list[dict[str, Any]]:
    fg, f = t.figures, t.claim_facts
    query = _figures_query(subject, measure).order_by(fg.c.subject, fg.c.measure, fg.c.id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    figures = conn.execute(query).all()
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    ids = [x.id for x in figures]
    for i in range(0, len(ids), 500):
        for doc, claim, figure in conn.execute(
            sa.select(f.c.document_id, f.c.claim_id, f.c.figure)
            .where(f.c.figure.in_(ids[i : i + 500]))
            .order_by(f.c.start, f.c.document_id, f.c.claim_id)
        ):
            if max_claims is None or len(members[figure]) < max_claims:
                members[figure].append((doc, claim))
    claims = _claim_summaries(conn, [k for keys in members.values() for k in keys])
    return [
        {
            "id": x.id,
            "subject": x.subject,
            "measure": x.measure,
            "independent": x.independent,
            "roots": json.loads(x.roots),
            "size": x.claims,  # all its claims; "claims" lists the first max_claims by time
            "claims": [claims[k] for k in members[x.id] if k in claims],
        }
        for x in figures
    ]


def source_rows(conn: Connection) -> list[dict[str, Any]]:
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
    rows = []
    for entity_id, e in entities.items():
        if not (said[entity_id] or carried[entity_id] or roots.get(entity_id)):
            continue
        rows.append(
            {
                "id": entity_id,
                "name": e.name,
                "kind": e.kind,
                "aliases": json.loads(e.aliases),
                "roles": json.loads(e.roles),
                "statements": said[entity_id],
                "carried": carried[entity_id],
                "claims": int(roots.get(entity_id, 0)),
                "documents": len(documents[entity_id]),
                "relayed": sorted(relayed[entity_id]),
                "merged": e.reason,
            }
        )
    rows.sort(key=lambda r: (-r["claims"], -r["statements"] - r["carried"], r["name"]))
    return rows


def provenance(conn: Connection, *, subject: str | None = None) -> dict[str, Any]:
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
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], int] = defaultdict(int)

    def node(key: str, name: str, kind: str) -> str:
        entry = nodes.setdefault(key, {"id": key, "name": name, "kind": kind, "statements": 0})
        entry["statements"] += 1
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
    return {
        "nodes": sorted(nodes.values(), key=lambda n: (-n["statements"], n["name"])),
        "edges": [{"from": a, "to": b, "statements": n} for (a, b), n in sorted(edges.items())],
    }
