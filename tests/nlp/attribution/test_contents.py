"""What a cue introduces, and where it ends."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from claimledger.extract import analyze


def test_contrasting_reports_are_not_nested() -> None:
    result = analyze(
        "Police said 1.5 million people attended, while organisers said twelve thousand "
        "people marched."
    )
    assert [a.parent for a in result.attributions] == [None, None]
    assert [c.quantity.low for c in result.claims] == [1_500_000, 12_000]


def test_a_speech_participle_carries_the_content_not_the_object() -> None:
    text = "The general praised the troops, saying “You held the line.”"
    (a,) = analyze(text).attributions
    assert a.cue.text == "saying" and a.style == "direct"


@dataclass(frozen=True)
class Content:
    text: str
    cue: str
    content: str  # the content and its further parts, joined by " … "


CONTENTS = [
    # a list of clauses after the cue: one content
    Content(
        "The agency estimates that 35% of the displaced are children, 12% are elderly and 4% "
        "are disabled.",
        "estimates",
        "that 35% of the displaced are children, 12% are elderly and 4% are disabled",
    ),
    # an object, a comma and a clause: both what was learned
    Content(
        "Researchers learned of 212 such attacks, 14 aid workers had been killed.",
        "learned",
        "212 such attacks, 14 aid workers had been killed",
    ),
    # the reporting clause hung on the clause it reports: the clause, not the day
    Content(
        "The number of dead stands at 1,480, the interior minister said on Monday.",
        "said",
        "The number of dead stands at 1,480",
    ),
    # ... and the rest of that clause after the reporting clause
    Content(
        "Turnout was higher than in 2019, Ms. Okafor said, because the polling stations "
        "stayed open later.",
        "said",
        "Turnout was higher than in 2019 … because the polling stations stayed open later",
    ),
    # a participle with a figure after what a reporting verb reports
    Content(
        "The health ministry reported 37 new deaths in the past day, bringing the toll to 12,904.",
        "reported",
        "37 new deaths … bringing the toll to 12,904",
    ),
    # a "with" phrase with a figure after the cue
    Content(
        "The fire has burned 5,200 acres, the fire chief said, with more than 400 homes destroyed.",
        "said",
        "The fire has burned 5,200 acres … with more than 400 homes destroyed",
    ),
    # a contrasting clause with a figure and no cue of its own
    Content(
        "Officials said the northern fire was 40% contained, while the southern fire had "
        "burned 9,800 acres.",
        "said",
        "the northern fire was 40% contained, while the southern fire had burned 9,800 acres",
    ),
    # what a relative pronoun object stands for: the clause before the relative clause
    Content(
        "The toll rose to 86, which the ministry reported on Sunday.",
        "reported",
        "The toll rose to 86",
    ),
    Content(
        "Divers recovered 31 bodies, which the port authority later confirmed.",
        "later confirmed",
        "Divers recovered 31 bodies",
    ),
    # more of what was noted: a second object, a counted conjunct
    Content(
        "The monitors noted three fatalities and 22 people wounded.",
        "noted",
        "three fatalities and 22 people wounded",
    ),
    # what someone is blamed for runs on to no participle, even one with a figure
    Content(
        "The engineers have been blamed for the collapse of the bridge, killing 14 commuters.",
        "have been blamed for",
        "the collapse of the bridge",
    ),
]


@pytest.mark.parametrize("case", CONTENTS, ids=[c.text[:40] for c in CONTENTS])
def test_content_parts(case: Content) -> None:
    (a,) = [a for a in analyze(case.text).attributions if a.cue.text == case.cue]
    assert a.content.text == case.content


def test_a_time_after_the_cue_is_never_a_content() -> None:
    result = analyze("The spokesman commented on Wednesday.")
    assert all("Wednesday" not in a.content.text for a in result.attributions)


def test_the_day_of_saying_before_a_comma_is_no_object_of_a_comma_splice() -> None:
    (a,) = analyze(
        "The governor said on Thursday, March 6, that 2,100 homes had been flooded."
    ).attributions
    assert a.content.text == "that 2,100 homes had been flooded"
    assert a.stated is not None
