"""Human-readable rendering for the terminal: an analysis (its attributions and claims),
and the ledger's relations and figures as blocks of text, with rich; the figure, time
and source formats the other renderers share."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from claimledger.ledger.reads import ClaimSummary, FigureRow, RelationRow
from claimledger.ledger.reconcile import RelationKind
from claimledger.records import Analysis, Attribution, Claim, Quantity, Source, TimeRef, Via

NO_WRAP = {"#", "measure", "as of", "certainty"}


def printable(text: str) -> str:
    """Article text made safe to print or embed: control and format characters (escape
    sequences, bidi overrides, characters XML forbids) become U+FFFD, whitespace one space."""
    cleaned = "".join(
        " " if ch.isspace() else "\ufffd" if unicodedata.category(ch)[0] in "CZ" else ch
        for ch in text
        if ch != "\ufeff"
    )
    return " ".join(cleaned.split())


def safe_text(text: str, style: str = "") -> Text:
    """Article text for the terminal, through :func:`printable`: rich's ``Text`` keeps
    escape sequences and bidi overrides (it drops only BEL, BS, CR, VT and FF), and never
    reads its text as markup."""
    return Text(printable(text), style=style)


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


BOUND_WORDS = {
    "approx": "≈",
    "below": "nearly ",
    "above": "more than ",
    "at_least": "at least ",
    "at_most": "at most ",
}


def format_quantity(q: Quantity) -> str:
    """ "≈12,000", "4,000 (one-third of 12,000)", "≈3 weeks", "more than 500": the figure
    as stated with its bound; the interval itself is in the JSON."""
    if q.unit == "fraction":
        return f"{printable(q.text)} (of an unknown total)"
    value = q.value if q.value is not None else q.low
    if q.bound in {"range", "vague"} and q.high is not None:
        core = f"{'≈' if q.approx else ''}{format_number(q.low)}–{format_number(q.high)}"
    else:
        core = f"{BOUND_WORDS.get(q.bound, '')}{format_number(value)}"
    if q.unit != "count":
        core += f" {q.unit}{'s' if value != 1 else ''}"
    if q.fraction is not None and q.base is not None:
        core += f" ({printable(q.text)} of {format_number(q.base.value)})"
    return core


def format_time(t: TimeRef | None, *, short: bool = False, notes: bool = True) -> str:
    """A time reference as a reader wants it: "2025-01-19", "2025-01-11…2025-01-31" (days
    from one to another), "2025-W04 (2025-01-20…2025-01-26)", "--01-31 (year unknown)",
    "2025-W04 (…) (same statement)"; "—" for none. ``short``, for a table's column: a week
    without its days, "—" for a time not resolved. ``notes=False`` leaves out the year
    unknown and same statement notes (a page marks the latter up itself)."""
    if t is None or (short and t.value is None):
        return "—"
    if t.value is None:
        shown = t.text or "?"
    elif t.granularity == "week" and t.start and t.end and not short:
        shown = f"{t.value} ({t.start.isoformat()}…{t.end.isoformat()})"
    elif t.granularity == "day" and t.start and t.end and t.start != t.end:
        shown = f"{t.start.isoformat()}…{t.end.isoformat()}"
    else:
        shown = t.value
    if notes and not t.year_known and t.value and t.value.startswith("--"):
        shown += " (year unknown)"
    if notes and t.inherited:
        shown += " (same statement)"
    return shown


UNATTRIBUTED = "(unattributed)"


def source_name(part: Source | Via | None) -> str:
    """A source or intermediary by its resolved entity, else its words."""
    if part is None:
        return UNATTRIBUTED
    return part.entity or part.text or UNATTRIBUTED


def format_source(source: Source | None, *, name: bool = True) -> str:
    """ "Zelensky ← “He” (President, Ukraine)": the source's name, the words it was
    resolved from, its role and affiliation. ``name=False``: the rest alone, for a page
    that shows the name apart ("← “He” (President, Ukraine)", "" when there is none)."""
    parts = [source_name(source)] if name else []
    if source is not None:
        if source.resolved_from:
            parts.append(f"← “{source.resolved_from}”")
        details = ", ".join(x for x in (source.role, source.affiliation) if x)
        if details:
            parts.append(f"({details})")
    return " ".join(parts)


def _via(a: Attribution) -> str:
    return " → ".join(source_name(v) for v in a.via)


def _excerpt(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def attribution_blocks(analysis: Analysis) -> list[Group]:
    """One block per attribution: who (via whom), how and when, then what was said."""
    blocks: list[Group] = []
    for a in analysis.attributions:
        head = Text()
        head.append(f"{a.id:<4}", style="dim")
        head.append_text(safe_text(format_source(a.source), "bold cyan"))
        if a.via:
            head.append("  via ", style="dim")
            head.append_text(safe_text(_via(a), "magenta"))
        how = Text()
        how.append_text(safe_text(f"“{a.cue.text}”", "yellow"))
        details = [a.style, a.certainty, f"stated {format_time(a.stated)}"]
        if a.channel is not None:
            platform = f" ({a.channel.platform})" if a.channel.platform else ""
            details.append(a.channel.kind + platform)
        how.append("  " + printable(" · ".join(details)), style="dim")
        blocks.append(
            Group(
                head,
                Padding(how, (0, 0, 0, 4), expand=False),
                Padding(safe_text(_excerpt(a.content.text, 240)), (0, 0, 0, 4), expand=False),
            )
        )
    return blocks


def claim_table(analysis: Analysis) -> Table:
    by_id = {a.id: a for a in analysis.attributions}
    table = Table(title="Claims", title_justify="left", title_style="bold underline")
    for col, style in (
        ("#", "dim"),
        ("subject", "bold"),
        ("measure", "yellow"),
        ("figure", "bold green"),
        ("source (via)", "cyan"),
        ("as of", "green"),
        ("certainty", ""),
    ):
        table.add_column(col, style=style, overflow="fold", no_wrap=col in NO_WRAP)
    for c in analysis.claims:
        a = by_id.get(c.attribution or "")
        who = "—"
        if a is not None:
            who = source_name(a.source)
            if a.via:
                who += f" ({_via(a)})"
        table.add_row(
            c.id,
            safe_text(c.subject.text),
            format_measure(c),
            Text(format_quantity(c.quantity)),
            safe_text(who),
            format_time(c.time, short=True, notes=False),
            c.certainty,
        )
    return table


def format_measure(c: Claim) -> str:
    """The measure, denied where the claim denies it: "killed", "not killed"."""
    return f"not {c.measure}" if c.polarity == "negative" else c.measure


def render_analysis(analysis: Analysis, console: Console) -> None:
    doc = analysis.document
    published = doc.published.isoformat() if doc.published else "unknown (no year is assumed)"
    header = Text()
    header.append_text(safe_text(doc.path or doc.title or doc.id, "bold"))
    header.append(
        f"\nid {doc.id} · published {published} · {len(analysis.attributions)} attributions"
        f" · {len(analysis.claims)} claims · {len(analysis.entities)} entities",
        style="dim",
    )
    console.print(header)
    console.print(Text("\nAttributions", style="bold underline"))
    for block in attribution_blocks(analysis):
        console.print(block)
    console.print()
    console.print(claim_table(analysis))


# --- the ledger's views ----------------------------------------------------------------------


def _when(claim: ClaimSummary) -> str:
    if not claim.start:
        return "undated"
    start = claim.start.isoformat()
    end = claim.end.isoformat() if claim.end else start
    shown = start if start == end else f"{start}…{end}"
    return shown + (" (published)" if claim.dated_by == "publication" else "")


def claim_line(claim: ClaimSummary, *, roots: bool = True) -> Text:
    """One side of a relation on one line: figure, measure, source, time, outlet, ref (and
    the independent roots of its figure, unless ``roots`` is False)."""
    line = Text()
    line.append(format_quantity(claim.quantity), style="bold")
    line.append(f" {claim.measure.replace('_', ' ')}")
    line.append(f" — {printable(claim.source or 'unattributed')}")
    line.append(f" · {_when(claim)}", style="dim")
    if claim.outlet:
        line.append(f" · {printable(claim.outlet)}", style="dim")
    if roots:
        count = claim.figure.independent
        line.append(f" · {count} independent root{'s' if count != 1 else ''}", style="dim")
    line.append(f" · {claim.ref}", style="dim")
    return line


# A style per kind (a mapping, not an order: lists follow reconcile.RELATION_KINDS).
KIND_STYLE: dict[RelationKind, str] = {
    "conflicts": "bold red",
    "updates": "bold yellow",
    "compatible": "cyan",
    "corroborates": "green",
}


def relation_blocks(rows: Iterable[RelationRow]) -> Iterator[Text]:
    """Each relation as a short block: its kind and subject, the earlier and the later
    claim, the reason, and how many pairs of the two figures' claims it stands for."""
    for r in rows:
        block = Text()
        block.append(r.kind.upper(), style=KIND_STYLE.get(r.kind, ""))
        block.append(f"  {printable(r.subject)}\n", style="bold")
        block.append("  ")
        block.append_text(claim_line(r.a))
        block.append("\n  ")
        block.append_text(claim_line(r.b))
        block.append("\n  why: ", style="dim")
        block.append(printable(r.reason))
        if r.pairs > 1:
            block.append(
                f"\n  (the strongest of {r.pairs} pairs of these two figures' claims)"
                if r.kind == "conflicts"
                else f"\n  (one of {r.pairs} pairs of these two figures' claims)",
                style="dim",
            )
        block.append("\n")
        yield block


def figure_blocks(rows: Iterable[FigureRow]) -> Iterator[Text]:
    """Each figure: the corroborating claims, and the independent roots behind them."""
    for f in rows:
        block = Text()
        shown = sorted({format_quantity(c.quantity) for c in f.claims})
        block.append(f"{printable(f.subject)} · {f.measure.replace('_', ' ')}: ", style="bold")
        block.append(" / ".join(shown), style="bold")
        roots = f.independent
        block.append(f"\n  {roots} independent root{'s' if roots != 1 else ''}: ")
        block.append(printable("; ".join(f.roots)))
        for c in f.claims:
            block.append("\n  · ")
            block.append_text(claim_line(c, roots=False))
        block.append("\n")
        yield block
