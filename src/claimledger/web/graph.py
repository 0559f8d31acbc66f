"""The provenance graph as an SVG drawn on the server: root sources in the first column,
then each intermediary a column further for every step a statement took to reach the
outlet. Every label is XML text (escaped by ElementTree), never markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from markupsafe import Markup

from claimledger.ledger.reads import Provenance, ProvenanceEdge, ProvenanceNode
from claimledger.render.report import printable

COLUMN_WIDTH = 380
NODE_WIDTH = 290
NODE_HEIGHT = 34
ROW_GAP = 14
TOP = 44
LEFT = 16
LABEL_CHARS = 38  # what fits in a node at the stylesheet's 13px


def layers(nodes: Sequence[ProvenanceNode], edges: Sequence[ProvenanceEdge]) -> dict[str, int]:
    """Each node's column: 0 for a root, else one more than the furthest node that passes
    statements to it (the longest path; a cycle is cut where it closes)."""
    incoming: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        incoming[e.to].append(e.from_)
    found: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str]) -> int:
        if node in found:
            return found[node]
        before = [p for p in incoming.get(node, []) if p not in seen]
        level = 1 + max((depth(p, seen | {node}) for p in before), default=-1)
        found[node] = level
        return level

    for n in nodes:
        depth(n.id, frozenset())
    return found


def provenance_svg(graph: Provenance) -> Markup:
    """``Ledger.provenance()`` drawn as an inline ``<svg>``: boxes for sources, arrows for
    the way statements went, each arrow with its number of statements."""
    nodes, edges = graph.nodes, graph.edges
    if not nodes:
        return Markup("")
    level = layers(nodes, edges)
    linked = {e.from_ for e in edges} | {e.to for e in edges}
    columns: dict[int, list[ProvenanceNode]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (n.id not in linked, n.name.lower())):
        columns[level[n.id]].append(n)
    row: dict[str, float] = {}
    for col in sorted(columns):
        if col > 0:
            # under the nodes that feed it, so arrows cross less
            def feeders(n: ProvenanceNode) -> float:
                rows = [row[e.from_] for e in edges if e.to == n.id and e.from_ in row]
                return sum(rows) / len(rows) if rows else float("inf")

            columns[col].sort(key=feeders)
        for i, n in enumerate(columns[col]):
            row[n.id] = i
    last = max(columns)
    width = LEFT * 2 + COLUMN_WIDTH * last + NODE_WIDTH
    height = TOP + max(len(c) for c in columns.values()) * (NODE_HEIGHT + ROW_GAP) + 8

    def position(node: str) -> tuple[float, float]:
        return LEFT + level[node] * COLUMN_WIDTH, TOP + row[node] * (NODE_HEIGHT + ROW_GAP)

    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "class": "provenance",
            "role": "img",
            "aria-label": "How statements reached the ledger: root sources on the left, "
            "each step through an intermediary one column to the right",
        },
    )
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(
        defs,
        "marker",
        {
            "id": "arrow",
            "viewBox": "0 0 10 10",
            "refX": "10",
            "refY": "5",
            "markerWidth": "8",
            "markerHeight": "8",
            "orient": "auto-start-reverse",
        },
    )
    ET.SubElement(marker, "path", {"d": "M 0 0 L 10 5 L 0 10 z", "fill": "#444"})
    for col in sorted(columns):
        heading = "root sources" if col == 0 else "via" if col < last else "carried by"
        text = ET.SubElement(
            svg,
            "text",
            {"x": str(LEFT + col * COLUMN_WIDTH), "y": "22", "class": "column", "fill": "#333"},
        )
        text.text = heading
    ids = {n.id for n in nodes}
    for e in edges:
        if e.from_ not in ids or e.to not in ids:
            continue
        x1, y1 = position(e.from_)
        x2, y2 = position(e.to)
        x1 += NODE_WIDTH
        y1 += NODE_HEIGHT / 2
        y2 += NODE_HEIGHT / 2
        bend = (x2 - x1) / 2
        count = e.statements
        ET.SubElement(
            svg,
            "path",
            {
                "d": f"M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2 - 2} {y2}",
                "class": "edge",
                "fill": "none",
                "stroke": "#444",
                "stroke-width": str(1.2 + min(count, 6) * 0.6),
                "marker-end": "url(#arrow)",
            },
        )
        label = ET.SubElement(
            svg,
            "text",
            {
                "x": str((x1 + x2) / 2),
                "y": str((y1 + y2) / 2 - 5),
                "class": "count",
                "text-anchor": "middle",
                "fill": "#333",
            },
        )
        label.text = f"{count}×"
    for n in nodes:
        x, y = position(n.id)
        name = printable(n.name) or "?"
        group = ET.SubElement(svg, "g", {"class": f"node {printable(n.kind)}"})
        title = ET.SubElement(group, "title")
        title.text = f"{name} ({n.kind}): {n.statements} statement(s)"
        ET.SubElement(
            group,
            "rect",
            {
                "x": str(x),
                "y": str(y),
                "width": str(NODE_WIDTH),
                "height": str(NODE_HEIGHT),
                "rx": "6",
                "fill": "#eef2f7",
                "stroke": "#4b5563",
            },
        )
        shown = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        text = ET.SubElement(
            group,
            "text",
            {"x": str(x + 10), "y": str(y + NODE_HEIGHT / 2 + 5), "fill": "#111"},
        )
        text.text = shown
    return Markup(ET.tostring(svg, encoding="unicode"))
