"""Quoted contents: adjacent, resumed, unclosed, and quote marks of every style."""

from __future__ import annotations

import pytest

from claimledger.extract import analyze
from claimledger.nlp.attribution import find_attributions
from claimledger.nlp.cuemodel import load_cue_model
from claimledger.nlp.pipeline import load_pipeline


@pytest.mark.parametrize(
    "text",
    [
        "“The border is closed,” the minister said. “Nobody will cross it.”",
        "“The border is closed,” the minister said, “and nobody will cross it.”",
    ],
)
def test_a_quote_resumed_after_the_cue_is_part_of_the_same_content(text: str) -> None:
    (a,) = analyze(text).attributions
    assert len(a.content.spans) == 2
    assert [text[s:e] for s, e in a.content.spans][1].startswith("“")


def test_a_resumed_quote_with_its_own_cue_is_not_taken() -> None:
    text = "“The border is closed,” the minister said. “It is open,” the mayor replied."
    first, second = analyze(text).attributions
    assert len(first.content.spans) == 1
    assert second.source is not None and second.source.entity == "mayor"


def test_an_unclosed_quote_stops_at_the_paragraph_end() -> None:
    text = 'The mayor said: "We will rebuild.\n\nThe council met on Monday. "Fine," it said.'
    result = analyze(text)
    first = result.attributions[0]
    assert "council" not in first.content.text


def test_two_apostrophes_quote_like_a_double_quote() -> None:
    doc = load_pipeline()("''We are here to stay,'' the mayor said.")
    (found,) = find_attributions(doc, load_cue_model())
    assert found.content.text == "''We are here to stay,''"
    assert found.style == "direct"
