"""Figures as real reporting writes them: every figure of a sentence, with its measure and
interval. The sentences are written for these tests in the style of wire copy."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract import analyze

# (sentence, [(measure, low, high), ...] in the order of the text)
LISTS = [
    # a bare number's measure is the word right after it ("adjacent")
    ("The ministry said 310 people had been killed and 1,900 injured in the shelling.",
     [("killed", 310, 310), ("wounded", 1900, 1900)]),
    ("The UN said the fighting had left 2,300 dead, 5,100 wounded and 380 missing.",
     [("killed", 2300, 2300), ("wounded", 5100, 5100), ("missing", 380, 380)]),
    ("Aid groups said 6,200 people remain missing and 900 reported injured.",
     [("missing", 6200, 6200), ("wounded", 900, 900)]),
    ("The prefect said 310 people were killed and 1,900 injured, while 450 remain missing.",
     [("killed", 310, 310), ("wounded", 1900, 1900), ("missing", 450, 450)]),
    ("Officials said the casualties numbered 4,800, including 1,300 dead and 3,500 injured.",
     [("killed_or_wounded", 4800, 4800), ("killed", 1300, 1300), ("wounded", 3500, 3500)]),
    ("Health officials said the toll rose to 4,210, with 12,730 reported injured.",
     [("killed", 4210, 4210), ("wounded", 12730, 12730)]),
    # "killed or wounded" right after the noun is one measure, not its first word
    ("Commanders said 8,000 soldiers were killed or wounded.",
     [("killed_or_wounded", 8000, 8000)]),
    # a participle on the noun stays a participle: the verb decides
    ("The general said half of the soldiers deployed in the valley have been wounded or killed.",
     [("killed_or_wounded", 0.5, 0.5)]),
    ("He said there are 50,000 Russian soldiers and 9,000 Belarusian soldiers deployed there.",
     [("deployed", 50000, 50000), ("deployed", 9000, 9000)]),
    # an elided noun borrows the figure before
    ("Rescuers said 1,200 bodies had been recovered, and 640 more were in morgues.",
     [("killed", 1200, 1200), ("killed", 640, 640)]),
    ("The governor said 3,100 homes were destroyed and the Ridge fire, more than 2,000.",
     [("destroyed", 3100, 3100), ("destroyed", 2000, 2200)]),
    # "feared dead" is not confirmed dead
    ("Police said 57 migrants were feared dead after the boat sank.", [("missing", 57, 57)]),
    # totals that fall
    ("The agency said the number of displaced people dropped to 40,000.",
     [("displaced", 40000, 40000)]),
    # a part and its whole
    ("The army said 12 of the 30 drones were shot down.",
     [("destroyed", 12, 12), ("other", 30, 30)]),
    ("The agency said 60per cent of the homes were damaged.", [("other", 0.6, 0.6)]),
    ("The UN said dozens more were missing.", [("missing", 24, 99)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), LISTS, ids=[t[:50] for t, _ in LISTS])
def test_every_figure_of_a_sentence_with_its_measure(
    text: str, expected: list[tuple[str, float, float]]
) -> None:
    claims = analyze(text, published=dt.date(2025, 3, 4)).claims
    got = [(c.measure, c.quantity.low, c.quantity.high) for c in claims]
    assert got == [(m, pytest.approx(lo), pytest.approx(hi)) for m, lo, hi in expected]
