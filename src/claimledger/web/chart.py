"""The group page's charts: one small SVG per measure (and unit), figures over time, each
point a link to its claim in the article, reachable by keyboard. Drawn under the UI's
strict CSP: no style attributes, only classes and presentation attributes; every text from
an article is escaped."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from claimledger.ledger.reads import TimelineRow
from claimledger.web.present import figure, measure_words

WIDTH, HEIGHT = 420, 230
LEFT, RIGHT, TOP, BOTTOM = 62, 16, 14, 40


@dataclass(frozen=True)
class Chart:
    """One measure's chart: its title, the SVG, and the points it draws."""

    measure: str
    unit: str
    title: str
    svg: Markup
    points: int


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """0 and round steps up to at least ``top``: 0, 5,000, 10,000, 15,000."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def tick_label(value: float, top: float) -> str:
    """A tick's label, in thousands (or millions) for the whole axis when its top is 10,000
    or more, so one axis never mixes "5,000" and "10k"."""
    if value == 0:
        return "0"
    if top >= 10_000_000:
        return f"{value / 1_000_000:g}M"
    if top >= 10_000:
        return f"{value / 1_000:g}k"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _days(a: dt.date, b: dt.date) -> int:
    return (b - a).days


def measure_charts(points: Sequence[TimelineRow], root: str = "") -> list[Chart]:
    """A chart for each measure (and unit) among ``points``, in the order of the measures'
    first appearance."""
    by_measure: dict[tuple[str, str], list[TimelineRow]] = defaultdict(list)
    for p in points:
        by_measure[(p.claim.measure, p.claim.quantity.unit)].append(p)
    charts = []
    for (measure, unit), rows in by_measure.items():
        title = measure_words(measure) + ("" if unit == "count" else f" ({unit}s)")
        charts.append(Chart(measure, unit, title, _svg(rows, title, root), len(rows)))
    return charts


def _svg(rows: Sequence[TimelineRow], title: str, root: str) -> Markup:
    first = min(p.start for p in rows)
    last = max(p.end for p in rows)
    if first == last:
        first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
    span = max(1, _days(first, last))
    tops = [
        q.high if q.high is not None else (q.value if q.value is not None else q.low) * 1.2
        for q in (p.claim.quantity for p in rows)
    ]
    ticks = nice_ticks(max(max(tops), 1.0))
    ceiling = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * _days(first, day) / span

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(value, ceiling) / ceiling)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="measure-chart" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-label="{escape(title)} over time">'
    ]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick_label(tick, ceiling)}</text>'
        )
    middle = first + (last - first) / 2
    for day, anchor in ((first, "start"), (middle, "middle"), (last, "end")):
        parts.append(
            f'<text class="tick" x="{x(day):.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="{anchor}">{day.isoformat()}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/>'
    )
    for p in rows:
        q = p.claim.quantity
        value = q.value if q.value is not None else q.low
        mid = p.start + (p.end - p.start) / 2
        cx, cy = x(mid), y(value)
        low_y = y(q.low)
        high_y = y(q.high) if q.high is not None else TOP
        words = (
            f"{figure(q)} {measure_words(p.claim.measure)} · {p.source or 'unattributed'}"
            f" · {p.start.isoformat()}"
            + (f"…{p.end.isoformat()}" if p.end != p.start else "")
            + f" · {p.independent} root{'s' if p.independent != 1 else ''}"
            + (" · in conflict" if p.conflicts else "")
        )
        href = f"{root}/documents/{p.document}#claim-{p.claim.id}"
        radius = 4 + min(p.independent, 4)
        kind = "point conflict" if p.conflicts else "point"
        parts.append(
            f'<a class="{kind}" href="{escape(href)}" tabindex="0" aria-label="{escape(words)}">'
            f"<title>{escape(words)}</title>"
            f'<line class="interval" x1="{cx:.1f}" x2="{cx:.1f}" y1="{low_y:.1f}" '
            f'y2="{high_y:.1f}"/>'
            f'<line class="period" x1="{x(p.start):.1f}" x2="{x(p.end):.1f}" y1="{cy:.1f}" '
            f'y2="{cy:.1f}"/>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}"/></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
