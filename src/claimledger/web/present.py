"""How ledger rows read on a page: times, sources, via chains, figures, document names.
Plain functions over the records (claimledger.records, claimledger.ledger.reads); the
templates call them as filters."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from claimledger.ledger.reads import LedgerDocument
from claimledger.records import Attribution, Document, Quantity, Source, TimeRef, Via
from claimledger.render.report import format_quantity


def format_timeref(time: TimeRef | None) -> str:
    """A TimeRef as a reader wants it: "2025-01-19", "2025-W04 (2025-01-20…2025-01-26)"."""
    if time is None:
        return "—"
    value, start, end = time.value, time.start, time.end
    if value is None:
        return str(time.text or "?")
    if time.granularity == "week" and start and end:
        return f"{value} ({start}…{end})"
    if start and end and start != end and "/" in value:
        return f"{start}…{end}"
    return value


def format_period(start: dt.date | None, end: dt.date | None) -> str:
    if not start:
        return "undated"
    return start.isoformat() if start == end or not end else f"{start}…{end}"


def figure(quantity: Quantity) -> str:
    """ "≈6,000 (approximately half of 12,000)"."""
    return format_quantity(quantity)


def measure_words(measure: str) -> str:
    return measure.replace("_", " ")


def source_name(part: Source | Via | None) -> str:
    """A source or intermediary by its resolved entity, else its words."""
    if part is None:
        return "(unattributed)"
    return part.entity or part.text or "(unattributed)"


def source_detail(source: Source | None) -> str:
    """Role and affiliation, and the words it was resolved from ("He")."""
    if source is None:
        return ""
    detail = ", ".join(p for p in (source.role, source.affiliation) if p)
    if source.resolved_from:
        detail = f"← “{source.resolved_from}”" + (f" · {detail}" if detail else "")
    return detail


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
    "timeref": format_timeref,
    "figure": figure,
    "measure_words": measure_words,
    "source_name": source_name,
    "source_detail": source_detail,
    "document_name": document_name,
}
GLOBALS = {"chain": chain, "group_url": group_url, "plural": plural, "period": format_period}
