"""Candidates and the cue decision: which verbs and nouns attribute, with or without the
learned model."""

from __future__ import annotations

import pytest

from claimledger.extract import analyze
from claimledger.nlp.attribution import find_attributions
from claimledger.nlp.cuemodel import load_cue_model
from claimledger.nlp.pipeline import load_pipeline


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The senator criticized the new budget plan.", "criticized", "the new budget plan"),
        ("Trump called the report a hoax.", "called", "the report a hoax"),
    ],
)
def test_verbs_annotators_treat_as_attributing_take_their_object(
    text: str, cue: str, content: str
) -> None:
    (a,) = analyze(text).attributions
    assert (a.cue.text, a.content.text) == (cue, content)


def test_a_claim_noun_attributes_its_that_clause_to_the_possessor() -> None:
    result = analyze("The senator repeated her claim that 300 soldiers were captured.")
    noun = next(a for a in result.attributions if a.cue.kind == "noun")
    assert noun.content.text == "that 300 soldiers were captured"
    assert noun.source is not None
    assert (noun.source.resolved_from, noun.source.entity) == ("her", "senator")
    (claim,) = result.claims
    assert claim.attribution == noun.id and claim.measure == "captured"


def test_without_a_model_the_lexicons_decide() -> None:
    doc = load_pipeline()("The senator wants to repeal the law. The minister said it failed.")
    rules = [a.cue.text for a in find_attributions(doc, None)]
    learned = [a.cue.text for a in find_attributions(doc, load_cue_model())]
    assert rules == ["said"]
    assert learned == ["wants", "said"]


def test_a_report_nested_in_a_report_is_kept_whatever_the_model_says() -> None:
    doc = load_pipeline()("CNN reported that the general said that 300 soldiers were captured.")
    cues = [a.cue.text for a in find_attributions(doc, load_cue_model())]
    assert cues == ["reported", "said"]


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        (
            "The health ministry recorded 52 more deaths over the weekend.",
            "recorded",
            "The health ministry",
            "52 more deaths over the weekend",
        ),
        (
            "The agency has registered more than 9,000 arrivals since January.",
            "has registered",
            "The agency",
            "more than 9,000 arrivals",
        ),
        (
            "Monitors documented 1,204 civilian deaths in the region.",
            "documented",
            "Monitors",
            "1,204 civilian deaths in the region",
        ),
        (
            "The agency recorded 29 more deaths overnight, highlighting the risk to children.",
            "recorded",
            "The agency",
            "29 more deaths",
        ),
        (
            "Reports from local sheriffs and media have put the number of flood deaths "
            "outside the county at 31.",
            "have put",
            "Reports from local sheriffs and media",
            "the number of flood deaths outside the county at 31",
        ),
        (
            "The mission is also aware of 64 reported cases of torture.",
            "is also aware of",
            "The mission",
            "64 reported cases of torture",
        ),
    ],
)
def test_a_body_that_keeps_count_gives_its_figure(
    text: str, cue: str, source: str, content: str
) -> None:
    (a,) = analyze(text).attributions
    assert (a.cue.text, a.cue.kind, a.content.text) == (cue, "indicate", content)
    assert a.source is not None and a.source.text == source
    assert [c.attribution for c in analyze(text).claims] == [a.id]


@pytest.mark.parametrize(
    "text",
    [
        "Twelve hospitals recorded 40 admissions.",  # a counted group keeps no count
        "She is aware of the risks.",  # no figure
        "He put 300 chairs on the stage.",  # "put" counts only with "at"
        "The floods have registered 14 victims.",  # an event is no speaker
    ],
)
def test_count_cues_need_a_speaker_and_a_figure(text: str) -> None:
    assert analyze(text).attributions == ()


@pytest.mark.parametrize(
    "text",
    [
        # a capitalised event opening the sentence is no more a speaker than a plain one
        "Wildfires in the valley have claimed 23 lives.",
        "Evacuations ordered as the river rises past 9 metres",
    ],
)
def test_events_are_no_speakers(text: str) -> None:
    assert analyze(text).attributions == ()


def test_a_named_bodys_figure_inside_a_quote_is_its_report_relayed_by_the_speaker() -> None:
    text = (
        "“The Red Cross and local doctors visited the camps this week and report that 140 "
        "people have died,” the spokesman said."
    )
    result = analyze(text)
    inner = next(a for a in result.attributions if a.cue.text == "report")
    assert inner.source is not None and inner.source.text == "The Red Cross and local doctors"
    assert [v.text for v in inner.via] == ["the spokesman"]
    (claim,) = result.claims
    assert claim.attribution == inner.id


def test_a_change_in_a_tally_is_no_speaker() -> None:
    text = "The number missing is now four, a sharp drop from the nearly 90 officials had reported."
    sources = [a.source.text for a in analyze(text).attributions if a.source is not None]
    assert not any("drop" in source for source in sources)


@pytest.mark.parametrize(
    "text",
    [
        "Most were confirmed to be safe by Sunday.",
        "Inspectors counted the cells, and three prisoners were later found dead.",
    ],
)
def test_what_was_found_or_confirmed_is_no_speaker(text: str) -> None:
    cues = [a.cue.text for a in analyze(text).attributions]
    assert not [cue for cue in cues if cue.endswith(("found", "confirmed"))]


def test_a_headline_word_is_no_count_cue() -> None:
    result = analyze(
        "Rebels Seize Record 40 Villages in Overnight Push\nThe army said it would respond."
    )
    assert all(a.cue.text.lower() != "record" for a in result.attributions)
