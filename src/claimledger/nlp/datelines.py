"""The ``claimledger_datelines`` spaCy component: sentence starts and page furniture, set
before the parser runs (it keeps boundaries set earlier). A sentence starts at each
paragraph, after a wire dateline, after a full stop written with no space before the next
sentence ("missing.Russia"), at a line break after a line that ends without punctuation
(a headline above its first sentence), and around page furniture (a stored page's date
marker, bylines, comment counters, update stamps, image links), which the span group
:data:`FURNITURE_KEY` marks so that no figure or time is read from it. The text is never
changed: every span points into the text as given."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, Final

import numpy
from spacy.attrs import SENT_START
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimledger.lexicon import sequence, words

FURNITURE_KEY: Final = "claimledger_furniture"
"""Key of ``doc.spans`` holding the page furniture the ``claimledger_datelines`` component
found: the figure and time finders skip its tokens."""

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

# Any other line break: a headline, a bullet or a caption above the next line. It ends a
# sentence unless the line runs on (see _runs_on).
LINE_BREAK = re.compile(r"[ \t]*\n\s*")

# What a line's first word looks like when it opens a sentence: a capital, a figure, an
# opening quote or bracket, a bullet.
_OPENS = re.compile(r"[A-Z0-9\"“‘'(\[\-–—•*]")
# A line so far that ends a sentence: furniture after it starts a new one.
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_SENTENCE_ENDS = re.compile(r"[.!?:;…][\"”’)\]]*$")

# Tags of a word a sentence cannot end with: "the", "of", "and", "to", "their", "'s", "can".
_RUNS_ON_TAGS: Final = frozenset({"DT", "IN", "CC", "TO", "PRP$", "POS", "MD", "WDT", "WP$"})
_RUNS_ON_PUNCT: Final = frozenset({",", ";", "-", "–", "—", "/", "&", "("})

_FULL_STOPS: Final = frozenset({".", "!", "?"})
_QUOTES: Final = frozenset({'"', "“", "”", "'", "‘", "’"})


@cache
def furniture_patterns() -> tuple[re.Pattern[str], ...]:
    """The furniture patterns of ``data/lexicon/furniture.toml``, compiled per line."""
    return tuple(re.compile(p, re.MULTILINE) for p in sequence("furniture.patterns"))


def find_furniture(text: str) -> Iterator[tuple[int, int]]:
    """Character ranges of page furniture in ``text``, in order, overlaps merged."""
    found = sorted(
        (m.start(), m.end())
        for pattern in furniture_patterns()
        for m in pattern.finditer(text)
        if m.end() > m.start()
    )
    merged: list[list[int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in merged:
        # trimmed to its visible characters
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            yield start, end


def _start_at(doc: Doc, char: int, starts: dict[int, bool]) -> None:
    """Start a sentence at the first word that begins at or after ``char``."""
    index = bisect_left(doc, char, key=lambda token: token.idx)
    while index < len(doc) and doc[index].is_space:
        index += 1
    if 0 < index < len(doc):
        starts[index] = True


# spaCy's -1 (not a sentence start) in to_array's unsigned column
_NOT_A_START: Final = numpy.uint64(2**64 - 1)


@cache
def block_tags() -> frozenset[str]:
    """The HTML tags that end a block of text (``furniture.block_tags``)."""
    return words("furniture.block_tags")


def _inline(text: str, start: int, end: int) -> bool:
    """Whether furniture at ``text[start:end]`` sits inside a running sentence: words of
    the line before it, not ending a sentence, and words after it ("10 <b>drones</b>",
    "said (https://example.org/a) that")."""
    tag = _TAG_NAME.match(text, start)
    if tag is not None and tag.group(1).lower() in block_tags():
        return False  # "...</p> <p>...": a block ends
    before = text[:start].rsplit("\n", 1)[-1].rstrip()
    after = text[end:].split("\n", 1)[0].strip()
    return bool(before) and bool(after) and not _SENTENCE_ENDS.search(before)


def _runs_on(last: Token) -> bool:
    """Whether a line ending in ``last`` goes on on the next line (a wrapped sentence)."""
    return last.text in _RUNS_ON_PUNCT or last.tag_ in _RUNS_ON_TAGS


def _glued_sentence_start(doc: Doc, stop: Token) -> Token | None:
    """The first token of a sentence written with no space after the full stop ``stop``:
    "missing.Russia", 'the channel TSN."In', "soldiers.According"; None when ``stop``
    ends no sentence (an initial, an abbreviation, a decimal)."""
    if stop.text not in _FULL_STOPS or stop.whitespace_ or stop.i == 0:
        return None
    before = doc[stop.i - 1]
    if before.whitespace_ or not (before.is_alpha or before.like_num or before.text in ")]"):
        return None
    if before.is_alpha and len(before) == 1:
        return None  # "J.R. Smith"
    index = stop.i + 1
    if index < len(doc) and doc[index].text in _QUOTES and not doc[index].whitespace_:
        nxt = doc[index + 1] if index + 1 < len(doc) else None
        if nxt is None or not nxt.text[:1].isupper():
            return None
        return doc[index]  # the opening quote of the next sentence
    if index < len(doc) and doc[index].text[:1].isupper():
        return doc[index]
    return None


def mark_datelines(doc: Doc) -> Doc:
    """Start a new sentence at each paragraph, after each paragraph's wire dateline, after
    glued full stops and unpunctuated line ends, and around page furniture, which goes into
    ``doc.spans[FURNITURE_KEY]``."""
    text = doc.text
    starts: dict[int, bool] = {}  # token index: is_sent_start, written once at the end
    for match in PARAGRAPH_END.finditer(text):
        _start_at(doc, match.end(), starts)
    for match in LINE_BREAK.finditer(text):
        after = match.end()
        if after >= len(text) or not _OPENS.match(text[after]) or match.start() == 0:
            continue
        ending = doc.char_span(match.start() - 1, match.start(), alignment_mode="expand")
        if ending is None or not len(ending) or _runs_on(ending[-1]):
            continue
        _start_at(doc, after, starts)
    for token in doc:
        first = _glued_sentence_start(doc, token)
        if first is not None:
            starts[first.i] = True
    furniture: list[Span] = []
    for start, end in find_furniture(text):
        # only whole tokens: a word the tokenizer ran into the furniture stays text
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None or not len(span):
            continue
        furniture.append(span)
        for token in span[1:]:
            starts[token.i] = False
        if _inline(text, start, end):
            # "10 <b>drones</b> were destroyed": the sentence goes on through it
            for token in doc[span.start : span.end + 1]:
                starts[token.i] = False
            continue
        if span.start > 0:
            starts[span[0].i] = True
        _start_at(doc, span.end_char, starts)
    doc.spans[FURNITURE_KEY] = furniture
    for match in DATELINE.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or span.end >= len(doc):
            continue
        starts[span.end] = True
        for token in span[1:]:
            starts[token.i] = False
    _set_sent_starts(doc, starts)
    return doc


def _set_sent_starts(doc: Doc, starts: dict[int, bool]) -> None:
    """``doc[i].is_sent_start = value`` for each entry, in one pass: spaCy's setter checks
    the whole Doc for a parse on every call, which is quadratic in the article's length."""
    if not starts:
        return
    if doc.has_annotation("DEP"):
        raise ValueError(Errors.E043)  # what the setter raises on a parsed Doc
    column: Any = doc.to_array(SENT_START)  # one unsigned value per token
    for index, value in starts.items():
        column[index] = 1 if value else _NOT_A_START
    doc.from_array([SENT_START], column)


def furniture_tokens(doc: Doc) -> set[int]:
    """Indices of the tokens in the Doc's page furniture (none when the component did not
    run)."""
    if FURNITURE_KEY not in doc.spans:
        return set()
    return {i for span in doc.spans[FURNITURE_KEY] for i in range(span.start, span.end)}


@Language.factory("claimledger_datelines")
def make_datelines_component(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory: ``nlp.add_pipe("claimledger_datelines", before="parser")``."""
    return mark_datelines
