"""Who a figure comes from within one article, as tables (docs/reconciliation.md, What
each claim is): an international body named alone beside one body of its own, and a
report that names no one in an article whose named voices speak for one body."""

from __future__ import annotations

import dataclasses

import pytest

from claimledger.ledger.rebuild import _settle_roots
from claimledger.ledger.reconcile import ClaimFacts, LedgerEntity
from tests.ledger.test_reconcile import claim


def body(id: str, name: str, *aliases: str, kind: str = "organization") -> LedgerEntity:
    return LedgerEntity(id, name, kind, aliases, (), (), (), "")


UN = body("E1", "United Nations", "UN")
MISSION = body("E2", "UN Human Rights Monitoring Mission in Ukraine")
IOM = body("E3", "International Organization for Migration", "IOM")
WHO = body("E4", "World Health Organization", "WHO")
AIR_FORCE = body("E5", "Ukrainian Air Force")
JUNTA = body("E6", "Myanmar's military government")
SPOKESMAN = body("E7", "military government spokesman", kind="person")
IHNAT = body("E8", "Spokesperson Yuriy Ihnat", kind="person")
ENTITIES = {e.id: e for e in (UN, MISSION, IOM, WHO, AIR_FORCE, JUNTA, SPOKESMAN, IHNAT)}


def said(ref: str, root: str, *, source: str | None = "x") -> ClaimFacts:
    name = ENTITIES[root].name if root in ENTITIES else root
    return dataclasses.replace(
        claim(ref, "killed", 100, subject="people"), root=root, root_name=name, source=source
    )


# (case, one article's claims, named speakers, the root each claim settles on)
ROOTS = [
    (
        "the UN named alone beside one UN body of its article is that body",
        [said("a/c1", "E1"), said("a/c2", "E2")],
        [],
        ["E2", "E2"],
    ),
    (
        "the UN named alone beside two UN bodies stays the UN",
        [said("a/c1", "E1"), said("a/c2", "E2"), said("a/c3", "E3")],
        [],
        ["E1", "E2", "E3"],
    ),
    (
        "a body the gazetteer knows as a UN agency counts as the UN's",
        [said("a/c1", "E1"), said("a/c2", "E4")],
        [],
        ["E4", "E4"],
    ),
    (
        "the UN beside a body of a country is the UN",
        [said("a/c1", "E1"), said("a/c2", "E5")],
        [],
        ["E1", "E5"],
    ),
    (
        "a person named only as a body's spokesman speaks for that body of its article",
        [said("a/c1", "E7"), said("a/c2", "E6")],
        [],
        ["E6", "E6"],
    ),
    (
        "a spokesman whose body its article does not name stays the spokesman",
        [said("a/c1", "E7"), said("a/c2", "E5")],
        [],
        ["E7", "E5"],
    ),
    (
        "a spokesperson with a name is that person",
        [said("a/c1", "E8"), said("a/c2", "E5")],
        [],
        ["E8", "E5"],
    ),
    (
        "a report that names no one, in an article whose figures name no one, is the body "
        "its named speakers speak for",
        [said("a/c1", "generic:"), said("a/c2", "generic:")],
        [("E2", MISSION.name), ("E2", MISSION.name), ("E5", AIR_FORCE.name)],
        ["E2", "E2"],
    ),
    (
        "a named source of its figures comes before its speakers",
        [said("a/c1", "generic:"), said("a/c2", "E5")],
        [("E2", MISSION.name)],
        ["E5", "E5"],
    ),
    (
        "with no named source and no named speaker, the article's own report",
        [said("a/c1", "generic:")],
        [],
        ["document:a"],
    ),
]


@pytest.mark.parametrize(
    ("facts", "speakers", "roots"), [r[1:] for r in ROOTS], ids=[r[0] for r in ROOTS]
)
def test_root_rule(
    facts: list[ClaimFacts], speakers: list[tuple[str, str]], roots: list[str]
) -> None:
    assert [f.root for f in _settle_roots(facts, ENTITIES, speakers)] == roots
