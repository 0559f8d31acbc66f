"""Time expressions resolved against an optional publication date, never inventing a year
the text and the publication date do not give. Pure Python: imports no spaCy."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import dateparser

from claimledger.nlp.time.vocabulary import (
    DAY_OFFSETS,
    DAY_PARTS,
    EDGES,
    HEDGE_PHRASES,
    HEDGE_WORDS,
    MONTH_NAMES,
    MONTHS,
    NUMBERS,
    ORDINALS,
    PART_INDEX,
    SEASONS,
    STEPS,
    TIMES_OF_DAY,
    UNITS,
    WEEKDAYS,
    alternation,
    either,
)

Granularity = Literal["day", "week", "month", "year"]
Kind = Literal["point", "since", "duration", "range"]


@dataclass(frozen=True)
class TimeValue:
    """A resolved time expression.

    ``value`` is ISO 8601 at the expression's granularity ("2025-01-31", "2025-W04",
    "2025-01", "2025"); "--01-31" / "--11" when month (and day) are known but the year is
    not; None when nothing can be pinned down. ``start``/``end`` bound the interval covered,
    both inclusive. Part-of-period expressions ("mid-January", "earlier this month", "the
    end of last year", "the first week of January") keep the granularity and value of the
    enclosing period and narrow ``start``/``end`` (thirds: early = days 1-10, mid = 11-20,
    late = 21-end of a month; January-April, May-August, September-December of a year;
    Monday-Tuesday, Wednesday-Thursday, Friday-Sunday of a week). Periods with exact
    bounds of their own have an ISO interval as value: a weekend "2025-02-01/2025-02-02"
    (granularity day); a quarter, half-year or season "2025-01/2025-03" (granularity
    month, "--01/--03" without a year). ``granularity`` is what the expression would
    resolve to even when it cannot be resolved; None only for text not understood.

    ``kind == "since"``: ``value``/``granularity`` describe the starting point, ``start`` is
    its first day, ``end`` the statement date (``anchor_end``) or else the publication date.
    ``kind == "duration"``: ``end`` is ``anchor_end`` or else the publication date,
    ``start = end - duration``, ``value`` the ISO interval "start/end", granularity "day".
    ``kind == "range"``: a written range of days ("January 5-10"), ``value`` the ISO
    interval "2025-01-05/2025-01-10" ("--01-05/--01-10" without a year), granularity "day".
    """

    text: str
    value: str | None
    start: datetime.date | None
    end: datetime.date | None
    granularity: Granularity | None
    year_known: bool
    kind: Kind


# --- resolution --------------------------------------------------------------------------------


# The days of a month's first, middle and last third (see TimeValue).
_MONTH_THIRDS: Final = ((1, 10), (11, 20), (21, 31))
_MONTH_RE: Final = rf"(?P<month>{alternation(MONTHS)})\.?"
_WEEKDAY_RE: Final = rf"(?P<weekday>{alternation(WEEKDAYS)})"
_DAY_RE: Final = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE: Final = r"(?P<year>\d{4})"
_NUM_RE: Final = rf"(?P<n>\d{{1,3}}|{alternation(NUMBERS)})"
_UNIT_RE: Final = rf"(?P<unit>{alternation(UNITS)})s?"
_HEDGE_RE: Final = alternation([*HEDGE_WORDS, *(" ".join(phrase) for phrase in HEDGE_PHRASES)])
_YEAR_OR_REL: Final = rf"(?:,? {_YEAR_RE}| (?:of )?(?P<rel>last|this) year)?"
_TIME_OF_DAY_RE: Final = rf"(?: (?:{alternation(TIMES_OF_DAY)}))?"
_ORDINAL_RE: Final = either([*ORDINALS, "last", "final"])


_DEICTIC: Final = re.compile(
    rf"(?:(?:earlier|later) )?(?P<word>{either(DAY_OFFSETS)}){_TIME_OF_DAY_RE}"
    r"|(?P<this>this) (?:morning|afternoon|evening)"
    r"|(?P<last>last) (?:night|evening)"
    r"|the day before yesterday"
)
_WEEKDAY_PHRASE: Final = re.compile(
    rf"(?:(?P<rel>last|this|next) |(?:{either(DAY_PARTS)}) )?{_WEEKDAY_RE}{_TIME_OF_DAY_RE}"
)
_WEEKEND: Final = re.compile(r"(?:(?P<rel>last|this|next) |the )weekend")
_RELATIVE_UNIT: Final = re.compile(r"(?P<rel>last|this|next) (?P<unit>week|month|year)")
_RELATIVE_QUARTER: Final = re.compile(r"(?P<rel>last|this|next) quarter")
_PART_OF_THIS: Final = re.compile(r"(?P<part>earlier|later) this (?P<unit>week|month|year)")
_AGO: Final = re.compile(rf"(?:(?:{_HEDGE_RE}) )?{_NUM_RE} {_UNIT_RE} ago")
_DATE_MONTH_DAY: Final = re.compile(
    rf"(?:{_WEEKDAY_RE},? )?{_MONTH_RE} {_DAY_RE}(?:,? {_YEAR_RE})?"
)
_DATE_DAY_MONTH: Final = re.compile(
    rf"(?:{_WEEKDAY_RE},? )?(?:the )?{_DAY_RE} (?:of )?{_MONTH_RE}(?:,? {_YEAR_RE})?"
)
_PART: Final = re.compile(
    rf"(?:(?P<part>{either(PART_INDEX)})[- ]?|(?:the )?(?P<edge>{either(EDGES)}) of )"
    r"(?P<rest>.+)"
)
_WEEK_OF: Final = re.compile(rf"(?:the )?(?P<ord>{_ORDINAL_RE}) week of (?P<rest>.+)")
_HALF_OR_QUARTER: Final = re.compile(
    rf"(?:the )?(?P<ord>{_ORDINAL_RE}) (?P<what>half|quarter)"
    r"(?: of (?P<rest>.+))?"
)
_HALF_OR_QUARTER_CODE: Final = re.compile(r"(?P<letter>[qh])(?P<n>[1-4])(?:,? (?P<rest>.+))?")
_SEASON: Final = re.compile(
    rf"(?:(?P<rel>last|this|next) |the )?(?P<season>{alternation(SEASONS)})"
    rf"(?:(?: of)? {_YEAR_RE}|(?: of)? (?P<yrel>last|this|next) year)?"
)
_MONTH_YEAR: Final = re.compile(rf"{_MONTH_RE}{_YEAR_OR_REL}")
_YEAR_ONLY: Final = re.compile(_YEAR_RE)
_SINCE: Final = re.compile(r"since (?P<rest>.+)")
_DURATION: Final = re.compile(
    rf"(?:for )?(?P<det>the (?:past|last) )?(?:(?:{_HEDGE_RE}) )?(?:{_NUM_RE} )?"
    r"(?P<unit>hour|day|week|month|year)(?P<plural>s)?"
)
_VAGUE_DURATION: Final = re.compile(
    r"(?:for )?(?:the (?:past|last) (?:few|several)|recent) (?:day|week|month|year)s"
)
_ANAPHORIC: Final = re.compile(
    rf"(?:(?:{_HEDGE_RE}) )?{_NUM_RE} {_UNIT_RE} (?P<dir>earlier|later|before|after)"
    r"|the (?P<unit2>day|week|month|year) (?P<dir2>before|after)"
    r"|the (?P<dir3>previous|following) (?P<unit3>day|week|month|year)"
    r"|the (?P<dir4>next) (?P<unit4>day)"
)
_DIRECTIONS: Final = {
    "earlier": -1, "before": -1, "previous": -1, "later": 1, "after": 1, "following": 1, "next": 1
}  # fmt: skip
_THE_PERIOD: Final = re.compile(r"the (?P<unit>week|month|year)")


def _range_patterns() -> tuple[re.Pattern[str], ...]:
    """Written ranges of days. "and" makes a range only after "between": "on January 5 and
    10" is two days. Each form is its own regex: a group name may occur once per regex."""
    months = alternation(MONTHS)
    th = r"(?:st|nd|rd|th)?"
    year1, year2 = r"(?:,? (?P<y1>\d{4}))?", r"(?:,? (?P<y2>\d{4}))?"
    month_first = (
        rf"(?P<m1>{months})\.? (?P<d1>\d{{1,2}}){th}{year1}SEP"
        rf"(?:(?P<m2>{months})\.? )?(?P<d2>\d{{1,2}}){th}{year2}"
    )
    day_first = (
        rf"(?:the )?(?P<d1>\d{{1,2}}){th}(?: (?:of )?(?P<m1>{months})\.?{year1})?SEP"
        rf"(?:the )?(?P<d2>\d{{1,2}}){th} (?:of )?(?P<m2>{months})\.?{year2}"
    )
    joined = r"(?:-| to | through | until | till )"
    return tuple(
        re.compile(prefix + form.replace("SEP", sep))
        for form in (month_first, day_first)
        for prefix, sep in (("between ", " and "), ("(?:from )?", joined))
    )


_RANGES: Final = _range_patterns()
_LEADING_PREPOSITION: Final = re.compile(
    r"^(?:on|in|at|during|by|throughout|(?:over|within)(?=\s+the\s))\s+(?=\S)", re.IGNORECASE
)


def _normalise(text: str) -> str:
    s = re.sub("[\u2010-\u2015\u2212]", "-", text.lower())  # every dash is a hyphen
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    return " ".join(s.split()).rstrip(".").strip()


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word]


def _dateparser_date(text: str, base: datetime.date | None) -> datetime.date | None:
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime.datetime.combine(base, datetime.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def _dateparser_day(phrase: str, base: datetime.date, expected: datetime.date) -> datetime.date:
    """dateparser's day for a day-relative ``phrase`` ("yesterday", "tomorrow", "3 days ago",
    "in 2 days", "next friday", a bare weekday), which it reads right; ``expected`` (our
    rule) wins where a version or setting reads it otherwise, so the convention is ours."""
    parsed = _dateparser_date(phrase, base)
    return parsed if parsed == expected else expected


def _month_end(year: int, month: int) -> datetime.date:
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, _month_end(year, month + 1).day))


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _point(
    text: str,
    value: str | None,
    start: datetime.date | None,
    end: datetime.date | None,
    granularity: Granularity,
    year_known: bool,
) -> TimeValue:
    return TimeValue(text, value, start, end, granularity, year_known, "point")


def _unknown(text: str, granularity: Granularity | None, kind: Kind = "point") -> TimeValue:
    return TimeValue(text, None, None, None, granularity, False, kind)


def _day(text: str, day: datetime.date) -> TimeValue:
    return _point(text, day.isoformat(), day, day, "day", True)


def _days(text: str, start: datetime.date, end: datetime.date, kind: Kind = "point") -> TimeValue:
    """A run of whole days with its own bounds: a weekend, a written range."""
    return TimeValue(text, f"{start}/{end}", start, end, "day", True, kind)


def _week(
    text: str,
    day: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> TimeValue:
    iso_year, iso_week, _ = day.isocalendar()
    monday = _week_start(day)
    return _point(
        text,
        f"{iso_year}-W{iso_week:02d}",
        start or monday,
        end or monday + datetime.timedelta(days=6),
        "week",
        True,
    )


def _month(
    text: str,
    year: int,
    month: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> TimeValue:
    return _point(
        text,
        f"{year:04d}-{month:02d}",
        start or datetime.date(year, month, 1),
        end or _month_end(year, month),
        "month",
        True,
    )


def _months(text: str, year: int, first_month: int, count: int) -> TimeValue:
    """``count`` whole months from ``first_month`` of ``year``: a quarter, half or season."""
    first = datetime.date(year, first_month, 1)
    last = _add_months(first, count - 1)
    value = f"{first.year:04d}-{first.month:02d}/{last.year:04d}-{last.month:02d}"
    return _point(text, value, first, _month_end(last.year, last.month), "month", True)


def _year_less_months(text: str, first_month: int, count: int) -> TimeValue:
    last_month = (first_month + count - 2) % 12 + 1
    return _point(text, f"--{first_month:02d}/--{last_month:02d}", None, None, "month", False)


def _year(
    text: str, year: int, start: datetime.date | None = None, end: datetime.date | None = None
) -> TimeValue:
    return _point(
        text,
        f"{year:04d}",
        start or datetime.date(year, 1, 1),
        end or datetime.date(year, 12, 31),
        "year",
        True,
    )


def _period(
    text: str,
    unit: str,
    day: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> TimeValue:
    if unit == "week":
        return _week(text, day, start, end)
    if unit == "month":
        return _month(text, day.year, day.month, start, end)
    return _year(text, day.year, start, end)


def _shifted_period(text: str, unit: str, base: datetime.date, step: int) -> TimeValue:
    """The calendar week, month or year ``step`` periods from the one holding ``base``."""
    if unit == "week":
        return _period(text, unit, base + datetime.timedelta(weeks=step))
    if unit == "month":
        return _period(text, unit, _add_months(base.replace(day=1), step))
    return _period(text, unit, datetime.date(base.year + step, 1, 1))


_GRANULARITY: Final[dict[str, Granularity]] = {
    "day": "day", "week": "week", "month": "month", "year": "year"
}  # fmt: skip


def _unit_granularity(unit: str) -> Granularity:
    return _GRANULARITY[unit]


def _is_interval(value: TimeValue) -> bool:
    return value.kind != "point" or (value.value is not None and "/" in value.value)


def _this_period(rest: str) -> str:
    """ "the end of the month": the period holding the reference date."""
    return _THE_PERIOD.sub(r"this \g<unit>", rest) if _THE_PERIOD.fullmatch(rest) else rest


def _most_recent_month_day(month: int, day: int, published: datetime.date) -> datetime.date | None:
    """The latest month-day on or before ``published``; 29 February may be years back."""
    for year in range(published.year, published.year - 9, -1):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    return None


def _next_month_day(month: int, day: int, after: datetime.date) -> datetime.date | None:
    for year in range(after.year, after.year + 9):
        try:
            candidate = datetime.date(year, month, day)
        except ValueError:
            continue
        if candidate > after:
            return candidate
    return None


def _is_latest_on_or_before(
    candidate: datetime.date | None, month: int, day: int, published: datetime.date
) -> bool:
    """Guard on dateparser's choice of year, which is not documented to be the latest."""
    if candidate is None or (candidate.month, candidate.day) != (month, day):
        return False
    later = _next_month_day(month, day, candidate)
    return candidate <= published and (later is None or later > published)


def _resolve_date(text: str, match: re.Match[str], published: datetime.date | None) -> TimeValue:
    month = MONTHS[match["month"]]
    day = int(match["day"])
    if not 1 <= day <= _month_end(2000, month).day:  # 2000 is a leap year: allows 29 February
        return _unknown(text, "day")
    canonical = f"{MONTH_NAMES[month - 1]} {day}"
    if match["year"] is not None:
        year = int(match["year"])
        parsed = _dateparser_date(f"{canonical}, {year}", published)
        if parsed is not None and (parsed.year, parsed.month, parsed.day) == (year, month, day):
            return _day(text, parsed)
        return _unknown(text, "day")  # e.g. 29 February in a common year
    if published is None:
        # No year written and nothing to anchor one: dateparser would silently use this year.
        return _point(text, f"--{month:02d}-{day:02d}", None, None, "day", False)
    resolved = _dateparser_date(canonical, published)
    if not _is_latest_on_or_before(resolved, month, day, published):
        resolved = _most_recent_month_day(month, day, published)
    if resolved is None:
        return _unknown(text, "day")
    weekday = match["weekday"]
    if weekday is not None and resolved.weekday() != WEEKDAYS.index(weekday):
        # "Monday, February 3" written days before 3 February 2025: the weekday says the
        # coming date is meant, though past dates are preferred otherwise.
        upcoming = _next_month_day(month, day, published)
        if upcoming is not None and upcoming.weekday() == WEEKDAYS.index(weekday):
            resolved = upcoming
    return _day(text, resolved)


def _resolve_range(text: str, match: re.Match[str], published: datetime.date | None) -> TimeValue:
    # dateparser reads "January 5-10" as 5 January 2010 and has no notion of a range at all.
    first_month = MONTHS[match["m1"] or match["m2"]]
    last_month = MONTHS[match["m2"] or match["m1"]]
    first_day, last_day = int(match["d1"]), int(match["d2"])
    unknown = _unknown(text, "day", "range")
    if any(
        not 1 <= day <= _month_end(2000, month).day
        for month, day in ((first_month, first_day), (last_month, last_day))
    ) or (first_month == last_month and first_day > last_day):
        return unknown
    wraps = int(last_month < first_month)  # "December 28 to January 3" runs into a new year
    first_year = int(match["y1"]) if match["y1"] is not None else None
    last_year = int(match["y2"]) if match["y2"] is not None else None
    if first_year is None and last_year is not None:
        first_year = last_year - wraps
    elif last_year is None and first_year is not None:
        last_year = first_year + wraps
    try:
        if first_year is not None and last_year is not None:
            start = datetime.date(first_year, first_month, first_day)
            end = datetime.date(last_year, last_month, last_day)
            return unknown if end < start else _days(text, start, end, "range")
    except ValueError:  # 29 February in a common year
        return unknown
    if published is None:
        value = f"--{first_month:02d}-{first_day:02d}/--{last_month:02d}-{last_day:02d}"
        return TimeValue(text, value, None, None, "day", False, "range")
    # The year-less rule for a single date: the latest start on or before publication.
    for year in range(published.year, published.year - 9, -1):
        try:
            start = datetime.date(year, first_month, first_day)
            end = datetime.date(year + wraps, last_month, last_day)
        except ValueError:
            continue
        if start <= published:
            return _days(text, start, end, "range")
    return unknown


def _resolve_month(text: str, match: re.Match[str], published: datetime.date | None) -> TimeValue:
    month = MONTHS[match["month"]]
    groups = match.groupdict()
    year: int | None = None
    if groups.get("year") is not None:
        year = int(groups["year"])
    elif published is not None:
        if groups.get("rel") == "last":
            year = published.year - 1
        elif groups.get("rel") == "this":
            year = published.year
        else:  # the most recent such month that has begun by publication
            year = published.year if month <= published.month else published.year - 1
    if year is None:
        return _point(text, f"--{month:02d}", None, None, "month", False)
    return _month(text, year, month)


def _resolve_weekday(
    text: str, weekday: str, rel: str | None, published: datetime.date
) -> TimeValue:
    wanted = WEEKDAYS.index(weekday)
    if rel == "this":
        # The day of the publication week (Monday to Sunday). dateparser reads "this Tuesday"
        # as the coming Tuesday even when this week's Tuesday has passed.
        return _day(text, _week_start(published) + datetime.timedelta(days=wanted))
    if rel == "next":
        # The first such day after publication, as dateparser reads "next Friday".
        ahead = (wanted - published.weekday() - 1) % 7 + 1
        expected = published + datetime.timedelta(days=ahead)
        return _day(text, _dateparser_day(f"next {weekday}", published, expected))
    # A bare weekday is the latest such day on or before publication: "said Monday" in a
    # report published on a Monday is that day, as news reports write it. "Last Monday"
    # is the latest strictly before, as dateparser reads a bare weekday.
    back = (published.weekday() - wanted - 1) % 7 + 1
    if rel is None and back == 7:
        return _day(text, published)
    expected = published - datetime.timedelta(days=back)
    return _day(text, _dateparser_day(weekday, published, expected))


def _resolve_deictic(text: str, match: re.Match[str], published: datetime.date) -> TimeValue:
    # Times of day ("this morning", "last night", "yesterday evening") keep the day only.
    if match["word"] is not None:
        offset = DAY_OFFSETS[match["word"]]
    elif match["this"] is not None:
        offset = 0
    else:
        offset = -1 if match["last"] is not None else -2  # "the day before yesterday"
    expected = published + datetime.timedelta(days=offset)
    phrase = {-2: "2 days ago", -1: "yesterday", 0: "today", 1: "tomorrow"}[offset]
    return _day(text, _dateparser_day(phrase, published, expected))


def _resolve_weekend(text: str, rel: str | None, published: datetime.date) -> TimeValue:
    # dateparser returns nothing for "weekend". Saturday and Sunday; "last/this/next weekend"
    # belong to the previous/publication/next ISO week, "the weekend" is the latest one that
    # has begun by publication (the current one when published on a Saturday or Sunday).
    if rel is None:
        saturday = published - datetime.timedelta(days=(published.weekday() - 5) % 7)
    else:
        saturday = _week_start(published) + datetime.timedelta(days=5 + 7 * STEPS[rel])
    return _days(text, saturday, saturday + datetime.timedelta(days=1))


def _narrow(text: str, whole: TimeValue, part: str) -> TimeValue:
    """The early, mid or late third of a week, month or year (see :class:`TimeValue`)."""
    if whole.start is None or whole.end is None:  # nothing to narrow: keep what is known
        return replace(whole, text=text)
    index = PART_INDEX[part]
    if whole.granularity == "week":
        first, last = ((0, 1), (2, 3), (4, 6))[index]
        monday = _week_start(whole.start)
        start = monday + datetime.timedelta(days=first)
        end = monday + datetime.timedelta(days=last)
    elif whole.granularity == "month":
        first, last = _MONTH_THIRDS[index]
        month_end = _month_end(whole.start.year, whole.start.month)
        start = whole.start.replace(day=first)
        end = month_end.replace(day=min(last, month_end.day))
    else:
        first_month = 4 * index + 1
        start = datetime.date(whole.start.year, first_month, 1)
        end = _month_end(whole.start.year, first_month + 3)
    return replace(whole, text=text, start=start, end=end)


def _resolve_part(
    text: str,
    match: re.Match[str],
    published: datetime.date | None,
    reference: datetime.date | None,
) -> TimeValue | None:
    # dateparser drops "early"/"mid"/"late" and "the end of" (or fails on them altogether).
    rest = _this_period(match["rest"])
    whole = _resolve_point(text, rest, published, reference)
    # Days have no parts here ("late Monday" is read as a weekday phrase before this).
    if whole.granularity in (None, "day") or _is_interval(whole):
        return None
    return _narrow(text, whole, match["part"] or EDGES[match["edge"]])


def _resolve_week_of(
    text: str,
    match: re.Match[str],
    published: datetime.date | None,
    reference: datetime.date | None,
) -> TimeValue | None:
    # "the first week of January" is 1-7 January (not ISO week 1), "the last week" its last
    # seven days; the value stays the month's.
    whole = _resolve_point(text, _this_period(match["rest"]), published, reference)
    if whole.granularity != "month" or _is_interval(whole):
        return None
    if whole.start is None or whole.end is None:
        return replace(whole, text=text)
    month_end = _month_end(whole.start.year, whole.start.month)
    if match["ord"] in ("last", "final"):
        start = month_end - datetime.timedelta(days=6)
    else:
        start = whole.start.replace(day=1) + datetime.timedelta(weeks=ORDINALS[match["ord"]] - 1)
    return replace(whole, text=text, start=start, end=start + datetime.timedelta(days=6))


def _resolve_half_or_quarter(
    text: str,
    size: int,
    index: int,
    rest: str | None,
    published: datetime.date | None,
    reference: datetime.date | None,
) -> TimeValue | None:
    # dateparser reads "Q1 2025" as 1 January and knows no halves.
    if not 1 <= index <= 12 // size:
        return None
    first_month = (index - 1) * size + 1
    if rest is None:
        if published is None:
            return _year_less_months(text, first_month, size)
        # The most recent such quarter (half) that has begun by publication, as for months.
        year = published.year if first_month <= published.month else published.year - 1
        return _months(text, year, first_month, size)
    whole = _resolve_point(text, _this_period(rest), published, reference)
    if whole.granularity != "year" or _is_interval(whole):
        return None
    if whole.start is None:
        return _year_less_months(text, first_month, size)
    return _months(text, whole.start.year, first_month, size)


def _resolve_season(text: str, match: re.Match[str], published: datetime.date | None) -> TimeValue:
    # dateparser knows no seasons. A season is named by the year it begins in: "winter
    # 2024" is December 2024 to February 2025.
    first_month = SEASONS[match["season"]]
    if match["year"] is not None:
        return _months(text, int(match["year"]), first_month, 3)
    if published is None:
        return _year_less_months(text, first_month, 3)
    if match["yrel"] is not None:
        return _months(text, published.year + STEPS[match["yrel"]], first_month, 3)
    around = [
        _months(text, year, first_month, 3)
        for year in range(published.year - 2, published.year + 2)
    ]
    rel = match["rel"]
    if rel == "last":  # the latest that has ended before publication
        found = [s for s in around if s.end is not None and s.end < published][-1]
    elif rel == "next":  # the first that begins after publication
        found = next(s for s in around if s.start is not None and s.start > published)
    elif rel == "this":  # the one under way, else the one beginning in the publication year
        found = next(
            (
                s
                for s in around
                if s.start is not None and s.end is not None and s.start <= published <= s.end
            ),
            next(s for s in around if s.start is not None and s.start.year == published.year),
        )
    else:  # "the spring", "in spring": the latest that has begun by publication
        found = [s for s in around if s.start is not None and s.start <= published][-1]
    return found


def _resolve_anaphoric(
    text: str, match: re.Match[str], reference: datetime.date | None
) -> TimeValue:
    # "a week earlier", "the day before", "the following month": counted from the reference
    # date (the statement date, else the publication date), not from the date the text may
    # have named before, which this function is not given.
    unit: str = match["unit"] or match["unit2"] or match["unit3"] or match["unit4"]
    direction: str = match["dir"] or match["dir2"] or match["dir3"] or match["dir4"]
    if reference is None:
        return _unknown(text, _unit_granularity(unit))
    step = _DIRECTIONS[direction] * (_number(match["n"]) if match["n"] is not None else 1)
    if unit == "day":
        expected = reference + datetime.timedelta(days=step)
        phrase = f"{-step} days ago" if step < 0 else f"in {step} days"
        return _day(text, _dateparser_day(phrase, reference, expected))
    # As for "ago": the calendar period, not a falsely precise day.
    return _shifted_period(text, unit, reference, step)


def _resolve_point(
    text: str,
    s: str,
    published: datetime.date | None,
    reference: datetime.date | None = None,
) -> TimeValue:
    for pattern in (_DATE_MONTH_DAY, _DATE_DAY_MONTH):
        if m := pattern.fullmatch(s):
            return _resolve_date(text, m, published)
    for pattern in _RANGES:
        if m := pattern.fullmatch(s):
            return _resolve_range(text, m, published)
    if m := _MONTH_YEAR.fullmatch(s):
        return _resolve_month(text, m, published)
    if m := _YEAR_ONLY.fullmatch(s):
        return _year(text, int(m["year"]))
    if m := _DEICTIC.fullmatch(s):
        return _unknown(text, "day") if published is None else _resolve_deictic(text, m, published)
    if m := _WEEKDAY_PHRASE.fullmatch(s):
        if published is None:
            return _unknown(text, "day")
        return _resolve_weekday(text, m["weekday"], m["rel"], published)
    if m := _WEEKEND.fullmatch(s):
        return (
            _unknown(text, "day")
            if published is None
            else _resolve_weekend(text, m["rel"], published)
        )
    # Week/month/year-relative phrases: dateparser turns "last week" into the single day
    # seven days back, whereas we want the whole calendar period before the published one.
    if m := _RELATIVE_UNIT.fullmatch(s):
        unit: str = m["unit"]
        if published is None:
            return _unknown(text, _unit_granularity(unit))
        return _shifted_period(text, unit, published, STEPS[m["rel"]])
    if m := _RELATIVE_QUARTER.fullmatch(s):
        if published is None:
            return _unknown(text, "month")
        quarter_start = datetime.date(published.year, (published.month - 1) // 3 * 3 + 1, 1)
        first = _add_months(quarter_start, 3 * STEPS[m["rel"]])
        return _months(text, first.year, first.month, 3)
    if m := _PART_OF_THIS.fullmatch(s):
        unit = m["unit"]
        if published is None:
            return _unknown(text, _unit_granularity(unit))
        whole = _period(text, unit, published)
        if m["part"] == "earlier":
            return _period(text, unit, published, whole.start, published)
        return _period(text, unit, published, published, whole.end)
    if m := _AGO.fullmatch(s):
        unit = m["unit"]
        n = _number(m["n"])
        if published is None:
            return _unknown(text, _unit_granularity(unit))
        if unit == "day":
            expected = published - datetime.timedelta(days=n)
            return _day(text, _dateparser_day(f"{n} days ago", published, expected))
        # dateparser would give one day N weeks/months/years back; the text only names the
        # calendar period, so that period is returned rather than a falsely precise day.
        return _shifted_period(text, unit, published, -n)
    if (m := _PART.fullmatch(s)) and (tv := _resolve_part(text, m, published, reference)):
        return tv
    if (m := _WEEK_OF.fullmatch(s)) and (tv := _resolve_week_of(text, m, published, reference)):
        return tv
    if m := _HALF_OR_QUARTER.fullmatch(s):
        size = 6 if m["what"] == "half" else 3
        ordinal: str = m["ord"]
        # "the last quarter" alone may be the previous quarter or the fourth: left unresolved.
        if ordinal in ("last", "final") and m["rest"] is None:
            return _unknown(text, "month")
        index = 12 // size if ordinal in ("last", "final") else ORDINALS[ordinal]
        if tv := _resolve_half_or_quarter(text, size, index, m["rest"], published, reference):
            return tv
    if m := _HALF_OR_QUARTER_CODE.fullmatch(s):
        size = 3 if m["letter"] == "q" else 6
        if tv := _resolve_half_or_quarter(text, size, int(m["n"]), m["rest"], published, reference):
            return tv
    if m := _SEASON.fullmatch(s):
        return _resolve_season(text, m, published)
    if m := _ANAPHORIC.fullmatch(s):
        return _resolve_anaphoric(text, m, reference)
    return _unknown(text, None)


def _resolve_since(
    text: str,
    rest: str,
    published: datetime.date | None,
    anchor_end: datetime.date | None,
) -> TimeValue:
    # "since" is not handed to dateparser: it returns nothing for "since November", and at
    # best one date for what follows "since", never an interval up to the statement.
    point = _resolve_point(text, rest, published, anchor_end or published)
    end = anchor_end or published
    if point.start is not None and end is not None and end < point.start:
        end = None  # a starting point after the reference date cannot be closed by it
    return TimeValue(
        text, point.value, point.start, end, point.granularity, point.year_known, "since"
    )


def _resolve_duration(text: str, match: re.Match[str], end: datetime.date | None) -> TimeValue:
    # dateparser has no notion of a stretch of time ending at a given date.
    if end is None:
        return _unknown(text, "day", "duration")
    n = 1 if match["n"] is None else _number(match["n"])
    if n == 0:
        return _unknown(text, "day", "duration")  # "for 0 days" is no stretch at all
    unit = match["unit"]
    # Both ends are inclusive: "for three weeks" up to Jan 31 is the 21 days Jan 11..31.
    if unit == "hour":
        # The time of day is unknown: every day the last N hours can reach back into.
        start = end - datetime.timedelta(days=math.ceil(n / 24))
    elif unit == "day":
        start = end - datetime.timedelta(days=n - 1)
    elif unit == "week":
        start = end - datetime.timedelta(weeks=n) + datetime.timedelta(days=1)
    elif unit == "month":
        start = _add_months(end, -n) + datetime.timedelta(days=1)
    else:
        start = _add_months(end, -12 * n) + datetime.timedelta(days=1)
    value = f"{start.isoformat()}/{end.isoformat()}"
    return TimeValue(text, value, start, end, "day", True, "duration")


def resolve_time(
    text: str, published: datetime.date | None, *, anchor_end: datetime.date | None = None
) -> TimeValue:
    """Resolve one time expression (as found by
    :func:`~claimledger.nlp.time.component.find_time_spans`).

    Calendar-relative expressions ("yesterday", "last week", "three weeks ago") are
    resolved against ``published``. ``anchor_end`` (the date of the statement the
    expression occurs in) closes durations and "since" intervals, and is the date that
    anaphoric expressions ("a week earlier", "the day before") count from; it defaults to
    ``published``. A year is never guessed: without one in the text and without
    ``published`` the value stays year-less ("--01-31") or None.
    """
    shown = _LEADING_PREPOSITION.sub("", text.strip().rstrip(",;:!?").strip())
    s = _normalise(shown)
    try:
        if m := _SINCE.fullmatch(s):
            return _resolve_since(shown, m["rest"], published, anchor_end)
        if _VAGUE_DURATION.fullmatch(s):
            # "in recent weeks", "the past few days": no convention for how far back they
            # reach; found, so their words are never read as counts, but left unresolved.
            return _unknown(shown, "day", "duration")
        # Without a number only "the past/last <unit>" is a duration: a bare "year" is not.
        m = _DURATION.fullmatch(s)
        if m and (m["n"] is not None or (m["det"] is not None and m["plural"] is None)):
            return _resolve_duration(shown, m, anchor_end or published)
        return _resolve_point(shown, s, published, anchor_end or published)
    except (ValueError, OverflowError):  # arithmetic past year 1 or 9999
        return _unknown(shown, None)
