"""The token patterns that find time expressions, for spaCy's ``Matcher``, built from the
words in :mod:`claimledger.nlp.time.vocabulary`. Plain data: imports no spaCy."""

from __future__ import annotations

import itertools
from typing import Any, Final

from claimledger.nlp.time.vocabulary import (
    AMBIGUOUS_SEASONS,
    DAY_OFFSETS,
    DAY_PARTS,
    DAYS_WITH_EARLIER_LATER,
    DAYS_WITH_TIME_OF_DAY,
    EDGES,
    HEDGE_PHRASES,
    HEDGE_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PART_INDEX,
    SEASONS,
    TIMES_OF_DAY,
    UNITS,
    WEEKDAYS,
    alternation,
    either,
)

Pattern = list[dict[str, Any]]

# Match labels and what find_time_spans checks for each (see there).
PLAIN: Final = "TIME"
AFTER_PREPOSITION: Final = "TIME_AFTER_PREPOSITION"  # "in 2024": the preposition is dropped
MAY_MODIFY: Final = "TIME_MAY_MODIFY"  # "early 2024", "January 5-10": not "... 2000 cases"
NOT_BEFORE_OF: Final = "TIME_NOT_BEFORE_OF"  # "the summer", not "the fall of Avdiivka"
ANAPHORIC: Final = "TIME_ANAPHORIC"  # "the day before", not "the day before the vote"


def _lower(*words: str) -> dict[str, Any]:
    return {"LOWER": words[0]} if len(words) == 1 else {"LOWER": {"IN": list(words)}}


def _optional(token: dict[str, Any]) -> dict[str, Any]:
    return {**token, "OP": "?"}


def patterns() -> dict[str, list[Pattern]]:
    """The patterns of each match label (what each label is checked for: see
    :func:`claimledger.nlp.time.component.find_time_spans`)."""
    # Month names must not be all lower case, so the modal "may" and the verb "march" stay out.
    month_forms = [*MONTHS, *(f"{abbr}." for abbr in MONTH_ABBREVIATIONS)]
    month: dict[str, Any] = {"LOWER": {"IN": month_forms}, "IS_LOWER": False}
    day_re = r"(0?[1-9]|[12]\d|3[01])"
    day: dict[str, Any] = {"TEXT": {"REGEX": rf"^{day_re}(st|nd|rd|th)?$"}}
    day_range: dict[str, Any] = {"TEXT": {"REGEX": rf"^{day_re}[\u2013\u2014-]{day_re}$"}}
    year: dict[str, Any] = {"TEXT": {"REGEX": r"^(1[89]|20|21)\d\d$"}}
    comma: dict[str, Any] = {"ORTH": ","}
    dash: dict[str, Any] = {"ORTH": {"IN": ["-", "\u2013", "\u2014"]}}
    weekday = _lower(*WEEKDAYS)
    number: dict[str, Any] = {"LOWER": {"REGEX": rf"^(\d{{1,3}}|{alternation(NUMBERS)})$"}}
    unit = _lower(*UNITS, *(f"{u}s" for u in UNITS))
    singular_unit = _lower(*UNITS)
    plural_unit = _lower(*(f"{u}s" for u in UNITS))
    this_or_last = _lower("this", "last")
    relative = _lower("last", "this", "next")
    year_word = _lower("year")
    the = _lower("the")
    time_of_day = _lower(*TIMES_OF_DAY)
    halves = tuple(ORDINALS)[:2]  # a year has two
    plain_seasons = [s for s in SEASONS if s not in AMBIGUOUS_SEASONS]

    with_year: list[Pattern] = [[], [year], [comma, year]]
    dates: list[Pattern] = []
    for tail in with_year:
        dates += [[month, day, *tail], [day, month, *tail], [day, _lower("of"), month, *tail]]
    dates += [[weekday, *sep, *date] for date in list(dates) for sep in ([], [comma])]
    months: list[Pattern] = [
        [month, year],
        [month, comma, year],
        [month, this_or_last, year_word],
        [month, _lower("of"), this_or_last, year_word],
    ]
    parts: list[Pattern] = [
        [_lower(*PART_INDEX), {"ORTH": "-", "OP": "?"}, month, *tail]
        for tail in [[], [year], [this_or_last, year_word]]
    ]
    parts += [[_lower(*PART_INDEX), _optional(dash), relative, singular_unit]]
    a_month = [[month], *months]  # "January", "January 2025", "January last year"
    a_year = [[year], [relative, year_word], [the, year_word]]
    edges = [
        [_optional(the), _lower(*EDGES), _lower("of"), *period]
        for period in [*a_month, *a_year, [relative, singular_unit], [the, singular_unit]]
    ]
    weeks_of = [
        [the, _lower(*ORDINALS, "last", "final"), _lower("week"), _lower("of"), *period]
        for period in [*a_month, [relative, _lower("month")], [the, _lower("month")]]
    ]  # fmt: skip
    halves_and_quarters: list[Pattern] = [
        [the, _lower(*halves), _lower("half"), _lower("of"), *period] for period in a_year
    ]
    halves_and_quarters += [
        [the, _lower(*ORDINALS, "last", "final"), _lower("quarter"), _lower("of"), *period]
        for period in a_year
    ]
    code: dict[str, Any] = {"TEXT": {"REGEX": r"^(Q[1-4]|H[12])$"}}
    halves_and_quarters += [[code, year], [code, comma, year], [relative, _lower("quarter")]]
    seasons: list[Pattern] = [
        [_optional(the), _lower(*SEASONS), *of, year] for of in ([], [_lower("of")])
    ]
    seasons += [[_lower(*SEASONS), relative, year_word]]
    ago_hedges: list[Pattern] = [[], [_lower(*HEDGE_WORDS)]]
    ago_hedges += [[_lower(word) for word in phrase] for phrase in HEDGE_PHRASES]
    agos: list[Pattern] = [[*hedge, number, unit, _lower("ago")] for hedge in ago_hedges]
    simple: list[Pattern] = [
        [weekday],
        [_lower(*DAY_OFFSETS)],
        [_lower("last", "this", "next"), singular_unit],
        [_lower("earlier", "later"), _lower("this"), singular_unit],
        # weekdays and days with a time of day, "last night", "the weekend"
        [relative, weekday],
        [_optional(relative), weekday, time_of_day],
        [_lower(*DAY_PARTS), weekday],
        [_lower(*DAYS_WITH_TIME_OF_DAY), time_of_day],
        [_lower("this"), _lower("morning", "afternoon", "evening")],
        [_lower("last"), _lower("night", "evening")],
        [_lower("earlier", "later"), _lower(*DAYS_WITH_EARLIER_LATER)],
        [the, _lower("day"), _lower("before"), _lower("yesterday")],
        [_lower("the", "last", "this", "next"), _lower("weekend")],
    ]
    ranges: list[Pattern] = [[month, day_range, *tail] for tail in with_year]
    ranges += [[day_range, month, *tail] for tail in with_year]
    joined = [[dash], [_lower("to", "through", "until", "till")]]
    for (opening, closing), first_tail, last_tail in itertools.product(
        [([_optional(_lower("from"))], joined), ([_lower("between")], [[_lower("and")]])],
        with_year,
        with_year,
    ):
        for join in closing:
            ranges += [
                [*opening, month, day, *first_tail, *join, _optional(month), day, *last_tail],
                [*opening, _optional(the), day, *join, _optional(the), day, _optional(_lower("of")),
                 month, *last_tail],
                [*opening, _optional(the), day, _optional(_lower("of")), month, *first_tail, *join,
                 _optional(the), day, _optional(_lower("of")), month, *last_tail],
            ]  # fmt: skip
    points = dates + months + parts + edges + weeks_of + halves_and_quarters + seasons
    points += agos + simple
    since = [[_lower("since"), *point] for point in [*points, [month], [year]]]
    the_past = [the, _lower("past", "last")]
    durations = [
        [_lower("for"), *determiner, *hedge, number, unit]
        for determiner in ([], the_past)
        for hedge in ago_hedges
    ]
    durations.append([_lower("for"), *the_past, singular_unit])
    hours = _lower("hour", "hours")
    durations += [[_lower("for"), number, hours], [_lower("recent"), plural_unit]]
    durations += [
        [
            _lower("for", "in", "over", "during", "within", "throughout"),
            _lower("recent"),
            plural_unit,
        ]
    ]
    stretches = [
        [*preposition, *the_past, *amount]
        for preposition in ([], [_lower("for", "in", "over", "during", "within", "throughout")])
        for amount in (
            [singular_unit],
            [_lower("hour")],
            [number, unit],
            [number, hours],
            [_lower("few", "several"), plural_unit],
        )
    ]
    anaphoric: list[Pattern] = [
        [*hedge, number, unit, _lower("earlier", "later", "before", "after")]
        for hedge in ago_hedges
    ]
    anaphoric += [
        [the, singular_unit, _lower("before", "after")],
        [the, _lower("previous", "following"), singular_unit],
        [the, _lower("next"), _lower("day")],
    ]
    bare_seasons: list[Pattern] = [
        [_lower("the", "this", "last", "next"), _lower(*plain_seasons)],
        [relative, _lower(*AMBIGUOUS_SEASONS)],
        [the, _lower(*ORDINALS), _lower("quarter")],
    ]
    year_parts: list[Pattern] = [
        [_lower(*PART_INDEX), _optional(dash), year],
        [{"LOWER": {"REGEX": rf"^({either(PART_INDEX)})-(1[89]|20|21)\d\d$"}}],
    ]
    return {
        PLAIN: points + since + durations,
        AFTER_PREPOSITION: [
            [_lower("in", "during", "throughout", "by"), year],
            [_lower("in"), _lower(*plain_seasons)],
            # "In February, 96 people died": a month of its own after a preposition
            [_lower("in", "during", "throughout"), month],
        ],
        MAY_MODIFY: [
            *year_parts,
            *([_lower("since"), *point] for point in year_parts),
            *ranges,
        ],
        NOT_BEFORE_OF: [
            *stretches,
            *bare_seasons,
            *([_lower("since"), *point] for point in bare_seasons),
        ],
        ANAPHORIC: anaphoric,
    }
