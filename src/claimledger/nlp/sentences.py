"""One sentence index per parsed Doc, so that ``Token.sent`` costs a bisect: spaCy's own
``Token.sent`` checks the whole Doc for sentence annotation on every call, which makes
analysis quadratic in the article's length. The hook returns the very span spaCy would:
from the nearest sentence start at or before the token to the next one after it."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token


class _SentenceOf:
    """``Token.sent`` by bisect over the Doc's sentence starts, taken once."""

    def __init__(self, doc: Doc) -> None:
        self.starts = [0, *(t.i for t in doc[1:] if t.is_sent_start)]
        self.length = len(doc)

    def __call__(self, token: Token) -> Span:
        at = bisect_right(self.starts, token.i)
        end = self.starts[at] if at < len(self.starts) else self.length
        return token.doc[self.starts[at - 1] : end]


def index_sentences(doc: Doc) -> None:
    """Install the index on a Doc whose sentence boundaries are final (after the parser;
    nothing later in the pipeline moves them). A Doc without sentence annotation keeps
    spaCy's own lookup, and its error."""
    if len(doc) > 1 and doc.has_annotation("SENT_START") and "sent" not in doc.user_token_hooks:
        doc.user_token_hooks["sent"] = _SentenceOf(doc)
