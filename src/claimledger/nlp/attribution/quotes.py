"""Quoted stretches of a text: which marks open and close a quote, and where each quote
runs.

The marks are typography, not vocabulary, and the pairing below depends on which of them
can close as well as open ("“" does both in some styles), so they stay in code.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

OPEN_QUOTES = {"“", "«", "„"}
CLOSE_QUOTES = {"”", "»", "“"}
# The same mark opens and closes: straight quotes, and two apostrophes as some wires write them.
AMBIGUOUS_QUOTES = {'"', "''"}


def quote_spans(doc: Doc) -> list[Span]:
    """Double-quoted stretches, quote marks included. Single quotes are left alone because
    the same characters are apostrophes ("soldiers’")."""
    spans: list[Span] = []
    open_at: int | None = None
    for tok in doc:
        text = tok.text
        if tok.is_space and "\n" in text:
            # A quote still open at a paragraph's end runs to that end (news style reopens
            # it in the next paragraph); it never pairs with a mark paragraphs away.
            if open_at is not None and tok.i - 1 > open_at:
                spans.append(doc[open_at : tok.i])
            open_at = None
            continue
        if text in AMBIGUOUS_QUOTES:
            if open_at is None:
                open_at = tok.i
            else:
                spans.append(doc[open_at : tok.i + 1])
                open_at = None
        elif text in OPEN_QUOTES and (open_at is None or text != "“"):
            if open_at is None:
                open_at = tok.i
        elif text in CLOSE_QUOTES and open_at is not None:
            spans.append(doc[open_at : tok.i + 1])
            open_at = None
    return spans


def is_quote(tok: Token) -> bool:
    return tok.text in OPEN_QUOTES or tok.text in CLOSE_QUOTES or tok.text in AMBIGUOUS_QUOTES


# The lookups below take ``quotes`` as :func:`quote_spans` gives them: in order and not
# overlapping, so that a bisect finds what a scan from either end would.


def quote_containing(quotes: list[Span], start: int, end: int) -> Span | None:
    if end <= start:  # an empty stretch: the first quote around it, as a scan finds it
        return next((q for q in quotes if q.start <= start and end <= q.end), None)
    at = bisect_right(quotes, start, key=lambda q: q.start) - 1
    if at >= 0 and end <= quotes[at].end:
        return quotes[at]
    return None


def quote_ending_by(quotes: list[Span], index: int) -> Span | None:
    """The last quote that ends at or before token ``index``."""
    at = bisect_right(quotes, index, key=lambda q: q.end)
    return quotes[at - 1] if at else None


def quote_starting_after(quotes: list[Span], index: int) -> Span | None:
    """The first quote that starts after token ``index``."""
    at = bisect_right(quotes, index, key=lambda q: q.start)
    return quotes[at] if at < len(quotes) else None
