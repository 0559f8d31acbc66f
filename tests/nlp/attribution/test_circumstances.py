"""How and when a statement was made: its channel, named by a preposition's object or by
the cue verb itself (data/lexicon/channels.toml), and its time. Hedges:
tests/nlp/test_certainty.py."""

from __future__ import annotations

import pytest

from claimledger.extract import analyze

# (sentence, channel kind, channel text, platform)
CHANNELS = [
    ("The ministry said on Telegram that 12 drones were shot down.",
     "social-post", "on Telegram", "Telegram"),
    ("The minister said in a speech that the talks had failed.", "speech", "in a speech", None),
    ("The minister tweeted that the talks had failed.", "social-post", "tweeted", "Twitter"),
    ("The ministry posted that 12 drones were shot down.", "social-post", "posted", None),
    ("The minister wrote that the talks had failed.", "writing", "wrote", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "words", "platform"), CHANNELS)
def test_channel(text: str, kind: str, words: str, platform: str | None) -> None:
    (a,) = analyze(text).attributions
    assert a.channel is not None
    assert (a.channel.kind, a.channel.text, a.channel.platform) == (kind, words, platform)


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("The minister said on January 5 that the talks would fail.", "January 5"),
        # a duration is not when it was said
        ("The minister has said since January that the talks would fail.", None),
    ],
)
def test_statement_time(text: str, stated: str | None) -> None:
    (a,) = analyze(text).attributions
    assert (a.stated.text if a.stated is not None else None) == stated
