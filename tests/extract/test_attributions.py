"""Building attribution records from the raw attributions and an entity table: the builder
takes who each mention is from the table and resolves nothing, so a hand-made table
decides the records' entities, and whether a statement's time carries to the next one."""

from __future__ import annotations

import dataclasses
import datetime as dt

from spacy.tokens import Doc

from claimledger.extract.attributions import build_attributions
from claimledger.extract.entities import EntityTable, resolve_mentions
from claimledger.gazetteer import default_gazetteer
from claimledger.nlp.attribution import ATTRIBUTIONS_ATTR, RawAttribution
from claimledger.nlp.pipeline import load_pipeline

PUBLISHED = dt.date(2025, 2, 1)


def _parsed(text: str) -> tuple[Doc, list[RawAttribution]]:
    doc = load_pipeline("fast")(text)
    return doc, doc._.get(ATTRIBUTIONS_ATTR) or []


def _with_source_entity(table: EntityTable, index: int, entity_id: str, name: str) -> EntityTable:
    """``table`` with attribution ``index``'s source said to be another entity."""
    mentions = table.attributions[index]
    assert mentions.source is not None
    source = dataclasses.replace(mentions.source, entity_id=entity_id, entity=name)
    changed = dataclasses.replace(mentions, source=source)
    rows = (*table.attributions[:index], changed, *table.attributions[index + 1 :])
    return dataclasses.replace(table, attributions=rows)


TWO_STATEMENTS = (
    "Officials said on Monday that 20 soldiers were killed. They added that 30 were wounded."
)


def test_the_same_speaker_carries_the_statement_time() -> None:
    doc, raws = _parsed(TWO_STATEMENTS)
    table = resolve_mentions(doc, raws, default_gazetteer())
    first, second = build_attributions(doc, raws, table, PUBLISHED)
    assert first.stated is not None and second.stated is not None
    assert (second.stated.text, second.stated.inherited) == ("Monday", True)
    assert second.stated.start == first.stated.start == dt.date(2025, 1, 27)


def test_the_source_is_the_tables_and_another_speaker_carries_nothing() -> None:
    doc, raws = _parsed(TWO_STATEMENTS)
    table = _with_source_entity(
        resolve_mentions(doc, raws, default_gazetteer()), 1, "e9", "the Defence Ministry"
    )
    _, second = build_attributions(doc, raws, table, PUBLISHED)
    assert second.source is not None
    assert (second.source.text, second.source.entity, second.source.entity_id) == (
        "They",
        "the Defence Ministry",
        "e9",
    )
    assert second.stated is None


def test_a_nested_statement_is_reported_through_its_parents_source() -> None:
    doc, raws = _parsed("CNN reported that officials said 20 soldiers were killed.")
    table = _with_source_entity(resolve_mentions(doc, raws, default_gazetteer()), 0, "e7", "CNN")
    outer, inner = build_attributions(doc, raws, table, PUBLISHED)
    assert inner.parent == outer.id == "a1"
    assert [(v.text, v.entity, v.entity_id, v.kind) for v in inner.via] == [
        ("CNN", "CNN", "e7", "outlet")
    ]
    assert inner.via[0].cue == outer.cue
