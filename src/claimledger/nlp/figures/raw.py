"""A figure as found in a span, before it is resolved against other claims."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimledger.nlp.amounts import Amount
from claimledger.records import Measure, Modality, RatePeriod


@dataclass
class RawFigure:
    """A figure found in a content span, before resolution against other claims."""

    tokens: Span  # the whole expression: "approximately half", "around 12,000"
    amount: Amount  # its interval: a count, or for a fraction the share of its base
    unit: str
    subject: Span | None
    subject_key: str
    measure: Measure
    measure_tokens: Span | None
    negated: bool
    anchor: Token  # the noun or duration the figure attaches to
    base: Span | None = None  # a base stated in the fraction's phrase: "half of the 12,000"
    base_amount: Amount | None = None
    modality: Modality = "reported"  # a projection, possibility or condition is no count
    rate: tuple[Span, RatePeriod] | None = None  # "per day" and its words: not a total

    @property
    def fraction(self) -> float | None:
        return self.amount.value if self.amount.kind == "fraction" else None

    @property
    def value(self) -> float | None:
        """The count as stated; None for a fraction."""
        return self.amount.value if self.amount.kind == "count" else None
