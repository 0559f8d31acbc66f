"""Timeline charts of claimed figures: a text chart for the terminal (plotext) and an SVG or
PNG file (matplotlib), each point a figure with its interval, its dates and its source."""

from __future__ import annotations

import datetime as dt
import io
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import matplotlib
import matplotlib.dates as mdates
import plotext
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import StrMethodFormatter

from claimledger.errors import InputError
from claimledger.ledger.reads import TimelineRow
from claimledger.records import Bound, Measure, Quantity
from claimledger.render.report import format_quantity, printable

FILE_SUFFIXES = (".svg", ".png")

# One marker per measure, told apart without colour; the order follows records.Measure.
TERMINAL_MARKERS = ("●", "■", "◆", "✚", "★", "○", "□", "◇", "▼")
FILE_MARKERS = ("o", "s", "D", "P", "*", "v", "X", "h", "p")
# 256-colour codes and matplotlib's tab10: red is left out, it marks a conflict.
TERMINAL_COLORS = (12, 10, 13, 14, 11, 4, 2, 5, 6)
FILE_COLORS = (
    "tab:blue",
    "tab:green",
    "tab:purple",
    "tab:orange",
    "tab:brown",
    "tab:pink",
    "tab:gray",
    "tab:olive",
    "tab:cyan",
)
CONFLICT_COLOR = "red"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class TimelinePoint:
    """One claimed figure placed in time: the interval it holds for and who gave it."""

    label: str  # short claim reference, e.g. "c6" or "493db561/c6"
    source: str  # who gave the figure ("unattributed" if none)
    start: dt.date  # the interval the figure holds for (claim time, else publication date)
    end: dt.date
    low: float
    high: float | None  # None: open above ("more than 500")
    value: float | None  # the figure as stated
    bound: Bound
    measure: Measure
    flag: str | None = None  # a relation to highlight, e.g. "conflicts"
    roots: int | None = None  # independent roots behind the figure, when known

    @classmethod
    def from_ledger(
        cls, row: TimelineRow, *, label: str | None = None, roots: int | None = None
    ) -> TimelinePoint:
        """A point from one row of ``Ledger.timeline``."""
        quantity = row.claim.quantity
        return cls(
            label=label or f"{row.document[:8]}/{row.claim.id}",
            source=row.source or "unattributed",
            start=row.start,
            end=row.end,
            low=quantity.low,
            high=quantity.high,
            value=quantity.value,
            bound=quantity.bound,
            measure=row.claim.measure,
            flag="conflicts" if row.conflicts else None,
            roots=roots,
        )

    @property
    def middle(self) -> float:
        """The interval's midpoint as a (fractional) proleptic Gregorian ordinal."""
        return (self.start.toordinal() + self.end.toordinal()) / 2

    @property
    def y(self) -> float:
        """Where the marker sits: the stated figure, else the middle of the interval."""
        if self.value is not None:
            return self.value
        if self.high is not None:
            return (self.low + self.high) / 2
        return self.low


def format_point_figure(point: TimelinePoint) -> str:
    """The figure as the claim table shows it: "≈12,000", "more than 500", "11,000–12,000"."""
    # a point built by hand may carry any string
    bound: Bound = point.bound if point.bound in _BOUNDS else "exact"
    return format_quantity(
        Quantity(
            low=point.low,
            high=point.high,
            approx=point.bound == "approx",
            text="",
            spans=(),
            value=point.value,
            bound=bound,
        )
    )


_BOUNDS = frozenset(get_args(Bound))


def format_point_dates(point: TimelinePoint) -> str:
    if point.start == point.end:
        return point.start.isoformat()
    return f"{point.start.isoformat()}…{point.end.isoformat()}"


def _check_points(points: Sequence[TimelinePoint]) -> list[TimelinePoint]:
    if not points:
        raise InputError(
            "no claims to chart; check the --subject and --measure filters "
            "(`claimledger claims` lists what the ledger holds)"
        )
    for p in points:
        if p.end < p.start:
            raise InputError(f"claim {p.label}: its period ends ({p.end}) before it starts")
    # Stable: points with the same dates keep the caller's order.
    return sorted(points, key=lambda p: (p.start, p.end))


def _measures(points: Sequence[TimelinePoint]) -> list[Measure]:
    """The measures in first-seen order, so markers and colours follow the data."""
    return list(dict.fromkeys(p.measure for p in points))


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _y_top(points: Sequence[TimelinePoint]) -> float:
    top = max(max(p.low, p.high or 0.0, p.value or 0.0) for p in points)
    if any(p.high is None for p in points):
        top *= 1.15  # room for the arrows of open-ended figures
    return top * 1.08 if top > 0 else 1.0


def _date_label(day: dt.date, *, with_day: bool) -> str:
    month = MONTHS[day.month - 1]
    return f"{day.day:02d} {month} {day.year}" if with_day else f"{month} {day.year}"


# ---------------------------------------------------------------------------- terminal


def render_terminal(
    points: Sequence[TimelinePoint],
    *,
    title: str,
    width: int = 100,
    height: int = 25,
    color: bool = False,
) -> str:
    """A text chart of the points (y: count, x: date) followed by a legend, one row a point.

    Each measure is a series with its own marker; a figure's interval (low..high) is a
    vertical bar, a period longer than a day a horizontal one, an open-ended figure has an
    ↑ above it, and a flagged point's label ends in "!". Without ``color`` the output has
    no escape codes and is the same on every run.
    """
    ordered = _check_points(points)
    width, height = max(width, 40), max(height, 10)
    # A private terminal: the caller's plotext.figure is left alone, and nothing they set
    # there (or the real terminal's size) leaks into this chart.
    term = type(plotext.terminal)()
    term.limit(False, False)
    fig: Any = term._master
    fig.clear()
    fig.plot_size(width, height)
    fig.theme("simple" if color else "colorless")
    fig.title(printable(title))

    first = min(p.start.toordinal() for p in ordered)
    last = max(p.end.toordinal() for p in ordered)
    pad = 3.0 if last - first < 2 else (last - first) * 0.05
    left, right = first - pad, last + pad
    top = _y_top(ordered)
    row = top / max(height - 6, 1)  # the count one character row stands for, roughly

    measures = _measures(ordered)
    styles = {
        m: (
            TERMINAL_MARKERS[i % len(TERMINAL_MARKERS)],
            plotext.pixel(foreground=TERMINAL_COLORS[i % len(TERMINAL_COLORS)]),
        )
        for i, m in enumerate(measures)
    }
    xs = fig.ruler("x")
    xs.lim(left, right)
    tick_count = max(2, min(6, width // 18))
    days = sorted({round(first + (last - first) * i / (tick_count - 1)) for i in range(tick_count)})
    with_day = last - first <= 180
    xs.ticks(days, [_date_label(dt.date.fromordinal(d), with_day=with_day) for d in days])
    ys = fig.ruler("y")
    ys.lim(0, top)
    step = _nice_step(top, 4)
    y_ticks = [step * i for i in range(int(top // step) + 1)]
    y_labels = [f"{t:,.0f}" for t in y_ticks]
    ys.ticks(y_ticks, y_labels)

    # The canvas in character cells (inside the frame, beside the y tick labels): labels
    # go one cell right of their marker, and only where they cover no other marker.
    columns = width - max(len(label) for label in y_labels) - 2
    rows = height - 4

    def cell(x: float, y: float) -> tuple[int, int]:
        return (round((x - left) / (right - left) * (columns - 1)), round(y / top * (rows - 1)))

    # Later strokes cover earlier ones: bars, then markers, then labels (plotext drops a
    # text whose first cell is drawn over, so text must come last).
    for p in ordered:
        _, pixel = styles[p.measure]
        if p.high is not None and p.high > p.low:
            fig.draw(
                fig.segment((p.middle,) * 2, (p.low, p.high), marker=plotext.marker("│", pixel))
            )
        if p.end > p.start:
            fig.draw(
                fig.segment(
                    (p.start.toordinal(), p.end.toordinal()),
                    (p.y, p.y),
                    marker=plotext.marker("─", pixel),
                )
            )
        if p.high is None:
            fig.draw(fig.signal([p.middle], [p.low + row], marker=plotext.marker("↑", pixel)))
    for measure in measures:
        symbol, pixel = styles[measure]
        series = [p for p in ordered if p.measure == measure]
        fig.draw(
            fig.signal(
                [p.middle for p in series],
                [p.y for p in series],
                marker=plotext.marker(symbol, pixel),
            )
        )
    taken = {cell(p.middle, p.y) for p in ordered}
    taken |= {cell(p.middle, p.low + row) for p in ordered if p.high is None}
    one_column = (right - left) / max(columns - 1, 1)
    for p in ordered:
        text = f"{printable(p.label)}{'!' if p.flag else ''}"
        column, line = cell(p.middle, p.y)
        cells = {(column + 1 + i, line) for i in range(len(text) + 1)}
        if column + len(text) < columns and not cells & taken:
            fig.draw(fig.text(p.middle + one_column, p.y, text))
            taken |= cells

    chart: str = fig.build().string(colorless=not color)
    lines = [line.rstrip() for line in chart.splitlines()]
    key = "   ".join(f"{styles[m][0]} {printable(m)}" for m in measures)
    lines.append(f"key: {key}   │ low..high   ─ period   ↑ open above   ! flagged")
    lines.append("")
    lines.extend(_legend_rows(ordered, width))
    return "\n".join(lines) + "\n"


def _legend_rows(points: Sequence[TimelinePoint], width: int) -> list[str]:
    rows = [
        (
            printable(p.label),
            format_point_dates(p),
            printable(p.measure),
            format_point_figure(p),
            printable(p.source) or "unattributed",
            f"[{printable(p.flag)}]" if p.flag else "",
        )
        for p in points
    ]
    header = ("claim", "date", "measure", "figure", "source", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    fixed = sum(widths) + 2 * 4
    lines = []
    for cells in [header, *rows]:
        flag = f"  {cells[5]}" if cells[5] else ""
        room = max(width - fixed - len(flag), 12)
        source = cells[4] if len(cells[4]) <= room else cells[4][: room - 1] + "…"
        columns = [c.ljust(w) for c, w in zip(cells[:4], widths, strict=True)]
        lines.append(("  ".join([*columns, source]) + flag).rstrip())
    return lines


# ---------------------------------------------------------------------------- file


def render_file(points: Sequence[TimelinePoint], path: Path, *, title: str) -> Path:
    """The chart as an SVG or PNG file (by ``path``'s suffix); returns ``path``.

    Each figure is an error bar (low..high) at the middle of its period, the period a
    horizontal bar, an open-ended figure an upward arrow; one colour and marker per
    measure, a flagged "conflicts" point outlined in red, each point annotated with its
    source. Article text is drawn as plain text: no mathtext, no TeX.
    """
    ordered = _check_points(points)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FILE_SUFFIXES:
        raise InputError(
            f"{path}: cannot write a {path.suffix or 'suffix-less'} chart; "
            f"name the file .svg or .png"
        )
    if not path.parent.is_dir():
        raise InputError(f"{path}: folder {path.parent} does not exist; create it first")

    # rc_context: the user's own rc (a TeX setup, a style) must not change or break this.
    # svg.fonttype none: text stays text (searchable, escaped), not glyph outlines.
    with matplotlib.rc_context(
        {
            "text.usetex": False,
            "text.parse_math": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "claimledger",
        }
    ):
        fig = _file_figure(ordered, title)
        try:
            fig.savefig(
                path,
                format=suffix[1:],
                dpi=150,
                metadata={"Date": None} if suffix == ".svg" else None,
            )
        except OSError as error:
            raise InputError(
                f"{path}: cannot write the chart ({error.strerror or error})"
            ) from error
        finally:
            fig.clear()
    return path


def _file_figure(
    points: Sequence[TimelinePoint],
    title: str,
    *,
    label_figures: bool = False,
    size: tuple[float, float] = (11, 6),
) -> Figure:
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    measures = _measures(points)
    top = _y_top(points)
    arrow = top * 0.1

    for i, measure in enumerate(measures):
        colour = FILE_COLORS[i % len(FILE_COLORS)]
        marker = FILE_MARKERS[i % len(FILE_MARKERS)]
        series = [p for p in points if p.measure == measure]
        xs = [_date_num(p.start) + (_date_num(p.end) - _date_num(p.start)) / 2 for p in series]
        ys = [p.y for p in series]
        ax.errorbar(
            xs,
            ys,
            yerr=[
                [p.y - p.low for p in series],
                [(p.high - p.y) if p.high is not None else 0.0 for p in series],
            ],
            xerr=[
                [x - _date_num(p.start) for x, p in zip(xs, series, strict=True)],
                [_date_num(p.end) - x for x, p in zip(xs, series, strict=True)],
            ],
            fmt=marker,
            color=colour,
            ecolor=colour,
            elinewidth=1.2,
            capsize=3,
            markersize=6,
            label=measure,
        )
        open_ended = [(x, p) for x, p in zip(xs, series, strict=True) if p.high is None]
        if open_ended:
            # lolims: the figure is a floor, the bar an arrow pointing up from it.
            ax.errorbar(
                [x for x, _ in open_ended],
                [p.low for _, p in open_ended],
                yerr=[[0.0] * len(open_ended), [arrow] * len(open_ended)],
                lolims=True,
                fmt="none",
                ecolor=colour,
                elinewidth=1.2,
            )
        for x, p in zip(xs, series, strict=True):
            if p.flag == "conflicts":
                ax.plot(
                    [x],
                    [p.y],
                    marker="o",
                    markersize=12,
                    markerfacecolor="none",
                    markeredgecolor=CONFLICT_COLOR,
                    markeredgewidth=2,
                    linestyle="none",
                )
            if p.roots is not None and p.roots > 1:
                # more independent roots, a bigger ring: agreement is visible at a glance
                ax.plot(
                    [x],
                    [p.y],
                    marker="o",
                    markersize=8 + 4 * min(p.roots, 4),
                    markerfacecolor="none",
                    markeredgecolor=colour,
                    markeredgewidth=1.2,
                    linestyle="none",
                )
            note = printable(p.source) or "unattributed"
            if label_figures:
                note = f"{format_point_figure(p)} · {note}"
            if p.roots is not None:
                note += f" · {p.roots} root{'s' if p.roots != 1 else ''}"
            if p.flag:
                note += f" ({printable(p.flag)})"
            ax.annotate(
                note,
                (x, p.y),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=7,
                color="dimgray",
                parse_math=False,
                usetex=False,
            )

    first = min(_date_num(p.start) for p in points)
    last = max(_date_num(p.end) for p in points)
    pad = 5.0 if last - first < 2 else (last - first) * 0.06
    ax.set_xlim(first - pad, last + pad)
    ax.set_ylim(0, top)
    # matplotlib.dates is untyped.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    formatter = mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
        locator, show_offset=False
    )
    # Day ticks read "04 Nov", not "04": every tick label names its month.
    formatter.formats = ["%Y", "%b", "%d %b", "%H:%M", "%H:%M", "%S.%f"]
    formatter.zero_formats = ["", "%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M"]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_ylabel("count")
    ax.set_title(printable(title), parse_math=False, usetex=False)
    ax.grid(axis="y", color="0.9")

    handles, labels = ax.get_legend_handles_labels()
    if any(p.flag == "conflicts" for p in points):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                markersize=10,
                markerfacecolor="none",
                markeredgecolor=CONFLICT_COLOR,
                markeredgewidth=2,
                linestyle="none",
            )
        )
        labels.append("conflicts")
    if any(p.high is None for p in points):
        handles.append(Line2D([], [], marker="^", color="0.3", linestyle="none"))
        labels.append("open above (more than)")
    # Outside the axes: inside, it would hide the points in its corner.
    legend = fig.legend(handles, [printable(label) for label in labels], loc="outside right upper")
    for text in legend.get_texts():
        text.set_parse_math(False)
        text.set_usetex(False)
    return fig


def _date_num(day: dt.date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


# ---------------------------------------------------------------------------- inline SVG

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# CSS properties matplotlib writes in style="" that SVG also takes as presentation
# attributes; a strict Content-Security-Policy (no 'unsafe-inline' styles) blocks style=""
# and <style>, never attributes.
_PRESENTATION = {
    "clip-path",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
}


def render_svg(points: Sequence[TimelinePoint], *, title: str) -> str:
    """The chart as one ``<svg>`` element to embed in an HTML page: each point labelled with
    its figure, source and (when known) independent roots; no XML prolog or metadata, and
    no ``style`` attributes or ``<style>`` elements (presentation attributes instead), so a
    page with a strict Content-Security-Policy draws it. Text is escaped XML text."""
    ordered = _check_points(points)
    buffer = io.StringIO()
    with matplotlib.rc_context(
        {
            "text.usetex": False,
            "text.parse_math": False,
            "svg.fonttype": "none",
            "svg.hashsalt": "claimledger",
        }
    ):
        # shorter than the file's: on a page the figures table should show below it
        fig = _file_figure(ordered, title, label_figures=True, size=(11, 4.6))
        try:
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            fig.clear()
    return _embeddable_svg(buffer.getvalue(), title=printable(title))


def _embeddable_svg(document: str, *, title: str) -> str:
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    root = ET.fromstring(document)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{_SVG_NS}}}metadata", f"{{{_SVG_NS}}}style"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style is None:
            continue
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name in _PRESENTATION and value:
                element.set(name, value)
    # what matplotlib's <style> said for every element, as inherited attributes
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("aria-label", title)
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    return ET.tostring(root, encoding="unicode")
