"""Reconciliation rules as tables: how two claims relate and why, how entities merge
across articles, how figures are counted and which pairs are compared."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimledger.ledger.reconcile import (
    COMPARE_WITHIN_DAYS,
    NEIGHBOURS,
    ClaimFacts,
    DocumentEntity,
    candidate_pairs,
    reconcile,
    relate,
    resolve_entities,
    scope_of,
)

D = dt.date.fromisoformat


def claim(
    ref: str,
    measure: str,
    low: float,
    high: float | None = ...,  # type: ignore[assignment]
    *,
    when: str | None = "2025-01-20",
    until: str | None = None,
    root: str = "A",
    scope: str | None = None,
    unit: str = "count",
    polarity: str = "positive",
    subject: str = "north korean soldiers",
    place: str | None = None,
    bound: str | None = None,
    modality: str = "reported",
    rate: str | None = None,
) -> ClaimFacts:
    document, _, claim_id = ref.partition("/")
    if high is ...:
        high = low
    default_scope = "duration" if measure == "absent" else "total"
    if measure == "deployed":
        default_scope = "stock"
    return ClaimFacts(
        document=document,
        claim=claim_id,
        subject=subject,
        measure=measure,
        low=low,
        high=high,
        value=high if bound == "at_most" else low if high == low or bound else None,
        bound=bound or ("exact" if high == low else "approx"),
        unit=unit,
        polarity=polarity,
        start=D(when) if when else None,
        end=D(until or when) if when else None,
        dated_by="claim" if when else None,
        root=root,
        root_name=root,
        source=root,
        statement="",
        figure=str(low),
        scope=scope or default_scope,  # type: ignore[arg-type]
        place=place,
        modality=modality,
        rate=rate,
    )


# (first claim, second claim, expected kind or None, words the reason must contain)
RELATIONS: list[tuple[str, ClaimFacts, ClaimFacts, str | None, str]] = [
    (
        "the seed: ≈12,000 deployed (intelligence) and 12,000 (Zelensky)",
        claim("d/c3", "deployed", 10_800, 13_200, when="2025-02-01", root="intelligence"),
        claim("d/c5", "deployed", 12_000, when="2025-01-20", until="2025-01-26", root="Zelensky"),
        "corroborates",
        "overlap",
    ),
    (
        "the seed: 4,000 killed (Zelensky) and ≈6,000 killed or wounded (Syrskyi)",
        claim("d/c6", "killed", 4_000, when="2025-01-20", until="2025-01-26", root="Zelensky"),
        claim("d/c7", "killed_or_wounded", 5_400, 6_600, when="2025-01-19", root="Syrskyi"),
        "compatible",
        "killed ≤ killed_or_wounded",
    ),
    (
        "the seed: a kill on Jan 28 inside a three-week absence to Jan 31",
        claim("d/c1", "absent", 3, when="2025-01-11", until="2025-01-31", unit="week"),
        claim("d/c8", "killed", 2, when="2025-01-28", root="SSO", scope="incident"),
        "conflicts",
        "falls inside the absence",
    ),
    (
        "a kill after the absence ended says nothing about it",
        claim("d/c1", "absent", 3, when="2025-01-11", until="2025-01-31", unit="week"),
        claim("d/c8", "killed", 2, when="2025-02-03", root="SSO", scope="incident"),
        None,
        "",
    ),
    (
        "a running total inside the absence is not evidence of presence",
        claim("d/c1", "absent", 3, when="2025-01-11", until="2025-01-31", unit="week"),
        claim("d/c6", "killed", 4_000, when="2025-01-20", root="Zelensky"),
        None,
        "",
    ),
    (
        "same measure, same time, no overlap",
        claim("a/c1", "killed", 300, when="2025-01-13", root="NIS"),
        claim("b/c1", "killed", 3_000, when="2025-01-15", root="Russian ministry"),
        "conflicts",
        "do not overlap at about the same time",
    ),
    (
        "a later running total may be higher",
        claim("a/c1", "killed", 100, when="2024-12-19", root="NIS"),
        claim("b/c1", "killed", 300, when="2025-01-13", root="Zelensky"),
        "updates",
        "running total rising",
    ),
    (
        "a running total cannot fall (different sources)",
        claim("a/c1", "killed", 300, when="2024-12-19", root="NIS"),
        claim("b/c1", "killed", 100, when="2025-01-13", root="Zelensky"),
        "conflicts",
        "cannot fall",
    ),
    (
        "the same source at two dates updates itself",
        claim("a/c1", "killed", 100, when="2024-12-19", root="NIS"),
        claim("b/c1", "killed", 300, when="2025-01-13", root="NIS"),
        "updates",
        "100 → 300",
    ),
    (
        "the same figure from the same source at one time is not independent",
        claim("a/c1", "killed", 300, when="2025-01-13", root="NIS"),
        claim("b/c1", "killed", 300, when="2025-01-14", root="NIS"),
        "corroborates",
        "not independent",
    ),
    (
        "a part larger than its whole at one time",
        claim("a/c1", "killed", 5_000, when="2025-01-20", root="X"),
        claim("b/c1", "killed_or_wounded", 3_000, when="2025-01-20", root="Y"),
        "conflicts",
        "broken",
    ),
    (
        "a later killed figure may exceed an earlier killed-or-wounded one",
        claim("a/c1", "killed_or_wounded", 3_000, when="2024-12-01", root="Y"),
        claim("b/c1", "killed", 4_000, when="2025-01-20", root="X"),
        "compatible",
        "may have grown",
    ),
    (
        "casualties within the deployed force go without saying",
        claim("a/c1", "killed", 4_000, root="X"),
        claim("b/c1", "deployed", 12_000, root="Y"),
        None,
        "",
    ),
    (
        "more wounded than were ever deployed, at the same time",
        claim("a/c1", "deployed", 0, 500, root="Moscow"),
        claim("b/c1", "wounded", 900, 1_000, when="2025-01-22", root="Seoul"),
        "conflicts",
        "wounded ≤ deployed broken: (900–1,000) wounded",
    ),
    (
        "killed and captured are disjoint counts: no rule between them",
        claim("a/c1", "killed", 4_000, root="X"),
        claim("b/c1", "captured", 2, root="Y"),
        None,
        "",
    ),
    (
        "more than 500 and 3,000 at one time: different figures, but both can be true",
        claim("a/c1", "killed", 500, 550, root="X", bound="above"),
        claim("b/c1", "killed", 3_000, root="Y"),
        "compatible",
        "neither rules the other out",
    ),
    (
        "more than 500 and 520 at one time: the same figure, two ways",
        claim("a/c1", "killed", 500, 550, root="X", bound="above"),
        claim("b/c1", "killed", 520, root="Y"),
        "corroborates",
        "overlap",
    ),
    (
        "more than 500 and 300 at one time: the words rule 300 out",
        claim("a/c1", "killed", 500, 550, root="X", bound="above"),
        claim("b/c1", "killed", 300, root="Y"),
        "conflicts",
        "do not overlap",
    ),
    (
        "up to 400 and 200 at one time: both can be true",
        claim("a/c1", "missing", 360, 400, root="X", bound="at_most"),
        claim("b/c1", "missing", 200, root="Y"),
        "compatible",
        "neither rules the other out",
    ),
    (
        "at most 500 deployed against about 11,000: the words rule it out",
        claim("a/c1", "deployed", 450, 500, root="Moscow", bound="at_most"),
        claim("b/c1", "deployed", 9_900, 12_100, root="Seoul"),
        "conflicts",
        "do not overlap",
    ),
    (
        "a running total later given as more than a lower figure has not fallen",
        claim("a/c1", "killed", 600, when="2025-01-01", root="X"),
        claim("b/c1", "killed", 500, 550, when="2025-01-25", root="Y", bound="above"),
        "updates",
        "running total rising",
    ),
    (
        "a projection is no count: never compared with one",
        claim("a/c1", "killed", 12_000, root="X", modality="projection"),
        claim("b/c1", "killed", 300, root="Y"),
        None,
        "",
    ),
    (
        "a rate per day and a total count different things",
        claim("a/c1", "killed", 80, root="X", rate="day"),
        claim("b/c1", "killed", 3_000, root="Y"),
        None,
        "",
    ),
    (
        "two rates per day compare",
        claim("a/c1", "killed", 80, root="X", rate="day"),
        claim("b/c1", "killed", 75, 85, root="Y", rate="day"),
        "corroborates",
        "overlap",
    ),
    (
        "open-ended figures (a ledger from before schema 3.0) overlap anything above",
        claim("a/c1", "killed", 1_000, None, root="X"),
        claim("b/c1", "killed", 4_000, root="Y"),
        "corroborates",
        "more than 1,000",
    ),
    (
        "an incident within a running total",
        claim("a/c1", "killed", 4_000, when="2025-01-20", root="X"),
        claim("b/c2", "killed", 2, when="2025-01-28", root="Y", scope="incident"),
        "compatible",
        "an incident",
    ),
    (
        "an earlier incident bigger than the later total",
        claim("a/c1", "killed", 500, when="2025-01-10", root="Y", scope="incident"),
        claim("b/c2", "killed", 200, when="2025-01-28", root="X"),
        "conflicts",
        "exceeds the later running total",
    ),
    (
        "a later incident larger than an earlier total: the total has grown",
        claim("a/c1", "killed", 100, when="2025-01-10", root="X"),
        claim("b/c2", "killed", 500, when="2025-01-28", root="Y", scope="incident"),
        "compatible",
        "a later incident (500 killed) larger than the earlier running total (100)",
    ),
    (
        "a part and a whole half a year apart are not compared",
        claim("a/c1", "killed", 5_000, when="2025-01-01", root="X"),
        claim("b/c1", "killed_or_wounded", 3_000, when="2025-08-01", root="Y"),
        None,
        "",
    ),
    (
        "two incidents on different days are separate events",
        claim("a/c1", "killed", 2, when="2025-01-10", root="X", scope="incident"),
        claim("b/c2", "killed", 30, when="2025-01-28", root="Y", scope="incident"),
        None,
        "",
    ),
    (
        "figures months apart from different sources are not compared",
        claim("a/c1", "killed", 100, when="2024-06-01", root="X"),
        claim("b/c2", "killed", 50, when="2025-01-28", root="Y"),
        None,
        "",
    ),
    (
        "a denial of the figure another source gives",
        claim("a/c1", "deployed", 12_000, when="2025-01-20", root="Kyiv"),
        claim("b/c2", "deployed", 12_000, when="2025-01-21", root="Moscow", polarity="negative"),
        "conflicts",
        "denies",
    ),
    (
        "figures for two different places never relate",
        claim("a/c1", "killed", 300, root="X", place="kursk"),
        claim("b/c1", "killed", 3_000, root="Y", place="donetsk"),
        None,
        "",
    ),
    (
        "a figure with no place named relates to one with a place",
        claim("a/c1", "killed", 300, root="X", place="kursk"),
        claim("b/c1", "killed", 3_000, root="Y"),
        "conflicts",
        "do not overlap",
    ),
    (
        "different subjects never relate",
        claim("a/c1", "killed", 100, root="X"),
        claim("b/c2", "killed", 100, root="Y", subject="russian soldiers"),
        None,
        "",
    ),
]


@pytest.mark.parametrize(
    ("first", "second", "kind", "reason"),
    [case[1:] for case in RELATIONS],
    ids=[case[0] for case in RELATIONS],
)
def test_relation(first: ClaimFacts, second: ClaimFacts, kind: str | None, reason: str) -> None:
    found = relate(first, second)
    assert (found.kind if found else None) == kind
    if found is not None:
        assert reason in found.reason
        # the pair reads the same whichever way it is asked
        again = relate(second, first)
        assert again == found


figures_strategy = st.tuples(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
).map(sorted)


@given(a=figures_strategy, b=figures_strategy, gap=st.integers(min_value=0, max_value=30))
def test_relation_is_symmetric_and_overlap_never_conflicts(
    a: list[float], b: list[float], gap: int
) -> None:
    one = claim("a/c1", "killed", a[0], a[1], when="2025-01-01", root="X")
    day = (D("2025-01-01") + dt.timedelta(days=gap)).isoformat()
    two = claim("b/c1", "killed", b[0], b[1], when=day, root="Y")
    found = relate(one, two)
    assert found == relate(two, one)
    assert found is not None
    overlap = a[0] <= b[1] and b[0] <= a[1]
    if overlap:
        assert found.kind == "corroborates"
    elif b[0] > a[1]:  # the later figure is higher
        # a rising running total is an update of it, never a conflict
        assert found.kind == ("conflicts" if gap <= 7 else "updates")


@st.composite
def any_claim(draw: st.DrawFn, ref: str) -> ClaimFacts:
    """A claim of any measure, population, place, polarity and time, dated or not."""
    measure = draw(
        st.sampled_from(("killed", "wounded", "killed_or_wounded", "deployed", "absent"))
    )
    low = float(draw(st.sampled_from((0, 100, 120, 300, 1000, 3000))))
    high = draw(st.sampled_from((low, low * 1.2, None)))
    day = draw(st.none() | st.integers(0, 20))
    when = None if day is None else (D("2025-01-01") + dt.timedelta(days=day)).isoformat()
    until = None
    if when is not None and draw(st.booleans()):
        until = (D(when) + dt.timedelta(days=draw(st.integers(0, 30)))).isoformat()
    found = claim(
        ref,
        measure,
        low,
        high,
        when=when,
        until=until,
        root=draw(st.sampled_from(("A", "B"))),
        scope=draw(st.sampled_from((None, "incident"))),
        polarity=draw(st.sampled_from(("positive", "negative"))),
        subject=draw(st.sampled_from(("people", "north korean soldiers"))),
        place=draw(st.sampled_from((None, "kursk", "kharkiv"))),
        bound=draw(st.sampled_from((None, "approx", "at_least", "at_most", "below", "above"))),
    )
    return replace(
        found,
        population=draw(st.sampled_from((None, "people", "civilians"))),
        countries=draw(st.sampled_from((frozenset(), frozenset({"ukraine"})))),
    )


@settings(max_examples=300)
@given(one=any_claim("a/c1"), two=any_claim("b/c2"))
@example(  # a toll that names no place, against a smaller one of a place
    one=claim("a/c1", "killed", 100, when=None, subject="people"),
    two=claim("b/c2", "killed", 10, when="2025-01-01", subject="people", place="kursk"),
)
def test_how_two_claims_relate_does_not_depend_on_which_is_asked_first(
    one: ClaimFacts, two: ClaimFacts
) -> None:
    # a stored relation's reason is worked out again from its pair of claims when read
    # (claimledger.ledger.reasons): it must be the one the reconcile found, whichever of
    # the two the reconcile happened to ask about first
    assert relate(one, two) == relate(two, one)


SCOPES = [
    ("killed", "one-third of these soldiers have been killed", "week", "total"),
    ("killed", "they had killed two North Korean soldiers while destroying", "day", "incident"),
    ("killed", "300 killed so far", "day", "total"),
    ("killed", "the death toll stands at 300", "day", "total"),
    ("killed", "300 were killed", None, "total"),
    ("deployed", "12,000 soldiers were sent", "day", "stock"),
    ("absent", "not seen for three weeks", "day", "duration"),
]


@pytest.mark.parametrize(("measure", "statement", "granularity", "expected"), SCOPES)
def test_scope(measure: str, statement: str, granularity: str | None, expected: str) -> None:
    unit = "week" if measure == "absent" else "count"
    assert scope_of(measure, statement, granularity, unit) == expected


def entity(document: str, local: str, name: str, kind: str = "person", **extra: Any) -> Any:
    return DocumentEntity(document=document, id=local, name=name, kind=kind, **extra)


def _merged(entities: list[DocumentEntity]) -> dict[str, set[str]]:
    return {e.name: {m[0] + "/" + m[1] for m in e.members} for e in resolve_entities(entities)}


def test_entities_merge_surnames_full_names_and_roles() -> None:
    merged = _merged(
        [
            entity("a", "e1", "Oleksandr Syrskyi", roles=("Commander-in-Chief",)),
            entity("a", "e2", "Ukrainian Armed Forces", kind="organization"),
            entity(
                "b",
                "e1",
                "Syrskyi",
            ),
            entity("c", "e4", "Ukraine's commander-in-chief"),
            entity("c", "e5", "the Kyiv Independent", kind="outlet"),
            entity("d", "e1", "Kyiv Independent", kind="outlet"),
            entity("d", "e2", "Zelensky", roles=("President",), affiliations=("Ukraine",)),
            entity("e", "e1", "Volodymyr Zelensky"),
        ]
    )
    assert merged["Oleksandr Syrskyi"] == {"a/e1", "b/e1", "c/e4"}
    assert merged["Volodymyr Zelensky"] == {"d/e2", "e/e1"}
    kyiv = next(v for k, v in merged.items() if "Kyiv Independent" in k)
    assert kyiv == {"c/e5", "d/e1"}


def test_role_needs_the_country_to_match() -> None:
    people = [
        entity("a", "e1", "Oleksandr Syrskyi", roles=("commander-in-chief",)),
        entity("a", "e2", "Someone Else", roles=("commander-in-chief",)),
        entity("b", "e1", "Ukraine's commander-in-chief"),
    ]
    # two holders of the role, neither with a country: ambiguous, so it stays apart
    assert _merged(people)["Ukraine's commander-in-chief"] == {"b/e1"}
    people[0] = replace(people[0], affiliations=("Ukrainian Armed Forces",))
    people[1] = replace(people[1], affiliations=("Russian Armed Forces",))
    assert _merged(people)["Oleksandr Syrskyi"] == {"a/e1", "b/e1"}


def test_an_ambiguous_surname_stays_apart() -> None:
    merged = _merged(
        [
            entity("a", "e1", "Kim Jong-un"),
            entity("a", "e2", "Kim Yo-jong"),
            entity("b", "e1", "Kim"),
            entity("c", "e1", "Lee Jae-myung"),
            entity("d", "e1", "Jae-myung"),
        ]
    )
    assert merged["Kim"] == {"b/e1"}
    assert merged["Lee Jae-myung"] == {"c/e1", "d/e1"}


def test_equipment_never_merges_with_a_source_of_the_same_name() -> None:
    found = resolve_entities(
        [entity("a", "e1", "AK-12", kind="equipment"), entity("b", "e1", "AK-12", kind="group")]
    )
    assert sorted(e.kind for e in found) == ["equipment", "group"]
    assert resolve_entities([]) == []


def test_figures_count_independent_roots() -> None:
    claims = [
        claim("a/c1", "deployed", 12_000, root="Zelensky"),
        claim("b/c1", "deployed", 12_000, root="Zelensky"),  # a re-report: same root
        claim("c/c1", "deployed", 10_800, 13_200, root="intelligence"),
        claim("d/c1", "deployed", 3_000, root="Moscow"),
    ]
    result = reconcile(claims)
    by_size = sorted(result.figures, key=lambda f: len(f.claims))
    assert [(f.claims, f.independent) for f in by_size] == [
        (("d/c1",), 1),
        (("a/c1", "b/c1", "c/c1"), 2),
    ]
    # one line between the two figures, standing for the three pairs of their claims;
    # each later member of a figure is related to it once, by its corroboration
    lines = sorted((r.kind, r.pairs) for r in result.relations)
    assert lines == [("conflicts", 3), ("corroborates", 1), ("corroborates", 1)]
    (line,) = [r for r in result.relations if r.kind == "conflicts"]
    assert {line.a_figure, line.b_figure} == {f.id for f in result.figures}


def test_candidate_pairs_skip_far_apart_claims_but_keep_same_root_updates() -> None:
    start = D("2024-01-01")
    claims = [
        claim(
            f"d{i}/c1",
            "killed",
            10 * i,
            when=(start + dt.timedelta(days=30 * i)).isoformat(),
            root="NIS" if i in (0, 9) else f"S{i}",
        )
        for i in range(10)
    ]
    pairs = {(a.document, b.document) for a, b in candidate_pairs(claims)}
    window = COMPARE_WITHIN_DAYS // 30
    assert ("d0", "d1") in pairs
    assert ("d0", f"d{window + 1}") not in pairs
    assert ("d0", "d9") in pairs  # the same source, months later: an update


def test_undated_claims_pair_within_their_article_and_source() -> None:
    dated = claim("a/c1", "killed", 5, root="X")
    same_article = claim("a/c2", "killed", 5, when=None, root="Y")
    same_source = claim("b/c1", "killed", 5, when=None, root="Y")
    stranger = claim("c/c1", "killed", 5, when=None, root="Z")
    pairs = {
        (a.ref, b.ref) for a, b in candidate_pairs([dated, same_article, same_source, stranger])
    }
    assert pairs == {("a/c1", "a/c2"), ("a/c2", "b/c1")}


def test_candidate_pairs_stay_bounded_in_a_dense_story() -> None:
    start = D("2025-01-01")
    claims = [
        claim(f"d{i}/c1", measure, i, when=(start + dt.timedelta(days=i % 30)).isoformat(),
              root=f"S{i}")
        for i in range(2_000)
        for measure in ("killed",)
    ]  # fmt: skip
    pairs = sum(1 for _ in candidate_pairs(claims))
    assert pairs <= len(claims) * (NEIGHBOURS + 1)


def test_a_shorter_name_joins_only_on_whole_words() -> None:
    merged = _merged(
        [
            entity("a", "e1", "Joann Smith"),
            entity("b", "e1", "Ann Smith"),
            entity("c", "e1", "Smith"),
        ]
    )
    assert merged["Joann Smith"] == {"a/e1"} and merged["Ann Smith"] == {"b/e1"}
    assert merged["Smith"] == {"c/e1"}  # two people end with it: ambiguous


def test_the_merged_kind_does_not_depend_on_hash_order() -> None:
    found = resolve_entities(
        [entity("a", "e1", "Washington", kind="organization"), entity("b", "e1", "Washington")]
    )
    assert [(e.kind, e.id) for e in found] == [("organization", found[0].id)]
