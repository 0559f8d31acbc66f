"""brat standoff output in PolNeAR's conventions, so brat tools and the PolNeAR scorer read it.

Each attribution becomes ``T`` lines for Source, Cue, Content and an Attribution anchor (on
the cue), and an ``E`` line tying them. An intermediary introduced with its own cue
("According to X, ...") is written as an attribution of its own whose content is the
inner report, as PolNeAR's annotators did.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimledger.records import Analysis, Spans


class _Writer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.t = 0
        self.e = 0

    def span(self, label: str, spans: Spans) -> str:
        self.t += 1
        offsets = ";".join(f"{s} {e}" for s, e in spans)
        covered = " ".join(self.text[s:e] for s, e in spans).replace("\n", " ")
        self.lines.append(f"T{self.t}\t{label} {offsets}\t{covered}")
        return f"T{self.t}"

    def attribution(self, source: Spans | None, cue: Spans, content: Spans) -> None:
        src = self.span("Source", source) if source else None
        cue_id = self.span("Cue", cue)
        content_id = self.span("Content", content)
        anchor = self.span("Attribution", cue)
        parts = [f"Attribution:{anchor}", f"Cue:{cue_id}", f"Content:{content_id}"]
        if src:
            parts.append(f"Source:{src}")
        self.e += 1
        self.lines.append(f"E{self.e}\t" + " ".join(parts))


@dataclass(frozen=True)
class BratAttribution:
    """One attribution as PolNeAR annotates it: spans only."""

    source: Spans | None
    cue: Spans
    content: Spans


def brat_attributions(analysis: Analysis) -> list[BratAttribution]:
    """The attributions as written to ``.ann`` and scored by ``claimledger eval``."""
    found: list[BratAttribution] = []
    cue_spans = {a.cue.spans for a in analysis.attributions}
    written: set[tuple[Spans, Spans]] = set()
    for a in analysis.attributions:
        found.append(
            BratAttribution(a.source.spans if a.source else None, a.cue.spans, a.content.spans)
        )
        for via in a.via:
            if via.cue is None or via.cue.spans in cue_spans:
                continue
            key = (via.cue.spans, via.spans)
            if key in written:
                continue
            written.add(key)
            inner = [*(a.source.spans if a.source else ()), *a.cue.spans, *a.content.spans]
            content: Spans = ((min(s for s, _ in inner), max(e for _, e in inner)),)
            found.append(BratAttribution(via.spans, via.cue.spans, content))
    return found


def to_brat(analysis: Analysis) -> str:
    """The ``.ann`` file for an analysis; offsets index ``analysis.document.text``."""
    writer = _Writer(analysis.document.text)
    for b in brat_attributions(analysis):
        writer.attribution(b.source, b.cue, b.content)
    return "\n".join(writer.lines) + ("\n" if writer.lines else "")
