"""Reading the parse: a span's clean edges."""

from __future__ import annotations

import datetime as dt

from claimledger.extract import analyze


def test_a_source_keeps_the_bracket_it_opens() -> None:
    text = "South Korea's National Intelligence Service (NIS) said that 100 soldiers died."
    [attribution] = analyze(text, published=dt.date(2025, 2, 1)).attributions
    assert attribution.source is not None
    assert attribution.source.text == "South Korea's National Intelligence Service (NIS)"
