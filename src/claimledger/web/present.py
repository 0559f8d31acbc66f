"""How ledger rows read on a page: via chains, periods, document names, links; times,
sources and figures as the terminal shows them (claimledger.render.report), with derived
counts of people rounded to whole ones. Plain functions over the records
(claimledger.records, claimledger.ledger.reads); the templates call them as filters."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import partial
from urllib.parse import urlencode, urlsplit

from claimledger.ledger.reads import LedgerDocument
from claimledger.records import Attribution, Document, Quantity
from claimledger.render.report import format_quantity, format_source, format_time, source_name

OPENING_WORDS = 10


def format_period(start: dt.date | None, end: dt.date | None) -> str:
    if not start:
        return "undated"
    return start.isoformat() if start == end or not end else f"{start}…{end}"


def measure_words(measure: str) -> str:
    return measure.replace("_", " ")


def chain(attribution: Attribution) -> list[str]:
    """Root first: the source, then each intermediary inward to outward (``via`` lists the
    outermost first)."""
    names = [source_name(attribution.source)]
    names.extend(source_name(step) for step in reversed(attribution.via))
    return names


def _whole(value: float | None) -> float | None:
    return None if value is None else float(round(value))


def figure(q: Quantity) -> str:
    """The figure as the terminal writes it, except that a count derived from a fraction
    ("one-third of 11,000") is a whole number: 3,667 people, never 3,666.67."""
    if q.unit == "count" and any(
        v is not None and not float(v).is_integer() for v in (q.low, q.high, q.value)
    ):
        q = replace(q, low=float(round(q.low)), high=_whole(q.high), value=_whole(q.value))
    return format_quantity(q)


_SPACES = re.compile(r"\s+")


def opening_words(text: str, words: int = OPENING_WORDS) -> str:
    """The first ``words`` words of a text, with "…" when there are more."""
    found = _SPACES.sub(" ", text).strip().split(" ")
    shown = " ".join(found[:words])
    return shown + ("…" if len(found) > words else "")


def document_name(document: LedgerDocument | Document, opening: str | None = None) -> str:
    """A document's title; else its outlet and date ("Reuters, 2024-12-22"); else the first
    words of its text (``opening``, or the text itself when the record has it); else its
    file name; else its id. Never "feed.jsonl:14"."""
    if document.title and document.title.strip():
        return document.title.strip()
    if document.outlet and document.published:
        return f"{document.outlet}, {document.published.isoformat()}"
    text = opening if opening is not None else getattr(document, "text", None)
    if text and text.strip():
        return opening_words(text)
    if document.outlet:
        return document.outlet
    if document.path:
        name = document.path.replace("\\", "/").rsplit("/", 1)[-1]
        return re.sub(r":(\d+)$", r", line \1", name)
    return document.id or "untitled"


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address a page may link to, else None (a
    ``javascript:`` URL from an article's metadata is never a link)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def group_url(subject_key: str, measure: str | None = None) -> str:
    query = {"subject": subject_key}
    if measure:
        query["measure"] = measure
    return "/groups?" + urlencode(query)


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


FILTERS = {
    # the pages mark "(same statement)" up as a note of their own
    "timeref": partial(format_time, notes=False),
    "figure": figure,
    "measure_words": measure_words,
    "source_name": source_name,
    # the name and the rest of a source apart: <strong>Zelensky</strong> ← “He” (President)
    "source_detail": partial(format_source, name=False),
    "document_name": document_name,
    "safe_url": safe_url,
}
GLOBALS = {"chain": chain, "group_url": group_url, "plural": plural, "period": format_period}
