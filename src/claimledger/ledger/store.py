"""The embedded ledger: one SQLite file (WAL, foreign keys) holding documents, entities,
attributions and claims. Storing an analysis is one transaction and idempotent: a
document's id is the hash of its text, and analysing it again replaces its rows."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from claimledger.errors import LedgerError
from claimledger.records import Analysis

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    path TEXT,
    url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    analysed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (document_id, id)
);
CREATE TABLE IF NOT EXISTS attributions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    style TEXT NOT NULL,
    source TEXT,
    source_entity TEXT,
    cue TEXT NOT NULL,
    stated TEXT,
    certainty TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (document_id, id)
);
CREATE TABLE IF NOT EXISTS claims (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    attribution_id TEXT,
    subject TEXT NOT NULL,
    measure TEXT NOT NULL,
    low REAL,
    high REAL,
    approx INTEGER NOT NULL,
    as_of TEXT,
    certainty TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (document_id, id),
    FOREIGN KEY (document_id, attribution_id) REFERENCES attributions(document_id, id)
);
CREATE INDEX IF NOT EXISTS claims_subject_measure ON claims(subject, measure);
"""


# Fixed statements per table: no SQL is ever built from values.
_COUNT_QUERIES = {
    "documents": "SELECT count(*) FROM documents",
    "entities": "SELECT count(*) FROM entities",
    "attributions": "SELECT count(*) FROM attributions",
    "claims": "SELECT count(*) FROM claims",
}


class Ledger:
    """A ledger file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LedgerError(
                    f"{self.path}: ledger schema version {version} is newer than this "
                    f"claimledger understands ({SCHEMA_VERSION}); upgrade claimledger"
                )
            self._db.executescript(SCHEMA)
            self._db.execute("PRAGMA user_version=1")  # == SCHEMA_VERSION
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                f"{self.path}: cannot open as a claimledger ledger ({exc}); "
                "give a new file name or an existing ledger"
            ) from exc

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
        self._db.close()

    def store(self, analysis: Analysis) -> bool:
        """Store one analysis in a single transaction; returns False if the document was
        already there (its rows are replaced, never duplicated)."""
        data = analysis.to_json()
        doc = data["document"]
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            existed = (
                db.execute("SELECT 1 FROM documents WHERE id = ?", (doc["id"],)).fetchone()
                is not None
            )
            db.execute("DELETE FROM documents WHERE id = ?", (doc["id"],))
            db.execute(
                "INSERT INTO documents (id, path, url, outlet, title, published, format, text,"
                " analysed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc["id"],
                    doc["path"],
                    doc["url"],
                    doc["outlet"],
                    doc["title"],
                    doc["published"],
                    doc["format"],
                    doc["text"],
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
            db.executemany(
                "INSERT INTO entities (document_id, id, name, kind, payload)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (doc["id"], e["id"], e["name"], e["kind"], json.dumps(e))
                    for e in data["entities"]
                ],
            )
            db.executemany(
                "INSERT INTO attributions (document_id, id, seq, style, source, source_entity,"
                " cue, stated, certainty, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc["id"],
                        a["id"],
                        seq,
                        a["style"],
                        a["source"]["text"] if a["source"] else None,
                        a["source"]["entity"] if a["source"] else None,
                        a["cue"]["text"],
                        a["stated"]["value"] if a["stated"] else None,
                        a["certainty"],
                        json.dumps(a),
                    )
                    for seq, a in enumerate(data["attributions"])
                ],
            )
            db.executemany(
                "INSERT INTO claims (document_id, id, attribution_id, subject, measure, low,"
                " high, approx, as_of, certainty, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc["id"],
                        c["id"],
                        c["attribution"],
                        c["subject"]["key"],
                        c["measure"],
                        c["quantity"]["low"],
                        c["quantity"]["high"],
                        int(c["quantity"]["approx"]),
                        c["time"]["value"] if c["time"] else None,
                        c["certainty"],
                        json.dumps(c),
                    )
                    for c in data["claims"]
                ],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return not existed

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {
            table: self._db.execute(query).fetchone()[0] for table, query in _COUNT_QUERIES.items()
        }

    def claims(self) -> Iterator[dict[str, Any]]:
        """Every stored claim's JSON, with its document id, in document and claim order."""
        rows = self._db.execute(
            "SELECT document_id, payload FROM claims ORDER BY document_id, rowid"
        )
        for document_id, payload in rows:
            claim: dict[str, Any] = json.loads(payload)
            claim["document"] = document_id
            yield claim
