"""Human-readable rendering of analyses: rich tables for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from claimledger.records import Analysis, Attribution, Claim, Quantity, Source, TimeRef

FRACTION_WORDS = {0.5: "half", 1 / 3: "one-third", 2 / 3: "two-thirds", 0.25: "a quarter",
                  0.75: "three-quarters"}


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_quantity(q: Quantity) -> str:
    """ "≈12,000", "4,000 (one-third of 12,000)", "≈3 weeks", "more than 500"."""
    mark = "≈" if q.approx else ""
    if q.high is None:
        core = f"more than {format_number(q.low)}"
    elif q.low == 0 and q.high > 0 and q.unit != "fraction" and q.text.lower().startswith("up"):
        core = f"up to {format_number(q.high)}"
    elif q.low == q.high:
        core = f"{mark}{format_number(q.low)}"
    else:
        core = f"{mark}{format_number(q.low)}–{format_number(q.high)}"
    if q.unit == "fraction":
        return f"{q.text} (of an unknown total)"
    if q.unit not in {"count", "fraction"}:
        core += f" {q.unit}{'s' if q.low != 1 else ''}"
    if q.fraction is not None and q.base is not None:
        core += f" ({q.text} of {format_number(q.base.value)})"
    return core


def format_time(t: TimeRef | None) -> str:
    if t is None:
        return "—"
    if t.value is None:
        shown = t.text or "?"
    elif t.granularity == "week" and t.start and t.end:
        shown = f"{t.value} ({t.start.isoformat()}…{t.end.isoformat()})"
    elif t.granularity == "day" and t.start and t.end and t.start != t.end:
        shown = f"{t.start.isoformat()}…{t.end.isoformat()}"
    else:
        shown = t.value
    if not t.year_known and t.value and t.value.startswith("--"):
        shown += " (year unknown)"
    if t.inherited:
        shown += " (same statement)"
    return shown


def format_source(source: Source | None) -> str:
    if source is None:
        return "(unattributed)"
    name = source.entity or source.text
    if source.resolved_from:
        name = f"{name} ← “{source.resolved_from}”"
    details = ", ".join(x for x in (source.role, source.affiliation) if x)
    return f"{name} ({details})" if details else name


def _via(a: Attribution) -> str:
    return " → ".join(v.entity or v.text for v in a.via) or ""


def _excerpt(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def attribution_table(analysis: Analysis) -> Table:
    table = Table(title="Attributions", show_lines=True, expand=True)
    for col, style in (("#", "dim"), ("source", "bold cyan"), ("via", "magenta"), ("cue", "yellow"),
                       ("style", ""), ("stated", "green"), ("certainty", ""), ("content", "")):
        table.add_column(col, style=style, overflow="fold")
    for a in analysis.attributions:
        table.add_row(
            a.id, Text(format_source(a.source)), Text(_via(a)), Text(a.cue.text), a.style,
            format_time(a.stated), a.certainty, Text(_excerpt(a.content.text)),
        )
    return table


def claim_table(analysis: Analysis) -> Table:
    by_id = {a.id: a for a in analysis.attributions}
    table = Table(title="Claims", show_lines=False, expand=True)
    for col, style in (("#", "dim"), ("subject", "bold"), ("measure", "yellow"),
                       ("figure", "bold green"), ("source", "cyan"), ("via", "magenta"),
                       ("as of", "green"), ("certainty", "")):
        table.add_column(col, style=style, overflow="fold")
    for c in analysis.claims:
        a = by_id.get(c.attribution or "")
        table.add_row(
            c.id, Text(c.subject.text), _measure(c), Text(format_quantity(c.quantity)),
            Text(format_source(a.source) if a else "—"), Text(_via(a) if a else ""),
            format_time(c.time), c.certainty,
        )
    return table


def _measure(c: Claim) -> str:
    return f"not {c.measure}" if c.polarity == "negative" else c.measure


def render_analysis(analysis: Analysis, console: Console) -> None:
    doc = analysis.document
    published = doc.published.isoformat() if doc.published else "unknown (no year is assumed)"
    console.print(
        f"[bold]{doc.path or doc.title or doc.id}[/bold]  id {doc.id}  published {published}"
        f"  {len(analysis.attributions)} attributions, {len(analysis.claims)} claims,"
        f" {len(analysis.entities)} entities",
        markup=True,
        highlight=False,
    )
    console.print(attribution_table(analysis))
    console.print(claim_table(analysis))
