"""Entity resolution kept between reconciles (``ledger.entities``): after any change,
what it keeps is what resolving every entity again gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.ledger.entities import Entities
from claimledger.ledger.reconcile import DocumentEntity, resolve_entities

# (name, kind, roles, affiliations): people by full name, surname and spelling, people
# named by role, bodies with and without their owner, names that name no one, equipment
NAMES = [
    ("Volodymyr Zelensky", "person", ("President",), ("Ukraine",)),
    ("Zelensky", "person", (), ()),
    ("Zelenskyy", "unknown", (), ()),
    ("President Volodymyr Zelensky", "person", ("president",), ()),
    ("Oleksandr Syrskyi", "person", ("commander-in-chief",), ("Ukraine",)),
    ("Andriy Syrskyi", "person", (), ()),
    ("Syrskyi", "person", (), ()),
    ("Syrsky", "person", (), ()),
    ("John Kirby", "person", ("spokesperson",), ("White House",)),
    ("Kirby", "person", (), ()),
    ("Jane Kirby", "person", ("governor",), ()),
    ("Ivan Fedorov", "person", ("governor",), ()),
    ("the president", "person", ("president",), ()),
    ("Ukraine's president", "person", (), ()),
    ("the Ukrainian leader", "person", (), ()),
    ("Ukraine's commander-in-chief", "person", (), ()),
    ("the governor", "person", ("governor",), ()),
    ("the spokesperson", "person", ("spokesperson",), ()),
    ("the health ministry", "organization", (), ()),
    ("Gaza's health ministry", "organization", (), ()),
    ("the Ministry of Health", "organization", (), ()),
    ("Israel's health ministry", "organization", (), ()),
    ("Ukraine's Air Force", "organization", (), ()),
    ("the air force", "organization", (), ()),
    ("the Ukrainian air force statement", "organization", (), ()),
    ("the UN", "organization", (), ()),
    ("the monitoring mission", "organization", (), ()),
    ("the defence ministry", "organization", (), ()),
    ("Russian Ministry of Defence", "organization", (), ()),
    ("officials", "unknown", (), ()),
    ("Shahed drones", "equipment", (), ()),
]
COUNTRIES = ["ukrainian", "russian", "israeli", "palestinian", "american"]


@st.composite
def documents(draw: st.DrawFn, document: str) -> tuple[DocumentEntity, ...]:
    countries = draw(st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True))
    picked = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5))
    return tuple(
        DocumentEntity(
            document=document,
            id=f"e{i}",
            name=name,
            kind=kind,
            roles=roles,
            affiliations=affiliations,
            country=countries[0] if countries else None,
            countries=frozenset(countries),
        )
        for i, (name, kind, roles, affiliations) in enumerate(picked, 1)
    )


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_kept_entities_are_those_of_a_whole_run_after_every_change(data: st.DataObject) -> None:
    ids = [f"d{n}" for n in range(8)]
    kept = Entities(whole_share=2.0)  # never a whole run but the first
    ledger: dict[str, tuple[DocumentEntity, ...]] = {}
    whole = 0  # whole runs: when nothing is kept
    for _ in range(data.draw(st.integers(1, 10))):
        whole += not kept.entities
        document = data.draw(st.sampled_from(ids))
        if document in ledger and data.draw(st.booleans()):
            del ledger[document]
        else:
            ledger[document] = data.draw(documents(document))  # new, or analysed again
        found = kept.resolve(ledger, {document})
        assert found == resolve_entities(e for es in ledger.values() for e in es)
        # and each document entity's ledger entity is the one holding it
        assert dict(kept.links()) == {member: e for e in found for member in e.members}
    assert kept.whole_runs == whole
