"""The HTTP API's JSON shapes as pydantic models, so the OpenAPI document is precise.

Responses mirror what the ``Ledger`` methods return (docs/schema.md for the analysis
records). Response models allow extra fields: a minor schema version only adds fields, and
the API passes them through rather than dropping them. Request models forbid extra fields,
so a misspelt field is a 422, not silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from claimledger.ledger.reconcile import RelationKind
from claimledger.records import Bound, Certainty, EntityKind, Measure, SourceKind, Style

# Whole numbers stay whole in the JSON (4000, not 4000.0), as docs/schema.md promises.
Number = int | float
Span = tuple[int, int]
Spans = list[Span]

MAX_URL_CHARS = 2048
MAX_LABEL_CHARS = 500
MAX_NOTE_CHARS = 5000


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- the analysis records (docs/schema.md) ---------------------------------------------


class TimeRef(_Out):
    """A time expression and its resolution; start and end are inclusive days."""

    text: str | None
    spans: Spans
    value: str | None
    start: dt.date | None
    end: dt.date | None
    granularity: Literal["day", "week", "month", "year"] | None
    year_known: bool
    inherited: bool


class Entity(_Out):
    """A source or intermediary in one document, merged over its mentions."""

    id: str
    name: str
    kind: EntityKind
    aliases: list[str]
    roles: list[str]
    affiliations: list[str]
    spans: Spans


class Source(_Out):
    text: str
    spans: Spans
    entity: str | None
    entity_id: str | None
    kind: SourceKind
    role: str | None
    affiliation: str | None
    resolved_from: str | None


class Cue(_Out):
    text: str
    spans: Spans
    lemma: str
    kind: str


class Content(_Out):
    text: str
    spans: Spans


class Via(_Out):
    text: str
    spans: Spans
    entity: str | None
    entity_id: str | None
    kind: SourceKind
    cue: Cue | None


class Channel(_Out):
    kind: str
    text: str
    spans: Spans
    platform: str | None


class Hedge(_Out):
    text: str
    spans: Spans
    level: Certainty


class Attribution(_Out):
    """One attributed statement: who said what, through whom, when, how sure."""

    id: str
    style: Style
    source: Source | None
    cue: Cue
    content: Content
    via: list[Via]
    stated: TimeRef | None
    channel: Channel | None
    certainty: Certainty
    hedges: list[Hedge]
    parent: str | None


class Base(_Out):
    value: Number
    text: str
    spans: Spans
    claim: str | None


class Quantity(_Out):
    """A figure as an interval [low, high]; high null means no upper bound."""

    low: Number
    high: Number | None
    approx: bool
    text: str
    spans: Spans
    unit: str
    fraction: Number | None
    base: Base | None
    value: Number | None
    bound: Bound


class Subject(_Out):
    text: str
    key: str
    spans: Spans


class Place(_Out):
    """Where a figure holds ("in the Kursk region")."""

    text: str
    key: str
    spans: Spans


class Claim(_Out):
    """A figure in what was said."""

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


class AnalysedDocument(_Out):
    id: str
    text: str
    format: str
    path: str | None
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None


class Analysis(_Out):
    """One document's analysis (docs/schema.md), not stored."""

    schema_: Literal["claimledger.analysis"] = Field(alias="schema")
    schema_version: str
    document: AnalysedDocument
    entities: list[Entity]
    attributions: list[Attribution]
    claims: list[Claim]


# --- the ledger ------------------------------------------------------------------------


class LedgerDocument(_Out):
    """A stored document's metadata and counts."""

    id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None
    analysed_at: dt.datetime
    format: str
    path: str | None
    duplicate_of: str | None = Field(description="the earlier document this one copies")
    similarity: float | None
    claims: int
    attributions: int


class LedgerDocumentWithText(LedgerDocument):
    text: str


class DocumentDetail(_Out):
    """One stored document whole: its text, entities, attributions and claims."""

    document: LedgerDocumentWithText
    entities: list[Entity]
    attributions: list[Attribution]
    claims: list[Claim]


class ClaimRow(Claim):
    """A stored claim with where it came from."""

    document: str
    source: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None = None
    title: str | None = None
    statement: str | None = None
    roots: list[str] = Field(default_factory=list)
    source_kind: str | None = None


class RatingOut(_Out):
    """A fact-checker's rating of one claim."""

    document: str
    claim: str
    verdict: str
    value: int
    reviewer: str
    reviewed: dt.date
    url: str | None
    note: str | None


class ClaimDetail(ClaimRow):
    rating: RatingOut | None = None


class TimelinePoint(ClaimRow):
    """A dated count figure: the interval it holds for and whether a conflict involves it."""

    ref: str
    start: dt.date
    end: dt.date
    dated_by: str | None
    conflicts: bool


class FigureGroup(_Out):
    independent: int
    roots: list[str]


class ClaimSummary(_Out):
    """A claim as relations and figures show it."""

    ref: str
    document: str
    claim: str
    subject: str
    measure: Measure
    quantity: Quantity
    certainty: Certainty
    statement: str | None
    source: str | None
    root: str | None
    start: dt.date | None
    end: dt.date | None
    dated_by: str | None
    scope: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None
    figure: FigureGroup


class Relation(_Out):
    """How two claims relate, and why."""

    kind: RelationKind
    subject: str
    reason: str
    a: ClaimSummary
    b: ClaimSummary


class Figure(_Out):
    """A group of corroborating claims with the independent root sources behind them."""

    id: int
    subject: str
    measure: Measure
    independent: int
    roots: list[str]
    size: int = Field(description="how many claims the figure holds")
    claims: list[ClaimSummary] = Field(
        description="its claims, the earliest first, at most claims_per_figure of them"
    )


class LedgerEntity(_Out):
    """A source or carrier across the ledger, merged over documents."""

    id: str
    name: str
    kind: str
    aliases: list[str]
    roles: list[str]
    statements: int
    carried: int
    claims: int
    documents: int
    relayed: list[str]
    merged: str | None


class ProvenanceNode(_Out):
    id: str
    name: str
    kind: str
    statements: int


class ProvenanceEdge(_Out):
    from_: str = Field(alias="from")
    to: str
    statements: int


class Provenance(_Out):
    """How statements reached the ledger, root source first."""

    nodes: list[ProvenanceNode]
    edges: list[ProvenanceEdge]


class Health(_Out):
    status: Literal["ok"]
    version: str
    database: str = Field(description="the database dialect: sqlite or postgresql")
    counts: dict[str, int] | None = Field(
        description="rows per table; null when reads are private and no token was sent"
    )


# --- pages -----------------------------------------------------------------------------

T = TypeVar("T")


class Page(_Out, Generic[T]):
    """One page of a list: `total` counts every match, `items` the ones from `offset`."""

    items: list[T]
    total: int
    limit: int
    offset: int


class DocumentPage(Page[LedgerDocument]):
    pass


class AttributionPage(Page[Attribution]):
    pass


class ClaimPage(Page[ClaimRow]):
    pass


class EntityPage(Page[LedgerEntity]):
    pass


class FigurePage(Page[Figure]):
    pass


class RelationPage(Page[Relation]):
    pass


class TimelinePage(Page[TimelinePoint]):
    pass


# --- requests --------------------------------------------------------------------------

Url = Annotated[str | None, Field(max_length=MAX_URL_CHARS)]
Label = Annotated[str | None, Field(max_length=MAX_LABEL_CHARS)]


class DocumentMetadata(_In):
    """What the text does not say about itself; for HTML, given fields override the page's
    own metadata."""

    url: Url = None
    outlet: Label = None
    published: dt.date | None = Field(
        default=None, description="the publication date: anchors relative times"
    )
    title: Label = None


class DocumentIn(DocumentMetadata):
    """An article to analyse: exactly one of `text` (plain text) or `html` (a page,
    whose article text is extracted)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["html"], "properties": {"html": {"type": "string"}}},
            ]
        },
    )

    text: str | None = None
    html: str | None = None

    @model_validator(mode="after")
    def _one_body(self) -> DocumentIn:
        if (self.text is None) == (self.html is None):
            raise ValueError("give exactly one of 'text' (plain text) or 'html' (a page)")
        return self


class RatingIn(_In):
    """A fact-checker's verdict on one claim."""

    verdict: str = Field(min_length=1, max_length=MAX_LABEL_CHARS, examples=["False"])
    value: int = Field(ge=1, le=5, description="1 (worst) to 5 (best)")
    reviewer: str = Field(min_length=1, max_length=MAX_LABEL_CHARS)
    reviewed: dt.date = Field(default_factory=dt.date.today, description="default: today")
    url: Url = None
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class StoredDocument(_Out):
    """What storing a posted document did."""

    id: str
    new: bool = Field(description="false: it was already stored, and was analysed again")
    duplicate_of: str | None = Field(description="the earlier document it is a near-copy of")
    similarity: float | None
    claims: int
    attributions: int
    location: str


class Problem(_Out):
    """An error as an RFC 9457 problem detail (`application/problem+json`)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, object]] | None = Field(
        default=None, description="for a 422: what was wrong with the request, field by field"
    )
