"""The role tagger fused with the parse: how it moves a content's end and adds the
attributions the parse has no candidate for. The roles here are made up, so nothing needs
torch."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from claimledger.nlp.attribution.roles import tagged_attributions, tagged_end
from claimledger.nlp.pipeline import load_model

SENTENCE = "He said the plan failed, and the talks ended in March."


@pytest.mark.parametrize(
    ("content_words", "tagged_content", "tagged_cue", "expected"),
    [
        # the tagger agrees with the parse: nothing moves
        ("the plan failed", "the plan failed", "", "the plan failed"),
        # the tagger reads the whole rest of the sentence as content
        (
            "the plan failed",
            "the plan failed , and the talks ended in March",
            "",
            "the plan failed, and the talks ended in March",
        ),
        # the tagger says the clause after the comma is not content
        (
            "the plan failed, and the talks ended in March",
            "the plan failed",
            "",
            "the plan failed",
        ),
        # the tagger takes "ended" for another cue: the content stops before it
        (
            "the plan failed",
            "the plan failed , and the talks in March",
            "ended",
            "the plan failed, and the talks",
        ),
    ],
)
def test_tagged_end(
    content_words: str, tagged_content: str, tagged_cue: str, expected: str
) -> None:
    doc = load_model()(SENTENCE)
    start = 2
    end = start + len(load_model().tokenizer(content_words))
    content_set, cue_set = set(tagged_content.split()), set(tagged_cue.split())
    roles = [
        (0.9 if t.text in cue_set else 0.0, 0.0, 0.9 if t.text in content_set else 0.1) for t in doc
    ]
    roles[1] = (0.95, 0.0, 0.0)  # "said"
    moved = tagged_end(doc[start:end], doc[:], roles, exclude=(1, doc[0]))
    assert moved.text == expected


def test_the_content_never_runs_over_its_own_cue_and_source() -> None:
    doc = load_model()("The plan failed, the minister said on Monday.")
    roles = [(0.0, 0.0, 0.9)] * len(doc)
    moved = tagged_end(doc[0:3], doc[:], roles, exclude=(5, doc[4]))
    assert moved.text == "The plan failed"


def _roles_for(doc: Doc, cue: str, source: str, content: str) -> list[tuple[float, float, float]]:
    words = [set(cue.split()), set(source.split()), set(content.split())]
    return [tuple(0.9 if t.text in w else 0.1 for w in words) for t in doc]  # type: ignore[misc]


def test_the_tagger_adds_an_attribution_the_parse_has_no_candidate_for() -> None:
    doc = load_model()("He was adamant the plan would fail.")
    roles = _roles_for(doc, "adamant", "He", "the plan would fail")
    (found,) = tagged_attributions(doc, roles, [])
    assert (found.cue.text, found.source and found.source.text, found.content.text) == (
        "adamant",
        "He",
        "the plan would fail",
    )


@pytest.mark.parametrize(
    ("cue", "content"),
    [
        ("adamant", "plan would"),  # content shorter than three words
        ("", "the plan would fail"),  # no cue word
    ],
)
def test_the_tagger_adds_nothing_without_a_cue_and_a_content(cue: str, content: str) -> None:
    doc = load_model()("He was adamant the plan would fail.")
    assert tagged_attributions(doc, _roles_for(doc, cue, "He", content), []) == []


def test_the_tagger_adds_nothing_where_an_attribution_was_found() -> None:
    doc = load_model()("He was adamant the plan would fail.")
    roles = _roles_for(doc, "adamant", "He", "the plan would fail")
    (first,) = tagged_attributions(doc, roles, [])
    assert tagged_attributions(doc, roles, [first]) == []
