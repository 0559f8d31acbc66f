"""Speakers the layout names: a name and a colon opening a line, a quote signed with a
dash, and the labels that look like speakers but are not."""

from __future__ import annotations

import pytest

from claimledger.nlp.attribution import find_attributions
from claimledger.nlp.cuemodel import load_cue_model
from claimledger.nlp.pipeline import load_pipeline


@pytest.mark.parametrize(
    ("text", "source", "cue", "content"),
    [
        (
            "WALLACE: Let's start with the debate.\nPENCE: Well, look at the polls.",
            "WALLACE",
            ":",
            "Let's start with the debate",
        ),
        (
            "Pat Caddell: Democrat Voters Worried About Health\n",
            "Pat Caddell",
            ":",
            "Democrat Voters Worried About Health",
        ),
        (
            "“We deserve better than this.” ― Carla Sanchez\n",
            "Carla Sanchez",
            "―",
            "“We deserve better than this.”",
        ),
    ],
)
def test_layout_attributions(text: str, source: str, cue: str, content: str) -> None:
    found = find_attributions(load_pipeline()(text), load_cue_model())
    first = found[0]
    assert first.source is not None and first.source.text == source
    assert (first.cue.text, first.content.text) == (cue, content)
    assert first.style == "direct"


@pytest.mark.parametrize("text", ["UPDATE: The vote was delayed.", "Watch: The full speech."])
def test_line_labels_are_not_speakers(text: str) -> None:
    assert find_attributions(load_pipeline()(text), load_cue_model()) == []
