"""A figure's modality (reported, projection, potential, conditional) and its rate, read
from sentences written for these tests in the style of news reports."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger import lexicon
from claimledger.extract import analyze
from claimledger.nlp.figures.modality import decide_modality


def _claims(text: str) -> list[tuple[str, str | None]]:
    claims = analyze(text, published=dt.date(2025, 3, 4)).claims
    return [(c.modality, c.rate.per if c.rate is not None else None) for c in claims]


# (sentence, [(modality, rate period) for each claim, in the order of the text])
MODALITIES = [
    # counts of what happened
    ("Officials said 300 soldiers were killed on Tuesday.", [("reported", None)]),
    ("The coast guard said 18 migrants could not be found.", [("reported", None)]),
    ("The agency said the ferry may have been carrying as many as 620 people.",
     [("reported", None)]),
    ("Analysts said the number affected could be as high as 20,000 soldiers.",
     [("reported", None)]),
    # projections: a forecast word, a modal on an outcome, a deadline to come
    ("The survey projected that thousands could be dead in the landslide.",
     [("projection", None)]),
    ("The death toll is likely to be at least 4,000, according to the agency.",
     [("projection", None)]),
    ("The governor said the toll is at 212, with the figure expected to exceed 300.",
     [("reported", None), ("projection", None)]),
    ("Analysts said the 9,000 conscripts could all be killed by spring.",
     [("projection", None)]),
    ("Engineers warned that the toll could rise to 500.", [("projection", None)]),
    ("The agency estimates a 20% chance of more than 1,000 deaths.",
     [("projection", None), ("projection", None)]),
    ("He said 200 more soldiers will be deployed next week.", [("projection", None)]),
    # a figure stated on its own after "with" is not hedged by the clause above it
    ("The storm is expected to be among the costliest, with damage already exceeding "
     "$40 billion, insurers said.", [("reported", None)]),
    # a possibility of an action
    ("Officials said Pyongyang may send as many as 10,000 more troops.",
     [("potential", None)]),
    # a condition
    ("If the dam fails, 5,000 people would be displaced, the governor said.",
     [("conditional", None)]),
    # rates
    ("The army says that dozens of fighters are killed daily in the valley.",
     [("reported", "day")]),
    ("The report said an average of four people died and 15 people were injured every day.",
     [("reported", "day"), ("reported", "day")]),
    ("The mission said 120 civilians were killed and 430 injured per month in 2024.",
     [("reported", "month"), ("reported", "month")]),
    ("The ministry said Ruritania loses about 900 soldiers a day.", [("reported", "day")]),
    ("Losses peaked in March, with a daily high of 1,740 troops lost, the ministry said.",
     [("reported", "day")]),
    # not rates
    ("Officials said 40 people were killed in a day of shelling.", [("reported", None)]),
    ("The ministry said 12 people died, and aid arrives every day.", [("reported", None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MODALITIES, ids=[t[:50] for t, _ in MODALITIES])
def test_modality_and_rate_of_each_figure(
    text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(
    ("cues", "modality"),
    [
        (set(), "reported"),
        ({"would"}, "reported"),  # "would" alone ties, and a tie keeps "reported"
        ({"modal"}, "potential"),
        ({"modal", "modal_outcome"}, "projection"),
        ({"forecast"}, "projection"),
        ({"condition", "would"}, "conditional"),
        ({"condition", "modal", "modal_outcome"}, "conditional"),
    ],
)
def test_the_modality_decision_adds_up_the_weights_in_modality_toml(
    cues: set[str], modality: str
) -> None:
    assert decide_modality(cues) == modality


def test_every_modality_cue_and_rate_period_loads() -> None:
    cues = {row["cue"] for row in lexicon.rows("modality.cues")}
    assert {"bias", "modal", "modal_outcome", "forecast", "future", "condition"} <= cues
    periods = {row["word"]: row["per"] for row in lexicon.rows("modality.rate_periods")}
    assert periods["daily"] == "day" and periods["month"] == "month"
