"""The words of time expressions, read from ``data/lexicon/time.toml``: the resolver's regexes
(:mod:`.resolve`) and the finder's token patterns (:mod:`.patterns`) are built from them.

Nothing here defines a word of English, except the grammar both are written in: the units,
which are the granularities a value is given in, and the words that step from a period to
the one before or after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from claimledger.lexicon import VALUES, LexiconError, mapping, rows, sequence


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, so a word is not cut short."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def either(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` in their written order."""
    return "|".join(re.escape(w) for w in words)


def _calendar(key: str, count: int) -> tuple[str, ...]:
    """A list of names whose positions are their numbers: the months, the weekdays."""
    names = sequence(key)
    if len(names) != count:
        raise LexiconError(f"{key} must name {count} in their order, not {len(names)}")
    return names


def _months_of(key: str) -> dict[str, int]:
    """A table of words to month names, as month numbers."""
    numbers = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
    return {word: numbers[month] for word, month in mapping(key).items()}


MONTH_NAMES: Final = _calendar("time.months", 12)
MONTH_ABBREVIATIONS: Final = _months_of("time.month_abbreviations")
MONTHS: Final[dict[str, int]] = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **MONTH_ABBREVIATIONS,
}
WEEKDAYS: Final = _calendar("time.weekdays", 7)
NUMBERS: Final[dict[str, int]] = {row["word"]: row["value"] for row in rows("time.counts")}
_HEDGES: Final = sequence("time.hedges")
HEDGE_WORDS: Final = tuple(h for h in _HEDGES if " " not in h)
HEDGE_PHRASES: Final = tuple(tuple(h.split()) for h in _HEDGES if " " in h)
TIMES_OF_DAY: Final = sequence("time.times_of_day")
ORDINALS: Final[dict[str, int]] = {
    word: number for number, word in enumerate(sequence("time.ordinals"), start=1)
}
# Northern-hemisphere meteorological seasons: the month each begins in; each lasts 3 months.
SEASONS: Final = _months_of("time.seasons")
AMBIGUOUS_SEASONS: Final = sequence("time.ambiguous_seasons")

_DEICTIC_DAYS: Final = rows("time.deictic_days")
DAY_OFFSETS: Final[dict[str, int]] = {row["word"]: row["days"] for row in _DEICTIC_DAYS}
DAYS_WITH_TIME_OF_DAY: Final = tuple(row["word"] for row in _DEICTIC_DAYS if row["time_of_day"])
DAYS_WITH_EARLIER_LATER: Final = tuple(row["word"] for row in _DEICTIC_DAYS if row["earlier_later"])

# A part is the first, middle or last third of a period; see TimeValue for their bounds.
THIRDS: Final = VALUES["time.parts"].choices
PART_INDEX: Final = {word: THIRDS.index(third) for word, third in mapping("time.parts").items()}
# The first and last third of a day are read before a weekday ("early Monday"), not "mid".
DAY_PARTS: Final = tuple(word for word, index in PART_INDEX.items() if index != 1)
# "the beginning of X" is read as "early X", "the middle of X" as "mid X", "the end of X" as
# "late X": one convention for all three, rather than a narrower one for "end" alone.
EDGES: Final = mapping("time.edges")
# Words that begin a clause (the finder ends an anaphoric "before"/"after" at one).
CLAUSE_WORDS: Final = frozenset(sequence("time.clause_words"))

# The grammar: units of counts and periods, which are the granularities of a value, and the
# words that step from the period holding a date to the one before or after it.
UNITS: Final = ("day", "week", "month", "year")
STEPS: Final = {"last": -1, "this": 0, "next": 1}
