"""Plain, immutable records produced by extraction: everything downstream works on these.

Spans are ``(start, end)`` character offsets, end exclusive, into ``Document.text``.
``to_json`` gives the versioned JSON form documented in docs/schema.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from claimledger.codec import to_plain

SCHEMA_VERSION = "2.1"

SpanPair = tuple[int, int]
Spans = tuple[SpanPair, ...]

Style = Literal["direct", "indirect", "mixed", "according-to", "unattributed"]
Certainty = Literal["asserted", "likely", "believed", "reported", "possible", "denied"]
# How a stated figure bounds the true value (docs/normalisation.md): "about N" is approx,
# "nearly N" below, "more than N" above, "at least N" at_least, "up to N" at_most.
Bound = Literal["exact", "approx", "below", "above", "at_least", "at_most", "range", "vague"]
SourceKind = Literal["person", "organization", "group", "outlet", "document", "unknown"]
# Entities are sources and intermediaries, plus the equipment the text names ("AK-12").
EntityKind = Literal[
    "person", "organization", "group", "outlet", "document", "unknown", "equipment"
]
Measure = Literal[
    "deployed",
    "killed",
    "wounded",
    "killed_or_wounded",
    "captured",
    "missing",
    "absent",
    "withdrawn",
    "other",
]

# Strongest commitment first: combining two certainties keeps the weaker one.
CERTAINTY_ORDER: tuple[Certainty, ...] = (
    "asserted",
    "likely",
    "believed",
    "reported",
    "possible",
    "denied",
)


def weakest(*levels: Certainty) -> Certainty:
    """The least committed of the given certainty levels (``asserted`` if none)."""
    if not levels:
        return "asserted"
    return max(levels, key=CERTAINTY_ORDER.index)


def document_id(text: str) -> str:
    """A document's id: the SHA-256 of its NFC-normalised, whitespace-collapsed text."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    format: str = "text"
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    spans: Spans = ()


@dataclass(frozen=True)
class Source:
    text: str
    spans: Spans
    entity: str | None  # canonical name of the resolved entity
    entity_id: str | None
    kind: SourceKind
    role: str | None = None
    affiliation: str | None = None
    resolved_from: str | None = None  # the pronoun or anaphor the text used ("He")


@dataclass(frozen=True)
class Cue:
    text: str
    spans: Spans
    lemma: str
    kind: str  # say, indicate, believe, post, deny, impersonal, according-to, report


@dataclass(frozen=True)
class Content:
    text: str
    spans: Spans


@dataclass(frozen=True)
class Via:
    """One intermediary in a chain of attribution (an outlet, a report, a post)."""

    text: str
    spans: Spans
    entity: str | None
    entity_id: str | None
    kind: SourceKind
    cue: Cue | None = None


@dataclass(frozen=True)
class TimeRef:
    text: str | None
    spans: Spans
    value: str | None  # ISO 8601 at its granularity: 2025-01-31, 2025-W04, --01-31
    start: dt.date | None
    end: dt.date | None
    granularity: str | None
    year_known: bool
    inherited: bool = False  # taken from the same source's previous statement


@dataclass(frozen=True)
class Channel:
    kind: str  # speech / interview / social-post / letter / report / statement
    text: str
    spans: Spans
    platform: str | None = None


@dataclass(frozen=True)
class Hedge:
    text: str
    spans: Spans
    level: Certainty


@dataclass(frozen=True)
class Attribution:
    id: str
    style: Style
    source: Source | None
    cue: Cue
    content: Content
    via: tuple[Via, ...] = ()
    stated: TimeRef | None = None
    channel: Channel | None = None
    certainty: Certainty = "asserted"
    hedges: tuple[Hedge, ...] = ()
    parent: str | None = None


@dataclass(frozen=True)
class Base:
    """The earlier figure a fraction is taken of."""

    value: float
    text: str
    spans: Spans
    claim: str | None


@dataclass(frozen=True)
class Quantity:
    low: float
    high: float | None  # None: no upper bound ("more than 500")
    approx: bool
    text: str
    spans: Spans
    unit: str = "count"
    fraction: float | None = None
    base: Base | None = None
    value: float | None = None  # the figure as stated: 12000 in "about 12,000"
    bound: Bound = "exact"


@dataclass(frozen=True)
class Subject:
    text: str
    key: str  # normalised for grouping: "north korean soldiers"
    spans: Spans


@dataclass(frozen=True)
class Place:
    """Where a figure holds: the place named in its clause ("in the Kursk region")."""

    text: str
    key: str  # normalised for grouping: "kursk"
    spans: Spans


@dataclass(frozen=True)
class Claim:
    id: str
    attribution: str | None
    subject: Subject
    measure: Measure
    measure_text: str
    quantity: Quantity
    polarity: Literal["positive", "negative"]
    time: TimeRef | None
    certainty: Certainty
    spans: Spans
    place: Place | None = None


@dataclass(frozen=True)
class Analysis:
    document: Document
    entities: tuple[Entity, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    claims: tuple[Claim, ...] = field(default_factory=tuple)

    def to_json(self, *, include_text: bool = True) -> dict[str, Any]:
        """The versioned JSON form (docs/schema.md)."""
        doc = to_plain(self.document)
        if not include_text:
            doc.pop("text", None)
        return {
            "schema": "claimledger.analysis",
            "schema_version": SCHEMA_VERSION,
            "document": doc,
            "entities": to_plain(self.entities),
            "attributions": to_plain(self.attributions),
            "claims": to_plain(self.claims),
        }
