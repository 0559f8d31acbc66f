"""Attribution scores in PolNeAR's terms: token-level P/R/F1 per role and
attribution-level matching on content tokens.

Tokens are maximal runs of non-whitespace characters; a token has a role if any of its
characters lies in a span of that role. Scores are micro-averaged over documents.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claimledger.records import Spans
from claimledger.render.brat import BratAttribution

ROLES = ("source", "cue", "content")
MATCH_JACCARD = 0.5
_TOKEN = re.compile(r"\S+")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Everything the evaluation reports for one system on one corpus."""

    tokens: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    attributions: Counts = field(default_factory=Counts)
    strict: Counts = field(default_factory=Counts)
    matched: int = 0
    source_right: int = 0
    documents: int = 0

    @property
    def source_accuracy(self) -> float:
        return self.source_right / self.matched if self.matched else 0.0


class TokenIndex:
    """Maps character spans of one text to the indices of the tokens they touch."""

    def __init__(self, text: str) -> None:
        self.bounds = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self._starts = [s for s, _ in self.bounds]

    def tokens(self, spans: Spans | None) -> frozenset[int]:
        if not spans:
            return frozenset()
        found: set[int] = set()
        for start, end in spans:
            for i in range(self._first_at_or_after(start), len(self.bounds)):
                t_start, t_end = self.bounds[i]
                if t_start >= end:
                    break
                if t_end > start:
                    found.add(i)
        return frozenset(found)

    def _first_at_or_after(self, char: int) -> int:
        # the token containing ``char`` may start before it
        i = bisect.bisect_right(self._starts, char) - 1
        return max(i, 0)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _role_spans(attrs: Iterable[BratAttribution], role: str) -> list[Spans | None]:
    return [getattr(a, role) for a in attrs]


def greedy_match(
    gold: Sequence[frozenset[int]], pred: Sequence[frozenset[int]], *, strict: bool = False
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if strict:
                if g == p and g:
                    candidates.append((1.0, gi, pi))
                continue
            score = jaccard(g, p) if (g or p) else 0.0
            if score >= MATCH_JACCARD:
                candidates.append((score, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def score_document(
    scores: Scores, text: str, gold: Sequence[BratAttribution], pred: Sequence[BratAttribution]
) -> None:
    """Add one document's counts to ``scores``."""
    index = TokenIndex(text)
    scores.documents += 1
    for role in ROLES:
        g: set[int] = set()
        for spans in _role_spans(gold, role):
            g |= index.tokens(spans)
        p: set[int] = set()
        for spans in _role_spans(pred, role):
            p |= index.tokens(spans)
        scores.tokens[role].add(len(g & p), len(p - g), len(g - p))
    gold_content = [index.tokens(a.content) for a in gold]
    pred_content = [index.tokens(a.content) for a in pred]
    pairs = greedy_match(gold_content, pred_content)
    scores.attributions.add(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))
    strict_pairs = greedy_match(gold_content, pred_content, strict=True)
    scores.strict.add(
        len(strict_pairs), len(pred) - len(strict_pairs), len(gold) - len(strict_pairs)
    )
    for gi, pi in pairs:
        scores.matched += 1
        g_src = index.tokens(gold[gi].source)
        p_src = index.tokens(pred[pi].source)
        if jaccard(g_src, p_src) >= MATCH_JACCARD:
            scores.source_right += 1
