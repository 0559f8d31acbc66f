"""The timeline charts: a deterministic text chart with its legend, and SVG/PNG files that
parse, carry the title, and keep hostile source names as escaped plain text."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import matplotlib
import plotext
import pytest

from claimledger.errors import InputError
from claimledger.records import Bound, Measure
from claimledger.render.report import printable
from claimledger.render.timeline import (
    TimelinePoint,
    format_point_figure,
    render_file,
    render_svg,
    render_terminal,
)

D = dt.date
HOSTILE = "<script>alert(1)</script> $x^2$ Ministry"


def point(
    label: str = "c1",
    *,
    source: str = "Zelensky",
    start: dt.date | None = None,
    end: dt.date | None = None,
    low: float = 12_000,
    high: float | None = 12_000,
    value: float | None = 12_000,
    bound: Bound = "approx",
    measure: Measure = "deployed",
    flag: str | None = None,
    roots: int | None = None,
) -> TimelinePoint:
    start = start or D(2024, 11, 4)
    return TimelinePoint(
        label, source, start, end or start, low, high, value, bound, measure, flag, roots
    )


POINTS = [
    point("c1"),
    point(
        "493db561/c6",
        source="Pentagon",
        start=D(2024, 10, 1),
        end=D(2024, 10, 31),
        low=10_000,
        high=12_000,
        value=None,
        bound="range",
        flag="conflicts",
    ),
    point("c3", source="unattributed", low=500, high=None, value=500, bound="above",
          measure="killed", start=D(2024, 12, 10)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "figure"),
    [
        ({"low": 12_000, "high": 12_000, "value": 12_000, "bound": "approx"}, "≈12,000"),
        ({"low": 500, "high": None, "value": 500, "bound": "above"}, "more than 500"),
        ({"low": 200, "high": None, "value": 200, "bound": "at_least"}, "at least 200"),
        ({"low": 10_000, "high": 12_000, "value": None, "bound": "range"}, "10,000–12,000"),
        ({"low": 3_000, "high": 3_000, "value": 3_000, "bound": "exact"}, "3,000"),
        ({"low": 3_000, "high": 3_000, "value": 3_000, "bound": "bogus"}, "3,000"),
    ],
)
def test_figures_read_as_in_the_claim_table(kwargs: dict[str, object], figure: str) -> None:
    assert format_point_figure(point(**kwargs)) == figure  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Zelensky", "Zelensky"),
        ("\x1b[31mred\x1b[0m", "\ufffd[31mred\ufffd[0m"),
        ("Kyiv\u202eevil", "Kyiv\ufffdevil"),
        ("two\n  lines", "two lines"),
    ],
)
def test_article_text_is_made_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_terminal_chart_has_title_key_and_a_legend_row_per_point() -> None:
    out = render_terminal(POINTS, title="North Korean soldiers")
    lines = out.splitlines()
    assert "North Korean soldiers" in lines[0]
    assert "\x1b" not in out
    assert any(line.startswith("key: ● deployed   ■ killed") for line in lines)
    rows = lines[lines.index(next(x for x in lines if x.startswith("claim "))) + 1 :]
    # Sorted by date; each row: label, date or period, measure, figure, source, flag.
    assert rows[0].split() == [
        "493db561/c6", "2024-10-01…2024-10-31", "deployed", "10,000–12,000", "Pentagon",
        "[conflicts]",
    ]  # fmt: skip
    assert rows[1].split() == ["c1", "2024-11-04", "deployed", "≈12,000", "Zelensky"]
    assert rows[2].split() == ["c3", "2024-12-10", "killed", "more", "than", "500", "unattributed"]
    assert "493db561/c6!" in out  # the flagged point's chart label
    assert "↑" in out  # the open-ended figure's arrow
    assert render_terminal(POINTS, title="North Korean soldiers") == out  # deterministic


def test_terminal_chart_respects_width_and_color_switch() -> None:
    plain = render_terminal(POINTS, title="t", width=70, height=18)
    assert max(len(line) for line in plain.splitlines()[:18]) <= 70
    coloured = render_terminal(POINTS, title="t", color=True)
    assert "\x1b[" in coloured


def test_terminal_chart_shows_no_escape_codes_from_article_text() -> None:
    out = render_terminal([point(source="\x1b]0;pwned\x07Ministry")], title="t")
    assert "\x1b" not in out and "\x07" not in out
    assert "Ministry" in out


@pytest.mark.parametrize(
    "points",
    [
        pytest.param([point()], id="single point"),
        pytest.param([point("c1"), point("c2", low=9_000, high=9_000, value=9_000)], id="same day"),
        pytest.param([point(low=0, high=0, value=0, bound="exact")], id="all zero"),
        pytest.param([point(low=500, high=None, value=500, bound="above")], id="open only"),
    ],
)
def test_degenerate_axes_do_not_crash(points: list[TimelinePoint], tmp_path: Path) -> None:
    out = render_terminal(points, title="Degenerate")
    assert "Degenerate" in out and "c1" in out
    assert render_file(points, tmp_path / "chart.svg", title="Degenerate").stat().st_size > 0


def test_svg_parses_and_keeps_hostile_source_text_escaped(tmp_path: Path) -> None:
    points = [*POINTS, point("c9", source=HOSTILE, start=D(2024, 11, 20), flag="conflicts")]
    path = render_file(points, tmp_path / "timeline.svg", title="Soldiers <b>$5</b>")
    raw = path.read_text(encoding="utf-8")
    root = ET.fromstring(raw)
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{ns}script"))
    texts = ["".join(t.itertext()) for t in root.iter(f"{ns}text")]
    assert "Soldiers <b>$5</b>" in texts  # the title, as text, with no mathtext
    # "$x^2$" kept literally: mathtext would have dropped the "$" signs.
    assert f"{HOSTILE} (conflicts)" in texts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "<script" not in raw
    assert "conflicts" in texts  # the legend entry for the red outline
    assert "count" in texts


def test_png_is_written(tmp_path: Path) -> None:
    path = render_file(POINTS, tmp_path / "timeline.PNG", title="North Korean soldiers")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda tmp: render_file(POINTS, tmp / "chart.pdf", title="t"), "name the file .svg"),
        (lambda tmp: render_file(POINTS, tmp / "chart", title="t"), "name the file .svg"),
        (lambda tmp: render_file(POINTS, tmp / "no" / "chart.svg", title="t"), "does not exist"),
        (lambda tmp: render_file([], tmp / "chart.svg", title="t"), "no claims to chart"),
        (lambda tmp: render_terminal([], title="t"), "no claims to chart"),
        (
            lambda tmp: render_terminal(
                [point(start=D(2024, 11, 5), end=D(2024, 11, 4))], title="t"
            ),
            "ends (2024-11-04) before it starts",
        ),
    ],
)
def test_bad_input_is_one_input_error(
    call: Callable[[Path], object], message: str, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        call(tmp_path)


def test_charts_leave_the_callers_plotext_and_matplotlib_state_alone(tmp_path: Path) -> None:
    plotext.figure.clear()
    plotext.figure.title("the caller's own chart")
    # A user's TeX setting would make matplotlib call latex for every label.
    with matplotlib.rc_context({"text.usetex": True}):
        render_terminal(POINTS, title="timeline")
        render_file(POINTS, tmp_path / "chart.svg", title="$5 <b>")
        assert matplotlib.rcParams["text.usetex"] is True
    assert "the caller's own chart" in plotext.figure.build().string(colorless=True)
    assert "timeline" not in plotext.figure.build().string(colorless=True)
    plotext.figure.clear()


def test_inline_svg_draws_under_a_strict_csp_and_escapes_text() -> None:
    rooted = [
        TimelinePoint(
            "c1",
            HOSTILE,
            D(2024, 11, 4),
            D(2024, 11, 4),
            12_000,
            12_000,
            12_000,
            "exact",
            "deployed",
            None,
            2,
        ),
        point("c2", start=D(2024, 11, 9), low=10_800, high=13_200, roots=1),
    ]
    svg = render_svg(rooted, title=f"title {HOSTILE}")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    # a page's Content-Security-Policy without 'unsafe-inline' blocks both of these
    assert "style=" not in svg and "<style" not in svg
    assert "<metadata" not in svg
    assert root.get("role") == "img" and HOSTILE in (root.get("aria-label") or "")
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "12,000 · " in texts and "≈12,000 · Zelensky · 1 root" in texts
    assert "2 roots" in texts
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    # colours survive as presentation attributes
    assert any(e.get("fill") for e in root.iter()) and any(e.get("stroke") for e in root.iter())


def test_roots_are_optional_and_leave_the_file_chart_unlabelled(tmp_path: Path) -> None:
    assert point().roots is None
    out = render_file([point(roots=3)], tmp_path / "chart.svg", title="t")
    assert "3 roots" in out.read_text("utf-8")
    plain = render_file([point()], tmp_path / "plain.svg", title="t").read_text("utf-8")
    assert "root" not in plain


def test_a_point_from_a_ledger_row_keeps_its_interval_figure_and_flag() -> None:
    from claimledger.ledger.reads import TimelineRow
    from claimledger.records import Claim, Quantity, Subject

    claim = Claim(
        id="c6",
        attribution=None,
        subject=Subject("North Korean soldiers", "north korean soldiers", ()),
        measure="killed",
        measure_text="killed",
        quantity=Quantity(3600, 4400, True, "about 4,000", (), value=4000, bound="approx"),
        polarity="positive",
        time=None,
        certainty="asserted",
        spans=(),
    )
    row = TimelineRow(
        claim=claim,
        document="493db561d9636d49",
        source=None,
        outlet=None,
        published=D(2025, 2, 1),
        url=None,
        title=None,
        statement=None,
        roots=(),
        source_kind=None,
        ref="493db561d9636d49/c6",
        start=D(2025, 1, 25),
        end=D(2025, 2, 1),
        dated_by="publication",
        conflicts=True,
        independent=2,
    )
    p = TimelinePoint.from_ledger(row, roots=row.independent)
    assert (p.label, p.source, p.start, p.end) == (
        "493db561/c6",
        "unattributed",
        D(2025, 1, 25),
        D(2025, 2, 1),
    )
    assert (p.low, p.high, p.value, p.bound, p.measure) == (3600, 4400, 4000, "approx", "killed")
    assert (p.flag, p.roots) == ("conflicts", 2)
    assert format_point_figure(p) == "≈4,000"
