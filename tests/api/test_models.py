"""The API's response models are generated from the records: a field added to a record
appears in the OpenAPI document without a second declaration, typed as precisely."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from claimledger.api import models
from claimledger.ledger import reads
from claimledger.records import Quantity


@dataclass(frozen=True)
class _Inner:
    """A nested record."""

    when: dt.date | None


@dataclass(frozen=True)
class _Sample:
    figure: float
    maybe: float | None
    names: tuple[str, ...]
    span: tuple[int, int]
    kind: Literal["a", "b"]
    inner: _Inner
    quantity: Quantity = field(metadata=reads.INLINE)
    source: str = field(metadata={"json": "from", "description": "who said it"})


def _schema(record: type) -> dict[str, Any]:
    schema: dict[str, Any] = models.response_model(record).model_json_schema(mode="serialization")
    return schema


def test_a_record_becomes_a_model_field_by_field() -> None:
    schema = _schema(_Sample)
    properties = schema["properties"]
    # whole numbers stay whole: a float field takes an int as it is
    assert properties["figure"]["anyOf"] == [{"type": "integer"}, {"type": "number"}]
    assert {"type": "null"} in properties["maybe"]["anyOf"]
    assert properties["names"] == {"items": {"type": "string"}, "type": "array", "title": "Names"}
    assert properties["span"]["prefixItems"] == [{"type": "integer"}, {"type": "integer"}]
    assert properties["kind"]["enum"] == ["a", "b"]
    assert properties["inner"] == {"$ref": "#/$defs/_Inner"}
    assert schema["$defs"]["_Inner"]["description"] == "A nested record."
    # an inline record's fields stand in its owner's place; a JSON name replaces a Python one
    assert "quantity" not in properties and {"low", "high", "bound"} <= set(properties)
    assert properties["from"]["description"] == "who said it"
    assert "additionalProperties" in schema and schema["additionalProperties"] is True
    assert "description" not in schema  # a dataclass's generated signature is no description


def test_every_field_of_a_ledger_row_is_in_its_model() -> None:
    for record in (reads.ClaimRow, reads.TimelineRow, reads.FigureRow, reads.SourceRow):
        properties = _schema(record)["properties"]
        hints = typing.get_type_hints(record)
        names = [
            name
            for f in dataclasses.fields(record)
            for name in (
                [g.name for g in dataclasses.fields(hints[f.name])]
                if f.metadata.get("inline")
                else [f.metadata.get("json", f.name)]
            )
        ]
        assert list(properties) == names, record.__name__


def test_a_row_validates_and_serialises_to_its_own_json() -> None:
    row = reads.FigureRow(
        id=1,
        subject="north korean soldiers",
        measure="killed",
        independent=2,
        roots=("NIS", "Syrskyi"),
        size=1,
        claims=(),
    )
    model = models.response_model(reads.FigureRow)
    assert model.model_validate(row.to_json()).model_dump(mode="json") == row.to_json()
