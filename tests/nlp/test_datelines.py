"""The datelines component: a wire dateline opening a paragraph is a sentence of its own,
so the city never joins the source."""

from __future__ import annotations

import pytest

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
