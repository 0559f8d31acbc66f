"""A number in the parse and the figure phrase around it: the tokens of one number
("12 million", "12K"), and the longest phrase around them that
:func:`claimledger.nlp.amounts.parse_amount` reads ("between 10,000 and 12,000")."""

from __future__ import annotations

import re
from collections.abc import Container

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.amounts import (
    SCALES,
    SUFFIXES,
    UNITS_SMALL,
    Amount,
    AmountError,
    AmountKind,
    parse_amount,
)
from claimledger.nlp.amounts import parse_number as parse_cardinal
from claimledger.nlp.figures.vocabulary import CHANGE_WORDS

# "12k", "1.5m", "3bn": one token that the parser does not take for a number
SUFFIXED = re.compile(r"^\d+(?:[.,]\d+)?(?:k|m|mn|bn|b)$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d[\d,.]*$")
# Dependencies that join the words of one number: "12 million", "8-9,000".
_NUMBER_DEPS = {"compound", "quantmod", "nummod"}


def parse_number(tokens: list[str]) -> float | None:
    """The value of a number's tokens: ["twelve", "thousand"] -> 12000."""
    return parse_cardinal(" ".join(tokens))


def is_numberish(text: str) -> bool:
    """Digits or number words, hyphens allowed: "12,000", "thirty", "thousand-300"."""
    parts = [p for p in re.split(r"[-\u2010-\u2015]", text.lower()) if p]
    return bool(parts) and all(_DIGITS.match(p) or p in UNITS_SMALL or p in SCALES for p in parts)


def number_group(tok: Token) -> list[Token]:
    """The words of the one number ``tok`` is part of, in text order: its compound number
    parts ("12 million", "twelve thousand"), a scale letter the tokenizer split off
    ("12K"), and number words joined by hyphens ("two-thousand-300", "thirty-two",
    "8-9,000"); not the 100 of "100 to 200"."""
    doc = tok.doc
    lo = hi = tok.i
    while True:
        if hi + 1 < len(doc) and suffix_after(doc[hi]) is not None and doc[hi].like_num:
            hi += 1
        elif _hyphen_joins(doc, hi, hi + 2):
            hi += 2
        elif hi + 1 < len(doc) and _joined(doc[hi], doc[hi + 1]):
            hi += 1
        elif _hyphen_joins(doc, lo - 2, lo):
            lo -= 2
        elif lo > 0 and _joined(doc[lo - 1], doc[lo]):
            lo -= 1
        else:
            break
    return list(doc[lo : hi + 1])


def _hyphen_joins(doc: Doc, left: int, right: int) -> bool:
    """ "thirty-two": number words either side of a hyphen written without spaces."""
    if left < 0 or right >= len(doc):
        return False
    dash = doc[left + 1]
    return (
        dash.text in {"-", "\u2010", "\u2011", "\u2013"}
        and not doc[left].whitespace_
        and not dash.whitespace_
        and is_numberish(doc[left].text)
        and is_numberish(doc[right].text)
    )


def _joined(a: Token, b: Token) -> bool:
    """Two neighbouring words of one number: one hangs on the other as a number part."""
    numberish = all(t.like_num or t.lower_ in SCALES or is_numberish(t.text) for t in (a, b))
    if not numberish:
        return False
    return (a.head.i == b.i and a.dep_ in _NUMBER_DEPS) or (
        b.head.i == a.i and b.dep_ in _NUMBER_DEPS
    )


def suffix_after(tok: Token) -> Token | None:
    """The letters written onto a number and split off by the tokenizer ("12K" → "K")."""
    doc = tok.doc
    if tok.whitespace_ or tok.i + 1 >= len(doc) or not doc[tok.i + 1].is_alpha:
        return None
    return doc[tok.i + 1]


def glued_to_letters(tok: Token) -> bool:
    """ "2G phones", "3D printers": a number written into a name, not a count. A scale
    suffix ("12K") is still a number; so "4K video" reads as 4,000."""
    after = suffix_after(tok)
    return after is not None and after.lower_ not in SUFFIXES


def read_amount(
    doc_span: Span, kind: AmountKind = "count", skip: Container[int] = ()
) -> tuple[Amount, Span] | None:
    """The longest phrase around ``doc_span`` (up to five words before it and after it,
    within its sentence) that :func:`claimledger.nlp.amounts.parse_amount` reads as a
    figure of ``kind``: "between 10,000 and 12,000", "several thousand", "nearly half".
    A range after a word of change ("rose from 100 to 200") is not an interval."""
    doc = doc_span.doc
    sent = doc_span.sent
    best: tuple[Amount, Span] | None = None
    for start in range(max(sent.start, doc_span.start - 5), doc_span.start + 1):
        for end in range(min(sent.end, doc_span.end + 5), doc_span.end - 1, -1):
            if best is not None and end - start <= len(best[1]):
                break
            if doc[end - 1].lower_ == "of" or any(i in skip for i in range(start, end)):
                continue
            try:
                amount = parse_amount(doc[start:end].text)
            except AmountError:
                continue
            if amount.kind != kind:
                continue
            if amount.bound == "range" and _after_change(doc, start):
                continue
            best = (amount, doc[start:end])
    return best


def _after_change(doc: Doc, start: int) -> bool:
    """ "rose (from) 100 to 200", "up from 100 to 200": the words before say it changed."""
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if before and before[-1] == "from":
        before.pop()
    return bool(before) and before[-1] in CHANGE_WORDS
