"""What the attribution component leaves on the Doc: plain token spans, not yet resolved
to entities or dates (:mod:`claimledger.extract` does that)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from claimledger.nlp.time.component import SPAN_KEY
from claimledger.records import Certainty, Style

# The Doc extension the component fills: ``doc._.claimledger_attributions``.
ATTRIBUTIONS_ATTR = "claimledger_attributions"
# The ``doc.spans`` key of the time expressions the ``claimledger_timex`` component found
# earlier in the pipeline (without it they are found here).
TIME_SPANS_KEY = SPAN_KEY


@dataclass
class RawVia:
    """An intermediary phrase: "According to a report by CNN" -> name CNN."""

    name: Span
    cue: Span | None
    carrier: Span | None = None  # "a report"


@dataclass
class RawChannel:
    kind: str
    span: Span
    platform: str | None = None


@dataclass
class RawAttribution:
    cue: Span
    cue_lemma: str
    cue_kind: str
    cue_certainty: Certainty
    content: Span
    style: Style
    source: Span | None = None
    via: list[RawVia] = field(default_factory=list)
    stated: Span | None = None
    channel: RawChannel | None = None
    hedges: list[tuple[Span, Certainty]] = field(default_factory=list)
    content_more: list[Span] = field(default_factory=list)  # a resumed quote
    parent: int | None = None  # index of the enclosing attribution in the doc's list
    # who heard it: "told the BBC", "in an interview with CNN", "speaking to Reuters"
    # (an intermediary where it is an outlet: claimledger.extract.entities decides)
    audience: Span | None = None
