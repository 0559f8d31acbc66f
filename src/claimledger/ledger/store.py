"""The ledger: documents, entities, attributions and claims in one database.

The embedded default is one SQLite file (WAL, foreign keys, FTS5 full-text search); the
same code runs on PostgreSQL given a database URL (``postgresql+psycopg://...``). The
schema is created and upgraded by the Alembic migrations in ``ledger/migrations``.

Storing an analysis is one transaction and idempotent: a document's id is the hash of its
normalised text, and analysing it again replaces its rows. A document whose text is a
near-copy of one stored before (MinHash over word shingles) is linked to it in
``near_duplicates``, so the same wire report carried by ten sites is one source, not ten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from datasketch import MinHash, MinHashLSH
from sqlalchemy.engine import Connection, Engine

from claimledger.errors import LedgerError
from claimledger.ledger import derive
from claimledger.ledger import tables as t
from claimledger.ledger.export import Rating
from claimledger.records import Analysis

# Near-duplicates: 3-word shingles, 128 permutations, linked at estimated Jaccard ≥ 0.7
# (a wire story with a new headline and a changed word scores about 0.85).
SHINGLE_WORDS = 3
NUM_PERM = 128
DUPLICATE_THRESHOLD = 0.7
_SEED = 1  # MinHash permutations must be the same in every process and every run
_SCHEME = "affine32"  # datasketch 2's hashing scheme, named so stored signatures stay valid
_WORD = re.compile(r"\w+")


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path (SQLite) or a URL given as such."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text)}"


def minhash_of(text: str) -> MinHash:
    """The MinHash of a text's word 3-shingles (lower-cased), seeded for repeatability."""
    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    signature = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles])
    return signature


def _signature_bytes(signature: MinHash) -> bytes:
    return np.asarray(signature.hashvalues, dtype=np.uint64).tobytes()


def _signature(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=_SEED,
        hashvalues=np.frombuffer(data, dtype=np.uint64),
        scheme=_SCHEME,
    )


@dataclass(frozen=True)
class Stored:
    """What storing one analysis did."""

    document_id: str
    new: bool  # False: the document was there and its rows were replaced
    duplicate_of: str | None  # the earlier document it is a near-copy of
    similarity: float | None


def _migrations() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("claimledger.ledger").joinpath("migrations"))
    )
    return config


class Ledger:
    """A ledger database: a SQLite file path or a database URL. Use as a context manager,
    or call :meth:`close`."""

    def __init__(self, target: str | Path) -> None:
        self.url = database_url(target)
        self.name = str(target)
        try:
            self.engine: Engine = sa.create_engine(self.url)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise LedgerError(f"{self.name}: not a usable database URL ({exc})") from exc
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        elif self.engine.dialect.name != "postgresql":
            raise LedgerError(
                f"{self.name}: claimledger stores ledgers in SQLite or PostgreSQL, "
                f"not {self.engine.dialect.name}"
            )
        try:
            with self.engine.begin() as conn:
                self._upgrade(conn)
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise LedgerError(
                f"{self.name}: cannot open as a claimledger ledger ({reason}); "
                "give a new file name, an existing ledger or a reachable database URL"
            ) from exc
        self._lsh: MinHashLSH | None = None
        self._reconciling = threading.Lock()  # one reconcile at a time in this process

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _upgrade(self, conn: Connection) -> None:
        config = _migrations()
        head = ScriptDirectory.from_config(config).get_current_head()
        current = MigrationContext.configure(conn).get_current_revision()
        names = sa.inspect(conn).get_table_names()
        if current is None and "documents" in names:
            raise LedgerError(
                f"{self.name}: this ledger was written by an earlier development version "
                "of claimledger and has no migration history; analyse into a new file"
            )
        if current is not None and current != head:
            known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}
            if current not in known:
                raise LedgerError(
                    f"{self.name}: ledger schema revision {current} is newer than this "
                    "claimledger understands; upgrade claimledger"
                )
        if current != head:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------------

    def store(self, analysis: Analysis) -> bool:
        """Store one analysis in a single transaction; returns False if the document was
        already there (its rows are replaced, never duplicated)."""
        return self.store_analysis(analysis).new

    def store_analysis(self, analysis: Analysis) -> Stored:
        """Store one analysis in a single transaction, linking it to an earlier
        near-copy. A failure anywhere leaves the ledger as it was."""
        data = analysis.to_json()
        doc = data["document"]
        signature = minhash_of(doc["text"])
        lsh = self._index()
        with self.engine.begin() as conn:
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
                "minhash": _signature_bytes(signature),
            }
            if existed:
                # Replace what was read from it, but keep the document row: links from
                # its copies stay, and it keeps its place as the first of them.
                self._delete_rows(conn, doc["id"])
                conn.execute(
                    t.documents.update().where(t.documents.c.id == doc["id"]).values(**row)
                )
            else:
                conn.execute(
                    t.documents.insert(), {"id": doc["id"], "analysed_at": first_seen, **row}
                )
            duplicate = self._nearest_copy(
                conn, doc["id"], signature, lsh, first_seen, _figures_in(doc["text"])
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
            self._insert_rows(conn, data)
            _bump_changes(conn)
        if doc["id"] not in lsh.keys:
            lsh.insert(doc["id"], signature)
        return Stored(
            document_id=doc["id"],
            new=not existed,
            duplicate_of=duplicate[0] if duplicate else None,
            similarity=duplicate[1] if duplicate else None,
        )

    def _delete_rows(self, conn: Connection, document_id: str) -> None:
        """Everything read from a document, and its own near-copy link."""
        for table in (t.claims, t.attributions, t.entities):
            conn.execute(table.delete().where(table.c.document_id == document_id))
        conn.execute(
            t.near_duplicates.delete().where(t.near_duplicates.c.document_id == document_id)
        )
        if self.dialect == "sqlite":
            conn.execute(
                sa.text("DELETE FROM documents_fts WHERE document_id = :id"), {"id": document_id}
            )
            conn.execute(
                sa.text("DELETE FROM claims_fts WHERE document_id = :id"), {"id": document_id}
            )

    def _insert_rows(self, conn: Connection, data: dict[str, Any]) -> None:
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
        if self.dialect == "sqlite":
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

    # --- reconciliation ------------------------------------------------------------------

    def stale(self) -> bool:
        """True when documents were stored since the last :meth:`reconcile`."""
        with self.engine.connect() as conn:
            state = dict(
                conn.execute(sa.select(t.ledger_state.c.key, t.ledger_state.c.value)).all()
            )
        return bool(
            state.get("changes") != state.get("reconciled")
            or state.get("rules") != derive.RULES_VERSION
        )

    def reconcile(self, *, force: bool = False) -> ReconcileSummary:
        """Recompute the derived tables (ledger entities, claim facts, figures, relations)
        from every stored document, in one transaction. Skipped when nothing changed since
        the last run, unless ``force``."""
        with self._reconciling, self.engine.begin() as conn:
            # Take the write lock first (SQLite) or the row lock (PostgreSQL), then read the
            # counters: a second process or thread reconciling at the same moment waits,
            # and then finds nothing left to do.
            conn.execute(
                t.ledger_state.update()
                .where(t.ledger_state.c.key == "reconciled")
                .values(value=t.ledger_state.c.value)
            )
            changes = conn.execute(
                sa.select(t.ledger_state.c.value).where(t.ledger_state.c.key == "changes")
            ).scalar_one()
            done = conn.execute(
                sa.select(t.ledger_state.c.value).where(t.ledger_state.c.key == "reconciled")
            ).scalar_one()
            rules = conn.execute(
                sa.select(t.ledger_state.c.value).where(t.ledger_state.c.key == "rules")
            ).scalar()
            if changes == done and rules == derive.RULES_VERSION and not force:
                return self._summary(conn, ran=False)
            derive.rebuild(conn)
            conn.execute(t.ledger_state.delete().where(t.ledger_state.c.key == "rules"))
            conn.execute(t.ledger_state.insert(), {"key": "rules", "value": derive.RULES_VERSION})
            conn.execute(
                t.ledger_state.update()
                .where(t.ledger_state.c.key == "reconciled")
                .values(value=changes)
            )
            return self._summary(conn, ran=True)

    def _summary(self, conn: Connection, *, ran: bool) -> ReconcileSummary:
        def count(table: sa.Table, *where: Any) -> int:
            query = sa.select(sa.func.count()).select_from(table)
            for clause in where:
                query = query.where(clause)
            return int(conn.execute(query).scalar_one())

        kinds: dict[str, int] = dict(
            conn.execute(
                sa.select(t.relations.c.kind, sa.func.count()).group_by(t.relations.c.kind)
            ).all()
        )
        return ReconcileSummary(
            ran=ran,
            entities=count(t.ledger_entities),
            figures=count(t.figures),
            relations={k: int(v) for k, v in sorted(kinds.items())},
        )

    def _fresh(self) -> None:
        if self.stale():
            self.reconcile()

    def relations(
        self,
        *,
        kind: str | None = None,
        subject: str | None = None,
        measure: str | None = None,
        exact: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Relations between claims (reconciling first if the ledger changed), each with
        both claims' figure, measure, source, outlet and time; by subject, kind and order
        of finding. ``subject`` matches words of the subject key, or with ``exact`` the
        whole key; ``measure`` keeps relations with a claim of that measure on either
        side; ``limit`` and ``offset`` page through them."""
        self._fresh()
        with self.engine.connect() as conn:
            return derive.relation_rows(
                conn,
                kind=kind,
                subject=subject,
                measure=measure,
                exact=exact,
                limit=limit,
                offset=offset,
            )

    def count_relations(
        self,
        *,
        kind: str | None = None,
        subject: str | None = None,
        measure: str | None = None,
        exact: bool = False,
    ) -> int:
        """How many relations :meth:`relations` gives for the same filters."""
        self._fresh()
        with self.engine.connect() as conn:
            return derive.count_relations(
                conn, kind=kind, subject=subject, measure=measure, exact=exact
            )

    def conflicts(
        self, *, subject: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """The relations of kind ``conflicts``."""
        return self.relations(kind="conflicts", subject=subject, limit=limit, offset=offset)

    def figures(
        self,
        *,
        subject: str | None = None,
        measure: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        max_claims: int | None = None,
    ) -> list[dict[str, Any]]:
        """Corroborating figures with their claims and independent root sources, by
        subject and measure; ``limit`` and ``offset`` page through them. Each has
        ``size``, its number of claims, and lists at most ``max_claims`` of them, the
        earliest first."""
        self._fresh()
        with self.engine.connect() as conn:
            return derive.figure_rows(
                conn,
                subject=subject,
                measure=measure,
                limit=limit,
                offset=offset,
                max_claims=max_claims,
            )

    def count_figures(self, *, subject: str | None = None, measure: str | None = None) -> int:
        """How many figures :meth:`figures` gives for the same filters."""
        self._fresh()
        with self.engine.connect() as conn:
            return derive.count_figures(conn, subject=subject, measure=measure)

    def rating(self, document: str, claim: str) -> Rating | None:
        """The rating of one claim, if it has one."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.ratings).where(
                    (t.ratings.c.document_id == document) & (t.ratings.c.claim_id == claim)
                )
            ).first()
        return None if row is None else _rating(row)

    def sources(self) -> list[dict[str, Any]]:
        """Ledger entities that gave or carried claims, with counts and the roots they
        relayed."""
        self._fresh()
        with self.engine.connect() as conn:
            return derive.source_rows(conn)

    def rate(self, rating: Rating) -> None:
        """Record (or replace) a fact-checker's rating of one stored claim."""
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(t.claims.c.id).where(
                    (t.claims.c.document_id == rating.document) & (t.claims.c.id == rating.claim)
                )
            ).first()
            if exists is None:
                raise LedgerError(
                    f"no claim {rating.document}/{rating.claim} in {self.name}; "
                    "see 'claimledger claims --format jsonl' for claim references"
                )
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
                },
            )

    def ratings(self) -> dict[tuple[str, str], Rating]:
        """Every rating, by (document id, claim id)."""
        with self.engine.connect() as conn:
            return {
                (r.document_id, r.claim_id): _rating(r) for r in conn.execute(sa.select(t.ratings))
            }

    # --- near-duplicates -----------------------------------------------------------------

    def _index(self) -> MinHashLSH:
        """The LSH index of every stored document's signature, built once per ledger."""
        if self._lsh is None:
            lsh = MinHashLSH(threshold=DUPLICATE_THRESHOLD, num_perm=NUM_PERM)
            with self.engine.connect() as conn:
                for doc_id, data in conn.execute(
                    sa.select(t.documents.c.id, t.documents.c.minhash).where(
                        t.documents.c.minhash.is_not(None)
                    )
                ):
                    lsh.insert(doc_id, _signature(data))
            self._lsh = lsh
        return self._lsh

    def _nearest_copy(
        self,
        conn: Connection,
        doc_id: str,
        signature: MinHash,
        lsh: MinHashLSH,
        first_seen: dt.datetime,
        figures: frozenset[str],
    ) -> tuple[str, float] | None:
        """The earliest-stored document, stored before this one, that this one is a
        near-copy of, if any: similar word shingles and the same figures (two daily
        bulletins in one template, 57 and 233 drones, are two reports, not one)."""
        candidates = [c for c in lsh.query(signature) if c != doc_id]
        if not candidates:
            return None
        rows = conn.execute(
            sa.select(
                t.documents.c.id,
                t.documents.c.minhash,
                t.documents.c.analysed_at,
                t.documents.c.text,
            )
            .where(t.documents.c.id.in_(candidates))
            .order_by(t.documents.c.analysed_at, t.documents.c.id)
        ).all()
        for other, data, seen, text in rows:
            if _aware(seen) > _aware(first_seen):
                break  # a later document may copy this one, not the reverse
            similarity = float(signature.jaccard(_signature(data)))
            if similarity >= DUPLICATE_THRESHOLD and _figures_in(text) == figures:
                # link to the root of a chain of copies, not to another copy
                root = conn.execute(
                    sa.select(t.near_duplicates.c.duplicate_of).where(
                        t.near_duplicates.c.document_id == other
                    )
                ).scalar()
                if root == doc_id:
                    continue
                return (root or other, round(similarity, 4))
        return None

    # --- reading -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as conn:
            return {
                table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in (t.documents, t.entities, t.attributions, t.claims)
            }

    def claims(self) -> Iterator[dict[str, Any]]:
        """Every stored claim's JSON, with its document id, in document and claim order."""
        query = sa.select(t.claims.c.document_id, t.claims.c.payload).order_by(
            t.claims.c.document_id, t.claims.c.seq
        )
        with self.engine.connect() as conn:
            for document_id, payload in conn.execute(query):
                claim: dict[str, Any] = json.loads(payload)
                claim["document"] = document_id
                yield claim

    def find_claims(
        self,
        *,
        subject: str | None = None,
        measure: str | None = None,
        source: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        certainty: str | None = None,
        document: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> Iterator[dict[str, Any]]:
        """Stored claims matching every filter given, oldest first, each as its JSON with
        ``document``, ``source``, ``outlet`` and ``published`` added. ``subject`` and
        ``source`` match case-insensitive substrings of the subject key and of the source's
        entity or words; ``since`` keeps claims whose time (else publication) ends on or
        after that date, ``until`` those that start on or before it. Each row also carries
        ``url``, ``title``, ``statement`` (what was said), ``roots`` (the independent
        origin it traces to) and ``source_kind``. ``limit`` and ``offset`` page through
        the same order."""
        self._fresh()
        query = self._claims_query(
            subject=subject,
            measure=measure,
            source=source,
            since=since,
            until=until,
            certainty=certainty,
            document=document,
        )
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                claim: dict[str, Any] = json.loads(row.payload)
                claim.update(
                    document=row.document_id,
                    source=row.resolved or row.source_entity or row.source,
                    outlet=row.outlet,
                    published=row.published.isoformat() if row.published else None,
                    url=row.url,
                    title=row.title,
                    statement=row.text,
                    roots=[row.root_name] if row.root_name else [],
                    source_kind=row.kind,
                )
                yield claim

    def count_claims(self, **filters: Any) -> int:
        """How many claims :meth:`find_claims` gives for the same filters (no paging)."""
        self._fresh()
        query = self._claims_query(**filters)
        with self.engine.connect() as conn:
            return derive.count_rows(conn, query)

    def _claims_query(
        self,
        *,
        subject: str | None = None,
        measure: str | None = None,
        source: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        certainty: str | None = None,
        document: str | None = None,
    ) -> sa.Select[Any]:
        c, a, d = t.claims, t.attributions, t.documents
        f, le = t.claim_facts, t.ledger_entities
        query = (
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
        if subject:
            query = query.where(c.c.subject.contains(subject.lower(), autoescape=True))
        if measure:
            query = query.where(c.c.measure == measure)
        if source:
            needle = source.lower()
            query = query.where(
                sa.func.lower(a.c.source_entity).contains(needle, autoescape=True)
                | sa.func.lower(f.c.source).contains(needle, autoescape=True)
                | sa.func.lower(a.c.source).contains(needle, autoescape=True)
            )
        if since:
            query = query.where(sa.func.coalesce(c.c.time_end, d.c.published) >= since)
        if until:
            query = query.where(sa.func.coalesce(c.c.time_start, d.c.published) <= until)
        if certainty:
            query = query.where(c.c.certainty == certainty)
        if document:
            query = query.where(c.c.document_id == document)
        return query

    def claim_groups(self) -> list[dict[str, Any]]:
        """Every (subject, measure) pair with its number of claims, by subject."""
        c = t.claims
        query = (
            sa.select(c.c.subject, c.c.measure, sa.func.count().label("claims"))
            .group_by(c.c.subject, c.c.measure)
            .order_by(c.c.subject, c.c.measure)
        )
        with self.engine.connect() as conn:
            return [
                {"subject": subject, "measure": measure, "claims": int(n)}
                for subject, measure, n in conn.execute(query)
            ]

    def timeline(self, subject: str, measures: Iterable[str] = ()) -> list[dict[str, Any]]:
        """The dated count figures about ``subject`` (of ``measures``, else all), oldest
        first: each claim's JSON as :meth:`find_claims` gives it, plus ``start`` and
        ``end`` (the interval it holds for, docs/reconciliation.md), ``dated_by``,
        ``independent`` (the independent roots of its figure) and ``conflicts`` (True when
        a conflict involves it)."""
        wanted = set(measures)
        self._fresh()
        r = t.relations
        with self.engine.connect() as conn:
            conflicted = {
                f"{doc}/{claim}"
                for a_doc, a_claim, b_doc, b_claim in conn.execute(
                    sa.select(r.c.a_document, r.c.a_claim, r.c.b_document, r.c.b_claim).where(
                        (r.c.kind == "conflicts")
                        & r.c.subject.contains(subject.lower(), autoescape=True)
                    )
                )
                for doc, claim in ((a_doc, a_claim), (b_doc, b_claim))
            }
        with self.engine.connect() as conn:
            facts = {
                (r.document_id, r.claim_id): r
                for r in conn.execute(
                    sa.select(
                        t.claim_facts.c.document_id,
                        t.claim_facts.c.claim_id,
                        t.claim_facts.c.start,
                        t.claim_facts.c.end,
                        t.claim_facts.c.dated_by,
                        t.figures.c.independent,
                    )
                    .join(t.figures, t.figures.c.id == t.claim_facts.c.figure)
                    .where(t.claim_facts.c.subject.contains(subject.lower(), autoescape=True))
                )
            }
        points = []
        for claim in self.find_claims(subject=subject):
            fact = facts.get((claim["document"], claim["id"]))
            if wanted and claim["measure"] not in wanted:
                continue
            if fact is None or fact.start is None or fact.end is None:
                continue
            if claim["quantity"]["unit"] not in ("count", "percent"):
                continue
            ref = f"{claim['document']}/{claim['id']}"
            points.append(
                {
                    **claim,
                    "ref": ref,
                    "start": fact.start.isoformat(),
                    "end": fact.end.isoformat(),
                    "dated_by": fact.dated_by,
                    "independent": int(fact.independent),
                    "conflicts": ref in conflicted,
                }
            )
        points.sort(key=lambda p: (p["start"], p["ref"]))
        return points

    # --- documents -----------------------------------------------------------------------

    def documents(
        self, *, words: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Stored documents, newest publication first (undated last), each with its
        metadata, counts and the earlier document it is a near-copy of; ``words`` keeps
        those whose text has all of them."""
        query = self._documents_query(words)
        d = t.documents
        query = query.order_by(sa.nulls_last(d.c.published.desc()), d.c.id)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        with self.engine.connect() as conn:
            return [_document_row(row) for row in conn.execute(query)]

    def count_documents(self, *, words: str | None = None) -> int:
        query = self._documents_query(words)
        with self.engine.connect() as conn:
            return derive.count_rows(conn, query)

    def _documents_query(self, words: str | None) -> sa.Select[Any]:
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
            found = self.search_documents(words)
            query = query.where(d.c.id.in_(found))
        return query

    def document(self, document_id: str) -> dict[str, Any] | None:
        """One document in the JSON form of docs/schema.md (its text, entities,
        attributions and claims), with its ledger metadata; None if it is not stored."""
        d = t.documents
        with self.engine.connect() as conn:
            row = conn.execute(
                self._documents_query(None).add_columns(d.c.text).where(d.c.id == document_id)
            ).first()
            if row is None:
                return None
            parts = {}
            for table in (t.entities, t.attributions, t.claims):
                order = table.c.seq if "seq" in table.c else table.c.id
                parts[table.name] = [
                    json.loads(payload)
                    for (payload,) in conn.execute(
                        sa.select(table.c.payload)
                        .where(table.c.document_id == document_id)
                        .order_by(order)
                    )
                ]
        document = _document_row(row)
        document["text"] = row.text
        return {
            "document": document,
            "entities": sorted(parts["entities"], key=lambda e: int(e["id"][1:])),
            "attributions": parts["attributions"],
            "claims": parts["claims"],
        }

    def provenance(self, *, subject: str | None = None) -> dict[str, Any]:
        """How statements reached the ledger: nodes are root sources, intermediaries and
        outlets; an edge (from, to, count) says how many statements passed that way, root
        first ("Ukrainian Special Operations Forces" → "Korean News Agency" → the outlet).
        ``subject`` keeps the statements that yield claims about it."""
        self._fresh()
        with self.engine.connect() as conn:
            return derive.provenance(conn, subject=subject)

    def duplicates(self) -> list[tuple[str, str, float]]:
        """(document, the earlier document it copies, similarity) for every link."""
        query = sa.select(
            t.near_duplicates.c.document_id,
            t.near_duplicates.c.duplicate_of,
            t.near_duplicates.c.similarity,
        ).order_by(t.near_duplicates.c.document_id)
        with self.engine.connect() as conn:
            return [(a, b, float(s)) for a, b, s in conn.execute(query)]

    def search_documents(self, words: str) -> list[str]:
        """Ids of documents whose text has all of ``words``, best first."""
        return self._search("documents", words)

    def search_claims(self, words: str) -> list[tuple[str, str]]:
        """(document id, claim id) of claims whose statement has all of ``words``."""
        return [tuple(r.split("/", 1)) for r in self._search("claims", words)]  # type: ignore[misc]

    def _search(self, what: str, words: str) -> list[str]:
        terms = _WORD.findall(words)
        if not terms:
            return []
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                # every term quoted: the user's words are never FTS5 syntax
                match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
                if what == "documents":
                    sql = (
                        "SELECT document_id FROM documents_fts WHERE documents_fts MATCH :q"
                        " ORDER BY rank"
                    )
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


@dataclass(frozen=True)
class ReconcileSummary:
    """What :meth:`Ledger.reconcile` found."""

    ran: bool  # False: nothing had changed since the last run
    entities: int
    figures: int
    relations: dict[str, int]  # kind -> count


def _rating(row: Any) -> Rating:
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


def _document_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "outlet": row.outlet,
        "title": row.title,
        "published": row.published.isoformat() if row.published else None,
        "analysed_at": _aware(row.analysed_at).isoformat(),
        "format": row.format,
        "path": row.path,
        "duplicate_of": row.duplicate_of,
        "similarity": row.similarity,
        "claims": int(row.claims),
        "attributions": int(row.attributions),
    }


def _bump_changes(conn: Connection) -> None:
    conn.execute(
        t.ledger_state.update()
        .where(t.ledger_state.c.key == "changes")
        .values(value=t.ledger_state.c.value + 1)
    )


_FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def _figures_in(text: str) -> frozenset[str]:
    """The numbers a text states, written without separators: "12,000" is "12000"."""
    return frozenset(m.replace(",", "") for m in _FIGURE.findall(text))


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _date(time: dict[str, Any] | None, key: str) -> dt.date | None:
    value = time.get(key) if time else None
    return dt.date.fromisoformat(value) if value else None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
