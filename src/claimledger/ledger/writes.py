"""Writing to the ledger: one analysis stored in one transaction (replacing a document's
rows when it is analysed again, linking a near-copy to the document it copies), and a
fact-checker's ratings.

Storing is idempotent: a document's id is the hash of its normalised text, and analysing
it again replaces what was read from it, never duplicates it. A failure anywhere leaves the
ledger as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from claimledger.errors import LedgerError
from claimledger.ledger import neardup
from claimledger.ledger import tables as t
from claimledger.ledger.corrections import ClaimKey, Correction, by_figure, find
from claimledger.ledger.reads import Rating
from claimledger.records import Analysis

if TYPE_CHECKING:
    from datasketch import MinHashLSH


@dataclass(frozen=True)
class Stored:
    """What storing one analysis did."""

    document_id: str
    new: bool  # False: the document was there and its rows were replaced
    duplicate_of: str | None  # the earlier document it is a near-copy of
    similarity: float | None


def store_analysis(engine: Engine, analysis: Analysis, index: MinHashLSH) -> Stored:
    """Store one analysis in a single transaction, linking it to an earlier near-copy
    found in ``index`` (which then holds this document too)."""
    data = analysis.to_json()
    doc = data["document"]
    signature = neardup.minhash_of(doc["text"])
    with engine.begin() as conn:
        stored_at: dt.datetime | None = conn.execute(
            sa.select(t.documents.c.analysed_at).where(t.documents.c.id == doc["id"])
        ).scalar()
        existed = stored_at is not None
        first_seen = stored_at or dt.datetime.now(dt.UTC)
        row = {
            "path": doc["path"],
            "url": doc["url"],
            "outlet": doc["outlet"],
            "title": doc["title"],
            "published": analysis.document.published,
            "format": doc["format"],
            "text": doc["text"],
            "minhash": neardup.signature_bytes(signature),
        }
        old_keys: dict[str, ClaimKey] = {}
        if existed:
            old_keys = _claim_keys(conn, doc["id"])
            # Replace what was read from it, but keep the document row: links from
            # its copies stay, and it keeps its place as the first of them.
            _delete_rows(conn, doc["id"])
            conn.execute(t.documents.update().where(t.documents.c.id == doc["id"]).values(**row))
        else:
            conn.execute(t.documents.insert(), {"id": doc["id"], "analysed_at": first_seen, **row})
        duplicate = neardup.nearest_copy(
            conn, doc["id"], signature, index, first_seen, neardup.figures_in(doc["text"])
        )
        if duplicate is not None:
            conn.execute(
                t.near_duplicates.insert(),
                {
                    "document_id": doc["id"],
                    "duplicate_of": duplicate[0],
                    "similarity": duplicate[1],
                },
            )
        _insert_rows(conn, data)
        if existed:
            _follow_ratings(conn, doc["id"], old_keys, data["claims"])
        _bump_changes(conn)
    if doc["id"] not in index.keys:
        index.insert(doc["id"], signature)
    return Stored(
        document_id=doc["id"],
        new=not existed,
        duplicate_of=duplicate[0] if duplicate else None,
        similarity=duplicate[1] if duplicate else None,
    )


def _claim_keys(conn: Connection, document_id: str) -> dict[str, ClaimKey]:
    """Each stored claim of a document by id, with the key of what it is."""
    return {
        claim_id: ClaimKey.of_claim(document_id, json.loads(payload))
        for claim_id, payload in conn.execute(
            sa.select(t.claims.c.id, t.claims.c.payload).where(
                t.claims.c.document_id == document_id
            )
        )
    }


def _follow_ratings(
    conn: Connection,
    document_id: str,
    old_keys: Mapping[str, ClaimKey],
    claims: list[dict[str, Any]],
) -> None:
    """Move a re-analysed document's ratings to the claims they were made for: the same
    figure at the same place, else the one claim with the same figure's words. A rating
    whose claim is gone stays where it was."""
    rows = [
        dict(r)
        for r in conn.execute(
            sa.select(t.ratings).where(t.ratings.c.document_id == document_id)
        ).mappings()
    ]
    if not rows:
        return
    current = {ClaimKey.of_claim(document_id, c): str(c["id"]) for c in claims}
    index = by_figure(current)
    moved: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r["reviewed"]):
        key = (
            ClaimKey(document_id, row["claim_start"], row["claim_end"], row["claim_figure"] or "")
            if row["claim_start"] is not None
            else old_keys.get(row["claim_id"])
        )
        found = find(key, current, index) if key is not None else None
        row["claim_id"] = found or row["claim_id"]
        if key is not None:
            row.update(claim_start=key.start, claim_end=key.end, claim_figure=key.figure)
        moved[row["claim_id"]] = row  # two ratings of one claim: the later review stays
    conn.execute(t.ratings.delete().where(t.ratings.c.document_id == document_id))
    conn.execute(t.ratings.insert(), list(moved.values()))


def delete_document(engine: Engine, document_id: str) -> bool:
    """Delete a stored document and everything read from it (its claims, attributions,
    entities, ratings, near-copy links, both ways) in one transaction; False if there was
    none. The derived tables are brought up to date by the next reconcile, as after a
    store."""
    with engine.begin() as conn:
        found = conn.execute(
            sa.select(t.documents.c.id).where(t.documents.c.id == document_id)
        ).first()
        if found is None:
            return False
        _delete_rows(conn, document_id)
        conn.execute(t.ratings.delete().where(t.ratings.c.document_id == document_id))
        conn.execute(
            t.near_duplicates.delete().where(t.near_duplicates.c.duplicate_of == document_id)
        )
        conn.execute(t.documents.delete().where(t.documents.c.id == document_id))
        _bump_changes(conn)
        _bump(conn, "deletions")  # the change log looks for the claims of those deleted
    return True


def _delete_rows(conn: Connection, document_id: str) -> None:
    """Everything read from a document, and its own near-copy link. Its countries, and
    those of its near-copies (whose claims' root is this document), are read again by the
    next reconcile, and the figures its claims were in are marked as holding none: that
    tells it the documents whose claims' facts, and the subjects, it must derive again."""
    copies = sa.select(t.near_duplicates.c.document_id).where(
        t.near_duplicates.c.duplicate_of == document_id
    )
    # the figures its claims were in lose them: marked as holding none, so the next
    # reconcile re-derives their subjects (claim_facts goes with the claims)
    conn.execute(
        t.figures.update()
        .where(
            t.figures.c.id.in_(
                sa.select(t.claim_facts.c.figure).where(t.claim_facts.c.document_id == document_id)
            )
        )
        .values(claims=0)
    )
    conn.execute(
        t.document_countries.delete().where(
            (t.document_countries.c.document_id == document_id)
            | t.document_countries.c.document_id.in_(copies)
        )
    )
    for table in (t.claims, t.attributions, t.entities):
        conn.execute(table.delete().where(table.c.document_id == document_id))
    conn.execute(t.near_duplicates.delete().where(t.near_duplicates.c.document_id == document_id))
    if conn.dialect.name == "sqlite":
        conn.execute(
            sa.text("DELETE FROM documents_fts WHERE document_id = :id"), {"id": document_id}
        )
        conn.execute(sa.text("DELETE FROM claims_fts WHERE document_id = :id"), {"id": document_id})


def _insert_rows(conn: Connection, data: dict[str, Any]) -> None:
    doc_id = data["document"]["id"]
    if data["entities"]:
        conn.execute(
            t.entities.insert(),
            [
                {
                    "document_id": doc_id,
                    "id": e["id"],
                    "name": e["name"],
                    "kind": e["kind"],
                    "payload": json.dumps(e),
                }
                for e in data["entities"]
            ],
        )
    content_of = {a["id"]: a["content"]["text"] for a in data["attributions"]}
    if data["attributions"]:
        conn.execute(
            t.attributions.insert(),
            [
                {
                    "document_id": doc_id,
                    "id": a["id"],
                    "seq": seq,
                    "style": a["style"],
                    "source": a["source"]["text"] if a["source"] else None,
                    "source_entity": a["source"]["entity"] if a["source"] else None,
                    "cue": a["cue"]["text"],
                    "stated": a["stated"]["value"] if a["stated"] else None,
                    "stated_start": _date(a["stated"], "start"),
                    "stated_end": _date(a["stated"], "end"),
                    "certainty": a["certainty"],
                    "payload": json.dumps(a),
                }
                for seq, a in enumerate(data["attributions"])
            ],
        )
    rows = [
        {
            "document_id": doc_id,
            "id": c["id"],
            "seq": seq,
            "attribution_id": c["attribution"],
            "subject": c["subject"]["key"],
            "measure": c["measure"],
            "low": c["quantity"]["low"],
            "high": c["quantity"]["high"],
            "value": c["quantity"]["value"],
            "bound": c["quantity"]["bound"],
            "approx": c["quantity"]["approx"],
            "unit": c["quantity"]["unit"],
            "polarity": c["polarity"],
            "as_of": c["time"]["value"] if c["time"] else None,
            "time_start": _date(c["time"], "start"),
            "time_end": _date(c["time"], "end"),
            "certainty": c["certainty"],
            "text": content_of.get(c["attribution"] or "", c["quantity"]["text"]),
            "payload": json.dumps(c),
        }
        for seq, c in enumerate(data["claims"])
    ]
    if rows:
        conn.execute(t.claims.insert(), rows)
    if conn.dialect.name == "sqlite":
        conn.execute(
            sa.text("INSERT INTO documents_fts (document_id, text) VALUES (:id, :text)"),
            {"id": doc_id, "text": data["document"]["text"]},
        )
        if rows:
            conn.execute(
                sa.text(
                    "INSERT INTO claims_fts (document_id, claim_id, text)"
                    " VALUES (:document_id, :id, :text)"
                ),
                [{"document_id": doc_id, "id": r["id"], "text": r["text"]} for r in rows],
            )


def _bump_changes(conn: Connection) -> None:
    conn.execute(
        t.ledger_state.update()
        .where(t.ledger_state.c.key == "changes")
        .values(value=t.ledger_state.c.value + 1)
    )


def _bump(conn: Connection, key: str) -> None:
    """Count one more in ``ledger_state`` under ``key`` (from 0 where there is none)."""
    state = t.ledger_state
    bumped = conn.execute(state.update().where(state.c.key == key).values(value=state.c.value + 1))
    if bumped.rowcount == 0:
        conn.execute(state.insert(), {"key": key, "value": 1})


def _date(time: dict[str, Any] | None, key: str) -> dt.date | None:
    value = time.get(key) if time else None
    return dt.date.fromisoformat(value) if value else None


def rate(engine: Engine, rating: Rating, *, ledger_name: str) -> None:
    """Record (or replace) a fact-checker's rating of one stored claim."""
    with engine.begin() as conn:
        exists = conn.execute(
            sa.select(t.claims.c.id).where(
                (t.claims.c.document_id == rating.document) & (t.claims.c.id == rating.claim)
            )
        ).first()
        if exists is None:
            raise LedgerError(
                f"no claim {rating.document}/{rating.claim} in {ledger_name}; "
                "see 'claimledger claims --format jsonl' for claim references"
            )
        key = claim_key(conn, f"{rating.document}/{rating.claim}", ledger_name=ledger_name)
        conn.execute(
            t.ratings.delete().where(
                (t.ratings.c.document_id == rating.document)
                & (t.ratings.c.claim_id == rating.claim)
            )
        )
        conn.execute(
            t.ratings.insert(),
            {
                "document_id": rating.document,
                "claim_id": rating.claim,
                "verdict": rating.verdict,
                "value": rating.value,
                "reviewer": rating.reviewer,
                "reviewed": rating.reviewed,
                "url": rating.url,
                "note": rating.note,
                "claim_start": key.start,
                "claim_end": key.end,
                "claim_figure": key.figure,
            },
        )


def claim_key(conn: Connection, ref: str, *, ledger_name: str) -> ClaimKey:
    """The key of the stored claim ``ref`` ("DOCUMENT/CLAIM"): what a correction names it
    by, so the correction survives the article being analysed again."""
    document, _, claim = ref.partition("/")
    payload = conn.execute(
        sa.select(t.claims.c.payload).where(
            (t.claims.c.document_id == document) & (t.claims.c.id == claim)
        )
    ).scalar()
    if payload is None:
        raise LedgerError(
            f"no claim {ref} in {ledger_name}; see 'claimledger claims --format jsonl' for "
            "claim references (DOCUMENT/CLAIM)"
        )
    return ClaimKey.of_claim(document, json.loads(payload))


def correct(engine: Engine, correction: Correction, *, ledger_name: str) -> int:
    """Store a fact-checker's correction; its id. The next query reconciles again."""
    correction.check()
    with engine.begin() as conn:
        new_id = conn.execute(
            t.corrections.insert().values(**correction.row())
        ).inserted_primary_key
        _bump_changes(conn)
    assert new_id is not None
    return int(new_id[0])


def uncorrect(engine: Engine, correction_id: int, *, ledger_name: str) -> None:
    """Remove a correction; the next query reconciles without it."""
    with engine.begin() as conn:
        gone = conn.execute(t.corrections.delete().where(t.corrections.c.id == correction_id))
        if not gone.rowcount:
            raise LedgerError(
                f"no correction {correction_id} in {ledger_name}; see 'claimledger correct list'"
            )
        _bump_changes(conn)
