"""The article text as HTML with its attributions marked: each source, cue, content,
intermediary and figure span a ``<mark>``, built from character spans on the server.

Every stretch of text is escaped on its own; overlapping spans are closed and reopened so
the marks always nest, and only a span's first fragment takes focus (``tabindex``) and
its anchor id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape

from claimledger.records import Attribution, Claim, Spans

# Where two spans start and end together, the wider notion encloses the narrower one.
KIND_ORDER = {"content": 0, "source": 1, "via": 2, "cue": 3, "figure": 4}


@dataclass(frozen=True)
class Highlight:
    """One marked stretch of the text: ``[start, end)`` in code points."""

    start: int
    end: int
    kind: str  # source, cue, content, via or figure
    attribution: str | None  # the attribution it belongs to ("a9")
    anchor: str | None = None  # an id for the first fragment ("claim-c7")
    label: str | None = None  # a short visible label before it ("a9")


def document_highlights(
    attributions: Iterable[Attribution], claims: Iterable[Claim]
) -> list[Highlight]:
    """The highlights of an analysis's attributions and claims."""
    found: list[Highlight] = []
    for a in attributions:
        ident = a.id
        if a.source:
            found.extend(_spans(a.source.spans, "source", ident))
        for step in a.via:
            found.extend(_spans(step.spans, "via", ident))
            if step.cue:
                found.extend(_spans(step.cue.spans, "cue", ident))
        cue_spans = list(_spans(a.cue.spans, "cue", ident))
        if cue_spans:
            first = cue_spans[0]
            cue_spans[0] = Highlight(first.start, first.end, "cue", ident, label=ident)
        found.extend(cue_spans)
        found.extend(_spans(a.content.spans, "content", ident))
    for c in claims:
        spans = c.quantity.spans or c.spans
        for i, (start, end) in enumerate(spans):
            anchor = f"claim-{c.id}" if i == 0 else None
            label = c.id if i == 0 else None
            found.append(Highlight(start, end, "figure", c.attribution, anchor, label))
    return found


def _spans(spans: Spans, kind: str, attribution: str) -> Iterator[Highlight]:
    for start, end in spans:
        yield Highlight(start, end, kind, attribution)


def highlight_text(text: str, highlights: Iterable[Highlight]) -> Markup:
    """``text`` as HTML: escaped, with a ``<mark>`` for each highlight (spans outside the
    text or empty are left out)."""
    items = sorted(
        (h for h in highlights if 0 <= h.start < h.end <= len(text)),
        key=lambda h: (h.start, -h.end, KIND_ORDER.get(h.kind, 9)),
    )
    bounds = sorted({0, len(text), *(h.start for h in items), *(h.end for h in items)})
    out: list[str] = []
    stack: list[Highlight] = []
    next_item = 0
    for i, pos in enumerate(bounds):
        if any(h.end == pos for h in stack):
            reopen: list[Highlight] = []
            while any(h.end == pos for h in stack):
                closed = stack.pop()
                out.append("</mark>")
                if closed.end != pos:
                    reopen.append(closed)
            for h in reversed(reopen):
                out.append(_open(h, first=False))
                stack.append(h)
        while next_item < len(items) and items[next_item].start == pos:
            h = items[next_item]
            next_item += 1
            out.append(_open(h, first=True))
            stack.append(h)
        if i + 1 < len(bounds):
            out.append(str(escape(text[pos : bounds[i + 1]])))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out))


def _open(h: Highlight, *, first: bool) -> str:
    attributes = [f'class="{escape(h.kind)}{"" if first else " more"}"']
    if h.attribution:
        attributes.append(f'data-attribution="{escape(h.attribution)}"')
    if first:
        # every first fragment is reachable by keyboard, figures too: focusing one shows
        # its attribution's card, as hovering does
        attributes.append('tabindex="0"')
        if h.anchor:
            attributes.append(f'id="{escape(h.anchor)}"')
        if h.label:
            attributes.append(f'data-label="{escape(h.label)}"')
    return f"<mark {' '.join(attributes)}>"
