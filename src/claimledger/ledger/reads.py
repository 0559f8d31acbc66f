"""What the ledger's reads return: frozen, typed records, each with ``to_json()`` giving its
JSON form (the CLI's ``--format jsonl``, the API and the exports); the one query object of
the claim filters (:class:`ClaimQuery`); and the decoding of stored JSON payloads back into
the analysis records of :mod:`claimledger.records`.

A claim row holds the :class:`~claimledger.records.Claim` itself (by composition) with where
it came from; its JSON is the claim's JSON with those keys added. Field metadata shape the
JSON and the API's models, which are generated from these classes
(:mod:`claimledger.api.models`): ``inline`` writes a nested record's keys into its owner's,
``json`` renames a key (a Python name cannot be ``from``), ``description`` documents it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from claimledger.codec import INLINE, to_plain
from claimledger.errors import InputError
from claimledger.ledger.reconcile import RelationKind
from claimledger.records import (
    Attribution,
    Certainty,
    Claim,
    Entity,
    Measure,
    Quantity,
)

R = TypeVar("R")

WORST_RATING = 1
BEST_RATING = 5


class Record:
    """A ledger record: its JSON form is :meth:`to_json` (:func:`claimledger.codec.to_plain`)."""

    def to_json(self) -> dict[str, Any]:
        plain: dict[str, Any] = to_plain(self)
        return plain


# --- the query of claims ----------------------------------------------------------------


@dataclass(frozen=True)
class ClaimQuery:
    """The claim filters, every one given must match: ``subject`` and ``source`` are
    case-insensitive parts of the subject key and of the source's entity or words;
    ``measures`` keeps claims of any of them; ``since`` keeps claims whose time (else
    publication date) ends on or after that date, ``until`` those that start on or before
    it; ``certainty`` and ``document`` must be equal; ``outlet`` is a case-insensitive part
    of the outlet's name; ``search`` keeps claims whose statement has all its words;
    ``minimum`` and ``maximum`` keep claims whose figure's interval reaches that far (an
    open "more than 500" reaches any maximum above 500)."""

    subject: str | None = None
    measures: tuple[Measure, ...] = ()
    source: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    certainty: Certainty | None = None
    document: str | None = None
    outlet: str | None = None
    search: str | None = None
    minimum: float | None = None
    maximum: float | None = None


# --- documents --------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerDocument(Record):
    """A stored document's metadata and counts."""

    id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None
    analysed_at: dt.datetime
    format: str
    path: str | None
    duplicate_of: str | None = field(
        metadata={"description": "the earlier document this one copies"}
    )
    similarity: float | None
    claims: int
    attributions: int


@dataclass(frozen=True)
class LedgerDocumentWithText(LedgerDocument):
    text: str


@dataclass(frozen=True)
class DocumentDetail(Record):
    """One stored document whole: its text, entities, attributions and claims."""

    document: LedgerDocumentWithText
    entities: tuple[Entity, ...]
    attributions: tuple[Attribution, ...]
    claims: tuple[Claim, ...]


# --- claims -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredClaim(Record):
    """A stored claim and the document it was read from."""

    claim: Claim = field(metadata=INLINE)
    document: str


@dataclass(frozen=True)
class ClaimRow(Record):
    """A stored claim with where it came from."""

    claim: Claim = field(metadata=INLINE)
    document: str
    source: str | None  # the resolved root source, else the source's entity or words
    outlet: str | None
    published: dt.date | None
    url: str | None
    title: str | None
    statement: str | None  # what was said: the attribution's content
    roots: tuple[str, ...]  # the independent origin it traces to
    source_kind: str | None  # the kind of the root's ledger entity: person, organization ...


@dataclass(frozen=True)
class Rating(Record):
    """A fact-checker's rating of one claim."""

    document: str  # document id
    claim: str  # claim id within the document
    verdict: str  # the textual rating, e.g. "False", "Mostly true", "Unproven"
    value: int  # 1..5 (worst..best)
    reviewer: str  # the fact-checking organisation's name
    reviewed: dt.date
    url: str | None = None  # the fact-check article's URL
    note: str | None = None

    def __post_init__(self) -> None:
        where = f"rating of claim {self.claim} in document {self.document}"
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise InputError(f"{where}: value must be a whole number 1..5, not {self.value!r}")
        if not WORST_RATING <= self.value <= BEST_RATING:
            raise InputError(
                f"{where}: value {self.value} is not within {WORST_RATING}..{BEST_RATING} "
                f"({WORST_RATING} = worst, {BEST_RATING} = best)"
            )
        if not self.verdict.strip():
            raise InputError(f'{where}: the verdict is empty; give the textual rating ("False")')
        if not self.reviewer.strip():
            raise InputError(f"{where}: the reviewer is empty; give the fact-checker's name")
        if not isinstance(self.reviewed, dt.date):
            raise InputError(f"{where}: reviewed must be a date, not {self.reviewed!r}")


@dataclass(frozen=True)
class ClaimDetail(ClaimRow):
    """A stored claim with where it came from, and its rating if it has one."""

    rating: Rating | None


@dataclass(frozen=True)
class TimelineRow(ClaimRow):
    """A dated count figure: the interval it holds for and whether a conflict involves it."""

    ref: str  # "document/claim"
    start: dt.date  # the interval it holds for (docs/reconciliation.md)
    end: dt.date
    dated_by: str | None  # claim, statement or publication
    conflicts: bool
    independent: int  # the independent roots of its figure


@dataclass(frozen=True)
class ClaimGroup(Record):
    """A subject and measure with its number of claims."""

    subject: str
    measure: str
    claims: int


# --- the reconciled ledger --------------------------------------------------------------


@dataclass(frozen=True)
class FigureGroup(Record):
    """The figure a claim belongs to: its independent root sources."""

    independent: int
    roots: tuple[str, ...]


@dataclass(frozen=True)
class ClaimSummary(Record):
    """A claim as relations and figures show it."""

    ref: str  # "document/claim"
    document: str
    claim: str  # the claim's id within its document
    subject: str  # the subject key
    measure: Measure
    quantity: Quantity
    certainty: Certainty
    statement: str | None
    source: str | None
    root: str | None  # the root source's name
    start: dt.date | None
    end: dt.date | None
    dated_by: str | None
    scope: str | None  # total, incident, stock or duration
    outlet: str | None
    published: dt.date | None
    url: str | None
    figure: FigureGroup


@dataclass(frozen=True)
class RelationRow(Record):
    """How two figures relate, and why, shown by the pair of their claims that shows it
    best (a conflict: its strongest pair); or how a claim joins its figure."""

    kind: RelationKind
    subject: str
    reason: str
    a: ClaimSummary  # the earlier claim
    b: ClaimSummary
    strength: float = field(
        default=0.0,
        metadata={
            "description": "a conflict's rank: how far apart its figures are times the "
            "independent roots behind each side; 0 for the other kinds"
        },
    )
    a_figure: int = field(
        default=0, metadata={"description": "the figure the earlier claim stands in"}
    )
    b_figure: int = field(
        default=0,
        metadata={
            "description": "the later claim's figure (the same as a_figure when a claim "
            "corroborates its own figure)"
        },
    )
    pairs: int = field(
        default=1,
        metadata={"description": "how many pairs of the two figures' claims relate so"},
    )


@dataclass(frozen=True)
class FigureRow(Record):
    """A group of corroborating claims with the independent root sources behind them."""

    id: int
    subject: str
    measure: Measure
    independent: int
    roots: tuple[str, ...]
    size: int = field(metadata={"description": "how many claims the figure holds"})
    claims: tuple[ClaimSummary, ...] = field(
        metadata={
            "description": "its claims, the earliest first, at most claims_per_figure of them"
        }
    )


@dataclass(frozen=True)
class SourceRow(Record):
    """A source or carrier across the ledger, merged over documents."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    statements: int  # attributions it is the source of
    carried: int  # attributions it carried as an intermediary
    claims: int  # claims it is the root of
    documents: int
    relayed: tuple[str, ...]  # the roots it carried statements of
    merged: str | None  # why its names were merged


@dataclass(frozen=True)
class ProvenanceNode(Record):
    """A root source, intermediary or outlet, with the statements that passed through it."""

    id: str
    name: str
    kind: str
    statements: int


@dataclass(frozen=True)
class ProvenanceEdge(Record):
    """How many statements went from one node to the next."""

    from_: str = field(metadata={"json": "from"})
    to: str
    statements: int


@dataclass(frozen=True)
class Provenance(Record):
    """How statements reached the ledger, root source first."""

    nodes: tuple[ProvenanceNode, ...]
    edges: tuple[ProvenanceEdge, ...]


@dataclass(frozen=True)
class ReconcileSummary(Record):
    """What :meth:`Ledger.reconcile` found."""

    ran: bool  # False: nothing had changed since the last run
    entities: int
    figures: int
    relations: Mapping[str, int]  # kind -> count
