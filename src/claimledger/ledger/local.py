"""Re-deriving a subject after claims were added to it, touching only what they reach.

A full re-derivation relates every candidate pair of the subject's claims (the largest
subject of a 10,000-article ledger: 1.2 million pairs) to rebuild figures and lines that a
new claim mostly leaves as they were. :func:`rederive_with_new_claims` gives exactly what
:func:`~claimledger.ledger.reconcile.reconcile_subject` gives, from the last derivation's
figures and relations:

1. the figures, formed again from the pairs of claims of one measure only (what forms a
   figure); they are compared with the stored ones;
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

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from claimledger.ledger.reconcile import (
    COMPARE_WITHIN_DAYS,
    NEIGHBOURS,
    SAME_TIME_DAYS,
    ClaimFacts,
    Figure,
    Relation,
    _figure_of,
    _figures,
    _relate_counted,
    _time_order,
    figure_lines,
    may_relate,
    repeats,
)
from claimledger.ledger.subjects import is_counted

_WINDOW = dt.timedelta(days=COMPARE_WITHIN_DAYS)


class _Order:
    """A subject's claims in the order candidate pairs are made in (the dated by start,
    then reference; then the undated by reference), with each measure's and each (root,
    measure)'s positions among the dated, each (root, measure)'s among the undated, and
    each document's claims: the candidate pairs of any one claim, as
    :func:`~claimledger.ledger.reconcile.candidate_pairs` makes them for all."""

    def __init__(self, group: Iterable[ClaimFacts]) -> None:
        claims = list(group)
        dated = sorted((c for c in claims if c.start is not None), key=lambda c: (c.start, c.ref))
        self.dated = len(dated)
        self.claims = dated + sorted((c for c in claims if c.start is None), key=lambda c: c.ref)
        self.at = {c.ref: i for i, c in enumerate(self.claims)}
        self.of_measure: dict[str, list[int]] = defaultdict(list)
        self.of_root: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.undated_of_root: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.of_document: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(self.claims):
            if i < self.dated:
                self.of_measure[c.measure].append(i)
                self.of_root[(c.root, c.measure)].append(i)
            else:
                self.undated_of_root[(c.root, c.measure)].append(i)
            self.of_document[c.document].append(i)

    def pairs_at(
        self, i: int, *, same_measure: bool = False
    ) -> list[tuple[ClaimFacts, ClaimFacts]]:
        """The candidate pairs made at the ``i``-th claim (as the later of the two)."""
        b = self.claims[i]
        found = []
        if b.start is None:
            # an undated claim: with the claims of its article (the dated, and the undated
            # before it), and the NEIGHBOURS undated of its root and measure before it
            for j in self.of_document[b.document]:
                a = self.claims[j]
                if (a.start is not None or a.ref < b.ref) and (
                    not same_measure or a.measure == b.measure
                ):
                    found.append((a, b))
            same_root = self.undated_of_root[(b.root, b.measure)]
            k = bisect_left(same_root, i)
            for j in same_root[max(0, k - NEIGHBOURS) : k]:
                if self.claims[j].document != b.document:
                    found.append((self.claims[j], b))
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
                    paired.add(a.ref)
                    found.append((a, b))
        same_root = self.of_root[(b.root, b.measure)]
        k = bisect_left(same_root, i)
        if k > 0 and self.claims[same_root[k - 1]].ref not in paired:
            found.append((self.claims[same_root[k - 1]], b))
        return found

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
        positions = self.of_measure[c.measure]
        k = bisect_left(positions, i)
        last = positions[k + NEIGHBOURS] if k + NEIGHBOURS < len(positions) else self.dated - 1
        found += range(i + 1, last + 1)
        same_root = self.of_root[(c.root, c.measure)]
        k = bisect_left(same_root, i)
        if k + 1 < len(same_root):
            found.append(same_root[k + 1])
        return found


def rederive_with_new_claims(
    group: Sequence[ClaimFacts],
    new: set[str],
    old_figure_of: Mapping[str, int],
    old_relations: Sequence[Relation],
) -> tuple[list[Relation], list[Figure]] | None:
    """The subject's relations and figures once the claims ``new`` (references) joined
    the others of ``group``, whose last derivation put each in the figure
    ``old_figure_of`` names and related them by ``old_relations``; None when this cannot
    be worked out locally (see the module's docstring)."""
    subject = group[0].subject
    if not is_counted(subject):
        return None
    if set(old_figure_of) != {c.ref for c in group} - new:
        return None  # a claim changed or went: not only additions
    repeat_of = repeats(group)  # within one article: a new claim repeats new ones only
    facts = {c.ref: c for c in group}
    order = _Order(group)

    def pairs_at(
        i: int, *, same_measure: bool = False, within: _Order = order
    ) -> list[tuple[ClaimFacts, ClaimFacts]]:
        pairs = within.pairs_at(i, same_measure=same_measure)
        return [(a, b) for a, b in pairs if a.ref not in repeat_of and b.ref not in repeat_of]

    # 1. the figures, formed again where the new claims change what forms them: a new
    # claim changes the pairs of one measure at the claims of its measure whose queue it
    # enters and at the next claim of its root
    old_members: dict[int, list[str]] = defaultdict(list)
    for ref, figure in old_figure_of.items():
        old_members[figure].append(ref)
    reached = {ref: [order.claims[j].ref for j in order.reached_from(order.at[ref])] for ref in new}
    old_order = _Order(c for c in group if c.ref not in new)
    figures = []
    for measure in sorted({c.measure for c in group}):
        of_measure = [m for m in old_members.values() if facts[m[0]].measure == measure]
        # dated claims form figures over time; an undated one within its own article
        # only, so a new article's undated claims form figures of their own (below)
        changed = [
            ref
            for x in sorted(new)
            if facts[x].measure == measure and facts[x].start is not None
            for ref in (x, *reached[x])
            if facts[ref].measure == measure and facts[ref].start is not None
        ]
        dated = [m for m in of_measure if facts[m[0]].start is not None]
        if changed:
            figures += _figures_again(
                subject, dated, changed, order, old_order, facts, repeat_of, pairs_at
            )
        else:
            figures += [_figure_of(subject, _in_time_order(m, facts)) for m in dated]
        figures += [
            _figure_of(subject, _in_time_order(m, facts))
            for m in of_measure
            if facts[m[0]].start is None
        ]
    for document in sorted({facts[ref].document for ref in new}):
        undated = [c for c in group if c.document == document and c.start is None]
        figures += _formed(subject, undated, order, facts, repeat_of, pairs_at) if undated else []
    figures.sort(key=lambda f: (f.measure, f.claims))
    by_id = {f.id: f for f in figures}
    fig = {ref: f.id for f in figures for ref in f.claims}

    # 2. what changed: figures (new, or other members), and the pairs of the claims whose
    # candidate pairs changed; a line between two figures that did not change is derived
    # again only if one of its pairs changed, a member's corroboration of its figure only
    # if one of its own pairs did
    moved = {f.id for f in figures if set(old_members.get(f.id, ())) != set(f.claims)}
    dropped = {f for f in old_members if f not in by_id or f in moved}
    memo: dict[int, list[tuple[ClaimFacts, ClaimFacts]]] = {}

    def at(i: int) -> list[tuple[ClaimFacts, ClaimFacts]]:
        if i not in memo:
            memo[i] = pairs_at(i)
        return memo[i]

    lines_again: set[frozenset[int]] = set()
    joins_again: set[str] = set()
    for ref in {ref for x in new for ref in reached[x]} - new:
        was = {(a.ref, b.ref) for a, b in pairs_at(old_order.at[ref], within=old_order)}
        now = {(a.ref, b.ref) for a, b in at(order.at[ref])}
        for one, other in was ^ now:
            if fig[one] in moved or fig[other] in moved:
                continue
            if fig[one] == fig[other]:
                joins_again.add(max(one, other, key=lambda ref: _time_order(facts[ref])))
            lines_again.add(frozenset((fig[one], fig[other])))

    def pairs_of(refs: Iterable[str]) -> dict[tuple[str, str], tuple[ClaimFacts, ClaimFacts]]:
        """Every candidate pair with one of ``refs`` in it."""
        held = set(refs)
        positions = {order.at[ref] for ref in held}
        for ref in held:
            positions.update(order.reached_from(order.at[ref]))
        found = {
            (a.ref, b.ref): (a, b)
            for i in sorted(positions)
            for a, b in at(i)
            if a.ref in held or b.ref in held
        }
        for r_ref, o_ref in repeat_of.items():
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

    def kept(r: Relation) -> bool:
        if r.a_figure in dropped or r.b_figure in dropped:
            return False
        if r.a_figure == r.b_figure and r.kind == "corroborates":
            last = max(r.a, r.b, key=lambda ref: _time_order(facts[ref]))
            return last not in joins_again
        return frozenset((r.a_figure, r.b_figure)) not in lines_again

    relations = [r for r in old_relations if kept(r)] + again
    relations.sort(key=lambda r: (r.a, r.b, r.kind))
    return relations, figures


def _in_time_order(refs: Iterable[str], facts: Mapping[str, ClaimFacts]) -> list[ClaimFacts]:
    return sorted((facts[ref] for ref in refs), key=_time_order)


def _formed(
    subject: str,
    claims: Sequence[ClaimFacts],
    order: _Order,
    facts: Mapping[str, ClaimFacts],
    repeat_of: Mapping[str, str],
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
        for r_ref, o_ref in sorted(repeat_of.items())
        if r_ref in refs
        and o_ref in refs
        and (r := _relate_counted(facts[o_ref], facts[r_ref])) is not None
    ]
    return _figures(subject, claims, edges)


def _figures_again(
    subject: str,
    old: Sequence[Sequence[str]],
    changed: Sequence[str],
    order: _Order,
    old_order: _Order,
    facts: Mapping[str, ClaimFacts],
    repeat_of: Mapping[str, str],
    pairs_at: Callable[..., list[tuple[ClaimFacts, ClaimFacts]]],
) -> list[Figure]:
    """One measure's figures once the claims ``changed`` (new, or whose candidate pairs
    changed) are among them; ``old``: its figures' members before. Figures are formed in
    time order (:func:`_figures`), so they are formed again only between two *cuts* of
    the old figures (moments no old figure spans): from the last cut before the first
    change (with the old figures before it that a claim after it may still join) to the
    first cut after every pair that changed at which the figures still open are old ones;
    before and after, the old figures stand."""
    measure = facts[changed[0]].measure
    spans = sorted(
        (_time_order(m[0]), _time_order(m[-1]), tuple(c.ref for c in m))
        for m in (_in_time_order(refs, facts) for refs in old)
    )
    cuts: list[tuple[dt.date, str]] = [(dt.date.min, "")]
    reach = (dt.date.min, "")
    for first, last, _ in spans:
        if reach < first:
            cuts.append(first)
        reach = max(reach, last)
    cuts.append((dt.date.max, "\uffff"))
    # what changes: from the first changed claim to the last claim of a changed pair
    start = min(_time_order(facts[ref]) for ref in changed)
    end = max(_time_order(facts[ref]) for ref in changed)
    for ref in changed:
        for within in (order, old_order):
            if ref in within.at:
                for a, b in pairs_at(within.at[ref], same_measure=True, within=within):
                    end = max(end, _time_order(a), _time_order(b))
    low = max(cut for cut in cuts if cut <= start)
    claims = sorted(
        (c for c in order.claims[: order.dated] if c.measure == measure), key=_time_order
    )
    first_end = next((c.end for c in claims if _time_order(c) >= low), None)
    # old figures wholly before the cut that a claim after it may still join
    joinable = [
        s
        for s in spans
        if s[1] < low
        and first_end is not None
        and s[0][0] != dt.date.max
        and (first_end - s[0][0]).days <= SAME_TIME_DAYS
    ]
    old_sets = {frozenset(s[2]) for s in spans}
    for high in (cut for cut in cuts if cut > end):
        inside = [c for c in claims if low <= _time_order(c) < high]
        inside += [facts[ref] for s in joinable for ref in s[2]]
        formed = _formed(subject, inside, order, facts, repeat_of, pairs_at)
        # the figures still open at the cut must be old ones: the claims after it then
        # join them as they did
        still_open = [
            f
            for f in formed
            if high[0] != dt.date.max
            and (anchor := facts[f.claims[0]].end) is not None
            and (high[0] - anchor).days <= SAME_TIME_DAYS
        ]
        if all(frozenset(f.claims) in old_sets for f in still_open):
            kept = [s[2] for s in spans if (s[1] < low and s not in joinable) or s[0] >= high]
            return formed + [_figure_of(subject, _in_time_order(m, facts)) for m in kept]
    raise AssertionError("the last cut follows every claim")
