"""The time words as data (data/lexicon/time.toml): every list loads in the shape the time
modules read it in (claimledger.nlp.time.vocabulary)."""

from __future__ import annotations

from claimledger.lexicon import Lexicon
from claimledger.nlp.time import vocabulary

# Each list of time.toml and the read that takes it.
SHAPES = {
    "months": "sequence",
    "weekdays": "sequence",
    "ordinals": "sequence",
    "hedges": "sequence",
    "times_of_day": "sequence",
    "ambiguous_seasons": "sequence",
    "clause_words": "sequence",
    "stretch_openings": "sequence",  # read by claimledger.nlp.figures
    "counts": "rows",
    "deictic_days": "rows",
    "month_abbreviations": "mapping",
    "seasons": "mapping",
    "parts": "mapping",
    "edges": "mapping",
}


def test_every_list_of_time_toml_loads_in_its_shape() -> None:
    shipped = Lexicon.load()
    assert {key.split(".", 1)[1] for key in shipped.lists if key.startswith("time.")} == set(SHAPES)
    for name, read in SHAPES.items():
        assert getattr(shipped, read)(f"time.{name}"), name


def test_the_words_come_out_as_the_resolver_reads_them() -> None:
    assert (vocabulary.MONTHS["january"], vocabulary.MONTHS["sept"]) == (1, 9)
    assert vocabulary.WEEKDAYS.index("monday") == 0
    assert vocabulary.SEASONS == {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
    assert vocabulary.NUMBERS["an"] == 1 and vocabulary.NUMBERS["twelve"] == 12
    assert vocabulary.ORDINALS == {"first": 1, "second": 2, "third": 3, "fourth": 4}
    assert vocabulary.DAY_OFFSETS == {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
    assert vocabulary.DAYS_WITH_TIME_OF_DAY == ("yesterday", "today", "tomorrow")
    assert vocabulary.HEDGE_PHRASES == (("more", "than"), ("less", "than"), ("at", "least"))
    assert vocabulary.PART_INDEX == {"early": 0, "mid": 1, "late": 2}
    assert vocabulary.DAY_PARTS == ("early", "late")
    assert vocabulary.EDGES["end"] == "late"
