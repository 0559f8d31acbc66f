"""Certainty: how committed a statement's wording is (docs/normalisation.md, Certainty).

The levels, strongest first: asserted > likely > believed > reported > possible > denied.
A statement takes the weakest of what its cue, its source and the hedges in its content
convey.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.extract import analyze
from claimledger.records import CERTAINTY_ORDER, Certainty, weakest

# (sentence, certainty of its first attribution, the hedge words found)
SENTENCES: list[tuple[str, Certainty, list[str]]] = [
    # cues
    ("Officials said the troops withdrew.", "asserted", []),
    ("Officials confirmed that the troops withdrew.", "asserted", []),
    ("Officials expect that the troops will withdraw.", "likely", []),
    ("Officials believe the troops withdrew.", "believed", []),
    ("Officials suggested that the troops withdrew.", "possible", []),
    ("The ministry denied that troops had withdrawn.", "denied", []),
    # negated cues
    ("Officials did not confirm that troops withdrew.", "denied", []),
    ("Officials never said that the troops withdrew.", "denied", []),
    ("Officials did not deny that troops withdrew.", "possible", []),
    # hedges in the content
    ("Officials said the troops were probably withdrawn.", "likely", ["probably"]),
    ("Officials said the troops had likely withdrawn.", "likely", ["likely"]),
    ("Officials said the troops had almost certainly withdrawn.", "likely", ["almost certainly"]),
    ("Officials said the troops must have withdrawn.", "likely", ["must"]),
    ("Officials said the troops appear to have withdrawn.", "likely", ["appear"]),
    ("Officials said the troops may have withdrawn.", "possible", ["may"]),
    ("Officials said the troops might have withdrawn.", "possible", ["might"]),
    ("Officials said the troops could have withdrawn.", "possible", ["could"]),
    ("Officials said it was possible that the troops withdrew.", "possible", ["possible"]),
    ("Officials said the troops had allegedly withdrawn.", "possible", ["allegedly"]),
    ("The troops have reportedly withdrawn, officials said.", "reported", ["reportedly"]),
    # hedges do not raise a weaker cue
    ("Officials believe the troops have probably withdrawn.", "believed", ["probably"]),
    # impersonal and raised passives: no source
    ("It is believed that the troops withdrew.", "believed", []),
    ("It is said that the troops withdrew.", "reported", []),
    ("The troops are believed to have withdrawn.", "believed", []),
    ("He is said to have fled the country.", "reported", []),
    ("It is expected that the troops will withdraw.", "likely", []),
    # hearsay sources
    ("According to reports, the troops withdrew.", "reported", []),
    ("According to unconfirmed reports, the troops withdrew.", "possible", []),
    ("Reports said the troops withdrew.", "reported", []),
    ("The report by CNN said the troops withdrew.", "asserted", []),
]


@pytest.mark.parametrize(("text", "level", "hedges"), SENTENCES, ids=[s[0] for s in SENTENCES])
def test_certainty(text: str, level: Certainty, hedges: list[str]) -> None:
    first = analyze(text).attributions[0]
    assert first.certainty == level
    assert [h.text for h in first.hedges] == hedges


def test_raised_passive_keeps_both_parts_of_the_content_and_its_figure() -> None:
    result = analyze("About 500 North Korean troops are believed to have been killed.")
    (statement,) = result.attributions
    assert statement.source is None and statement.style == "unattributed"
    assert statement.content.text == "About 500 North Korean troops … to have been killed"
    (claim,) = result.claims
    assert (claim.measure, claim.certainty, claim.quantity.value) == ("killed", "believed", 500)


def test_a_claim_takes_the_certainty_of_its_statement() -> None:
    result = analyze("Officials said 200 soldiers may have been captured.")
    (claim,) = result.claims
    assert claim.certainty == "possible"


levels = st.sampled_from(CERTAINTY_ORDER)


@given(st.lists(levels, max_size=6))
def test_weakest_is_one_of_the_levels_and_no_stronger_than_any(found: list[Certainty]) -> None:
    level = weakest(*found)
    assert level in (found or ["asserted"])
    assert all(CERTAINTY_ORDER.index(level) >= CERTAINTY_ORDER.index(x) for x in found)


@given(levels, levels)
def test_weakest_is_symmetric(a: Certainty, b: Certainty) -> None:
    assert weakest(a, b) == weakest(b, a)
