"""The datelines component: a wire dateline opening a paragraph is a sentence of its own,
so the city never joins the source; sentences the page runs together are apart; page
furniture is marked and gives no time."""

from __future__ import annotations

import pytest

from claimledger.nlp.attribution import TIME_SPANS_KEY
from claimledger.nlp.datelines import FURNITURE_KEY
from claimledger.nlp.pipeline import load_pipeline

# (article text, the source the statement must get)
DATELINES = [
    ("KYIV (Reuters) - Ukraine's military said on Monday that 300 soldiers were killed.",
     "Ukraine's military"),
    ("SEOUL, South Korea (AP) — The spy agency said on Monday that 100 soldiers died.",
     "The spy agency"),
    ("MOSCOW -- The ministry said on Monday that no soldiers were captured.", "The ministry"),
    ("Title line\nNEW YORK (Wire) – The mayor said on Monday that 3 people were hurt.",
     "The mayor"),
    # not a dateline: an ordinary sentence with a dash keeps its parse
    ("NATO officials said on Monday - in a statement - that 40 soldiers were captured.",
     "NATO officials"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "source"), DATELINES)
def test_a_wire_dateline_is_not_part_of_the_source(text: str, source: str) -> None:
    doc = load_pipeline()(text)
    sources = [a.source.text for a in doc._.claimledger_attributions if a.source is not None]
    assert sources[:1] == [source]


# (text, the sentences the parser must see) — sentences run together on the page
GLUED_SENTENCES = [
    ("Dozens of homes were flooded.Rescuers said 40 people were missing.",
     ["Dozens of homes were flooded.", "Rescuers said 40 people were missing."]),
    ('He spoke to the broadcaster RTV."This winter, we lost 300 men," the commander said.',
     ["He spoke to the broadcaster RTV.", '"This winter, we lost 300 men," the commander said.']),
    ("Police arrested 12 protesters.According to the police, 3 officers were hurt.",
     ["Police arrested 12 protesters.", "According to the police, 3 officers were hurt."]),
    ("The army said 20 soldiers died.“We mourn them,” its chief said.",
     ["The army said 20 soldiers died.", "“We mourn them,” its chief said."]),
    # abbreviations and initials stay whole
    ("U.S. officials said J.R. Hollis had resigned.",
     ["U.S. officials said J.R. Hollis had resigned."]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "sentences"), GLUED_SENTENCES)
def test_a_full_stop_with_no_space_after_it_ends_a_sentence(
    text: str, sentences: list[str]
) -> None:
    doc = load_pipeline()(text)
    assert [s.text.strip() for s in doc.sents] == sentences
    assert "".join(t.text_with_ws for t in doc) == text


# (text, the first sentence) — a headline with no full stop above the first sentence
LINE_BREAKS = [
    ("Floods kill 40 in river valley\nThe regional governor said 40 people had died.",
     "Floods kill 40 in river valley"),
    ("Storm toll rises to 12\n- More than 3,000 homes have lost power.", "Storm toll rises to 12"),
    ("Quake: 'Hundreds feared dead' | Live updates\n“We are digging by hand,” a rescuer said.",
     "Quake: 'Hundreds feared dead' | Live updates"),
    # a line that cannot end a sentence runs on
    ("Officials in the\nnorthern province said 30 people were hurt.",
     "Officials in the\nnorthern province said 30 people were hurt."),
    ("The mayor of the\nCity said 30 people were hurt.",
     "The mayor of the\nCity said 30 people were hurt."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "first"), LINE_BREAKS)
def test_a_line_with_no_final_punctuation_is_a_sentence_of_its_own(text: str, first: str) -> None:
    doc = load_pipeline()(text)
    assert next(iter(doc.sents)).text.strip() == first


# (text, the furniture it holds, a sentence that must stay whole)
FURNITURE = [
    (" date 2024-11-02 At least 14 people died in the landslide, police said.",
     ["date 2024-11-02"], "At least 14 people died in the landslide, police said."),
    (" date 2024-11 Landslide kills 14\n\nPolice said 14 people died.",
     ["date 2024-11"], "Landslide kills 14"),
    ("Landslide kills 14\n37 COMMENTS\nBy Ana Ruiz and Tom Baker\nUpdated 5 hours ago\n"
     "Police said 14 people died.",
     ["37 COMMENTS", "By Ana Ruiz and Tom Baker", "Updated 5 hours ago"],
     "Police said 14 people died."),
    ("6 min read\nPublished: Nov. 2, 2024 10:15 a.m.\nPolice said 14 people died.",
     ["6 min read", "Published: Nov. 2, 2024 10:15 a.m."], "Police said 14 people died."),
    ("Rescuers dig in the mud. (Photo: Wire Agency)\nPolice said 14 people died.",
     ["(Photo: Wire Agency)"], "Police said 14 people died."),
    ("![Rescuers](/media/2024/11/02/1457.jpg)\nPolice said 14 people died. "
     "pic.twitter.com/x7Yq2",
     ["![Rescuers](/media/2024/11/02/1457.jpg)", "pic.twitter.com/x7Yq2"],
     "Police said 14 people died."),
    # furniture inside a running sentence does not end it
    ("Police said (https://example.org/slide-report) that 14 people died.",
     ["https://example.org/slide-report"],
     "Police said (https://example.org/slide-report) that 14 people died."),
    # a block tag ends a sentence wherever it is
    ("<p>Landslide kills 14</p> <p>Police said 14 people died.</p>",
     ["<p>", "</p>", "<p>", "</p>"], "Police said 14 people died."),
    # not furniture: a sentence that begins like it
    ("By Tuesday, 14 people had died.", [], "By Tuesday, 14 people had died."),
    ("Updated figures show 14 people died.", [], "Updated figures show 14 people died."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "furniture", "sentence"), FURNITURE)
def test_page_furniture_is_marked_and_kept_apart(
    text: str, furniture: list[str], sentence: str
) -> None:
    doc = load_pipeline()(text)
    assert [s.text for s in doc.spans[FURNITURE_KEY]] == furniture
    assert sentence in [s.text.strip() for s in doc.sents]


def test_no_time_expression_is_read_from_furniture() -> None:
    doc = load_pipeline()(" date 2024-11-02 Police said on Friday that 14 people died.")
    assert [s.text for s in doc.spans[TIME_SPANS_KEY]] == ["Friday"]
    (statement,) = doc._.claimledger_attributions
    assert statement.stated is not None and statement.stated.text == "Friday"
