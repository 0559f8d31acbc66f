"""Re-deriving a subject in place (claimledger.ledger.local): once claims are added to a
subject, its figures and relations worked out from the last derivation are exactly what
deriving the whole subject again gives, whatever the claims. The subjects are dense on
purpose: more than NEIGHBOURS claims of a measure, so a new claim pushes older ones out
of the queues of the claims after it, and figures that a new claim joins or merges.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from unittest.mock import patch

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimledger.ledger import local
from claimledger.ledger.local import rederive_with_new_claims
from claimledger.ledger.rebuild import _digest
from claimledger.ledger.reconcile import (
    ClaimFacts,
    _relate_counted,
    agrees,
    candidate_pairs,
    claim_facts,
    reconcile_subject,
    repeats,
)

SUBJECT = "north korean soldiers"
MEASURES = ("killed", "wounded", "killed_or_wounded", "captured", "deployed")
ROOTS = ("Eaaa", "Ebbb", "Eccc", "document:d")
DAY = dt.date(2025, 1, 1)


def exact(
    document: str = "d1",
    measure: str = "other",
    day: int = 0,
    population: str | None = None,
    claim: str | None = None,
) -> ClaimFacts:
    """A claim of exactly 100 on one day (root Eaaa within 60 days, Ebbb after)."""
    start = DAY + dt.timedelta(days=day)
    return ClaimFacts(
        document=document,
        claim=claim or f"c{population}{day}",
        subject=SUBJECT,
        measure=measure,
        low=100.0,
        high=100.0,
        value=100.0,
        bound="exact",
        unit="count",
        polarity="positive",
        start=start,
        end=start,
        dated_by="claim",
        root="Eaaa" if day < 60 else "Ebbb",
        root_name="EAAA",
        source="EAAA",
        statement="so far",
        figure="100",
        population=population,
    )


@st.composite
def claim(draw: st.DrawFn, document: str, n: int, day: int | None) -> ClaimFacts:
    measure = draw(st.sampled_from(MEASURES))
    value = float(draw(st.sampled_from((100, 120, 300, 310, 1000, 1200, 3000))))
    bound = draw(st.sampled_from(("exact", "exact", "approx", "at_least")))
    low, high = (value * 0.9, value * 1.1) if bound == "approx" else (value, value)
    if bound == "at_least":
        high = None
    # an article's claims are dated by its date, or some by none ("in recent days")
    timeless = day is None or draw(st.integers(0, 6)) == 0
    start = None if timeless else DAY + dt.timedelta(days=(day or 0) + draw(st.integers(0, 2)))
    published = draw(st.booleans())
    root = draw(st.sampled_from(ROOTS))
    return ClaimFacts(
        document=document,
        claim=f"c{n}",
        subject=SUBJECT,
        measure=measure,
        low=low,
        high=high,
        value=value,
        bound=bound,
        unit="count",
        polarity=draw(st.sampled_from(("positive",) * 5 + ("negative",))),
        start=start,
        end=None if start is None else start + dt.timedelta(days=7 if published else 0),
        dated_by=None if start is None else "publication" if published else "claim",
        root=root,
        root_name=root.upper(),
        source=root.upper(),
        statement="so far",
        figure=f"{value:,.0f}",
        scope=draw(st.sampled_from(("total", "total", "incident"))),
    )


@st.composite
def subjects(
    draw: st.DrawFn, most: int = 40, spans: tuple[int, ...] = (10, 30, 90)
) -> tuple[list[ClaimFacts], set[str]]:
    """A subject's claims in 10 to ``most`` articles over up to 90 days, some undated (an
    article without a date, or a claim without one in a dated article), and the articles
    added last (one to three, anywhere in time)."""
    articles = draw(st.integers(10, most))
    span = draw(st.sampled_from(spans))
    undated = draw(st.sampled_from((0.0, 0.2, 0.6)))
    group = []
    for i in range(articles):
        day = None if draw(st.floats(0, 1)) < undated else draw(st.integers(0, span))
        count = draw(st.integers(1, 4))
        group += [draw(claim(f"d{i:03}", n, day)) for n in range(1, count + 1)]
    added = draw(st.sets(st.integers(0, articles - 1), min_size=1, max_size=3))
    return group, {f"d{i:03}" for i in added}


@settings(max_examples=150, deadline=None)
@given(subjects())
def test_claims_added_in_place_equal_the_subject_derived_again(
    drawn: tuple[list[ClaimFacts], set[str]],
) -> None:
    in_place_equals_derived_again(*drawn)


@settings(max_examples=25, deadline=None)
@given(subjects(most=160, spans=(120, 365)))
def test_a_long_story_is_formed_again_only_around_what_changed(
    drawn: tuple[list[ClaimFacts], set[str]],
) -> None:
    # months of reports: figures are formed again from the figures open at each moment a
    # change is decided until the figures still open are the old ones (taken up again at
    # the next such moment when it is more than two claims ahead)
    with patch.object(local, "_FAR", 2):
        in_place_equals_derived_again(*drawn)


@settings(max_examples=100, deadline=None)
@given(subjects())
def test_the_pairs_a_claim_is_in_are_those_the_whole_subject_makes(
    drawn: tuple[list[ClaimFacts], set[str]],
) -> None:
    # worked out for one claim (the pairs made at it and at the later claims that pair
    # with it) as candidate_pairs makes them for all, less those of the repeats
    group, _ = drawn
    left_out = repeats(group)
    order = local._Order.of(group, left_out=left_out.keys())
    made = {
        (a.ref, b.ref)
        for a, b in candidate_pairs(group)
        if a.ref not in left_out and b.ref not in left_out
    }
    facts = {c.ref: c for c in group}
    for i, c in enumerate(order.claims):
        mine = {pair for pair in made if c.ref in pair}
        assert sorted((a.ref, b.ref) for a, b in order.pairs_with(i)) == sorted(mine)
        if c.start is not None:
            # a dated claim's pairs of one measure with the dated (what forms figures)
            same = {
                (a, b)
                for a, b in mine
                if facts[a].measure == facts[b].measure
                and None not in (facts[a].start, facts[b].start)
            }
            # those of them that corroborate, as forming figures reads them
            assert order.agreeing(i, agrees) == {
                a if b == c.ref else b for a, b in same if agrees(facts[a], facts[b])
            }


@settings(max_examples=100, deadline=None)
@given(subjects(), st.data())
def test_what_one_derivation_in_place_hands_on_serves_the_next(
    drawn: tuple[list[ClaimFacts], set[str]], data: st.DataObject
) -> None:
    # a live process keeps the order of a subject's claims from one derivation in place
    # to the next: articles added in two reconciles give what deriving them all gives
    group, added = drawn
    later = data.draw(st.sets(st.sampled_from(sorted(added)), max_size=len(added) - 1))
    step = [c for c in group if c.document not in later]
    new = {c.ref for c in step if c.document in added}
    before = [c for c in step if c.ref not in new]
    old_relations, old_figures = reconcile_subject(before, {}) if before else ([], [])
    found = local.rederive_in_place(step, new, {r: f.id for f in old_figures for r in f.claims})
    assert found is not None
    relations, figures = local.made_whole(found, old_relations)
    assert (relations, figures) == reconcile_subject(step, {})
    if later:
        new = {c.ref for c in group if c.document in later}
        figure_of = {ref: f.id for f in figures for ref in f.claims}
        made = rederive_with_new_claims(group, new, figure_of, relations, found.handed_on)
        assert made == reconcile_subject(group, {})


def in_place_equals_derived_again(group: list[ClaimFacts], added: set[str]) -> None:
    new = {c.ref for c in group if c.document in added}
    before = [c for c in group if c.ref not in new]
    old_relations, old_figures = reconcile_subject(before, {}) if before else ([], [])
    old_figure_of = {ref: f.id for f in old_figures for ref in f.claims}
    found = rederive_with_new_claims(group, new, old_figure_of, old_relations)
    assert found is not None  # claims were only added
    assert found == reconcile_subject(group, {})


def test_it_declines_a_subject_whose_claims_changed_or_went() -> None:
    group = [exact(f"d{i}", "killed", claim="c1") for i in range(3)]
    relations, figures = reconcile_subject(group[:2], {})
    figure_of = {ref: f.id for f in figures for ref in f.claims}
    # d0's claim went: not only additions
    assert rederive_with_new_claims(group[1:], {"d2/c1"}, figure_of, relations) is None
    assert rederive_with_new_claims(group, {"d2/c1"}, figure_of, relations) == reconcile_subject(
        group, {}
    )
    # the claims by reference a caller holds must be the group's: d3's is not among them
    more = [*group, exact("d3", "killed", claim="c1")]
    held = {c.ref: c for c in group}
    assert local.rederive_in_place(more, {"d2/c1"}, figure_of, facts=held) is None
    assert local.rederive_in_place(group, {"d2/c1"}, figure_of, facts=held) is not None


@settings(max_examples=150, deadline=None)
@given(subjects())
def test_an_order_with_claims_added_is_the_order_of_them_all(
    drawn: tuple[list[ClaimFacts], set[str]],
) -> None:
    # kept between reconciles: the order of a subject's claims once new articles' claims
    # joined it, worked out from the order before, is the one made from all of them
    group, added = drawn
    before = [c for c in group if c.document not in added]
    left_out = repeats(group)
    made = local._Order.of(before, left_out=()).adding(
        [c for c in group if c.document in added], left_out=left_out.keys()
    )
    whole = local._Order.of(group, left_out=left_out.keys())
    assert local._Order.of(group).adding([], left_out=()).claims == local._Order.of(group).claims
    assert [c.ref for c in made.claims] == [c.ref for c in whole.claims]
    assert (made.dated, dict(made.at), made.left_out) == (whole.dated, whole.at, whole.left_out)
    for name in ("of_measure", "of_root", "undated_of_root", "of_document"):
        assert {k: v for k, v in getattr(made, name).items() if v} == getattr(whole, name)


@settings(max_examples=150, deadline=None)
@given(subjects(), st.data())
def test_what_a_claim_agrees_with_before_is_what_it_agrees_with_now_but_where_pairs_changed(
    drawn: tuple[list[ClaimFacts], set[str]], data: st.DataObject
) -> None:
    # forming figures again walks the old claims twice, as they were and with the new
    # ones: what each claim corroborates in one order is taken from the other, but for
    # the claims whose pairs changed, and a live process hands on what either found to
    # the next derivation
    group, added = drawn
    new = {c.ref for c in group if c.document in added}
    facts = {c.ref: c for c in group}
    repeat_of = local._Repeats(group)
    order = local._Order.of(group, left_out=repeat_of)
    old_order = order.without(new)
    reached = {order.claims[j].ref for ref in new for j in order.reached_from(order.at[ref])}
    changed = {ref for ref in new | reached if facts[ref].start is not None}  # those dated
    dated = [c for c in group if c.start is not None]
    alone_now = local._Agreeing(order, facts, repeat_of, {})
    alone_was = local._Agreeing(old_order, facts, repeat_of, {})
    # what the last derivation found, as far as it went
    old_dated = [c.ref for c in dated if c.ref not in new]
    known = data.draw(st.sets(st.sampled_from(old_dated))) if old_dated else set()
    related: dict[tuple[str, str], bool] = {}
    was = local._Agreeing(
        old_order, facts, repeat_of, related, {ref: alone_was(facts[ref]) for ref in known}
    )
    now = local._Agreeing(order, facts, repeat_of, related)
    was.beside(now, changed)
    now.beside(was, changed)
    asked = data.draw(st.permutations(dated))  # the forming asks of some claims only
    for c in asked[: data.draw(st.integers(0, len(asked)))]:
        assert now(c) == alone_now(c), c.ref
        if c.ref not in new:
            assert was(c) == alone_was(c), c.ref
    handed = now.handed_on(was)
    assert {c.ref for c in asked if c.ref in now.found} <= handed.keys()
    for ref, found in handed.items():
        assert found == alone_now(facts[ref]), ref


def test_a_claim_pushed_out_of_a_queue_no_longer_corroborates_its_claim() -> None:
    # c and r, twelve claims of the measure apart, corroborate each other; a new claim
    # between them puts c out of r's queue, so what is handed on for c no longer holds r
    c = dataclasses.replace(exact("d00", "killed", 0), root="Eaaa")
    between = [
        dataclasses.replace(
            exact(f"d{day:02}", "killed", day), value=3000.0, low=3000.0, high=3000.0, root="Eccc"
        )
        for day in range(1, 12)
    ]
    r = dataclasses.replace(exact("d12", "killed", 12), root="Ebbb")
    x = dataclasses.replace(between[5], document="dnew")
    group = [c, *between, r, x]
    facts = {f.ref: f for f in group}
    repeat_of = local._Repeats(group)
    order = local._Order.of(group, left_out=repeat_of)
    old_order = order.without({x.ref})
    changed = {x.ref} | {order.claims[j].ref for j in order.reached_from(order.at[x.ref])}
    assert c.ref not in changed and r.ref in changed
    was_alone = local._Agreeing(old_order, facts, repeat_of, {})
    assert was_alone(c) == {r.ref}
    related: dict[tuple[str, str], bool] = {}
    was = local._Agreeing(old_order, facts, repeat_of, related, {c.ref: {r.ref}})
    now = local._Agreeing(order, facts, repeat_of, related)
    was.beside(now, changed)
    now.beside(was, changed)
    handed = now.handed_on(was)
    assert handed.get(c.ref, set()) == set() == local._Agreeing(order, facts, repeat_of, {})(c)


@st.composite
def any_claim(draw: st.DrawFn, n: int) -> ClaimFacts:
    """A claim varied in everything relating two claims reads."""
    value = float(draw(st.sampled_from((90, 100, 101, 120, 1000, 1200, 1210))))
    bound = draw(st.sampled_from(("exact", "approx", "at_least", "above", "at_most")))
    low, high = (value * 0.9, value * 1.1) if bound == "approx" else (value, value)
    start = draw(st.none() | st.integers(0, 150).map(lambda d: DAY + dt.timedelta(days=d)))
    root = draw(st.sampled_from(ROOTS))
    return ClaimFacts(
        document=draw(st.sampled_from(("d1", "d2"))),
        claim=f"c{n}",
        subject=SUBJECT,
        measure=draw(st.sampled_from(("killed", "wounded", "absent", "other"))),
        low=low,
        high=None if bound in ("at_least", "above") else high,
        value=value,
        bound=bound,
        unit="count",
        polarity=draw(st.sampled_from(("positive", "positive", "negative"))),
        start=start,
        end=None if start is None else start + dt.timedelta(days=draw(st.integers(0, 9))),
        dated_by=None if start is None else "claim",
        root=root,
        root_name=root.upper(),
        source=root.upper(),
        statement="so far",
        figure=f"{value:,.0f}",
        scope=draw(st.sampled_from(("total", "total", "incident"))),
        place=draw(st.sampled_from((None, None, "kursk", "kyiv"))),
        modality=draw(st.sampled_from(("reported",) * 4 + ("projected",))),
        rate=draw(st.sampled_from((None, None, "day"))),
        countries=frozenset(draw(st.sets(st.sampled_from(("UA", "RU", "KP")), max_size=2))),
        population=draw(st.sampled_from((None, None, "people", "civilians", "migrants"))),
    )


@settings(max_examples=2000, deadline=None)
@given(any_claim(1), any_claim(2))
# `other` figures of a part and a whole; the part within its whole; two parts; two months
# apart from two roots
@example(exact(population="civilians"), exact())
@example(
    exact(measure="killed", population="civilians"),
    exact(measure="killed", population="people"),
)
@example(
    exact(measure="killed", population="civilians"),
    exact(measure="killed", population="migrants"),
)
@example(exact(measure="killed"), exact(measure="killed", day=61))
def test_agreeing_is_relating_to_a_corroboration(a: ClaimFacts, b: ClaimFacts) -> None:
    # forming figures asks only whether two claims corroborate: the short way gives what
    # relating them gives, whatever the claims
    related = _relate_counted(a, b)
    assert agrees(a, b) == (related is not None and related.kind == "corroborates")


@settings(max_examples=100, deadline=None)
@given(any_claim(1))
def test_facts_made_from_their_values_are_the_facts(c: ClaimFacts) -> None:
    # how a subject's stored claims are read back: the same facts, the same reference
    made = claim_facts(tuple(getattr(c, f.name) for f in dataclasses.fields(ClaimFacts)))
    assert made == c and made.ref == c.ref and made.shown == c.shown
    assert _digest(made) == _digest(c)
