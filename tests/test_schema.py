"""The JSON output against its published schema (src/claimledger/schema/analysis.schema.json).

The schema is strict (``additionalProperties: false`` everywhere), so a field added to, renamed
in or removed from the records without a schema change fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator

from claimledger import records
from claimledger.cli import DEMO_ARTICLE, DEMO_PUBLISHED
from claimledger.extract import analyze
from tests import paths

GOLDEN = paths.GOLDEN
PUBLISHED = dt.date(2025, 3, 12)

TEXTS = {
    "quotes": (
        'Defence Minister Rustem Umerov said on Monday, "We destroyed more than 500 Russian '
        'tanks last month." He added that up to 40 soldiers were captured. Officials said the '
        "strike was “a deliberate attack” and that 3 people were missing."
    ),
    "according-to": (
        "According to Reuters, the ministry said that about 300 soldiers were killed on "
        "March 3, 2024. According to the governor, 15 civilians were wounded in the shelling."
    ),
    "it-is-believed": (
        "It is believed that nearly 2,000 troops have withdrawn from the region since January. "
        "The Kremlin denied that 3,000 soldiers were captured last year."
    ),
    "fraction": (
        "Officials said that 900 soldiers were deployed in the area. A spokesman said that a "
        "quarter of the soldiers were wounded. The general told reporters that two-thirds of "
        "the drones were shot down."
    ),
}

# $defs entries that mirror a record type one-to-one.
RECORD_DEFS: dict[str, type[Any]] = {
    "Document": records.Document,
    "Entity": records.Entity,
    "Source": records.Source,
    "Cue": records.Cue,
    "Content": records.Content,
    "Via": records.Via,
    "TimeRef": records.TimeRef,
    "Channel": records.Channel,
    "Hedge": records.Hedge,
    "Attribution": records.Attribution,
    "Base": records.Base,
    "Quantity": records.Quantity,
    "Subject": records.Subject,
    "Place": records.Place,
    "Rate": records.Rate,
    "Claim": records.Claim,
}


def _roundtrip(payload: dict[str, Any]) -> Any:
    """What a consumer reads: the payload as the CLI serialises it."""
    return json.loads(json.dumps(payload, ensure_ascii=False))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = resources.files("claimledger.schema").joinpath("analysis.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def demo() -> Any:
    """The demo's analysis, exactly as ``claimledger demo --format json`` builds it."""
    text = resources.files("claimledger.data").joinpath(DEMO_ARTICLE).read_text("utf-8")
    analysis = analyze(text, published=DEMO_PUBLISHED, path=f"demo/{DEMO_ARTICLE}")
    return _roundtrip(analysis.to_json())


@pytest.fixture(scope="module")
def samples() -> dict[str, Any]:
    out = {}
    for name, text in TEXTS.items():
        out[name] = _roundtrip(analyze(text, published=PUBLISHED).to_json())
        out[f"{name}, undated"] = _roundtrip(analyze(text).to_json())
    return out


def _errors(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    ]


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


# --- the schema itself ----------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_id_names_its_version(schema: dict[str, Any]) -> None:
    assert schema["$id"] == (
        f"https://claimledger.invalid/schema/analysis-{records.SCHEMA_VERSION}.json"
    )


def test_schema_version_const_matches_the_records(schema: dict[str, Any]) -> None:
    assert schema["properties"]["schema_version"]["const"] == records.SCHEMA_VERSION


def test_every_object_in_the_schema_forbids_unknown_keys(schema: dict[str, Any]) -> None:
    objects = [s for s in _objects(schema) if s.get("type") == "object"]
    assert len(objects) == len(RECORD_DEFS) + 1
    for sub in objects:
        assert sub.get("additionalProperties") is False, sub.get("description")
        assert set(sub["required"]) <= set(sub["properties"])


def test_every_top_level_property_is_described(schema: dict[str, Any]) -> None:
    for name, prop in schema["properties"].items():
        assert prop.get("description"), name


@pytest.mark.parametrize("name", sorted(RECORD_DEFS))
def test_schema_properties_are_the_record_fields(schema: dict[str, Any], name: str) -> None:
    definition = schema["$defs"][name]
    fields = [f.name for f in dataclasses.fields(RECORD_DEFS[name])]
    assert list(definition["properties"]) == fields
    # Every field is always written (None as null); only the document text can be left
    # out. (Schema 3.0 is a major version: the fields 2.x added as optional are required.)
    optional = {"Document": {"text"}}.get(name, set())
    assert set(definition["required"]) == set(fields) - optional


def test_enums_match_the_record_literals(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["Style"]["enum"] == list(get_args(records.Style))
    assert defs["Certainty"]["enum"] == list(records.CERTAINTY_ORDER)
    assert list(get_args(records.Certainty)) == list(records.CERTAINTY_ORDER)
    assert defs["SourceKind"]["enum"] == list(get_args(records.SourceKind))
    assert defs["Measure"]["enum"] == list(get_args(records.Measure))


# --- real output against the schema ---------------------------------------------------------


def test_demo_output_is_valid(validator: Draft202012Validator, demo: Any) -> None:
    assert _errors(validator, demo) == []
    assert "text" in demo["document"]
    assert len(demo["attributions"]) > 0 and len(demo["claims"]) > 0


@pytest.mark.parametrize("name", [*TEXTS, *(f"{n}, undated" for n in TEXTS)])
def test_sample_output_is_valid(
    validator: Draft202012Validator, samples: dict[str, Any], name: str
) -> None:
    analysis = samples[name]
    assert _errors(validator, analysis) == []
    assert analysis["attributions"], "the sample should produce attributions"
    assert analysis["claims"], "the sample should produce claims"


@pytest.mark.parametrize("name", ["kursk.json", "kursk-undated.json"])
def test_golden_files_are_valid(validator: Draft202012Validator, name: str) -> None:
    """Golden files are written with ``include_text=False``: the schema allows that."""
    assert _errors(validator, json.loads((GOLDEN / name).read_text("utf-8"))) == []


def test_samples_exercise_the_conventions(samples: dict[str, Any]) -> None:
    attributions = [a for s in samples.values() for a in s["attributions"]]
    claims = [c for s in samples.values() for c in s["claims"]]
    styles = {a["style"] for a in attributions}
    assert {"direct", "indirect", "mixed", "according-to", "unattributed"} <= styles
    assert any(a["via"] for a in attributions)
    assert {a["certainty"] for a in attributions} >= {"asserted", "believed", "denied"}
    quantities = [c["quantity"] for c in claims]
    assert any(q["bound"] == "above" for q in quantities)  # "more than 500"
    assert any(q["base"] is not None for q in quantities)  # "a quarter of the soldiers"
    assert any(q["unit"] == "fraction" and q["base"] is None for q in quantities)
    values = {
        t["value"]
        for s in samples.values()
        for t in [*(a["stated"] for a in s["attributions"]), *(c["time"] for c in s["claims"])]
        if t is not None
    }
    assert "2025-03-10" in values  # "on Monday", published 2025-03-12
    assert "2024-03-03" in values
    assert "--03-03" not in values  # the year was written
    assert "2024" in values  # "last year"


def test_the_schema_rejects_drift(validator: Draft202012Validator, demo: Any) -> None:
    def mutated(path: list[str | int], key: str, value: Any) -> Any:
        copy = json.loads(json.dumps(demo))
        node = copy
        for step in path:
            node = node[step]
        node[key] = value
        return copy

    bad = [
        mutated([], "extra", 1),
        mutated([], "schema_version", "1.0"),
        mutated(["document"], "published", "2025-02-30"),
        mutated(["attributions", 0], "style", "quoted"),
        mutated(["attributions", 0], "certainty", "certain"),
        mutated(["attributions", 0, "cue"], "spans", []),
        mutated(["attributions", 0, "cue"], "spans", [[1, 2, 3]]),
        mutated(["attributions", 0, "stated"], "granularity", "hour"),
        mutated(["attributions", 0, "stated"], "value", "31 January"),
        mutated(["attributions", 2, "via", 0], "kind", "newspaper"),
        mutated(["claims", 0], "measure", "exploded"),
        mutated(["claims", 0], "modality", "hoped"),
        mutated(["claims", 0], "rate", {"text": "a day", "per": "fortnight", "spans": []}),
        mutated(["claims", 0, "quantity"], "low", "3"),
        mutated(["claims", 0, "quantity"], "new_field", None),
        mutated(["entities", 0], "id", "entity-1"),
    ]
    for instance in bad:
        assert _errors(validator, instance), instance


# --- what the schema cannot say -------------------------------------------------------------


def test_spans_lie_in_the_text_and_single_spans_match_their_text(
    demo: Any, samples: dict[str, Any]
) -> None:
    for analysis in [demo, *samples.values()]:
        text = analysis["document"]["text"]
        for obj in _objects(analysis):
            spans = obj.get("spans")
            if not isinstance(spans, list):
                continue
            for start, end in spans:
                assert 0 <= start <= end <= len(text), obj
            if isinstance(obj.get("text"), str) and len(spans) == 1:
                start, end = spans[0]
                assert text[start:end] == obj["text"], obj


def test_ids_refer_to_records_in_the_same_analysis(demo: Any, samples: dict[str, Any]) -> None:
    for analysis in [demo, *samples.values()]:
        entity_ids = {e["id"] for e in analysis["entities"]}
        attribution_ids = [a["id"] for a in analysis["attributions"]]
        claim_ids = [c["id"] for c in analysis["claims"]]
        assert attribution_ids == [f"a{i}" for i in range(1, len(attribution_ids) + 1)]
        assert claim_ids == [f"c{i}" for i in range(1, len(claim_ids) + 1)]
        for obj in _objects(analysis):
            if obj.get("entity_id") is not None:
                assert obj["entity_id"] in entity_ids, obj
        for a in analysis["attributions"]:
            if a["parent"] is not None:
                assert attribution_ids.index(a["parent"]) < attribution_ids.index(a["id"])
        for c in analysis["claims"]:
            assert c["attribution"] is None or c["attribution"] in attribution_ids
            base = c["quantity"]["base"]
            if base is not None and base["claim"] is not None:
                assert claim_ids.index(base["claim"]) < claim_ids.index(c["id"])
