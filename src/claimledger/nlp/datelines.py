"""The ``claimledger_datelines`` spaCy component: sentence starts at paragraph breaks and
after wire datelines, set before the parser runs (it keeps boundaries set earlier)."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

# A wire dateline at the start of a paragraph: "KYIV (Reuters) - ", "SEOUL, South Korea
# (AP) — ", "MOSCOW - ". Without a sentence break after it, the parser reads
# "KYIV (Wire) - Ukraine's military said" as one subject and the city joins the source.
DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z'.\-]+(?:[ ][A-Z][A-Z'.\-]+){0,3}"
    r"(?:,[ ][A-Z][A-Za-z.\-]+(?:[ ][A-Z][A-Za-z.\-]+){0,2})?"
    r"(?:[ ]\([^()\n]{1,40}\))?[ ]*(?:-{1,2}|–|—)[ ]+(?=\S)",
    re.MULTILINE,
)


# A paragraph ends at a blank line, or at a line break after sentence-final punctuation;
# the parser sometimes runs a dateline paragraph ("Seoul, March 5.") into the next one.
PARAGRAPH_END = re.compile(r"(?:\n[ \t]*\n|(?<=[.!?:\"”])[ \t]*\n)\s*")


def mark_datelines(doc: Doc) -> Doc:
    """Start a new sentence at each paragraph and after each paragraph's wire dateline."""
    for match in PARAGRAPH_END.finditer(doc.text):
        first = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if first is not None and len(first) and first.start > 0:
            doc[first.start].is_sent_start = True
    for match in DATELINE.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or span.end >= len(doc):
            continue
        doc[span.end].is_sent_start = True
        for token in span[1:]:
            token.is_sent_start = False
    return doc


@Language.factory("claimledger_datelines")
def make_datelines_component(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory: ``nlp.add_pipe("claimledger_datelines", before="parser")``."""
    return mark_datelines
