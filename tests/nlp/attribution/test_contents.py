"""What a cue introduces, and where it ends."""

from __future__ import annotations

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
