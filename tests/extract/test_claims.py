"""Claims from the figures in what was said: the base a fraction is taken of, and the
claims built from a parsed text's raw attributions and their records."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract.attributions import build_attributions
from claimledger.extract.claims import build_claims, resolve_fraction_base
from claimledger.extract.entities import resolve_mentions
from claimledger.gazetteer import default_gazetteer
from claimledger.nlp.attribution import ATTRIBUTIONS_ATTR, TIME_SPANS_KEY
from claimledger.nlp.pipeline import load_pipeline
from claimledger.records import Claim, Measure, Quantity, Subject


def _claim(
    id: str,
    subject: str,
    measure: Measure = "killed",
    *,
    unit: str = "count",
    fraction: float | None = None,
    negative: bool = False,
) -> Claim:
    return Claim(
        id=id,
        attribution="a1",
        subject=Subject(text=subject, key=subject, spans=()),
        measure=measure,
        measure_text="",
        quantity=Quantity(low=10, high=10, approx=False, text="10", spans=(), unit=unit,
                          fraction=fraction),
        polarity="negative" if negative else "positive",
        time=None,
        certainty="asserted",
        spans=(),
    )  # fmt: skip


# (earlier claims, the subject of the fraction, the id of its base) — None: no base
BASES = [
    ([_claim("c1", "soldiers")], "soldiers", "c1"),
    ([_claim("c1", "soldiers"), _claim("c2", "soldiers", "wounded")], "soldiers", "c2"),
    # a count of those deployed wins over a later count
    ([_claim("c1", "soldiers", "deployed"), _claim("c2", "soldiers")], "soldiers", "c1"),
    ([_claim("c1", "tanks")], "soldiers", None),
    # only absolute, positive counts are bases
    ([_claim("c1", "soldiers", fraction=0.5)], "soldiers", None),
    ([_claim("c1", "soldiers", unit="day")], "soldiers", None),
    ([_claim("c1", "soldiers", negative=True)], "soldiers", None),
    ([], "soldiers", None),
]


@pytest.mark.parametrize(("earlier", "subject", "base"), BASES)
def test_the_base_of_a_fraction(earlier: list[Claim], subject: str, base: str | None) -> None:
    found = resolve_fraction_base(subject, earlier)
    assert (found.id if found is not None else None) == base


def test_claims_are_built_from_the_figures_in_each_statement() -> None:
    doc = load_pipeline("fast")(
        "Officials said on Monday that 12,000 soldiers were deployed. They added that half "
        "of the soldiers were killed."
    )
    raws = doc._.get(ATTRIBUTIONS_ATTR) or []
    table = resolve_mentions(doc, raws, default_gazetteer())
    attributions = build_attributions(doc, raws, table, dt.date(2025, 2, 1))
    deployed, killed = build_claims(
        doc, raws, attributions, list(doc.spans[TIME_SPANS_KEY]), dt.date(2025, 2, 1)
    )
    assert (deployed.attribution, deployed.measure, deployed.quantity.low) == (
        "a1",
        "deployed",
        12000,
    )
    assert (killed.attribution, killed.measure, killed.quantity.fraction) == ("a2", "killed", 0.5)
    assert killed.quantity.base is not None and killed.quantity.base.claim == deployed.id
    assert killed.quantity.low == 6000
    assert killed.time is not None and killed.time.text == "Monday" and killed.time.inherited
