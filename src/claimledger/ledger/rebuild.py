"""The full rebuild of the ledger's derived tables: read every stored document's records
(the facts reconciliation needs of each claim: its root source, the time it holds for, its
scope), reconcile them with the pure rules of :mod:`claimledger.ledger.reconcile`, and write
the result (ledger entities, claim facts, figures, relations) in the caller's transaction;
and the counters that say when the derived tables are stale.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claimledger.gazetteer import default_gazetteer, normalise_name
from claimledger.ledger import tables as t
from claimledger.ledger.queries import count_rows
from claimledger.ledger.reads import ReconcileSummary
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
RULES_VERSION = 9
_BATCH = 5_000
_DURATION_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_DERIVED = (t.relations, t.claim_facts, t.figures, t.entity_links, t.ledger_entities)


def _state(conn: Connection) -> dict[str, int]:
    """The counters: documents stored ("changes"), stored when last reconciled
    ("reconciled"), and the rules that reconciled them ("rules")."""
    return dict(conn.execute(sa.select(t.ledger_state.c.key, t.ledger_state.c.value)).all())


def is_stale(conn: Connection) -> bool:
    """True when documents were stored since the last reconciliation, or it ran under
    other rules."""
    state = _state(conn)
    return state.get("changes") != state.get("reconciled") or state.get("rules") != RULES_VERSION


def reconcile_ledger(conn: Connection, *, force: bool = False) -> ReconcileSummary:
    """Rebuild the derived tables in ``conn``'s transaction, unless nothing changed since
    the last rebuild (and not ``force``)."""
    # Take the write lock first (SQLite) or the row lock (PostgreSQL), then read the
    # counters: a second process or thread reconciling at the same moment waits, and then
    # finds nothing left to do.
    conn.execute(
        t.ledger_state.update()
        .where(t.ledger_state.c.key == "reconciled")
        .values(value=t.ledger_state.c.value)
    )
    if not force and not is_stale(conn):
        return _summary(conn, ran=False)
    changes = _state(conn)["changes"]
    rebuild(conn)
    conn.execute(t.ledger_state.delete().where(t.ledger_state.c.key == "rules"))
    conn.execute(t.ledger_state.insert(), {"key": "rules", "value": RULES_VERSION})
    conn.execute(
        t.ledger_state.update().where(t.ledger_state.c.key == "reconciled").values(value=changes)
    )
    return _summary(conn, ran=True)


def _summary(conn: Connection, *, ran: bool) -> ReconcileSummary:
    kinds: dict[str, int] = dict(
        conn.execute(
            sa.select(t.relations.c.kind, sa.func.count()).group_by(t.relations.c.kind)
        ).all()
    )
    return ReconcileSummary(
        ran=ran,
        entities=count_rows(conn, sa.select(t.ledger_entities)),
        figures=count_rows(conn, sa.select(t.figures)),
        relations={k: int(v) for k, v in sorted(kinds.items())},
    )


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
    entities: Iterable[LedgerEntity],
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
    cited party, through the speaker. Names are looked up in the shipped gazetteer, as the
    rules' words come from the shipped lexicon: a ledger's roots must not depend on the
    options of the process that reconciled it."""
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
        modality=claim.get("modality", "reported"),
        rate=(claim.get("rate") or {}).get("per"),
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
