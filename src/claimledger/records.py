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

SCHEMA_VERSION = "3.0"

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
    "displaced",
    "arrested",
    "evacuated",
    "destroyed",
    "absent",
    "withdrawn",
    "other",
]
# Whether a figure counts what happened or something else: "reported" (a count of what
# happened, the default), a "projection" ("could all be killed by spring"), a "potential"
# ("may send as many as 100,000"), a "conditional" ("if the dam breaks, 5,000 would ...").
# Only reported figures are compared with each other.
Modality = Literal["reported", "projection", "potential", "conditional"]
# The period a rate is counted per: "80 casualties per day", "500 deaths every week".
RatePeriod = Literal["hour", "day", "week", "month", "year"]

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
    """A figure as the interval [low, high] a reader would take it to give: "about 12,000"
    is [10800, 13200], "more than 500" [500, 550] (within the approximation spread of
    what was stated). ``bound`` keeps what the words assert: "more than 500" rules out no
    figure above 500, so 3,000 is consistent with it though not the same figure."""

    low: float
    high: float | None  # None only in ledgers written before schema 3.0: no upper bound
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
class Rate:
    """A figure counted per period ("80 casualties per day"), not a total."""

    text: str
    per: RatePeriod
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
    modality: Modality = "reported"
    rate: Rate | None = None


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
