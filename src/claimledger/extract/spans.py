"""spaCy spans as the records' fields: character offsets, and a time expression resolved
to a :class:`~claimledger.records.TimeRef` against a date."""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Span

from claimledger.nlp.time import TimeValue, resolve_time
from claimledger.records import Spans, TimeRef


def char_spans(*spans: Span | None) -> Spans:
    """The character offsets of each span given and not empty."""
    return tuple((s.start_char, s.end_char) for s in spans if s is not None and len(s))


def time_ref(
    span: Span, published: dt.date | None, *, anchor_end: dt.date | None = None
) -> TimeRef:
    value: TimeValue = resolve_time(span.text, published, anchor_end=anchor_end)
    return TimeRef(
        text=span.text,
        spans=char_spans(span),
        value=value.value,
        start=value.start,
        end=value.end,
        granularity=value.granularity,
        year_known=value.year_known,
    )
