"""Re-deriving a subject after claims were added to it, touching only what they reach.

A full re-derivation relates every candidate pair of the subject's claims (the largest
subject of a 10,000-article ledger: 1.2 million pairs) to rebuild figures and lines that a
new claim mostly leaves as they were. :func:`rederive_in_place` works out, from the last
derivation's figures, what differs from it, and :func:`rederive_with_new_claims` (that
applied to the stored relations) gives exactly what
:func:`~claimledger.ledger.reconcile.reconcile_subject` gives:

1. the figures, formed again from the pairs of claims of one measure only (what forms a
   figure) where a change is decided: figures form in time order and a claim joins only
   a figure begun at most SAME_TIME_DAYS before it, so the forming is taken up at each
   moment a changed claim or pair is decided, from the figures open then (each old one's
   earlier members formed again among themselves), and followed, beside the old forming,
   until the figures still open are the same in both; they are compared with the stored
   ones;
2. the figures that changed (members, or a new one), and those holding a claim whose
   candidate pairs changed (a claim the new ones entered the NEIGHBOURS queue of, or
   follow from the same root), are *dirty*;
3. every line touching a dirty figure, and its members' corroboration of it, is derived
   again from all the pairs of its members; every other line is kept: its pairs, both
   figures and so its strength are what they were.

Undated claims are paired by article and by root (:func:`candidate_pairs`) and form
figures within their own article only, so a new article's undated claims form figures of
their own. It declines (None: the caller re-derives the whole subject) when claims were
changed or removed rather than added; the caller does not ask when a fact-checker
dismissed a relation in the subject.
"""

from __future__ import annotations

import copy
import datetime as dt
import operator
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import (
    Callable,
    Collection,
    Container,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
    Set,
)
from dataclasses import dataclass, field
from typing import Any

from claimledger.ledger.reconcile import (
    COMPARE_WITHIN_DAYS,
    NEIGHBOURS,
    SAME_TIME_DAYS,
    ClaimFacts,
    Figure,
    Relation,
    _figure_of,
    _figures,
    _one_moment,
    _relate_counted,
    _time_order,
    _UnionFind,
    agrees,
    figure_lines,
    may_relate,
    repeats,
)
from claimledger.ledger.subjects import is_counted

_WINDOW = dt.timedelta(days=COMPARE_WITHIN_DAYS)
_DAYS = dt.timedelta(days=SAME_TIME_DAYS)
# The forming of figures is taken up again at the next moment a change is decided only if
# it is more claims ahead than this; nearer, it goes on from where it is.
_FAR = 64
_START_REF, _REF = operator.attrgetter("start", "ref"), operator.attrgetter("ref")
_END_REF = operator.attrgetter("end", "ref")  # the time order of dated claims


class _Order:
    """A subject's claims in the order candidate pairs are made in (the dated by start,
    then reference; then the undated by reference), with each measure's and each (root,
    measure)'s positions among the dated, each (root, measure)'s among the undated, and
    each document's claims: the candidate pairs of any one claim, as
    :func:`~claimledger.ledger.reconcile.candidate_pairs` makes them for all, less the
    pairs of the claims ``left_out`` (repeats, related to what they repeat instead)."""

    def __init__(self, in_order: Sequence[ClaimFacts], left_out: Container[str] = ()) -> None:
        claims = self.claims = list(in_order)
        dated = self.dated = sum(1 for c in claims if c.start is not None)
        self.left_out = left_out
        self.at: Mapping[str, int] = {c.ref: i for i, c in enumerate(claims)}
        of_measure: dict[str, list[int]] = defaultdict(list)
        of_root: dict[tuple[str, str], list[int]] = defaultdict(list)
        undated_of_root: dict[tuple[str, str], list[int]] = defaultdict(list)
        of_document: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(claims[:dated]):  # the dated first
            measure = c.measure
            of_measure[measure].append(i)
            of_root[(c.root, measure)].append(i)
        for i, c in enumerate(claims[dated:], dated):
            undated_of_root[(c.root, c.measure)].append(i)
        # a document's claims are read only where it has an undated one (its pairs, and
        # those an undated claim is in)
        with_undated = {c.document for c in claims[dated:]}
        if with_undated:
            for i, c in enumerate(claims):
                if c.document in with_undated:
                    of_document[c.document].append(i)
        self.of_measure, self.of_root = of_measure, of_root
        self.undated_of_root, self.of_document = undated_of_root, of_document

    @classmethod
    def of(cls, group: Iterable[ClaimFacts], left_out: Container[str] = ()) -> _Order:
        claims = list(group)
        dated = sorted((c for c in claims if c.start is not None), key=_START_REF)
        undated = sorted((c for c in claims if c.start is None), key=_REF)
        return cls(dated + undated, left_out)

    def adding(self, new: Iterable[ClaimFacts], left_out: Container[str]) -> _Order:
        """This order with the claims ``new`` (of documents it holds no claim of) among
        its own, what :meth:`of` makes of them all, worked out from this one: the new
        claims put in their places, every position after one moved on (a list of
        positions is copied only where it holds a position that moves). Takes over this
        order's index of positions (this order is not to be used after)."""
        added = sorted(new, key=lambda c: (c.start is None, c.start or dt.date.min, c.ref))
        if not added:
            order = copy.copy(self)
            order.left_out = left_out
            return order
        claims, dated = list(self.claims), self.dated
        for c in added:
            if c.start is not None:
                claims.insert(bisect_left(claims, _START_REF(c), 0, dated, key=_START_REF), c)
                dated += 1
            else:
                claims.insert(bisect_left(claims, c.ref, dated, len(claims), key=_REF), c)
        order = copy.copy(self)
        order.claims, order.dated, order.left_out = claims, dated, left_out
        # the positions from the first new claim's on (at the end of a live story's)
        index = self.at if type(self.at) is dict else dict(self.at)
        c = added[0]  # the first of them in the order
        first = (
            bisect_left(claims, _START_REF(c), 0, dated, key=_START_REF)
            if c.start is not None
            else bisect_left(claims, c.ref, dated, len(claims), key=_REF)
        )
        for i in range(first, len(claims)):
            index[claims[i].ref] = i
        order.at = index
        at = [index[c.ref] for c in added]  # ascending, as ``added`` is in order
        # the old position before which each was put: an old position x moves to x plus
        # the number of them at or before it
        before = [p - n for n, p in enumerate(at)]

        def moved(positions: list[int]) -> list[int]:
            if not positions or positions[-1] < before[0]:
                return positions
            start = bisect_left(positions, before[0])
            found = positions[:start]
            for n, edge in enumerate(before[1:], 1):
                end = bisect_left(positions, edge, start)
                found += [x + n for x in positions[start:end]]
                start = end
            found += [x + len(before) for x in positions[start:]]
            return found

        lists = ("of_measure", "of_root", "undated_of_root", "of_document")
        for name in lists:
            held: dict[Any, list[int]] = defaultdict(list)
            held.update((key, moved(positions)) for key, positions in getattr(self, name).items())
            setattr(order, name, held)
        for c, i in zip(added, at, strict=True):
            if i < dated:
                insort(order.of_measure[c.measure], i)
                insort(order.of_root[(c.root, c.measure)], i)
            else:
                insort(order.undated_of_root[(c.root, c.measure)], i)
        # a document's claims, where it has an undated one (the new documents' are new)
        documents = {c.document for c in added if c.start is None}
        for c, i in zip(added, at, strict=True):
            if c.document in documents:
                order.of_document[c.document].append(i)
        return order

    def without(self, refs: Collection[str]) -> _Order:
        """The same order less the claims ``refs`` (a few): every list without their
        positions, the others' positions as they are here (only the lists that held one
        are copied; what else is read of an order is by those lists and positions)."""
        view = copy.copy(self)
        view.at = _Without(self.at, frozenset(refs))
        view.of_measure = defaultdict(list, self.of_measure)
        view.of_root = defaultdict(list, self.of_root)
        view.undated_of_root = defaultdict(list, self.undated_of_root)
        view.of_document = defaultdict(list, self.of_document)
        gone = {self.at[ref] for ref in refs}
        for i in gone:
            c = self.claims[i]
            held = [
                *([(view.of_document, c.document)] if c.document in self.of_document else []),
                *(
                    [(view.of_measure, c.measure), (view.of_root, (c.root, c.measure))]
                    if i < self.dated
                    else [(view.undated_of_root, (c.root, c.measure))]
                ),
            ]
            for lists, key in held:
                lists[key] = [j for j in lists[key] if j not in gone]
        return view

    def pairs_at(
        self, i: int, *, same_measure: bool = False
    ) -> list[tuple[ClaimFacts, ClaimFacts]]:
        """The candidate pairs made at the ``i``-th claim (as the later of the two)."""
        b = self.claims[i]
        left_out = self.left_out
        if b.ref in left_out:
            return []
        found = []
        if b.start is None:
            # an undated claim: with the claims of its article (the dated, and the undated
            # before it), and the NEIGHBOURS undated of its root and measure before it
            for j in self.of_document[b.document]:
                a = self.claims[j]
                if (
                    (a.start is not None or a.ref < b.ref)
                    and (not same_measure or a.measure == b.measure)
                    and a.ref not in left_out
                ):
                    found.append((a, b))
            same_root = self.undated_of_root[(b.root, b.measure)]
            k = bisect_left(same_root, i)
            for j in same_root[max(0, k - NEIGHBOURS) : k]:
                a = self.claims[j]
                if a.document != b.document and a.ref not in left_out:
                    found.append((a, b))
            return found
        paired = set()
        for measure, positions in self.of_measure.items():
            if (same_measure and measure != b.measure) or not may_relate(measure, b.measure):
                continue
            k = bisect_left(positions, i)
            for j in positions[max(0, k - NEIGHBOURS) : k]:
                a = self.claims[j]
                assert a.end is not None
                if b.start - a.end <= _WINDOW:
                    ref = a.ref
                    paired.add(ref)
                    if ref not in left_out:
                        found.append((a, b))
        same_root = self.of_root[(b.root, b.measure)]
        k = bisect_left(same_root, i)
        if k > 0:
            ref = self.claims[same_root[k - 1]].ref
            if ref not in paired and ref not in left_out:
                found.append((self.claims[same_root[k - 1]], b))
        return found

    def pairs_with(self, i: int) -> list[tuple[ClaimFacts, ClaimFacts]]:
        """Every candidate pair the ``i``-th claim is in: those made at it, and those made
        at the later claims whose pairs include it (:meth:`reached_from`), each worked out
        for that one claim instead of making all the later claim's pairs."""
        c = self.claims[i]
        left_out = self.left_out
        if c.ref in left_out:
            return []
        found = self.pairs_at(i)
        last, root_next = self._last_queue(i), self._root_next(i)
        for j in sorted(set(self.reached_from(i))):
            b = self.claims[j]
            if b.ref in left_out:
                continue
            if b.start is None:
                # the undated claims of its article after it, and (an undated claim) those
                # of its root and measure in another article it is in the queue of
                if b.document == c.document or c.start is None:
                    found.append((c, b))
                continue
            assert c.end is not None
            if j <= last and may_relate(c.measure, b.measure) and b.start - c.end <= _WINDOW:
                found.append((c, b))
            elif j == root_next:
                found.append((c, b))  # the previous claim of its root, not in its queue
        return found

    def agreeing(self, i: int, agree: Callable[[ClaimFacts, ClaimFacts], bool]) -> set[str]:
        """The claims the ``i``-th claim (a dated one) is in a candidate pair of one
        measure with, among the dated, that ``agree`` holds of (it is asked the earlier
        claim first): those made at it, and at the later claims of its measure whose queue
        it is in or whose root's previous claim it is. What forming figures reads of each
        claim, without making the pairs."""
        claims, left_out = self.claims, self.left_out
        c = claims[i]
        found: set[str] = set()
        if c.ref in left_out:
            return found
        start, end = c.start, c.end
        assert start is not None and end is not None
        positions = self.of_measure[c.measure]
        k = bisect_left(positions, i)
        for j in positions[max(0, k - NEIGHBOURS) : k]:  # made at it
            a = claims[j]
            if start - a.end <= _WINDOW and a.ref not in left_out and agree(a, c):  # type: ignore[operator]
                found.add(a.ref)
        # its root's previous claim and next (whether or not in the queues: the set holds
        # each once)
        same_root = self.of_root[(c.root, c.measure)]
        r = bisect_left(same_root, i)
        if r > 0:
            a = claims[same_root[r - 1]]
            if a.ref not in left_out and agree(a, c):
                found.add(a.ref)
        for j in positions[k + 1 : k + 1 + NEIGHBOURS]:  # made at the later ones
            b = claims[j]
            if b.start - end <= _WINDOW and b.ref not in left_out and agree(c, b):  # type: ignore[operator]
                found.add(b.ref)
        if r + 1 < len(same_root):
            b = claims[same_root[r + 1]]
            if b.ref not in left_out and agree(c, b):
                found.add(b.ref)
        return found

    def _last_queue(self, i: int) -> int:
        """The last position whose queue of the ``i``-th claim's measure holds it (the
        NEIGHBOURS-th later claim of its measure), for a dated claim."""
        positions = self.of_measure[self.claims[i].measure]
        k = bisect_left(positions, i)
        return positions[k + NEIGHBOURS] if k + NEIGHBOURS < len(positions) else self.dated - 1

    def _root_next(self, i: int) -> int | None:
        """The next dated claim of the ``i``-th claim's root and measure, for a dated claim."""
        c = self.claims[i]
        if c.start is None:
            return None
        same_root = self.of_root[(c.root, c.measure)]
        k = bisect_left(same_root, i)
        return same_root[k + 1] if k + 1 < len(same_root) else None

    def reached_from(self, i: int) -> list[int]:
        """The positions whose candidate pairs may include the ``i``-th claim: a dated
        claim is in the queue of the claims up to the NEIGHBOURS-th later dated claim of
        its measure, and the previous of the next dated claim of its root and measure;
        an undated claim, in the queue of the next NEIGHBOURS undated claims of its root
        and measure; any claim pairs with the undated claims of its article after it."""
        c = self.claims[i]
        found = [j for j in self.of_document[c.document] if j >= self.dated and j > i]
        if c.start is None:
            same_root = self.undated_of_root[(c.root, c.measure)]
            k = bisect_left(same_root, i)
            return found + same_root[k + 1 : k + 1 + NEIGHBOURS]
        found += range(i + 1, self._last_queue(i) + 1)
        root_next = self._root_next(i)
        if root_next is not None:
            found.append(root_next)
        return found


class _Without(Mapping[str, int]):
    """A claim's position in an order, less the claims ``left``."""

    def __init__(self, at: Mapping[str, int], left: frozenset[str]) -> None:
        self.positions, self.left = at, left

    def __getitem__(self, ref: str) -> int:
        if ref in self.left:
            raise KeyError(ref)
        return self.positions[ref]

    def __contains__(self, ref: object) -> bool:
        return ref not in self.left and ref in self.positions

    def __iter__(self) -> Iterator[str]:
        return (ref for ref in self.positions if ref not in self.left)

    def __len__(self) -> int:
        return len(self.positions) - len(self.left)


# what a derivation in place hands on to the next one of its subject: the order of its
# claims, their repeats (worked out again from these, with the claims added) and what each
# claim it asked about corroborates in that order (:meth:`_Agreeing.handed_on`)
Kept = tuple[_Order, "_Repeats", dict[str, set[str]]]


@dataclass(frozen=True)
class InPlace:
    """A subject re-derived in place, as what differs from its last derivation: every
    other figure and relation is as stored."""

    subject: str
    figures: tuple[Figure, ...]  # those new or whose claims changed
    dropped: frozenset[int]  # the stored figures gone or whose claims changed
    figure_of: Mapping[str, int]  # every claim's figure
    again: tuple[Relation, ...]  # the lines and corroborations derived again
    lines_again: frozenset[frozenset[int]]  # lines between unchanged figures derived again
    joins_again: frozenset[str]  # members whose corroboration of their figure is again
    facts: Mapping[str, ClaimFacts]
    # the order of the subject's claims and their repeats, to be taken up by the next
    # derivation in place (:data:`Kept`)
    handed_on: Kept | None = field(default=None, compare=False, repr=False)

    def kept(self, r: Relation) -> bool:
        """Whether the stored relation ``r`` stands as it was."""
        if r.a_figure in self.dropped or r.b_figure in self.dropped:
            return False
        if r.a_figure == r.b_figure and r.kind == "corroborates":
            last = max(r.a, r.b, key=lambda ref: _time_order(self.facts[ref]))
            return last not in self.joins_again
        return frozenset((r.a_figure, r.b_figure)) not in self.lines_again

    def reached(self) -> set[int]:
        """The stored figures whose relations may not stand: every stored relation that
        does not has one of them at an end."""
        return {
            *self.dropped,
            *(f for pair in self.lines_again for f in pair),
            *(self.figure_of[ref] for ref in self.joins_again),
        }


def rederive_with_new_claims(
    group: Sequence[ClaimFacts],
    new: set[str],
    old_figure_of: Mapping[str, int],
    old_relations: Sequence[Relation],
    kept: Kept | None = None,
) -> tuple[list[Relation], list[Figure]] | None:
    """The subject's relations and figures once the claims ``new`` (references) joined
    the others of ``group``, whose last derivation put each in the figure
    ``old_figure_of`` names and related them by ``old_relations``; None when this cannot
    be worked out locally (see the module's docstring). What
    :func:`rederive_in_place` gives, made whole."""
    found = rederive_in_place(group, new, old_figure_of, kept)
    return None if found is None else made_whole(found, old_relations)


def made_whole(
    found: InPlace, old_relations: Sequence[Relation]
) -> tuple[list[Relation], list[Figure]]:
    """The subject's relations and figures: what ``found`` says changed over the last
    derivation's ``old_relations``."""
    relations = [r for r in old_relations if found.kept(r)] + list(found.again)
    relations.sort(key=lambda r: (r.a, r.b, r.kind))
    members: dict[int, list[str]] = defaultdict(list)
    for ref, figure in found.figure_of.items():
        members[figure].append(ref)
    formed = {f.id: f for f in found.figures}
    figures = [
        formed.get(figure) or _figure_of(found.subject, _in_time_order(refs, found.facts))
        for figure, refs in members.items()
    ]
    figures.sort(key=lambda f: (f.measure, f.claims))
    return relations, figures


def rederive_in_place(
    group: Sequence[ClaimFacts],
    new: set[str],
    old_figure_of: Mapping[str, int],
    kept: Kept | None = None,
    *,
    facts: Mapping[str, ClaimFacts] | None = None,
) -> InPlace | None:
    """What differs in the subject's figures and relations once the claims ``new``
    (references) joined the others of ``group``, whose last derivation put each in the
    figure ``old_figure_of`` names; None when this cannot be worked out locally (see the
    module's docstring). ``kept``: what the last derivation in place of the subject
    handed on (:attr:`InPlace.handed_on`), taken over, if its claims are still the subject's
    others. ``facts``: the claims of ``group`` by reference, if the caller holds them."""
    subject = group[0].subject
    if not is_counted(subject):
        return None
    if facts is None:
        facts = {c.ref: c for c in group}
    # not only additions if a claim changed or went: the others are the claims before
    if (
        len(facts) != len(group)
        or any(ref in old_figure_of or ref not in facts for ref in new)
        or len(old_figure_of) != len(facts) - len(new)
        or not old_figure_of.keys() <= facts.keys()
    ):
        return None
    if kept is not None and kept[0].at.keys() == old_figure_of.keys():
        # the same claims as before (the others of ``group``: as many, none of them new)
        added = [facts[ref] for ref in sorted(new)]
        if any(c.document in kept[1].documents for c in added):
            kept = None  # an article that gained a claim: its repeats are not as they were
        else:
            repeat_of = kept[1].adding(added)
            order = kept[0].adding(added, left_out=repeat_of)
            agreed = kept[2]  # what the claims corroborated in the last one's order
    else:
        kept = None
    if kept is None:
        repeat_of = _Repeats(group)  # within one article: a new claim repeats new ones only
        order = _Order.of(group, left_out=repeat_of)
        agreed = {}

    def pairs_at(
        i: int, *, same_measure: bool = False, within: _Order = order
    ) -> list[tuple[ClaimFacts, ClaimFacts]]:
        return within.pairs_at(i, same_measure=same_measure)

    # 1. the figures, formed again where the new claims change what forms them: a new
    # claim changes the pairs of one measure at the claims of its measure whose queue it
    # enters and at the next claim of its root; the other figures stand
    old_members: dict[int, list[str]] = defaultdict(list)
    for ref, figure in old_figure_of.items():
        old_members[figure].append(ref)
    reached = {ref: [order.claims[j].ref for j in order.reached_from(order.at[ref])] for ref in new}
    old_order = order.without(new)
    # what each claim corroborates, in the order before and now: they differ only in the
    # pairs of the dated claims whose pairs of one measure may differ (the new ones, and
    # those whose queue they entered or that follow them from their root)
    differ = {
        ref
        for x in new
        if facts[x].start is not None
        for ref in (x, *reached[x])
        if facts[ref].start is not None
    }
    agreement: dict[tuple[str, str], bool] = {}  # each pair related once
    agree_was = _Agreeing(old_order, facts, repeat_of, agreement, agreed)
    agree_now = _Agreeing(order, facts, repeat_of, agreement)
    agree_was.beside(agree_now, differ)
    agree_now.beside(agree_was, differ)
    formed: list[Figure] = []
    for measure in sorted({facts[ref].measure for ref in new}):
        # dated claims form figures over time; an undated one within its own article
        # only, so a new article's undated claims form figures of their own (below)
        changed = [
            ref
            for x in sorted(new)
            if facts[x].measure == measure and facts[x].start is not None
            for ref in (x, *reached[x])
            if facts[ref].measure == measure and facts[ref].start is not None
        ]
        if changed:
            dated = [
                m
                for m in old_members.values()
                if facts[m[0]].measure == measure and facts[m[0]].start is not None
            ]
            formed += _figures_again(
                subject, dated, changed, (order, agree_now), (old_order, agree_was), facts, new
            )
    for document in sorted({facts[ref].document for ref in new}):
        undated = [c for c in repeat_of.documents[document] if c.start is None]
        formed += _formed(subject, undated, order, facts, repeat_of, pairs_at) if undated else []
    fig = dict(old_figure_of)
    fig.update((ref, f.id) for f in formed for ref in f.claims)
    by_id = _Figures(subject, old_members, facts)
    by_id.update((f.id, f) for f in formed)

    # 2. what changed: figures (new, or other members), and the pairs of the claims whose
    # candidate pairs changed; a line between two figures that did not change is derived
    # again only if one of its pairs changed, a member's corroboration of its figure only
    # if one of its own pairs did
    moved = {f.id for f in formed if set(old_members.get(f.id, ())) != set(f.claims)}
    now = set(fig.values())
    dropped = {f for f in old_members if f not in now or f in moved}
    memo: dict[int, list[tuple[ClaimFacts, ClaimFacts]]] = {}

    def at(i: int) -> list[tuple[ClaimFacts, ClaimFacts]]:
        if i not in memo:
            memo[i] = pairs_at(i)
        return memo[i]

    lines_again: set[frozenset[int]] = set()
    joins_again: set[str] = set()
    for ref in {ref for x in new for ref in reached[x]} - new:
        was = {(a.ref, b.ref) for a, b in pairs_at(old_order.at[ref], within=old_order)}
        is_now = {(a.ref, b.ref) for a, b in at(order.at[ref])}
        for one, other in was ^ is_now:
            if fig[one] in moved or fig[other] in moved:
                continue
            if fig[one] == fig[other]:
                joins_again.add(max(one, other, key=lambda ref: _time_order(facts[ref])))
            lines_again.add(frozenset((fig[one], fig[other])))

    def pairs_of(refs: Iterable[str]) -> dict[tuple[str, str], tuple[ClaimFacts, ClaimFacts]]:
        """Every candidate pair with one of ``refs`` in it."""
        held = set(refs)
        found = {
            (a.ref, b.ref): (a, b)
            for i in sorted(order.at[ref] for ref in held)
            for a, b in order.pairs_with(i)
        }
        for r_ref, o_ref in repeat_of.among(held):
            if r_ref in held or o_ref in held:
                found[(o_ref, r_ref)] = (facts[o_ref], facts[r_ref])
        return found

    # 3. those lines and corroborations, from every pair that stands behind them
    todo = pairs_of(ref for f in moved for ref in by_id[f].claims)
    for pair in lines_again:
        smaller = min(pair, key=lambda f: len(by_id[f].claims))
        members = set(by_id[smaller].claims) | set(
            by_id[max(pair - {smaller}, default=smaller)].claims
        )
        todo |= {
            k: v
            for k, v in pairs_of(by_id[smaller].claims).items()
            if k[0] in members and k[1] in members
        }
    for ref in joins_again:
        todo |= {k: v for k, v in pairs_of([ref]).items() if fig[k[0]] == fig[k[1]]}
    related = (r for a, b in todo.values() if (r := _relate_counted(a, b)) is not None)
    again = figure_lines(
        related,
        fig,
        by_id,
        facts,
        join=lambda last, figure: figure in moved or last in joins_again,
        line=lambda pair, kind: bool(pair & moved) or pair in lines_again,
    )
    return InPlace(
        subject=subject,
        figures=tuple(sorted((by_id[f] for f in moved), key=lambda f: (f.measure, f.claims))),
        dropped=frozenset(dropped),
        figure_of=fig,
        again=tuple(again),
        lines_again=frozenset(lines_again),
        joins_again=frozenset(joins_again),
        facts=facts,
        handed_on=(order, repeat_of, agree_now.handed_on(agree_was)),
    )


class _Figures(dict[int, Figure]):
    """The figures by id: a stored one (its members in ``members``) made when first
    asked for, so that a large subject's unchanged figures are mostly never made."""

    def __init__(
        self, subject: str, members: Mapping[int, Sequence[str]], facts: Mapping[str, ClaimFacts]
    ) -> None:
        super().__init__()
        self.subject, self.members, self.facts = subject, members, facts

    def __missing__(self, figure: int) -> Figure:
        made = self[figure] = _figure_of(
            self.subject, _in_time_order(self.members[figure], self.facts)
        )
        return made


def _in_time_order(refs: Iterable[str], facts: Mapping[str, ClaimFacts]) -> list[ClaimFacts]:
    return sorted((facts[ref] for ref in refs), key=_time_order)


def _formed(
    subject: str,
    claims: Sequence[ClaimFacts],
    order: _Order,
    facts: Mapping[str, ClaimFacts],
    repeat_of: _Repeats,
    pairs_at: Callable[..., list[tuple[ClaimFacts, ClaimFacts]]],
) -> list[Figure]:
    """The figures ``claims`` form among themselves (:func:`_figures`), from their
    candidate pairs of one measure and their repeats."""
    refs = {c.ref for c in claims}
    edges = [
        r
        for c in claims
        for a, b in pairs_at(order.at[c.ref], same_measure=True)
        if a.ref in refs and (r := _relate_counted(a, b)) is not None
    ]
    edges += [
        r
        for r_ref, o_ref in sorted(repeat_of.among(refs))
        if r_ref in refs
        and o_ref in refs
        and (r := _relate_counted(facts[o_ref], facts[r_ref])) is not None
    ]
    return _figures(subject, claims, edges)


def _figures_again(
    subject: str,
    old: Sequence[Sequence[str]],
    changed: Sequence[str],
    now_: tuple[_Order, _Agreeing],
    was_: tuple[_Order, _Agreeing],
    facts: Mapping[str, ClaimFacts],
    new: Container[str],
) -> list[Figure]:
    """One measure's figures once the claims ``changed`` (``new``, or whose candidate
    pairs changed) are among them; ``old``: its figures' members before. Figures are formed in
    time order (:func:`_figures`) and a claim joins only a figure begun at most
    SAME_TIME_DAYS before it, so the forming is taken up again at each moment a changed
    claim or pair is decided: from the figures still open there (each old one's members
    before it, formed again among themselves), over the claims after it, beside the old
    forming over the old claims, until the figures still open are the same in both; from
    there to the next such moment, and before the first, the old figures stand. Returns
    the figures formed again (each old one either formed again whole or left as it was)."""
    (order, agree_now), (old_order, agree_was) = now_, was_
    decided = {_time_order(facts[ref]) for ref in changed}
    for ref in changed:  # a pair is decided when the later of its claims is placed
        for within in (order, old_order):
            if ref in within.at:
                for a, b in within.pairs_at(within.at[ref], same_measure=True):
                    decided.add(max(_time_order(a), _time_order(b)))
    moments = sorted(decided)
    measure = facts[changed[0]].measure
    # the claims the forming may walk (from the first moment on), and the old figures it
    # may take up (begun up to SAME_TIME_DAYS before a moment); dated claims, so their
    # time order is (end, ref)
    first, last = moments[0], moments[-1]
    claims = sorted(
        (c for p in order.of_measure[measure] if _END_REF(c := order.claims[p]) >= first),
        key=_END_REF,
    )
    keys = list(map(_END_REF, claims))
    olds = [c for c in claims if c.ref not in new]
    old_keys = list(map(_END_REF, olds))
    opened = (first[0] - _DAYS, "")
    members = sorted(
        (
            sorted(m, key=_END_REF)
            for refs in old
            if opened <= _END_REF(min(m := [facts[ref] for ref in refs], key=_END_REF)) < last
        ),
        key=lambda m: _END_REF(m[0]),
    )
    anchors = list(map(_END_REF, (m[0] for m in members)))
    formed: list[list[ClaimFacts]] = []
    d = 0
    while d < len(moments):
        begin = moments[d]
        # the figures open at this moment, as they were then: each formed again from its
        # members before it and their pairs among themselves (a claim never joined another)
        now = _Forming()
        since = bisect_left(anchors, (begin[0] - _DAYS, ""))  # begun SAME_TIME_DAYS before
        for m in members[since : bisect_left(anchors, begin)]:
            held = {c.ref for c in m}
            for c in m:
                if _time_order(c) < begin:
                    now.place(c, agree_was(c) & held)
        was = now.copy()
        i, j = bisect_left(keys, begin), bisect_left(old_keys, begin)
        checked: dt.date | None = None
        d = len(moments)  # unless the two formings meet again before the last claim
        while i < len(claims):
            c, key = claims[i], keys[i]
            if key > begin and c.end != checked:
                # every change before it is decided: once the figures still open are the
                # same, both form the same figures until the next moment a change is decided
                checked = c.end
                # (taken up again only if the next moment is far: else the two go on)
                d = bisect_left(moments, key)
                far = d == len(moments) or bisect_left(keys, moments[d]) - i > _FAR
                if far and now.open_at(c) == was.open_at(c):
                    formed += [f for f in now.formed() if not _one_moment(f[0], c)]
                    break
                d = len(moments)
            now.place(c, agree_now(c))
            i += 1
            while j < len(olds) and old_keys[j] <= key:
                was.place(olds[j], agree_was(olds[j]))
                j += 1
        else:
            formed += now.formed()
    return _figures_of(subject, formed)


def _figures_of(subject: str, members: Iterable[Sequence[ClaimFacts]]) -> list[Figure]:
    return [_figure_of(subject, m) for m in members]


class _Repeats:
    """:func:`~claimledger.ledger.reconcile.repeats` of a subject's claims, worked out for
    one article at a time when first asked (a claim repeats only a claim of its own
    article): most of a large subject's articles are never asked about."""

    def __init__(self, claims: Iterable[ClaimFacts]) -> None:
        self.documents: dict[str, list[ClaimFacts]] = defaultdict(list)
        self.document_of: dict[str, str] = {}
        for c in claims:
            self.documents[c.document].append(c)
            self.document_of[c.ref] = c.document
        self.found: dict[str, dict[str, str]] = {}
        self.repeats_of: dict[str, dict[str, list[str]]] = {}

    def adding(self, new: Iterable[ClaimFacts]) -> _Repeats:
        """These with the claims ``new`` (of documents they hold no claim of): the
        repeats found in the other documents stand. Takes these over (they are not to be
        used after)."""
        for c in new:
            self.documents[c.document].append(c)
            self.document_of[c.ref] = c.document
        return self

    def of(self, document: str) -> dict[str, str]:
        """Each repeat in the article ``document``, with the first statement of it."""
        found = self.found.get(document)
        if found is None:
            found = self.found[document] = repeats(self.documents[document])
        return found

    def __contains__(self, ref: object) -> bool:
        """Whether the claim ``ref`` repeats another (asked for every candidate pair)."""
        document = self.document_of.get(ref)  # type: ignore[call-overload]
        found = self.found.get(document) if document is not None else {}
        if found is None:
            found = self.of(document)
        return ref in found

    def original(self, ref: str) -> str | None:
        """The claim ``ref`` repeats, if it repeats one."""
        return self.of(self.document_of[ref]).get(ref)

    def repeated(self, ref: str) -> list[str]:
        """The claims that repeat ``ref``."""
        document = self.document_of[ref]
        if document not in self.repeats_of:
            held: dict[str, list[str]] = defaultdict(list)
            for r_ref, o_ref in self.of(document).items():
                held[o_ref].append(r_ref)
            self.repeats_of[document] = held
        return self.repeats_of[document].get(ref, [])

    def among(self, refs: Iterable[str]) -> list[tuple[str, str]]:
        """Each repeat, with what it repeats, in the articles of the claims ``refs``."""
        documents = sorted({self.document_of[ref] for ref in refs})
        return [pair for document in documents for pair in self.of(document).items()]


class _Agreeing:
    """The claims of its measure each claim corroborates (:func:`_figures`'s edges): its
    candidate pairs in ``order`` and its repeats; the pairs related once (``related``);
    what was found kept in ``found``, which may be given (what each claim corroborates
    in this order, as far as it was worked out)."""

    def __init__(
        self,
        order: _Order,
        facts: Mapping[str, ClaimFacts],
        repeat_of: _Repeats,
        related: dict[tuple[str, str], bool],
        found: dict[str, set[str]] | None = None,
    ) -> None:
        self.order, self.facts, self.related = order, facts, related
        self.repeat_of = repeat_of
        self.found: dict[str, set[str]] = {} if found is None else found
        self.other: _Agreeing | None = None
        self.differ: Set[str] = frozenset()
        self.near: dict[str, set[str]] = {}

    def beside(self, other: _Agreeing, differ: Set[str]) -> None:
        """Take what ``other`` (the same in another order of the same claims and more)
        finds, ``differ``: the claims whose pairs of one measure may differ between the
        two (those whose queue or previous claim of their root differs, and those in one
        order only). A pair is made at its later claim, so another claim's pairs differ
        only in those with them: what it corroborates is what it does there, but for
        them, and those of them that corroborate it here."""
        self.other, self.differ = other, differ
        self.near = defaultdict(set)
        for ref in differ:
            if ref in self.order.at:
                for found in self(self.facts[ref]):
                    self.near[found].add(ref)

    def handed_on(self, before: _Agreeing) -> dict[str, set[str]]:
        """What each claim corroborates in this order, as far as it is known here or
        ``before`` (the order this one was made from, :meth:`beside` it): there, but for
        the claims whose pairs differ and those that corroborate one of them in either.
        Takes over what ``before`` found (it is not to be used after)."""
        held = before.found
        for ref in (*before.near, *self.near):
            held.pop(ref, None)
        held.update(self.found)  # every claim whose pairs differ among them (:meth:`beside`)
        return held

    def _agree(self, a: ClaimFacts, b: ClaimFacts) -> bool:
        key = (a.ref, b.ref)
        found = self.related.get(key)
        if found is None:
            found = self.related[key] = agrees(a, b)
        return found

    def __call__(self, c: ClaimFacts) -> set[str]:
        ref = c.ref
        found = self.found.get(ref)
        if found is None:
            other = self.other
            if other is not None and ref not in self.differ and ref in other.found:
                found = (other.found[ref] - self.differ) | self.near.get(ref, _NONE)
            else:
                found = self._agreeing(c)
            self.found[ref] = found
        return found

    def _agreeing(self, c: ClaimFacts) -> set[str]:
        found = self.order.agreeing(self.order.at[c.ref], self._agree)
        original = self.repeat_of.original(c.ref)
        if original is not None and self._agree(self.facts[original], c):
            found.add(original)
        found.update(r for r in self.repeat_of.repeated(c.ref) if self._agree(c, self.facts[r]))
        return found


_NONE: frozenset[str] = frozenset()


class _Forming:
    """Figures being formed in time order, as :func:`_figures` forms them: a claim joins
    every figure of a claim it corroborates that began at most SAME_TIME_DAYS before it."""

    def __init__(self) -> None:
        self.sets: _UnionFind[str] = _UnionFind()
        self.anchor: dict[str, ClaimFacts] = {}  # a figure's root -> its first claim
        self.placed: dict[str, ClaimFacts] = {}

    def copy(self) -> _Forming:
        other = _Forming()
        other.sets.parent, other.anchor = dict(self.sets.parent), dict(self.anchor)
        other.placed = dict(self.placed)
        return other

    def find(self, ref: str) -> str:
        return self.sets.find(ref)

    def place(self, c: ClaimFacts, agreeing: set[str]) -> None:
        self.anchor[c.ref] = c
        for other in sorted(agreeing & self.placed.keys()):
            root = self.find(other)
            first = self.anchor[root]
            if self.find(c.ref) != root and _one_moment(first, c):
                earliest = min(first, self.anchor[self.find(c.ref)], key=_time_order)
                self.sets.union(root, c.ref)
                self.anchor[root] = earliest
        self.placed[c.ref] = c

    def formed(self) -> list[list[ClaimFacts]]:
        """Each figure's claims, in time order."""
        held: dict[str, list[ClaimFacts]] = defaultdict(list)
        for c in sorted(self.placed.values(), key=_time_order):
            held[self.find(c.ref)].append(c)
        return list(held.values())

    def open_at(self, c: ClaimFacts) -> set[frozenset[str]]:
        """The figures ``c`` may still join (begun at most SAME_TIME_DAYS before it)."""
        assert c.end is not None
        recent = [x for x in self.placed.values() if x.end is not None and x.end >= c.end - _DAYS]
        held: dict[str, set[str]] = defaultdict(set)
        for x in recent:
            held[self.find(x.ref)].add(x.ref)
        return {frozenset(refs) for root, refs in held.items() if _one_moment(self.anchor[root], c)}
