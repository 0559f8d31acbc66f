"""The terminal report: times and sources as every view shows them, and article text
printed as text, never as the terminal's escape sequences or bidi overrides (rich's
``Text`` passes both through)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from rich.console import Console

from claimledger.ledger.reads import ClaimRow, ClaimSummary, FigureGroup, FigureRow, RelationRow
from claimledger.records import (
    Analysis,
    Attribution,
    Claim,
    Content,
    Cue,
    Document,
    Quantity,
    Source,
    Subject,
    TimeRef,
    Via,
)
from claimledger.render.report import (
    figure_blocks,
    format_source,
    format_time,
    relation_blocks,
    render_analysis,
    source_name,
)
from claimledger.render.tables import claims_table

ESCAPE = "\x1b[31m"
RIGHT_TO_LEFT = "\u202e"


def hostile(words: str) -> str:
    return f"{words}{ESCAPE} and{RIGHT_TO_LEFT} more"


QUANTITY = Quantity(low=4000, high=4000, approx=False, text=hostile("4,000"), spans=(), value=4000)
ATTRIBUTION = Attribution(
    id="a1",
    style="indirect",
    source=Source(
        text=hostile("the General Staff"),
        spans=(),
        entity=None,
        entity_id=None,
        kind="organization",
        role=hostile("spokesman"),
    ),
    cue=Cue(text=hostile("said"), spans=(), lemma="say", kind="say"),
    content=Content(text=hostile("4,000 soldiers were killed"), spans=()),
)
CLAIM = Claim(
    id="c1",
    attribution="a1",
    subject=Subject(text=hostile("soldiers"), key=hostile("soldiers"), spans=()),
    measure="killed",
    measure_text="killed",
    quantity=QUANTITY,
    polarity="positive",
    time=None,
    certainty="asserted",
    spans=(),
)
ANALYSIS = Analysis(
    document=Document(id="d1", text="", path=hostile("article.txt")),
    attributions=(ATTRIBUTION,),
    claims=(CLAIM,),
)


def _shown(*renderables: object) -> str:
    out = io.StringIO()
    console = Console(file=out, width=300, color_system=None, highlight=False)
    for renderable in renderables:
        console.print(renderable)
    return out.getvalue()


def test_an_analysis_prints_no_escape_sequence_or_bidi_override() -> None:
    out = io.StringIO()
    render_analysis(ANALYSIS, Console(file=out, width=300, color_system=None, highlight=False))
    shown = out.getvalue()
    assert ESCAPE not in shown and "\x1b" not in shown and RIGHT_TO_LEFT not in shown
    assert "the General Staff\ufffd[31m and\ufffd more" in shown  # shown, made harmless
    assert "soldiers were killed" in shown


def test_the_claims_table_prints_no_escape_sequence_or_bidi_override() -> None:
    row = ClaimRow(
        claim=CLAIM,
        document="d1",
        source=hostile("the General Staff"),
        outlet=hostile("Kyiv Post"),
        published=dt.date(2025, 2, 1),
        url=None,
        title=None,
        statement=None,
        roots=(),
        source_kind="organization",
    )
    shown = _shown(claims_table([row]))
    assert "\x1b" not in shown and RIGHT_TO_LEFT not in shown
    assert "Kyiv Post\ufffd[31m" in shown


def test_figures_and_relations_print_no_escape_sequence_or_bidi_override() -> None:
    day = dt.date(2025, 1, 28)
    side = ClaimSummary(
        ref="d1/c1", document="d1", claim="c1", subject=hostile("soldiers"), measure="killed",
        quantity=replace(QUANTITY, unit="fraction"), certainty="asserted", statement=None,
        source=hostile("the General Staff"), root=None, start=day, end=day, dated_by=None,
        scope=None, outlet=None, published=None, url=None,
        figure=FigureGroup(independent=1, roots=()),
    )  # fmt: skip
    relation = RelationRow(
        kind="conflicts", subject=hostile("soldiers"), reason="r", a=side, b=side
    )
    figure = FigureRow(
        id=1, subject=hostile("soldiers"), measure="killed", independent=1, roots=(), size=1,
        claims=(side,),
    )  # fmt: skip
    shown = _shown(*relation_blocks([relation]), *figure_blocks([figure]))
    assert "\x1b" not in shown and RIGHT_TO_LEFT not in shown
    assert "4,000\ufffd[31m and\ufffd more (of an unknown total)" in shown


def day(month: int, number: int) -> dt.date:
    return dt.date(2025, month, number)


WEEK = TimeRef("last week", (), "2025-W04", day(1, 20), day(1, 26), "week", True)
TIMES = [
    (None, "—", "—"),
    (TimeRef("on January 19", (), "2025-01-19", day(1, 19), day(1, 19), "day", True),
     "2025-01-19", "2025-01-19"),
    (WEEK, "2025-W04 (2025-01-20…2025-01-26)", "2025-W04"),
    (replace(WEEK, inherited=True), "2025-W04 (2025-01-20…2025-01-26) (same statement)",
     "2025-W04"),
    (TimeRef("for three weeks", (), "2025-01-11/2025-01-31", day(1, 11), day(1, 31), "day", True),
     "2025-01-11…2025-01-31", "2025-01-11…2025-01-31"),
    (TimeRef("since January 5", (), "2025-01-05", day(1, 5), day(1, 31), "day", True),
     "2025-01-05…2025-01-31", "2025-01-05…2025-01-31"),
    (TimeRef("in the first quarter", (), "2025-01/2025-03", day(1, 1), day(3, 31), "month", True),
     "2025-01/2025-03", "2025-01/2025-03"),
    (TimeRef("on January 31", (), "--01-31", None, None, "day", False),
     "--01-31 (year unknown)", "--01-31"),
    (TimeRef("recently", (), None, None, None, None, False), "recently", "—"),
]  # fmt: skip


@pytest.mark.parametrize(("time", "shown", "in_a_column"), TIMES)
def test_a_time_reads_as_its_value_its_days_and_its_notes(
    time: TimeRef | None, shown: str, in_a_column: str
) -> None:
    assert format_time(time) == shown
    assert format_time(time, short=True, notes=False) == in_a_column


SOURCE = Source(text="He", spans=(), entity="Zelensky", entity_id="E1", kind="person")


@pytest.mark.parametrize(
    ("source", "whole", "without_the_name"),
    [
        (None, "(unattributed)", ""),
        (SOURCE, "Zelensky", ""),
        (replace(SOURCE, entity=None, text="officials"), "officials", ""),
        (replace(SOURCE, resolved_from="He"), "Zelensky ← “He”", "← “He”"),
        (replace(SOURCE, role="President", affiliation="Ukraine"),
         "Zelensky (President, Ukraine)", "(President, Ukraine)"),
        (replace(SOURCE, resolved_from="He", role="President"),
         "Zelensky ← “He” (President)", "← “He” (President)"),
    ],
)  # fmt: skip
def test_a_source_reads_as_its_name_the_words_it_was_resolved_from_and_its_role(
    source: Source | None, whole: str, without_the_name: str
) -> None:
    assert format_source(source) == whole
    assert format_source(source, name=False) == without_the_name


def test_an_intermediary_is_named_by_its_entity_else_its_words() -> None:
    via = Via(text="the agency", spans=(), entity=None, entity_id=None, kind="organization")
    assert source_name(via) == "the agency"
    assert source_name(replace(via, entity="Reuters")) == "Reuters"
    assert source_name(None) == "(unattributed)"
