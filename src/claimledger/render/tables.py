"""The ledger's tables for the terminal (rich): the claims the ``claims`` command lists, and
the sources the ``sources`` command lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text

from claimledger.ledger.reads import ClaimRow, SourceRow
from claimledger.render.report import format_measure, format_quantity, printable, safe_text


def claims_table(rows: Sequence[ClaimRow]) -> Table:
    """One line a claim: when, subject, measure, figure, where, source, outlet and its
    reference (document/claim)."""
    table = Table(title=f"{len(rows)} claim(s)", title_justify="left")
    for column in ("when", "subject", "measure", "figure", "where", "source", "outlet", "document"):
        table.add_column(column)
    for row in rows:
        c = row.claim
        published = row.published.isoformat() if row.published else None
        when = (c.time.value if c.time else None) or published or "—"
        table.add_row(
            *(
                safe_text(cell)
                for cell in (
                    when,
                    c.subject.text,
                    format_measure(c),
                    format_quantity(c.quantity),
                    (c.place.text if c.place else None) or "—",
                    row.source or "—",
                    row.outlet or "—",
                    f"{row.document}/{c.id}",
                )
            )
        )
    return table


def sources_table(rows: Iterable[SourceRow], *, title: str) -> Table:
    """Sources and intermediaries: what they said, what they carried, for whom."""
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("source", "kind", "figures", "said", "carried", "docs", "relayed for"):
        table.add_column(column, no_wrap=column in {"kind", "figures", "said", "carried", "docs"})
    for s in rows:
        name = safe_text(s.name, "bold")
        if s.aliases:
            name.append("\nalso: " + printable(", ".join(s.aliases)), style="dim")
        if s.roles:
            name.append("\n" + printable(", ".join(s.roles)), style="dim")
        table.add_row(
            name,
            Text(s.kind),
            Text(str(s.claims)),
            Text(str(s.statements)),
            Text(str(s.carried)),
            Text(str(s.documents)),
            Text(printable(", ".join(s.relayed)) or "—"),
        )
    return table
