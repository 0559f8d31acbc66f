"""What a long-running process keeps of a ledger between its reconciles.

A live ledger (``claimledger watch``, the API) reconciles after every article, and an
incremental reconcile reads back, each time, every document's entities (entity
resolution is ledger-wide) and every claim of the subjects it re-derives (the largest
subject of a 100,000-article ledger holds 203,911 claims): about 9 s of the 23 s one more
article took there. Both are what the last reconcile left, less what changed since, so a
process that reconciled last can keep them instead of reading them again:

- each document's entities, read again only for the documents stored, analysed again or
  deleted since (those a reconcile reads the countries of again: their
  ``document_countries`` row is deleted with their records), and their resolution into
  ledger entities (:mod:`claimledger.ledger.entities`: worked out again only where those
  documents reach);
- each subject's claims with their facts as stored in ``claim_facts`` (place in their
  document, digest, figure: :class:`KeptSubject`), kept up to date with what a reconcile
  writes, and taken over whole, without walking them, when none of their documents
  changed; and, for a subject last derived in place, the order of its claims that
  candidate pairs are made in, their repeats and what each corroborates
  (:data:`claimledger.ledger.local.Kept`), which the next derivation in place takes up
  with the claims added instead of sorting them all again;
- the ledger entities as stored (``ledger_entities``' rows, and each entity with its
  members: ``entity_links``), so that only the rows and links that differ are written,
  without reading back those of every entity whose members changed.

It is kept only while no other process or connection has reconciled since: each
reconcile that runs writes a new random ``warm`` token to ``ledger_state``, and the kept
state is used only when the stored token is the one this process wrote. A reconcile whose
transaction rolls back leaves the old token, so what it kept is dropped too.
"""

from __future__ import annotations

import secrets
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection, Engine

from claimledger.ledger.entities import Entities
from claimledger.ledger.local import Kept
from claimledger.ledger.reconcile import ClaimFacts, DocumentEntity, LedgerEntity

TOKEN_KEY = "warm"


class Stored(NamedTuple):
    """A claim as the last reconcile stored it: its facts as read back from
    ``claim_facts``, its place in its document, its digest and its figure."""

    facts: ClaimFacts
    seq: int
    digest: str
    figure: int


@dataclass
class KeptSubject:
    """A subject's claims as the last reconcile stored them (each a :class:`Stored`),
    held by what is read of them: each claim's facts, place, digest and figure by
    reference, and each document's claims, so that a reconcile takes them over whole
    (the benchmark's story holds 204,000) instead of walking them."""

    facts: dict[str, ClaimFacts] = field(default_factory=dict)
    seq: dict[str, int] = field(default_factory=dict)
    digest: dict[str, str] = field(default_factory=dict)
    figure: dict[str, int] = field(default_factory=dict)
    documents: dict[str, list[str]] = field(default_factory=dict)

    def put(self, stored: Stored) -> None:
        """Keep a claim as stored (in place of what was kept of it)."""
        c = stored.facts
        ref = c.ref
        if ref not in self.facts:
            self.documents.setdefault(c.document, []).append(ref)
        self.facts[ref] = c
        self.seq[ref], self.digest[ref], self.figure[ref] = stored[1:]

    def stored(self, ref: str) -> Stored:
        return Stored(self.facts[ref], self.seq[ref], self.digest[ref], self.figure[ref])


@dataclass
class Warm:
    """One engine's kept state: valid while the ledger's token is ``token``."""

    token: int | None = None
    # each document's entities, in the order of their ids
    mentions: dict[str, tuple[DocumentEntity, ...]] = field(default_factory=dict)
    # each document's main country and every country it names (document_countries)
    countries: dict[str, tuple[str | None, frozenset[str]]] = field(default_factory=dict)
    # entity resolution, kept to be worked out again only where a change reaches
    resolver: Entities = field(default_factory=Entities)
    # each subject's stored claims: every claim of the subject
    subjects: dict[str, KeptSubject] = field(default_factory=dict)
    # of the subjects last derived in place: what that derivation handed on
    orders: dict[str, Kept] = field(default_factory=dict)
    # the ledger entities as stored (their members are their links), and their rows
    ledger_entities: dict[str, LedgerEntity] = field(default_factory=dict)
    entity_rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def usable(self, stored_token: int | None) -> bool:
        """Whether what is kept is what the ledger holds (else it is emptied)."""
        if self.token is None or stored_token != self.token:
            self.mentions.clear()
            self.countries.clear()
            self.resolver = Entities()
            self.subjects.clear()
            self.orders.clear()
            self.ledger_entities.clear()
            self.entity_rows.clear()
            self.token = None
            return False
        return True

    def document_entities(
        self,
        present: Iterable[str],
        read: Mapping[str, tuple[DocumentEntity, ...]],
    ) -> dict[str, tuple[DocumentEntity, ...]]:
        """The entities of each of the ``present`` documents: of those ``read`` this
        time as read, of the others as kept (the caller reads every present document that
        is not kept); what is kept is brought up to date."""
        kept = self.mentions
        self.mentions = {d: read[d] if d in read else kept[d] for d in present}
        return self.mentions

    def missing(self, present: Iterable[str]) -> set[str]:
        """The ``present`` documents whose entities are not kept."""
        return {d for d in present if d not in self.mentions}


_KEPT: weakref.WeakKeyDictionary[Engine, Warm] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def of(conn: Connection) -> Warm:
    """The state kept for ``conn``'s engine (empty at first)."""
    with _GUARD:
        found = _KEPT.get(conn.engine)
        if found is None:
            found = _KEPT[conn.engine] = Warm()
        return found


def new_token() -> int:
    """A random token for a reconcile that ran (31 bits: an INTEGER everywhere)."""
    return secrets.randbits(31)
