"""The ledger: documents, entities, attributions and claims in one database.

The embedded default is one SQLite file (WAL, foreign keys, FTS5 full-text search); the
same code runs on PostgreSQL given a database URL (``postgresql+psycopg://...``). The
schema is created and upgraded by the Alembic migrations in ``ledger/migrations``.

:class:`Ledger` is the one public object: it opens, migrates and closes the database and
holds the reconcile lock; its methods hand each job to the module that owns it: writing
(:mod:`~claimledger.ledger.writes`), near-duplicates (:mod:`~claimledger.ledger.neardup`),
the rebuild of the derived tables (:mod:`~claimledger.ledger.rebuild`) and the reads
(:mod:`~claimledger.ledger.queries`), which return the records of
:mod:`~claimledger.ledger.reads`.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from claimledger.errors import InputError, LedgerBusyError, LedgerError
from claimledger.ledger import changes, neardup, queries, rebuild, writes
from claimledger.ledger.changes import Change
from claimledger.ledger.corrections import ClaimKey, Correction
from claimledger.ledger.reads import (
    ClaimDetail,
    ClaimGroup,
    ClaimQuery,
    ClaimRow,
    DocumentDetail,
    FigureRow,
    LedgerDocument,
    Provenance,
    Rating,
    ReconcileSummary,
    RelationRow,
    SourceRow,
    StoredClaim,
    TimelineRow,
)
from claimledger.ledger.writes import Stored
from claimledger.records import Analysis

if TYPE_CHECKING:
    from datasketch import MinHashLSH

EVERY_CLAIM = ClaimQuery()


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a file path (SQLite) or a URL given as such."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text)}"


def display_name(target: str | Path) -> str:
    """A ledger's name as it may be printed: a database URL's password is masked."""
    text = str(target)
    if "://" not in text:
        return text
    try:
        return sa.engine.make_url(text).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return text.split("://", 1)[0] + "://…"


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
        self.name = display_name(target)
        # A ledger in a folder this process cannot write to (a shared, read-only mount) is
        # opened read-only, so it can still be read: SQLite would otherwise fail to make
        # its -wal and -shm files beside it.
        self.read_only = _in_read_only_folder(target)
        if self.read_only:
            path = Path(str(target)).resolve()
            # With no -wal file beside it there is nothing but the file to read, and
            # 'immutable' lets SQLite read it without making a -shm file it cannot make.
            wal = path.with_name(path.name + "-wal").exists()
            self.url = f"sqlite:///file:{path}?mode=ro{'' if wal else '&immutable=1'}&uri=true"
        try:
            self.engine: Engine = sa.create_engine(self.url)
        except (sa.exc.ArgumentError, ImportError) as exc:
            # the driver's message would repeat the URL, password and all
            reason = "no such driver" if isinstance(exc, ImportError) else "cannot be parsed"
            raise LedgerError(f"{self.name}: not a usable database URL ({reason})") from exc
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
        self._lsh: MinHashLSH | None = None  # the near-duplicate index, built on first store
        self._indexed_changes = -1  # the ledger's change count the index is up to date with
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
        if current != head and self.read_only:
            raise LedgerError(
                f"{self.name}: this ledger needs an upgrade, but its folder is read-only; "
                "copy it to a folder you can write to"
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
        with self._writing():
            return writes.store_analysis(self.engine, analysis, self._index())

    def delete(self, document_id: str) -> bool:
        """Delete a stored document and everything read from it, in one transaction;
        False if the ledger holds no such document. The next reconcile re-derives only
        the subjects its claims were in."""
        with self._writing():
            deleted = writes.delete_document(self.engine, document_id)
        if deleted and self._lsh is not None and document_id in self._lsh.keys:
            self._lsh.remove(document_id)
        return deleted

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A failed write as a ``LedgerError`` that says what to do: busy (another
        process holds the write lock past the busy timeout; try again), or not writable."""
        try:
            yield
        except sa.exc.DataError as exc:
            raise InputError(
                f"{self.name}: the database refused this document's data ({_reason(exc)})"
            ) from exc
        except sa.exc.OperationalError as exc:
            reason = _reason(exc)
            if "locked" in reason or "busy" in reason:
                raise LedgerBusyError(
                    f"{self.name}: the ledger is busy (another process is writing to it, "
                    "e.g. a reconcile); try again in a moment"
                ) from exc
            raise LedgerError(
                f"{self.name}: cannot write to the ledger ({reason}); check that the file "
                "and its folder are writable and the database is reachable"
            ) from exc

    def _index(self) -> MinHashLSH:
        """The LSH index of every stored document's signature: built on first use, and
        brought up to date whenever another process (a CLI ingest beside a server) stored
        documents since, so a copy of one of them is seen as a copy."""
        changes = self._changes()
        if self._lsh is None or changes != self._indexed_changes:
            self._lsh = neardup.refresh_index(self.engine, self._lsh)
        # this process's own store is about to add one
        self._indexed_changes = changes + 1
        return self._lsh

    def _changes(self) -> int:
        with self.engine.connect() as conn:
            return neardup.change_count(conn)

    def rate(self, rating: Rating) -> None:
        """Record (or replace) a fact-checker's rating of one stored claim."""
        with self._writing():
            writes.rate(self.engine, rating, ledger_name=self.name)

    # --- corrections ---------------------------------------------------------------------

    def claim_key(self, ref: str) -> ClaimKey:
        """The key a correction names the stored claim ``ref`` ("DOCUMENT/CLAIM") by."""
        with self.engine.connect() as conn:
            return writes.claim_key(conn, ref, ledger_name=self.name)

    def correct(self, correction: Correction) -> int:
        """Store a fact-checker's correction (applied on every reconcile); its id."""
        return writes.correct(self.engine, correction, ledger_name=self.name)

    def uncorrect(self, correction_id: int) -> None:
        """Remove a correction."""
        writes.uncorrect(self.engine, correction_id, ledger_name=self.name)

    def corrections(self) -> list[Correction]:
        """Every correction, the oldest first."""
        with self.engine.connect() as conn:
            return queries.corrections(conn)

    # --- reconciliation ------------------------------------------------------------------

    def stale(self) -> bool:
        """True when documents were stored since the last :meth:`reconcile`."""
        with self.engine.connect() as conn:
            return rebuild.is_stale(conn)

    def reconcile(
        self, *, force: bool = False, full: bool = False, workers: int | None = None
    ) -> ReconcileSummary:
        """Bring the derived tables (ledger entities, claim facts, figures, relations) up
        to date with the stored documents, in one transaction: incrementally (only the
        subjects whose claims changed are re-derived), or all of them when ``full`` (or
        when the rules or the corrections changed). Skipped when nothing changed since the
        last run, unless ``force`` or ``full``. ``workers``: processes to re-derive many
        subjects in (default CLAIMLEDGER_RECONCILE_WORKERS, else 1)."""
        ran = self.catch_up(force=force, full=full, workers=workers)
        with self.engine.connect() as conn:
            return rebuild.summary(conn, ran=ran)

    def catch_up(
        self, *, force: bool = False, full: bool = False, workers: int | None = None
    ) -> bool:
        """:meth:`reconcile`, without counting what the derived tables hold (a live
        process reconciling after every article has no use for the counts); whether it
        ran."""
        with self._reconciling, self._writing(), self.engine.begin() as conn:
            # the change log in the same transaction: it never misses nor repeats a change
            return rebuild.reconcile_ledger(
                conn, force=force, full=full, workers=workers, record=True
            )

    def _fresh(self) -> None:
        # a read-only ledger is read as it was last reconciled
        if not self.read_only and self.stale():
            self.catch_up()

    # --- reading claims ------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.engine.connect() as conn:
            return queries.counts(conn)

    def claims(self) -> Iterator[StoredClaim]:
        """Every stored claim with its document id, in document and claim order."""
        with self.engine.connect() as conn:
            yield from queries.stored_claims(conn)

    def find_claims(
        self, query: ClaimQuery = EVERY_CLAIM, *, limit: int | None = None, offset: int = 0
    ) -> Iterator[ClaimRow]:
        """Stored claims matching ``query``, oldest first (reconciling first if the ledger
        changed), each with its document, source, outlet, publication date, URL, title,
        statement (what was said), roots (the independent origin it traces to) and the
        root's kind. ``limit`` and ``offset`` page through the same order."""
        self._fresh()
        with self.engine.connect() as conn:
            yield from queries.find_claims(conn, query, limit=limit, offset=offset)

    def count_claims(self, query: ClaimQuery = EVERY_CLAIM) -> int:
        """How many claims :meth:`find_claims` gives for the same query (no paging)."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.count_claims(conn, query)

    def claim(self, document: str, claim: str) -> ClaimDetail | None:
        """One stored claim as :meth:`find_claims` gives it, with its rating; None if the
        ledger has no such claim."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.claim(conn, document, claim)

    def claim_groups(self) -> list[ClaimGroup]:
        """Every (subject, measure) pair with its number of claims, by subject."""
        with self.engine.connect() as conn:
            return queries.claim_groups(conn)

    def timeline(self, query: ClaimQuery) -> list[TimelineRow]:
        """The dated count figures among the claims ``query`` finds (by subject and
        measures, usually), oldest first: each claim row with ``start`` and ``end`` (the
        interval it holds for, docs/reconciliation.md), ``dated_by``, ``conflicts`` (True
        when a conflict involves it) and ``independent`` (the independent roots of its
        figure)."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.timeline(conn, query)

    def search_claims(self, words: str) -> list[tuple[str, str]]:
        """(document id, claim id) of claims whose statement has all of ``words``."""
        with self.engine.connect() as conn:
            found = queries.search(conn, "claims", words)
        return [(doc, claim) for doc, _, claim in (ref.partition("/") for ref in found)]

    def rating(self, document: str, claim: str) -> Rating | None:
        """The rating of one claim, if it has one."""
        with self.engine.connect() as conn:
            return queries.rating(conn, document, claim)

    def ratings(self) -> dict[tuple[str, str], Rating]:
        """Every rating, by (document id, claim id)."""
        with self.engine.connect() as conn:
            return queries.ratings(conn)

    # --- reading documents ---------------------------------------------------------------

    def documents(
        self, *, words: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[LedgerDocument]:
        """Stored documents, newest publication first (undated last), each with its
        metadata, counts and the earlier document it is a near-copy of; ``words`` keeps
        those whose text has all of them."""
        with self.engine.connect() as conn:
            return queries.documents(conn, words=words, limit=limit, offset=offset)

    def count_documents(self, *, words: str | None = None) -> int:
        with self.engine.connect() as conn:
            return queries.count_documents(conn, words=words)

    def document(self, document_id: str) -> DocumentDetail | None:
        """One document whole (its text, entities, attributions and claims) with its ledger
        metadata; None if it is not stored."""
        with self.engine.connect() as conn:
            return queries.document(conn, document_id)

    def duplicates(self) -> list[tuple[str, str, float]]:
        """(document, the earlier document it copies, similarity) for every link."""
        with self.engine.connect() as conn:
            return queries.duplicates(conn)

    def search_documents(self, words: str) -> list[str]:
        """Ids of documents whose text has all of ``words``, best first."""
        with self.engine.connect() as conn:
            return queries.search(conn, "documents", words)

    # --- reading the reconciled ledger ---------------------------------------------------

    def relations(
        self,
        *,
        kind: str | None = None,
        subject: str | None = None,
        measure: str | None = None,
        exact: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[RelationRow]:
        """Relations between claims (reconciling first if the ledger changed), each with
        both claims' figure, measure, source, outlet and time; by subject, kind and order
        of finding. ``subject`` matches words of the subject key, or with ``exact`` the
        whole key; ``measure`` keeps relations with a claim of that measure on either
        side; ``limit`` and ``offset`` page through them."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.relations(
                conn,
                kind=kind,
                subject=subject,
                measure=measure,
                exact=exact,
                limit=limit,
                offset=offset,
            )

    def figures_of(self, claims: Iterable[ClaimRow]) -> set[int]:
        """The ids of the figures ``claims`` stand in."""
        return set(self.figure_ids(f"{c.document}/{c.claim.id}" for c in claims).values())

    def figure_ids(self, refs: Iterable[str]) -> dict[str, int]:
        """The figure each claim ("DOCUMENT/CLAIM") stands in, for those still stored."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.claim_figures(conn, refs)

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
            return queries.count_relations(
                conn, kind=kind, subject=subject, measure=measure, exact=exact
            )

    def conflicts(
        self, *, subject: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[RelationRow]:
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
        ids: Collection[int] | None = None,
    ) -> list[FigureRow]:
        """Corroborating figures with their claims and independent root sources, by
        subject and measure, or by id (a relation's ``a_figure``, ``b_figure``);
        ``limit`` and ``offset`` page through them. Each has ``size``, its number of
        claims, and lists at most ``max_claims`` of them, the earliest first."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.figures(
                conn,
                subject=subject,
                measure=measure,
                limit=limit,
                offset=offset,
                max_claims=max_claims,
                ids=ids,
            )

    def count_figures(self, *, subject: str | None = None, measure: str | None = None) -> int:
        """How many figures :meth:`figures` gives for the same filters."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.count_figures(conn, subject=subject, measure=measure)

    def sources(self) -> list[SourceRow]:
        """Ledger entities that gave or carried claims, with counts and the roots they
        relayed."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.sources(conn)

    def provenance(self, *, subject: str | None = None) -> Provenance:
        """How statements reached the ledger: nodes are root sources, intermediaries and
        outlets; an edge (from, to, count) says how many statements passed that way, root
        first ("Ukrainian Special Operations Forces" → "Korean News Agency" → the outlet).
        ``subject`` keeps the statements that yield claims about it."""
        self._fresh()
        with self.engine.connect() as conn:
            return queries.provenance(conn, subject=subject)

    # --- what changed ----------------------------------------------------------------------

    def changes(
        self,
        *,
        since: dt.datetime | None = None,
        after: int | None = None,
        kinds: Iterable[str] = (),
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
    ) -> list[Change]:
        """What each reconcile found since ``since`` (and after change ``after``): new
        claims, new and resolved conflicts, updated figures (:mod:`~claimledger.ledger.changes`),
        oldest first; reconciling first if the ledger changed."""
        self._fresh()
        with self.engine.connect() as conn:
            return changes.changes(
                conn,
                since=since,
                after=after,
                kinds=kinds,
                limit=limit,
                offset=offset,
                newest_first=newest_first,
            )

    def count_changes(
        self,
        *,
        since: dt.datetime | None = None,
        after: int | None = None,
        kinds: Iterable[str] = (),
    ) -> int:
        """How many changes :meth:`changes` gives for the same filters."""
        self._fresh()
        with self.engine.connect() as conn:
            return changes.count_changes(conn, since=since, after=after, kinds=kinds)

    def stable_id(self, name: str) -> uuid.UUID:
        """A UUID for ``name`` in this ledger (the Atom feed's ids)."""
        with self.engine.connect() as conn:
            return changes.ledger_uuid(conn, name)


def _in_read_only_folder(target: str | Path) -> bool:
    text = str(target)
    if "://" in text:
        return False
    path = Path(text)
    return path.is_file() and not os.access(path.parent, os.W_OK)


def _reason(exc: sa.exc.DBAPIError) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
