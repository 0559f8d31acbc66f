"""The HTTP API's JSON shapes as pydantic models, so the OpenAPI document is precise.

The response models are generated from the records the ledger returns
(:mod:`claimledger.ledger.reads`) and the analysis records (:mod:`claimledger.records`), so
a field added to a record appears in the API without a second declaration; each response
is the record's ``to_json()``. Response models allow extra fields: a minor schema version
only adds fields. Request models forbid extra fields, so a misspelt field is a 422, not
silently ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import operator
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from claimledger import records
from claimledger.ledger import reads

# Whole numbers stay whole in the JSON (4000, not 4000.0), as docs/schema.md promises.
Number = int | float

MAX_URL_CHARS = 2048
MAX_LABEL_CHARS = 500
MAX_NOTE_CHARS = 5000


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _no_nul(self) -> Any:
        # PostgreSQL cannot store NUL; refused here so that both databases answer alike
        for name, value in self.__dict__.items():
            if isinstance(value, str) and "\x00" in value and name not in ("text", "html"):
                raise ValueError(f"'{name}' has a NUL character; remove it")
        return self


# --- the records, as response models ---------------------------------------------------

# Model names in the OpenAPI document where the record's own name would clash or read
# worse there: the ledger's rows are named for what they are to an API client.
NAMES: dict[type, str] = {
    records.Document: "AnalysedDocument",
    reads.Rating: "RatingOut",
    reads.RelationRow: "Relation",
    reads.FigureRow: "Figure",
    reads.SourceRow: "LedgerEntity",
    reads.TimelineRow: "TimelinePoint",
}

# What the OpenAPI document says of the analysis records, whose classes do not say it.
DESCRIPTIONS: dict[type, str] = {
    records.TimeRef: "A time expression and its resolution; start and end are inclusive days.",
    records.Entity: "A source or intermediary in one document, merged over its mentions.",
    records.Attribution: "One attributed statement: who said what, through whom, when, how sure.",
    records.Quantity: "A figure as an interval [low, high]; high null means no upper bound.",
    records.Place: 'Where a figure holds ("in the Kursk region").',
    records.Claim: "A figure in what was said.",
    records.Analysis: "One document's analysis (docs/schema.md), not stored.",
}

# Fields the API types more narrowly than the record does.
FIELD_TYPES: dict[tuple[type, str], Any] = {
    (records.TimeRef, "granularity"): Literal["day", "week", "month", "year"] | None,
}

# Fields the document has always marked optional, with their defaults: a claim's place came
# with schema 2.1, and a claim row's later keys after the first release of the API. The
# ledger always sends them; clients generated from earlier documents stay valid.
OPTIONAL: dict[tuple[type, str], Any] = {
    (records.Claim, "place"): None,
    (reads.ClaimRow, "url"): None,
    (reads.ClaimRow, "title"): None,
    (reads.ClaimRow, "statement"): None,
    (reads.ClaimRow, "roots"): list,
    (reads.ClaimRow, "source_kind"): None,
    (reads.ClaimDetail, "rating"): None,
}

_MODELS: dict[type, type[BaseModel]] = {}


def response_model(record: type, **extra: Any) -> type[BaseModel]:
    """The pydantic model of a record class (a frozen dataclass), built once: its fields in
    order, nested records as their own models, ``inline`` records' fields in place, floats
    as ``int | float`` (whole numbers stay whole in the JSON), tuples as lists, extra keys
    allowed. ``extra`` fields (pydantic field definitions) come first."""
    if record in _MODELS and not extra:
        return _MODELS[record]
    model: type[BaseModel] = create_model(
        NAMES.get(record, record.__name__),
        __base__=_Out,
        __doc__=DESCRIPTIONS.get(record) or _docstring(record),
        **extra,
        **_fields(record),
    )
    if not extra:
        _MODELS[record] = model
    return model


def _fields(record: type) -> dict[str, Any]:
    hints = typing.get_type_hints(record)
    found: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        if f.metadata.get("inline"):
            found.update(_fields(hints[f.name]))
            continue
        # the class that declares it: a row's subclasses share its optional fields
        declared = next(
            c for c in reversed(record.__mro__) if f.name in getattr(c, "__dataclass_fields__", {})
        )
        annotation = FIELD_TYPES.get((declared, f.name)) or _api_type(hints[f.name])
        info: dict[str, Any] = {}
        if "description" in f.metadata:
            info["description"] = f.metadata["description"]
        if "json" in f.metadata:
            info["alias"] = f.metadata["json"]
        if (declared, f.name) in OPTIONAL:
            default = OPTIONAL[(declared, f.name)]
            if callable(default):
                info["default_factory"] = default
            else:
                info["default"] = default
        found[f.name] = (annotation, Field(**info))
    return found


def _api_type(annotation: Any) -> Any:
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return response_model(annotation)
    if annotation is float:
        return Number
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, [_api_type(a) for a in args])
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return list[_api_type(args[0])]  # type: ignore[misc]
    if origin is tuple:
        return tuple[tuple(_api_type(a) for a in args)]  # type: ignore[misc]
    if origin in (Mapping, dict):
        return dict[args[0], _api_type(args[1])]  # type: ignore[misc,valid-type]
    return annotation


def _docstring(record: type) -> str | None:
    """A class's own docstring; None for the signature dataclasses write when it has none."""
    doc = record.__doc__
    if not doc or doc.startswith(f"{record.__name__}("):
        return None
    return inspect.cleandoc(doc)


Analysis = response_model(
    records.Analysis,
    schema_=(Literal["claimledger.analysis"], Field(alias="schema")),
    schema_version=(str, ...),
)
Attribution = response_model(records.Attribution)
LedgerDocument = response_model(reads.LedgerDocument)
DocumentDetail = response_model(reads.DocumentDetail)
ClaimRow = response_model(reads.ClaimRow)
ClaimDetail = response_model(reads.ClaimDetail)
RatingOut = response_model(reads.Rating)
TimelinePoint = response_model(reads.TimelineRow)
Relation = response_model(reads.RelationRow)
Figure = response_model(reads.FigureRow)
LedgerEntity = response_model(reads.SourceRow)
Provenance = response_model(reads.Provenance)


class Health(_Out):
    status: Literal["ok"]
    version: str
    database: str = Field(description="the database dialect: sqlite or postgresql")
    counts: dict[str, int] | None = Field(
        description="rows per table; null when reads are private and no token was sent"
    )


# --- pages -----------------------------------------------------------------------------


def page_of(name: str, item: type[BaseModel]) -> type[BaseModel]:
    """One page of a list of ``item``: ``{items, total, limit, offset}``, where `total`
    counts every match and `items` are the ones from `offset`."""
    fields: dict[str, Any] = {
        "items": (list[item], ...),  # type: ignore[valid-type]
        "total": (int, ...),
        "limit": (int, ...),
        "offset": (int, ...),
    }
    return create_model(name, __base__=_Out, __doc__=None, **fields)


DocumentPage = page_of("DocumentPage", LedgerDocument)
AttributionPage = page_of("AttributionPage", Attribution)
ClaimPage = page_of("ClaimPage", ClaimRow)
EntityPage = page_of("EntityPage", LedgerEntity)
FigurePage = page_of("FigurePage", Figure)
RelationPage = page_of("RelationPage", Relation)
TimelinePage = page_of("TimelinePage", TimelinePoint)


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
    value: int = Field(
        ge=reads.WORST_RATING,
        le=reads.BEST_RATING,
        description=f"{reads.WORST_RATING} (worst) to {reads.BEST_RATING} (best)",
    )
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
    reconciled: bool = Field(
        default=True,
        description="whether the ledger's figures and relations include it already (false "
        "only when another process held the ledger past the busy timeout: the next read "
        "reconciles it)",
    )


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
