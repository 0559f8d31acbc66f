"""The cross-article rules on real reporting, as tables: which names across articles are
one source and why, how like is related with like, how conflicts rank, and that the
order articles come in changes nothing (docs/reconciliation.md)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.ledger.reconcile import (
    ClaimFacts,
    DocumentEntity,
    conflict_strength,
    reconcile,
    relate,
    repeats,
    resolve_entities,
)
from tests.ledger.test_reconcile import claim


def entity(
    document: str, local: str, name: str, kind: str = "person", **extra: Any
) -> DocumentEntity:
    return DocumentEntity(document=document, id=local, name=name, kind=kind, **extra)


def _groups(entities: list[DocumentEntity], **corrections: Any) -> set[frozenset[str]]:
    return {
        frozenset(f"{d}/{i}" for d, i in e.members)
        for e in resolve_entities(entities, **corrections)
    }


# (case, entities, the groups of more than one member, a word of the merge reason)
MERGES = [
    (
        "a body by its country's name and by its adjective",
        [
            entity("a", "e1", "Ukraine's Air Force", "organization"),
            entity("b", "e1", "the Ukrainian air force", "organization"),
        ],
        [{"a/e1", "b/e1"}],
        "same body",
    ),
    (
        "what a body issued is the body",
        [
            entity("a", "e1", "Ukrainian Air Force", "organization"),
            entity("b", "e1", "air force statement", "unknown", country="ukrainian"),
        ],
        [{"a/e1", "b/e1"}],
        "same body",
    ),
    (
        "a national body without its owner is its article's country's",
        [
            entity("a", "e1", "Syria's Ministry of Health", "organization"),
            entity("b", "e1", "the health ministry", "organization", country="syrian"),
        ],
        [{"a/e1", "b/e1"}],
        "same body",
    ),
    (
        "a body named without its owner joins its article's one body of that name",
        [
            entity("a", "e1", "Gaza's health ministry", "organization"),
            entity("a", "e2", "the health ministry", "organization", country="israeli"),
            entity("b", "e1", "Hamas-run health ministry", "organization"),
        ],
        [{"a/e1", "a/e2", "b/e1"}],
        "same body",
    ),
    (
        "titles and owners off a person's name",
        [
            entity("a", "e1", "UN Secretary-General spokesperson Stephane Dujarric"),
            entity("b", "e1", "Stéphane Dujarric"),
        ],
        [{"a/e1", "b/e1"}],
        "titles",
    ),
    (
        "transliterations are one spelling",
        [entity("a", "e1", "Volodymyr Zelenskyy"), entity("b", "e1", "Volodymyr Zelenskiy")],
        [{"a/e1", "b/e1"}],
        "spelling",
    ),
    (
        "a surname spelt a letter apart joins the one full name",
        [entity("a", "e1", "Oleksandr Syrskyi"), entity("b", "e1", "Syrsky")],
        [{"a/e1", "b/e1"}],
        "surname",
    ),
    (
        "a role stands for the one holder of its office in that country",
        [
            entity(
                "a", "e1", "Volodymyr Zelensky", roles=("President",), affiliations=("Ukraine",)
            ),
            entity("b", "e1", "the Ukrainian leader"),
        ],
        [{"a/e1", "b/e1"}],
        "holder of that role",
    ),
    (
        "the gazetteer's acronym is the body",
        [
            entity("a", "e1", "HRMMU", "organization"),
            entity("b", "e1", "UN Human Rights Monitoring Mission in Ukraine", "organization"),
        ],
        [{"a/e1", "b/e1"}],
        "gazetteer",
    ),
    (
        "a body the gazetteer knows under another wording",
        [
            entity("a", "e1", "Israel's military", "organization"),
            entity("b", "e1", "Israel Defense Forces", "organization"),
        ],
        [{"a/e1", "b/e1"}],
        "gazetteer",
    ),
    (
        "pronouns and generic nouns are never merged across articles",
        [
            entity("a", "e1", "They", "unknown"),
            entity("b", "e1", "they", "unknown"),
            entity("a", "e2", "authorities", "group"),
            entity("b", "e2", "Authorities", "group"),
        ],
        [],
        "",
    ),
    (
        "part of a known body's name, in an article that names its owner, is that body",
        [
            entity("a", "e1", "the UN", "organization"),
            entity("a", "e2", "the monitoring mission", "organization"),
            entity("b", "e1", "UN Human Rights Monitoring Mission in Ukraine", "organization"),
        ],
        [{"a/e2", "b/e1"}],
        "gazetteer",
    ),
    (
        "part of a known body's name in an article that does not name its owner stays apart",
        [
            entity("a", "e1", "the monitoring mission", "organization"),
            entity("b", "e1", "UN Human Rights Monitoring Mission in Ukraine", "organization"),
        ],
        [],
        "",
    ),
    (
        "a disaster agency the gazetteer knows under its short names",
        [
            entity("a", "e1", "CalFire", "organization"),
            entity("b", "e1", "Cal-FIRE", "organization"),
        ],
        [{"a/e1", "b/e1"}],
        "",
    ),
    (
        "one word of a known body's name is not that body",
        [
            entity("a", "e1", "the Ukrainian military", "organization"),
            entity("b", "e1", "Main Intelligence Directorate of Ukraine", "organization"),
        ],
        [],
        "",
    ),
    (
        "a body named by part of the one larger body of its article, neither owned",
        [
            entity("a", "e1", "the health ministry", "organization", country="palestinian"),
            entity("a", "e2", "a ministry statement", "document", country="palestinian"),
            entity("b", "e1", "Gaza's health ministry", "organization"),
        ],
        [{"a/e1", "a/e2", "b/e1"}],
        "same body",
    ),
    (
        "part of two larger bodies of its article is neither",
        [
            entity("a", "e1", "the health ministry", "organization", country="syrian"),
            entity("a", "e2", "the interior ministry", "organization", country="syrian"),
            entity("a", "e3", "the ministry", "organization", country="syrian"),
        ],
        [],
        "",
    ),
    (
        "two wordings of one body (`body_synonyms`)",
        [
            entity("a", "e1", "Myanmar's military government", "organization"),
            entity("b", "e1", "the ruling junta", "organization", country="myanmar"),
        ],
        [{"a/e1", "b/e1"}],
        "same body",
    ),
    (
        "a role that names no country joins the holder its own article names",
        [
            entity("a", "e1", "Gov. Greg Abbott", roles=("Gov.",)),
            entity("a", "e2", "governor", roles=("governor",)),
        ],
        [{"a/e1", "a/e2"}],
        "holder of that role",
    ),
    (
        "a role that names no country never joins a holder of another article",
        [
            entity("a", "e1", "Volyn Governor Ivan Rudnytskyi", roles=("Governor",)),
            entity("b", "e1", "governor", roles=("governor",)),
        ],
        [],
        "",
    ),
    (
        "a longer name that holds a known body's whole name is that body",
        [
            entity("a", "e1", "the 'White Helmets' civil defense", "organization"),
            entity("b", "e1", "Syria Civil Defence", "organization"),
        ],
        [{"a/e1", "b/e1"}],
        "whole name",
    ),
    (
        "two countries' health ministries stay two",
        [
            entity("a", "e1", "Syria's health ministry", "organization"),
            entity("b", "e1", "Turkey's health ministry", "organization"),
        ],
        [],
        "",
    ),
]


@pytest.mark.parametrize(
    ("entities", "groups", "reason"), [m[1:] for m in MERGES], ids=[m[0] for m in MERGES]
)
def test_merge_rule(entities: list[DocumentEntity], groups: list[set[str]], reason: str) -> None:
    found = resolve_entities(entities)
    merged = [e for e in found if len(e.members) > 1]
    assert {frozenset(f"{d}/{i}" for d, i in e.members) for e in merged} == {
        frozenset(g) for g in groups
    }
    for e in merged:
        assert reason in e.reason or reason in e.reason.replace("the same", "same"), e.reason


def test_a_fact_checker_merges_and_splits_sources() -> None:
    people = [entity("a", "e1", "Syrskyi"), entity("b", "e1", "Oleksandr Syrskyi")]
    assert _groups(people) == {frozenset({"a/e1", "b/e1"})}
    assert _groups(people, splits=[("syrskyi", "oleksandr syrskyi")]) == {
        frozenset({"a/e1"}),
        frozenset({"b/e1"}),
    }
    apart = [entity("a", "e1", "UN spokesman"), entity("b", "e1", "Stephane Dujarric")]
    merged = resolve_entities(
        apart, merges=[("un spokesman", "stephane dujarric", "by X: same man")]
    )
    assert len(merged) == 1 and "by X: same man" in merged[0].reason


def _with(c: ClaimFacts, **changes: Any) -> ClaimFacts:
    return dataclasses.replace(c, **changes)


# (case, a, b, kind or None, a word of the reason)
RELATIONS = [
    (
        "two `other` figures never conflict: what happened to them is not said",
        claim("a/c1", "other", 728, subject="drones"),
        claim("b/c1", "other", 296, subject="drones", root="B"),
        None,
        "",
    ),
    (
        "two `other` figures of one counted noun corroborate",
        claim("a/c1", "other", 728, subject="drones"),
        claim("b/c1", "other", 728, subject="drones", root="B"),
        "corroborates",
        "overlap",
    ),
    (
        "an `other` figure with no counted noun is compared with nothing",
        claim("a/c1", "other", 728, subject=""),
        claim("b/c1", "other", 728, subject="", root="B"),
        None,
        "",
    ),
    (
        "a year read as a count is compared with nothing",
        claim("a/c1", "other", 2025, subject="year"),
        claim("b/c1", "other", 2025, subject="year", root="B"),
        None,
        "",
    ),
    (
        "one source's figures of one measure in one article are not a dispute",
        claim("a/c1", "killed", 15, subject="people"),
        claim("a/c2", "killed", 407, subject="people"),
        None,
        "",
    ),
    (
        "two sources in one article do dispute",
        claim("a/c1", "killed", 15, subject="people"),
        claim("a/c2", "killed", 407, subject="people", root="B"),
        "conflicts",
        "do not overlap",
    ),
    (
        "articles about different countries are different events",
        _with(claim("a/c1", "killed", 102, subject="people"), countries=frozenset({"american"})),
        _with(
            claim("b/c1", "killed", 1414, subject="people", root="B"),
            countries=frozenset({"turkish"}),
        ),
        None,
        "",
    ),
    (
        "articles naming a country in common are compared",
        _with(claim("a/c1", "killed", 102, subject="people"), countries=frozenset({"turkish"})),
        _with(
            claim("b/c1", "killed", 1414, subject="people", root="B"),
            countries=frozenset({"turkish", "syrian"}),
        ),
        "conflicts",
        "do not overlap",
    ),
    (
        "a round figure is a rounding of a precise one",
        claim("a/c1", "killed", 50_021, subject="people"),
        claim("b/c1", "killed", 50_000, subject="people", root="B"),
        "corroborates",
        "overlap",
    ),
    (
        "a running total rising over time is an update of it",
        claim("a/c1", "killed", 100, when="2025-01-01", subject="people"),
        claim("b/c1", "killed", 300, when="2025-01-20", subject="people", root="B"),
        "updates",
        "running total rising",
    ),
    (
        "one source's running total in two undated reports is an update, not a dispute",
        claim("a/c1", "killed", 12_000, when=None, subject="people"),
        claim("b/c1", "killed", 29_605, when=None, subject="people"),
        "updates",
        "two undated reports",
    ),
    (
        "a running total falling from another source conflicts",
        claim("a/c1", "killed", 300, when="2025-01-01", subject="people"),
        claim("b/c1", "killed", 100, when="2025-01-20", subject="people", root="B"),
        "conflicts",
        "cannot fall",
    ),
    (
        "a population is never deployed: no part-of-force rule",
        claim("a/c1", "wounded", 7_946, subject="people"),
        claim("b/c1", "deployed", 5_614, subject="people", root="B"),
        None,
        "",
    ),
    (
        "a projection is never compared with a count",
        claim("a/c1", "killed", 10_000, subject="people", modality="projection"),
        claim("b/c1", "killed", 300, subject="people", root="B"),
        None,
        "",
    ),
    (
        "a rate is never compared with a total",
        claim("a/c1", "killed", 80, subject="people", rate="day"),
        claim("b/c1", "killed", 3_000, subject="people", root="B"),
        None,
        "",
    ),
    (
        "a larger figure that names no place may count more places than a placed one",
        claim("a/c1", "killed", 33_000, subject="people"),
        claim("b/c1", "killed", 1_414, subject="people", place="syrian", root="B"),
        "compatible",
        "names no place",
    ),
    (
        "a smaller figure that names no place still conflicts with a placed one",
        claim("a/c1", "killed", 300, subject="people"),
        claim("b/c1", "killed", 1_414, subject="people", place="syrian", root="B"),
        "conflicts",
        "do not overlap",
    ),
    (
        "a toll of migrants and one of people that overlap are one figure",
        _with(claim("a/c1", "killed", 78, subject="people"), population="migrants"),
        claim("b/c1", "killed", 78, subject="people", root="B"),
        "corroborates",
        "overlap",
    ),
    (
        "a narrower population within all people is a part within its whole",
        _with(claim("a/c1", "killed", 3_924, subject="people"), population="civilians"),
        claim("b/c1", "killed", 5_000, subject="people", root="B"),
        "compatible",
        "civilians ⊆ people",
    ),
    (
        "a narrower population larger than a toll of people is no conflict: that toll "
        "counts something narrower its words did not name",
        _with(claim("a/c1", "killed", 1_028, subject="people"), population="civilians"),
        claim("b/c1", "killed", 14, subject="people", root="B"),
        None,
        "",
    ),
    (
        "civilians and migrants say nothing of each other",
        _with(claim("a/c1", "killed", 78, subject="people"), population="migrants"),
        _with(claim("b/c1", "killed", 78, subject="people", root="B"), population="civilians"),
        None,
        "",
    ),
    (
        "`other` figures of migrants and of people count two things",
        _with(claim("a/c1", "other", 70_000, subject="people"), population="migrants"),
        claim("b/c1", "other", 750, subject="people", root="B"),
        None,
        "",
    ),
    (
        "people in two places are not compared",
        claim("a/c1", "killed", 40_000, subject="people", place="palestinian"),
        claim("b/c1", "killed", 1_200, subject="people", place="israeli", root="B"),
        None,
        "",
    ),
]


@pytest.mark.parametrize(
    ("a", "b", "kind", "reason"), [r[1:] for r in RELATIONS], ids=[r[0] for r in RELATIONS]
)
def test_relation_rule(a: ClaimFacts, b: ClaimFacts, kind: str | None, reason: str) -> None:
    found = relate(a, b)
    assert found == relate(b, a)
    assert (found.kind if found else None) == kind, found
    if found is not None:
        assert reason in found.reason


# (case, claims, the repeats found: repeat -> its first statement)
REPEATS = [
    (
        "a headline's figure, in the outlet's own voice, repeated by a source in the body",
        [_with(claim("a/c1", "killed", 300), source=None), claim("a/c2", "killed", 300, root="B")],
        {"a/c2": "a/c1"},
    ),
    (
        "one source giving one figure twice",
        [claim("a/c1", "killed", 300), claim("a/c2", "killed", 300)],
        {"a/c2": "a/c1"},
    ),
    (
        "two sources giving one figure are two claims",
        [
            claim("a/c1", "absent", 3, unit="week"),
            claim("a/c2", "absent", 3, unit="week", root="B"),
        ],
        {},
    ),
    (
        "the order of statements is the claims' numbers, not their spelling",
        [claim("a/c10", "killed", 300), claim("a/c2", "killed", 300)],
        {"a/c10": "a/c2"},
    ),
    (
        "one number in two articles is no repeat",
        [claim("a/c1", "killed", 300), claim("b/c1", "killed", 300)],
        {},
    ),
    (
        "one number of two measures is no repeat",
        [claim("a/c1", "killed", 300), claim("a/c2", "wounded", 300)],
        {},
    ),
    (
        "one number in two places is no repeat",
        [
            claim("a/c1", "killed", 300, place="kharkiv"),
            claim("a/c2", "killed", 300, place="kyiv"),
        ],
        {},
    ),
    (
        "one number on two days is no repeat",
        [
            claim("a/c1", "killed", 2, when="2025-01-20"),
            claim("a/c2", "killed", 2, when="2025-01-22"),
        ],
        {},
    ),
    (
        "the same number said as a bound repeats it",
        [claim("a/c1", "killed", 22_000, bound="above"), claim("a/c2", "killed", 22_000)],
        {"a/c2": "a/c1"},
    ),
]


@pytest.mark.parametrize(("claims", "found"), [r[1:] for r in REPEATS], ids=[r[0] for r in REPEATS])
def test_repeat_rule(claims: list[ClaimFacts], found: dict[str, str]) -> None:
    assert repeats(claims) == found


def test_a_repeat_is_related_to_its_first_statement_only() -> None:
    first = _with(claim("a/c1", "killed", 300), source=None)
    again = claim("a/c2", "killed", 300, root="B")
    other = claim("b/c1", "killed", 3_000, root="C")
    result = reconcile([other, again, first])
    # the repeat is a member of its first statement's figure, and the figure's conflict
    # with the other is one line shown by the first statement, standing for one pair
    assert sorted(f.claims for f in result.figures) == [("a/c1", "a/c2"), ("b/c1",)]
    assert {(r.a, r.b, r.kind, r.pairs) for r in result.relations} == {
        ("a/c1", "a/c2", "corroborates", 1),
        ("a/c1", "b/c1", "conflicts", 1),
    }


def test_conflicts_rank_by_distance_and_independent_roots() -> None:
    a = claim("a/c1", "killed", 300, subject="people")
    near = claim("b/c1", "killed", 400, subject="people", root="B")
    far = claim("b/c2", "killed", 3_000, subject="people", root="C")
    assert conflict_strength(a, far, 1, 1) > conflict_strength(a, near, 1, 1) > 0
    assert conflict_strength(a, far, 3, 2) > conflict_strength(a, far, 1, 1)
    result = reconcile([a, far, _with(far, document="c", claim="c1", root="D")])
    strengths = sorted(r.strength for r in result.relations if r.kind == "conflicts")
    assert strengths and strengths[0] > 0  # two independent roots behind 3,000


def test_a_dismissed_relation_is_left_out_and_splits_its_figure() -> None:
    a = claim("a/c1", "killed", 300, subject="people")
    b = claim("b/c1", "killed", 300, subject="people", root="B")
    together = reconcile([a, b])
    assert [r.kind for r in together.relations] == ["corroborates"]
    assert [f.claims for f in together.figures] == [(a.ref, b.ref)]
    dismissed = reconcile([a, b], dismissed={frozenset({a.ref, b.ref}): "two events"})
    assert dismissed.relations == () and len(dismissed.figures) == 2


# --- the order articles come in changes nothing ---------------------------------------------

MEASURES = ("killed", "wounded", "killed_or_wounded", "other")
ROOTS = ("A", "B", "C")


@st.composite
def claim_sets(draw: st.DrawFn) -> list[ClaimFacts]:
    n = draw(st.integers(min_value=2, max_value=9))
    found = []
    for i in range(n):
        low = draw(st.sampled_from((50, 100, 300, 1_000, 3_000, 50_000, 50_021)))
        day = draw(st.integers(min_value=1, max_value=28))
        found.append(
            claim(
                f"d{draw(st.integers(min_value=0, max_value=3))}/c{i}",
                draw(st.sampled_from(MEASURES)),
                low,
                when=f"2025-01-{day:02d}",
                root=draw(st.sampled_from(ROOTS)),
                subject=draw(st.sampled_from(("people", "drones"))),
            )
        )
        if found[-1].subject == "people":
            population = draw(st.sampled_from((None, "people", "civilians", "migrants")))
            found[-1] = _with(found[-1], population=population)
    return found


NAMES = (
    "Ukraine's Air Force",
    "the Ukrainian air force",
    "Volodymyr Zelenskyy",
    "Zelensky",
    "they",
    "the health ministry",
    "Syria's health ministry",
    "Kim",
    "Kim Jong-un",
    "a ministry statement",
    "the ruling junta",
    "the monitoring mission",
    "the UN",
)


@given(claims=claim_sets(), data=st.data())
@settings(max_examples=60, deadline=None)
def test_reconciling_in_any_order_gives_the_same_ledger(
    claims: list[ClaimFacts], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(claims))
    first, second = reconcile(claims), reconcile(shuffled)
    assert set(first.relations) == set(second.relations)
    assert {(f.subject, f.measure, frozenset(f.claims), f.roots) for f in first.figures} == {
        (f.subject, f.measure, frozenset(f.claims), f.roots) for f in second.figures
    }
    entities = [
        entity(f"d{i % 3}", f"e{i}", data.draw(st.sampled_from(NAMES)), country="syrian")
        for i in range(data.draw(st.integers(min_value=1, max_value=8)))
    ]
    reordered = data.draw(st.permutations(entities))
    assert {(e.id, e.name, e.members, e.reason) for e in resolve_entities(entities)} == {
        (e.id, e.name, e.members, e.reason) for e in resolve_entities(reordered)
    }
