"""Speakers the layout names: a name and a colon opening a line, a quote signed with a
dash, and the labels that look like speakers but are not."""

from __future__ import annotations

import pytest

from claimledger.extract import analyze
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


@pytest.mark.parametrize(
    "text",
    [
        # a place the recogniser knows
        "Paris: The strike closed 40 schools on Tuesday.",
        # a place the text names as one elsewhere
        "Kherson: Shelling damaged 35 houses overnight. In Kherson, power was cut.",
    ],
)
def test_a_dateline_is_not_a_speaker(text: str) -> None:
    result = analyze(text)
    assert all(a.cue.text != ":" for a in result.attributions)
    assert result.claims and result.claims[0].attribution is None


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("“Losses remained high throughout the spring”, points out the document.", "the document"),
        ("The figures are provisional, stresses the report.", "the report"),
        ("“We will rebuild,” notes the governor of the province.", "the governor of the province"),
    ],
)
def test_a_speaker_named_after_its_cue_verb(text: str, source: str) -> None:
    (a,) = analyze(text).attributions
    assert a.source is not None and a.source.text == source


def test_an_embedded_post_is_its_accounts() -> None:
    text = (
        "Sirens sounded across the capital overnight.\n"
        "Heavy night again. More than 30 towns were hit and 400 drones launched. "
        "pic.twitter.com/abc123\n"
        "— Olena Marchuk (@olena_m) March 3, 2025\n"
        "The mayor said 12 people were hurt."
    )
    result = analyze(text)
    post = result.attributions[0]
    assert post.source is not None and post.source.text == "Olena Marchuk"
    assert post.content.text.startswith("Heavy night again.")
    assert post.channel is not None and post.channel.kind == "social-post"
    assert [c.attribution for c in result.claims[:2]] == [post.id, post.id]


@pytest.mark.parametrize(
    "text",
    [
        "Floods in the north\nRegional officials said 40 villages were cut off.",
        "By Maria Lopez, Staff Writer\nRegional officials said 40 villages were cut off.",
    ],
)
def test_a_headline_or_byline_above_is_no_part_of_the_source(text: str) -> None:
    (a,) = analyze(text).attributions
    assert a.source is not None and a.source.text == "Regional officials"


def test_a_named_speaker_the_parser_took_into_the_content() -> None:
    text = "In the north, 1,400 families lost their homes, Daniel Osei, a Red Cross official, said."
    (a,) = analyze(text).attributions
    assert a.source is not None and a.source.text == "Daniel Osei, a Red Cross official"
    assert a.content.text == "In the north, 1,400 families lost their homes"


def test_a_cue_verb_written_twice_keeps_its_speaker() -> None:
    text = (
        "In a speech on state television, the general said also said there were 310 people "
        "injured and 52 missing."
    )
    (a,) = analyze(text).attributions
    assert a.source is not None and a.source.text == "the general"
