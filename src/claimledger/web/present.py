"""How ledger rows read on a page: via chains, periods, document names, links; times,
sources and figures as the terminal shows them (claimledger.render.report). Plain
functions over the records (claimledger.records, claimledger.ledger.reads); the templates
call them as filters."""

from __future__ import annotations

import datetime as dt
from functools import partial
from urllib.parse import urlencode

from claimledger.ledger.reads import LedgerDocument
from claimledger.records import Attribution, Document
from claimledger.render.report import format_quantity, format_source, format_time, source_name


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


def document_name(document: LedgerDocument | Document) -> str:
    """A document's title, else its file name, else its id."""
    if document.title:
        return document.title
    if document.path:
        return document.path.replace("\\", "/").rsplit("/", 1)[-1]
    return document.id or "untitled"


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
    "figure": format_quantity,
    "measure_words": measure_words,
    "source_name": source_name,
    # the name and the rest of a source apart: <strong>Zelensky</strong> ← “He” (President)
    "source_detail": partial(format_source, name=False),
    "document_name": document_name,
}
GLOBALS = {"chain": chain, "group_url": group_url, "plural": plural, "period": format_period}
