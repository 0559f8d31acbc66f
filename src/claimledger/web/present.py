"""How ledger rows read on a page: times, sources, via chains, figures, document names.
Plain functions over the JSON forms (docs/schema.md); the templates call them as filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from claimledger.report import format_claim_figure


def format_timeref(time: dict[str, Any] | None) -> str:
    """A TimeRef as a reader wants it: "2025-01-19", "2025-W04 (2025-01-20…2025-01-26)"."""
    if not time:
        return "—"
    value, start, end = time.get("value"), time.get("start"), time.get("end")
    if value is None:
        return str(time.get("text") or "?")
    if time.get("granularity") == "week" and start and end:
        return f"{value} ({start}…{end})"
    if start and end and start != end and "/" in str(value):
        return f"{start}…{end}"
    return str(value)


def format_period(start: str | None, end: str | None) -> str:
    if not start:
        return "undated"
    return start if start == end or not end else f"{start}…{end}"


def figure(quantity: dict[str, Any]) -> str:
    """ "≈6,000 (approximately half of 12,000)"."""
    return format_claim_figure(quantity)


def measure_words(measure: str) -> str:
    return measure.replace("_", " ")


def source_name(part: dict[str, Any] | None) -> str:
    """A source or intermediary by its resolved entity, else its words."""
    if not part:
        return "(unattributed)"
    return str(part.get("entity") or part.get("text") or "(unattributed)")


def source_detail(source: dict[str, Any] | None) -> str:
    """Role and affiliation, and the words it was resolved from ("He")."""
    if not source:
        return ""
    parts = [p for p in (source.get("role"), source.get("affiliation")) if p]
    detail = ", ".join(parts)
    if source.get("resolved_from"):
        detail = f"← “{source['resolved_from']}”" + (f" · {detail}" if detail else "")
    return detail


def chain(attribution: dict[str, Any]) -> list[str]:
    """Root first: the source, then each intermediary inward to outward (``via`` lists the
    outermost first)."""
    names = [source_name(attribution.get("source"))]
    names.extend(source_name(step) for step in reversed(attribution.get("via") or []))
    return names


def document_name(document: dict[str, Any]) -> str:
    """A document's title, else its file name, else its id."""
    if document.get("title"):
        return str(document["title"])
    path = document.get("path")
    if path:
        return str(path).replace("\\", "/").rsplit("/", 1)[-1]
    return str(document.get("id") or "untitled")


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
