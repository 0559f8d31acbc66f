"""The ``claimledger_timex`` pipeline component: finds time expressions in a Doc with the
token patterns of :mod:`claimledger.nlp.time.patterns` and keeps those the parse allows."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from claimledger.nlp.datelines import furniture_tokens
from claimledger.nlp.sentences import index_sentences
from claimledger.nlp.time.patterns import (
    AFTER_PREPOSITION,
    ANAPHORIC,
    MAY_MODIFY,
    NOT_BEFORE_OF,
    patterns,
)
from claimledger.nlp.time.vocabulary import CLAUSE_WORDS

SPAN_KEY: Final = "claimledger_time"
"""Key of ``doc.spans`` that the ``claimledger_timex`` component fills."""

_TEXT_ATTRS: Final = {"LOWER", "ORTH", "TEXT", "IS_LOWER"}


def _text_test(token: dict[str, Any]) -> Callable[[str], bool] | None:
    """A test on a token's text alone equal to the pattern token ``token``'s, or None
    when ``token`` asks for more than its text (a tag, a dependency, an operator)."""
    if "OP" in token or not token or not set(token) <= _TEXT_ATTRS:
        return None
    checks: list[Callable[[str], bool]] = []
    for attr, wanted in token.items():
        check = _text_check(attr, wanted)
        if check is None:
            return None
        checks.append(check)
    return lambda text: all(check(text) for check in checks)


def _text_check(attr: str, wanted: Any) -> Callable[[str], bool] | None:
    form: Callable[[str], str] = str.lower if attr == "LOWER" else str
    if attr == "IS_LOWER":
        return lambda text: text.islower() == wanted
    if isinstance(wanted, str):
        return lambda text: form(text) == wanted
    if isinstance(wanted, dict) and set(wanted) == {"IN"}:
        among = frozenset(wanted["IN"])
        return lambda text: form(text) in among
    if isinstance(wanted, dict) and set(wanted) == {"REGEX"}:
        search = re.compile(wanted["REGEX"]).search
        return lambda text: search(form(text)) is not None
    return None


@dataclass(frozen=True)
class _Anchor:
    """A required token of a pattern: the pattern can only match from ``before`` tokens
    ahead of a token that passes ``test`` to ``after`` tokens past it."""

    test: int  # index into _Matchers.tests
    before: int
    after: int


@dataclass
class _Matchers:
    """The time patterns' Matcher, and what lets it skip the stretches of a Doc where no
    pattern can match.

    Every pattern is bounded (no ``+`` or ``*``) and has tokens it requires (no ``OP``)
    whose test is on the text alone. A match of a pattern contains each of them, so it
    lies within the pattern's length of each: of the pattern's rarest required token in
    this Doc, say. The Matcher then runs on those windows alone, and its matches there are
    exactly its matches on the whole Doc, as a match never looks past its own tokens.
    """

    patterns: Matcher
    tests: list[Callable[[str], bool]]
    anchors: list[list[_Anchor]] | None  # per pattern; None: some pattern has none
    passed: dict[str, tuple[int, ...]] = field(default_factory=dict)  # text → tests

    def tests_passed(self, text: str) -> tuple[int, ...]:
        passed = self.passed.get(text)
        if passed is None:
            if len(self.passed) > 200_000:  # a bound on memory over a long run
                self.passed.clear()
            passed = tuple(n for n, test in enumerate(self.tests) if test(text))
            self.passed[text] = passed
        return passed


_MATCHERS: dict[int, _Matchers] = {}


def _build(vocab: Vocab) -> _Matchers:
    matcher = Matcher(vocab)
    tests: list[Callable[[str], bool]] = []
    numbered: dict[str, int] = {}
    anchors: list[list[_Anchor]] | None = []
    for label, label_patterns in patterns().items():
        matcher.add(label, label_patterns)
        for pattern in label_patterns:
            unbounded = any(token.get("OP") in ("+", "*") for token in pattern)
            mine = []
            for at, token in enumerate(pattern):
                test = _text_test(token)
                if test is None:
                    continue
                key = json.dumps(token, sort_keys=True)
                if key not in numbered:
                    numbered[key] = len(tests)
                    tests.append(test)
                mine.append(_Anchor(numbered[key], at, len(pattern) - at))
            if anchors is not None and mine and not unbounded:
                anchors.append(mine)
            else:
                anchors = None
    return _Matchers(matcher, tests, anchors)


def _matchers(vocab: Vocab) -> _Matchers:
    # Keyed by id: each Matcher keeps its Vocab alive, so an id is never reused while cached.
    built = _MATCHERS.get(id(vocab))
    if built is None:
        built = _MATCHERS[id(vocab)] = _build(vocab)
    return built


def _windows(doc_or_span: Doc | Span, matchers: _Matchers) -> list[tuple[int, int]]:
    """The token ranges of the underlying Doc (merged, in order) outside which no time
    pattern can match: around each pattern's rarest required token."""
    doc = doc_or_span if isinstance(doc_or_span, Doc) else doc_or_span.doc
    low, high = (
        (0, len(doc)) if isinstance(doc_or_span, Doc) else (doc_or_span.start, doc_or_span.end)
    )
    if matchers.anchors is None:
        return [(low, high)]
    where: dict[int, list[int]] = {}
    for token in doc_or_span:
        for test in matchers.tests_passed(token.text):
            where.setdefault(test, []).append(token.i)
    ranges: list[tuple[int, int]] = []
    for anchors in matchers.anchors:
        rarest = min(anchors, key=lambda anchor: len(where.get(anchor.test, ())))
        ranges += ((at - rarest.before, at + rarest.after) for at in where.get(rarest.test, ()))
    windows: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        start, end = max(low, start), min(high, end)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def _modifies_what_follows(token: Token) -> bool:
    """Per the parse (when there is one): "2000" in "in 2000 cases", "summer" in "the summer
    offensive" describe the next noun and are no time."""
    return token.dep_ in ("nummod", "compound", "amod", "nmod") and token.head.i > token.i


def _keep(span: Span, label: str) -> bool:
    doc = span.doc
    following = doc[span.end] if span.end < len(doc) else None
    previous = doc[span.start - 1].lower_ if span.start > 0 else ""
    # "over the last year" / "the next week" mean a stretch up to or from now, not the
    # previous or following calendar period ("the last year" is found whole, as a stretch).
    if span[0].lower_ in ("last", "next") and previous == "the":
        return False
    if label in (AFTER_PREPOSITION, MAY_MODIFY, NOT_BEFORE_OF) and _modifies_what_follows(span[-1]):
        return False
    # "the last day of the talks", "the fall of Avdiivka", "the third quarter of the budget"
    before_of = following is not None and following.lower_ == "of"
    if label in (AFTER_PREPOSITION, NOT_BEFORE_OF) and before_of:
        return False
    if label != ANAPHORIC or following is None:
        return True
    if span[-1].lower_ in ("earlier", "later"):
        return following.lower_ != "than"  # "a month earlier than planned"
    if span[-1].lower_ in ("before", "after"):
        # "two days before the vote" counts from the vote, not from a date we know; only a
        # "before"/"after" that ends its phrase is kept.
        return bool(
            following.is_punct
            or following.lower_ in CLAUSE_WORDS
            or following.pos_ in ("VERB", "AUX", "ADV", "CCONJ", "SCONJ", "PRON")
        )
    return True


def find_time_spans(doc_or_span: Doc | Span) -> list[Span]:
    """Time expressions as token spans of the underlying Doc: in order, non-overlapping,
    longest match first. Uses token patterns only; spaCy's DATE entities are unreliable
    (they run on into following words, e.g. "January 19 that approximately half")."""
    doc = doc_or_span if isinstance(doc_or_span, Doc) else doc_or_span.doc
    furniture = furniture_tokens(doc)  # a page's date marker is no time anyone gave
    matchers = _matchers(doc.vocab)
    found: list[Span] = []
    for start, end in _windows(doc_or_span, matchers):
        found += matchers.patterns(doc[start:end], as_spans=True)
    spans = []
    for span in found:
        label = span.label_
        if not _keep(span, label) or furniture.intersection(range(span.start, span.end)):
            continue
        if label == AFTER_PREPOSITION:
            span = doc[span.start + 1 : span.end]  # "in 2024" is found as "2024"
        spans.append(span)
    return sorted(filter_spans(spans), key=lambda span: span.start)


def spans_starting_in(spans: Sequence[Span], start: int, end: int) -> Sequence[Span]:
    """The spans (sorted by start, as :func:`find_time_spans` gives them) that start in
    tokens ``start``..``end``: found by bisection, so a lookup per cue or claim does not
    scan every time expression of a long article."""
    first = bisect_left(spans, start, key=lambda span: span.start)
    last = bisect_left(spans, end, lo=first, key=lambda span: span.start)
    return spans[first:last]


class TimexComponent:
    """Pipeline component: stores :func:`find_time_spans` in ``doc.spans[SPAN_KEY]``."""

    def __call__(self, doc: Doc) -> Doc:
        index_sentences(doc)  # the parser has run: Token.sent by bisect from here on
        doc.spans[SPAN_KEY] = find_time_spans(doc)
        return doc


@Language.factory("claimledger_timex")
def make_timex_component(nlp: Language, name: str) -> TimexComponent:
    """spaCy factory for ``nlp.add_pipe("claimledger_timex")``."""
    return TimexComponent()
