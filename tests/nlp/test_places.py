"""Where a figure holds: the place after "in", "near", "on" ... in its statement."""

from __future__ import annotations

import datetime as dt

import pytest

from claimledger.extract import analyze
from claimledger.lexicon import Lexicon
from claimledger.nlp import places
from claimledger.nlp.places import place_key

# (statement, the place key of its one claim, or None)
PLACES = [
    ("Officials said 300 soldiers were killed in the Kursk region.", "kursk"),
    ("Officials said 300 soldiers were killed in Russia's Kursk region.", "kursk"),
    ("Officials said 300 soldiers were killed near Pokrovsk.", "pokrovsk"),
    ("The ministry said 40 civilians were wounded in Kharkiv on Monday.", "kharkiv"),
    ("Officials said 5 people died in New York.", "new york"),
    # a destination, an event and a month are not where the figure holds
    ("Zelensky said 12,000 soldiers were sent to Russia.", None),
    ("Officials said 300 soldiers were killed in the Russia-Ukraine war.", None),
    ("The ministry said 40 civilians were wounded in January.", None),
]


@pytest.mark.parametrize(("text", "key"), PLACES)
def test_place(text: str, key: str | None) -> None:
    [claim] = analyze(text, published=dt.date(2025, 2, 1)).claims
    assert (claim.place.key if claim.place else None) == key
    if claim.place is not None:
        start, end = claim.place.spans[0]
        assert text[start:end] == claim.place.text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("the Kursk region", "kursk"),
        ("Kursk Oblast", "kursk"),
        ("Russia's Kursk region", "kursk"),
        ("the Donetsk People's Republic", "donetsk people's"),
        ("Pokrovsk", "pokrovsk"),
        ("the region", "region"),
    ],
)
def test_place_key(text: str, key: str) -> None:
    assert place_key(text) == key


def test_the_place_words_load_from_places_toml() -> None:
    shipped = Lexicon.load()
    assert {key for key in shipped.lists if key.startswith("places.")} == {
        "places.locating",
        "places.generic",
    }
    assert shipped.words("places.locating") == places.LOCATING
    assert {"in", "near", "across"} <= places.LOCATING and "to" not in places.LOCATING
    assert {"region", "oblast"} <= places.GENERIC
