"""Figures outside every attribution's content: the outlet's own (attribution null), carried
from the statement the article goes on with, or background that is no claim at all."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract import analyze
from claimledger.extract.scope import score
from claimledger.records import Analysis

PUBLISHED = dt.date(2024, 11, 4)

OUTLET = None  # the claim's attribution is null: the outlet says it itself


def _figures(analysis: Analysis) -> list[tuple[str, str | None]]:
    """(figure as written, its attribution's source; None for the outlet's own voice)."""
    by_id = {a.id: a for a in analysis.attributions}
    found = []
    for claim in analysis.claims:
        attribution = by_id.get(claim.attribution) if claim.attribution else None
        source = None
        if attribution is not None:
            source = attribution.source.text if attribution.source is not None else ""
        found.append((claim.quantity.text.strip(), source))
    return found


# (article text, its claims in text order: figure and source, OUTLET for the outlet's own)
OUTLET_VOICE = [
    # a lead with no cue
    ("At least 31 people have died after flash floods swept through the valley.\n"
     "The regional governor said on Sunday that rescuers were still searching.",
     [("At least 31", OUTLET)]),
    # a headline above the attributed lead
    ("Flash floods kill 31 people in mountain town\nAt least 31 people have died in "
     "Valbrook, the regional governor said on Sunday.",
     [("31", OUTLET), ("At least 31", "the regional governor")]),
    # a bullet summary
    ("Overview\n- More than 40,000 residents have been evacuated.\n"
     "- At least 12 people have died, officials said.",
     [("More than 40,000", OUTLET), ("At least 12", "officials")]),
    # a cue in a clause hanging off the figure's own is not the figure's source
    ("At least 12 people died in the fire, with officials warning that the toll could rise.",
     [("At least 12", OUTLET)]),
    # a figure the attribution reader took for a speaker is the outlet's, not its own
    ("The toll could be much higher, with many thousands believed to still be under the "
     "rubble.", [("many thousands", OUTLET)]),
    # a new paragraph with its own speaker keeps that speaker
    ("The coast guard said on Friday that it had rescued 112 migrants.\n\n"
     "At least 60 people remain missing, according to a local hospital.",
     [("112", "The coast guard"), ("At least 60", "a local hospital")]),
]  # fmt: skip

CARRIED = [
    # the next sentence goes on with the statement
    ("The coast guard said on Friday that it had rescued 112 migrants. Another 40 migrants "
     "were taken to hospital in Pyrgos.",
     [("112", "The coast guard"), ("40", "The coast guard")]),
    ("The coast guard said on Friday that it had rescued 112 migrants.\n\n"
     "Still, at least 60 people remain missing.",
     [("112", "The coast guard"), ("at least 60", "The coast guard")]),
    ("The mission said it had recorded 900 civilian deaths since January. Among the dead "
     "are 120 children.",
     [("900", "The mission"), ("120", "The mission")]),
    # the next statement speaks of the figures just given
    ("Since March, there have been 4,200 civilian casualties in the province.\n"
     "“We know the real figures are much higher,” said Ana Ruiz, the head of the UN mission.",
     [("4,200", "Ana Ruiz, the head of the UN mission")]),
    # a figure outside the content in the cue's own sentence
    ("At least 12 people died in the fire, officials said.", [("At least 12", "officials")]),
]  # fmt: skip

BACKGROUND = [
    # a place's size
    "The quake struck near Dessa, a town of 25,000 residents.",
    "The province is home to 17 million people.",
    # a figure of an earlier event, for comparison
    "The fire burned through the valley. In 2019, 44 people died in the Ridge fire.",
    "The storm hit the coast on Sunday. In July, 15 people died in a similar storm.",
    # measures, adjectives, years, names, list numbers
    "The boat sank about 40 miles north of the island.",
    "A six-story building collapsed in the centre.",
    "The 7.1 magnitude quake struck at dawn.",
    "It was the worst flood since the 1998 disaster.",
    "The militia captured Route 66 and Camp 4 on Monday.",
    "The top 10 officials met on Monday.",
    "She was the No. 2 official in the ministry.",
    # how a report was made, things that are not counted
    "The report is based on 1,300 interviews with witnesses.",
    "That is one reason the toll is uncertain.",
    "Rescuers are searching the two valleys.",
]


@pytest.mark.parametrize(("text", "claims"), OUTLET_VOICE + CARRIED)
def test_figures_outside_every_content_and_whose_they_are(
    text: str, claims: list[tuple[str, str | None]]
) -> None:
    assert _figures(analyze(text, published=PUBLISHED)) == claims


@pytest.mark.parametrize("text", BACKGROUND)
def test_background_figures_are_no_claims(text: str) -> None:
    assert _figures(analyze(text, published=PUBLISHED)) == []


def test_a_breakdown_of_a_figure_is_not_a_claim_of_its_own() -> None:
    text = "Fourteen people – 11 men and three women – were found dead on Sunday."
    assert _figures(analyze(text, published=PUBLISHED)) == [("Fourteen", OUTLET)]


def test_the_outlets_own_claims_are_asserted_and_carried_ones_keep_the_statements_certainty() -> (
    None
):
    text = (
        "At least 31 people have died in the floods.\n"
        "Officials said on Sunday that 200 homes were probably destroyed. Another 40 homes "
        "were damaged."
    )
    analysis = analyze(text, published=PUBLISHED)
    own, said, carried = analysis.claims
    assert (own.attribution, own.certainty) == (None, "asserted")
    assert carried.attribution == said.attribution
    assert carried.certainty == said.certainty


def test_no_figure_comes_from_page_furniture() -> None:
    text = (
        " date 2024-11-02 Landslide kills 14 people\n37 COMMENTS\nBy Ana Ruiz\n\n"
        "At least 14 people died in the landslide, police said."
    )
    assert _figures(analyze(text, published=PUBLISHED)) == [
        ("14", OUTLET),
        ("At least 14", "police"),
    ]


def test_glued_sentences_each_have_their_claims() -> None:
    text = "Dozens of homes were flooded.Rescuers said 40 people were missing."
    assert _figures(analyze(text, published=PUBLISHED)) == [("40", "Rescuers")]


# (decision, cues that hold, whether the figure is kept / carried) — the weights as data
SCORES = [
    ("reportable", set(), True),  # a counted noun alone is news
    ("reportable", {"unit"}, False),
    ("reportable", {"measure", "population"}, False),
    ("reportable", {"people", "vague_other"}, False),
    ("carry", set(), False),  # the outlet's own unless a cue says otherwise
    ("carry", {"same_sentence"}, True),
    ("carry", {"same_sentence", "cue_subordinate"}, False),
    ("carry", {"previous_sentence", "same_paragraph"}, False),
    ("carry", {"previous_sentence", "same_paragraph", "opener"}, True),
    ("carry", {"previous_sentence", "opener", "headline"}, False),
]


@pytest.mark.parametrize(("decision", "cues", "kept"), SCORES)
def test_the_decisions_add_up_their_cues(decision: str, cues: set[str], kept: bool) -> None:
    assert (score(decision, cues) > 0) is kept
