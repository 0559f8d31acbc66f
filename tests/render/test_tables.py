"""The ledger's terminal tables: one line a claim or a source, article text printed as
text, never read as markup."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rich.console import Console

from claimledger.ledger.reads import ClaimRow, SourceRow
from claimledger.records import Claim, Place, Quantity, Subject, TimeRef
from claimledger.render.tables import claims_table, sources_table

CLAIM = Claim(
    id="c6",
    attribution="a6",
    subject=Subject(text="North Korean soldiers", key="north korean soldiers", spans=()),
    measure="killed",
    measure_text="killed",
    quantity=Quantity(
        low=3600, high=4400, approx=True, text="about 4,000", spans=(), value=4000, bound="approx"
    ),
    polarity="positive",
    time=None,
    certainty="asserted",
    spans=(),
)
ROW = ClaimRow(
    claim=CLAIM,
    document="493db561d9636d49",
    source="Volodymyr Zelensky",
    outlet="Kyiv Post",
    published=dt.date(2025, 2, 1),
    url=None,
    title=None,
    statement=None,
    roots=("Volodymyr Zelensky",),
    source_kind="person",
)


def _text(table: object, width: int = 200) -> str:
    console = Console(width=width, record=True, force_terminal=True)
    console.print(table)
    return console.export_text(styles=False)


def test_a_claim_line_has_when_what_how_many_where_who_and_its_reference() -> None:
    text = _text(claims_table([ROW]))
    assert "1 claim(s)" in text
    line = next(line for line in text.splitlines() if "2025-02-01" in line)
    cells = [cell.strip() for cell in line.strip("│ ").split("│")]
    assert cells == [
        "2025-02-01",  # undated: its publication day
        "North Korean soldiers",
        "killed",
        "≈4,000",
        "—",
        "Volodymyr Zelensky",
        "Kyiv Post",
        "493db561d9636d49/c6",
    ]


def test_a_claim_line_shows_its_time_place_and_a_denial() -> None:
    time = TimeRef("on January 28", (), "2025-01-28", None, None, "day", True)
    claim = replace(CLAIM, time=time, polarity="negative", place=Place("in Kursk", "kursk", ()))
    text = _text(claims_table([replace(ROW, claim=claim, source=None, outlet=None)]))
    line = next(line for line in text.splitlines() if "2025-01-28" in line)
    assert "not killed" in line and "in Kursk" in line and line.count("—") == 2


def test_article_text_in_a_table_is_never_read_as_markup() -> None:
    text = _text(claims_table([replace(ROW, source="[bold]Evil[/bold]")]))
    assert "[bold]Evil[/bold]" in text


def test_a_source_line_counts_what_it_said_and_carried() -> None:
    source = SourceRow(
        id="E1",
        name="Reuters",
        kind="outlet",
        aliases=("Reuters news agency",),
        roles=(),
        statements=0,
        carried=3,
        claims=0,
        documents=2,
        relayed=("Oleksandr Syrskyi",),
        merged="",
    )
    text = _text(sources_table([source], title="1 source(s)"))
    assert "also: Reuters news agency" in text
    line = next(line for line in text.splitlines() if "Reuters " in line and "outlet" in line)
    assert [cell.strip() for cell in line.strip("│ ").split("│")][1:] == [
        "outlet",
        "0",
        "0",
        "3",
        "2",
        "Oleksandr Syrskyi",
    ]
