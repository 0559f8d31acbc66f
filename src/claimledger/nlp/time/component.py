"""The ``claimledger_timex`` pipeline component: finds time expressions in a Doc with the
token patterns of :mod:`claimledger.nlp.time.patterns` and keeps those the parse allows."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Final

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

_MATCHERS: dict[int, Matcher] = {}


def _matcher(vocab: Vocab) -> Matcher:
    # Keyed by id: each Matcher keeps its Vocab alive, so an id is never reused while cached.
    matcher = _MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = Matcher(vocab)
        for label, label_patterns in patterns().items():
            matcher.add(label, label_patterns)
        _MATCHERS[id(vocab)] = matcher
    return matcher


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
    spans = []
    for span in _matcher(doc.vocab)(doc_or_span, as_spans=True):
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
