"""Time expressions in news text: found with spaCy token patterns, resolved against an optional
publication date, never inventing a year the text and the publication date do not give."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

import dateparser
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

Granularity = Literal["day", "week", "month", "year"]
Kind = Literal["point", "since", "duration"]

SPAN_KEY: Final = "claimledger_time"
"""Key of ``doc.spans`` that the ``claimledger_timex`` component fills."""


@dataclass(frozen=True)
class TimeValue:
    """A resolved time expression.

    ``value`` is ISO 8601 at the expression's granularity ("2025-01-31", "2025-W04",
    "2025-01", "2025"); "--01-31" / "--11" when month (and day) are known but the year is
    not; None when nothing can be pinned down. ``start``/``end`` bound the interval covered,
    both inclusive. Part-of-period expressions ("mid-January", "earlier this month") keep
    the granularity and value of the enclosing period and narrow ``start``/``end``
    (early = days 1-10, mid = 11-20, late = 21-end). ``granularity`` is what the expression
    would resolve to even when it cannot be resolved; None only for text not understood.

    ``kind == "since"``: ``value``/``granularity`` describe the starting point, ``start`` is
    its first day, ``end`` the statement date (``anchor_end``) or else the publication date.
    ``kind == "duration"``: ``end`` is ``anchor_end`` or else the publication date,
    ``start = end - duration``, ``value`` the ISO interval "start/end", granularity "day".
    """

    text: str
    value: str | None
    start: datetime.date | None
    end: datetime.date | None
    granularity: Granularity | None
    year_known: bool
    kind: Kind


# --- vocabulary shared by the resolver (regexes) and the finder (token patterns) -----------

_MONTH_NAMES: Final = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_ABBREVIATIONS: Final = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTHS: Final[dict[str, int]] = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **_MONTH_ABBREVIATIONS,
}
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS: Final[dict[str, int]] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_HEDGE_WORDS: Final = ("approximately", "about", "around", "nearly", "almost", "roughly", "over")
_HEDGE_PAIRS: Final = (("more", "than"), ("less", "than"), ("at", "least"))
_UNITS: Final = ("day", "week", "month", "year")
_PARTS: Final = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

# --- resolution --------------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MONTH_RE: Final = rf"(?P<month>{_alternation(_MONTHS)})\.?"
_WEEKDAY_RE: Final = rf"(?P<weekday>{_alternation(_WEEKDAYS)})"
_DAY_RE: Final = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE: Final = r"(?P<year>\d{4})"
_NUM_RE: Final = rf"(?P<n>\d{{1,3}}|{_alternation(_NUMBERS)})"
_UNIT_RE: Final = rf"(?P<unit>{_alternation(_UNITS)})s?"
_HEDGE_RE: Final = _alternation([*_HEDGE_WORDS, *(" ".join(pair) for pair in _HEDGE_PAIRS)])
_YEAR_OR_REL: Final = rf"(?:,? {_YEAR_RE}| (?:of )?(?P<rel>last|this) year)?"


_DEICTIC: Final = re.compile(r"(?P<word>yesterday|today|tonight)")
_WEEKDAY_ONLY: Final = re.compile(_WEEKDAY_RE)
_RELATIVE_UNIT: Final = re.compile(r"(?P<rel>last|this|next) (?P<unit>week|month|year)")
_PART_OF_THIS: Final = re.compile(r"(?P<part>earlier|later) this (?P<unit>week|month|year)")
_AGO: Final = re.compile(rf"(?:(?:{_HEDGE_RE}) )?{_NUM_RE} {_UNIT_RE} ago")
_DATE_MONTH_DAY: Final = re.compile(
    rf"(?:{_WEEKDAY_RE},? )?{_MONTH_RE} {_DAY_RE}(?:,? {_YEAR_RE})?"
)
_DATE_DAY_MONTH: Final = re.compile(
    rf"(?:{_WEEKDAY_RE},? )?(?:the )?{_DAY_RE} (?:of )?{_MONTH_RE}(?:,? {_YEAR_RE})?"
)
_PART_OF_MONTH: Final = re.compile(rf"(?P<part>early|mid|late)[- ]?{_MONTH_RE}{_YEAR_OR_REL}")
_MONTH_YEAR: Final = re.compile(rf"{_MONTH_RE}{_YEAR_OR_REL}")
_YEAR_ONLY: Final = re.compile(_YEAR_RE)
_SINCE: Final = re.compile(r"since (?P<rest>.+)")
_DURATION: Final = re.compile(
    rf"(?:for )?(?P<det>the (?:past|last) )?(?:(?:{_HEDGE_RE}) )?(?:{_NUM_RE} )?"
    r"(?P<unit>day|week|month|year)(?P<plural>s)?"
)
_LEADING_PREPOSITION: Final = re.compile(r"^(?:on|in|at|during)\s+(?=\S)", re.IGNORECASE)


def _normalise(text: str) -> str:
    s = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    return " ".join(s.split()).rstrip(".").strip()


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _dateparser_date(text: str, base: datetime.date | None) -> datetime.date | None:
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime.datetime.combine(base, datetime.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


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


_GRANULARITY: Final[dict[str, Granularity]] = {
    "day": "day", "week": "week", "month": "month", "year": "year"
}  # fmt: skip


def _unit_granularity(unit: str) -> Granularity:
    return _GRANULARITY[unit]


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
    month = _MONTHS[match["month"]]
    day = int(match["day"])
    if not 1 <= day <= _month_end(2000, month).day:  # 2000 is a leap year: allows 29 February
        return _unknown(text, "day")
    canonical = f"{_MONTH_NAMES[month - 1]} {day}"
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
    if weekday is not None and resolved.weekday() != _WEEKDAYS.index(weekday):
        # "Monday, February 3" written days before 3 February 2025: the weekday says the
        # coming date is meant, though past dates are preferred otherwise.
        upcoming = _next_month_day(month, day, published)
        if upcoming is not None and upcoming.weekday() == _WEEKDAYS.index(weekday):
            resolved = upcoming
    return _day(text, resolved)


def _resolve_month(text: str, match: re.Match[str], published: datetime.date | None) -> TimeValue:
    month = _MONTHS[match["month"]]
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
    part = groups.get("part")
    if part is None:
        return _month(text, year, month)
    first, last = _PARTS[part]
    month_end = _month_end(year, month)
    start = datetime.date(year, month, first)
    return _month(text, year, month, start, month_end.replace(day=min(last, month_end.day)))


def _resolve_weekday(text: str, weekday: str, published: datetime.date) -> TimeValue:
    wanted = _WEEKDAYS.index(weekday)
    expected = published - datetime.timedelta(days=(published.weekday() - wanted - 1) % 7 + 1)
    parsed = _dateparser_date(weekday, published)
    # dateparser takes the weekday strictly before the base; keep it only if it agrees.
    return _day(text, parsed if parsed == expected else expected)


def _resolve_point(text: str, s: str, published: datetime.date | None) -> TimeValue:
    if m := _DATE_MONTH_DAY.fullmatch(s) or _DATE_DAY_MONTH.fullmatch(s):
        return _resolve_date(text, m, published)
    if m := _PART_OF_MONTH.fullmatch(s) or _MONTH_YEAR.fullmatch(s):
        return _resolve_month(text, m, published)
    if m := _YEAR_ONLY.fullmatch(s):
        return _year(text, int(m["year"]))
    if m := _DEICTIC.fullmatch(s):
        if published is None:
            return _unknown(text, "day")
        offset = 1 if m["word"] == "yesterday" else 0
        expected = published - datetime.timedelta(days=offset)
        parsed = _dateparser_date(m["word"], published)
        return _day(text, parsed if parsed == expected else expected)
    if m := _WEEKDAY_ONLY.fullmatch(s):
        if published is None:
            return _unknown(text, "day")
        return _resolve_weekday(text, m["weekday"], published)
    # Week/month/year-relative phrases: dateparser turns "last week" into the single day
    # seven days back, whereas we want the whole calendar period before the published one.
    if m := _RELATIVE_UNIT.fullmatch(s):
        unit: str = m["unit"]
        if published is None:
            return _unknown(text, _unit_granularity(unit))
        step = {"last": -1, "this": 0, "next": 1}[m["rel"]]
        if unit == "week":
            return _period(text, unit, published + datetime.timedelta(weeks=step))
        if unit == "month":
            return _period(text, unit, _add_months(published.replace(day=1), step))
        return _period(text, unit, datetime.date(published.year + step, 1, 1))
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
            parsed = _dateparser_date(f"{n} days ago", published)
            return _day(text, parsed if parsed == expected else expected)
        # dateparser would give one day N weeks/months/years back; the text only names the
        # calendar period, so that period is returned rather than a falsely precise day.
        if unit == "week":
            return _period(text, unit, published - datetime.timedelta(weeks=n))
        if unit == "month":
            return _period(text, unit, _add_months(published.replace(day=1), -n))
        return _period(text, unit, datetime.date(published.year - n, 1, 1))
    return _unknown(text, None)


def _resolve_since(
    text: str, rest: str, published: datetime.date | None, anchor_end: datetime.date | None
) -> TimeValue:
    # "since" is not handed to dateparser: it reads "since November" as a single date.
    point = _resolve_point(text, rest, published)
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
    unit = match["unit"]
    if unit == "day":
        start = end - datetime.timedelta(days=n)
    elif unit == "week":
        start = end - datetime.timedelta(weeks=n)
    elif unit == "month":
        start = _add_months(end, -n)
    else:
        start = _add_months(end, -12 * n)
    # Both ends are inclusive: "for three weeks" up to Jan 31 is the 21 days Jan 11..31.
    start += datetime.timedelta(days=1)
    value = f"{start.isoformat()}/{end.isoformat()}"
    return TimeValue(text, value, start, end, "day", True, "duration")


def resolve_time(
    text: str, published: datetime.date | None, *, anchor_end: datetime.date | None = None
) -> TimeValue:
    """Resolve one time expression (as found by :func:`find_time_spans`).

    Calendar-relative expressions are resolved against ``published``; ``anchor_end`` (the
    date of the statement the expression occurs in) closes durations and "since" intervals
    and defaults to ``published``. A year is never guessed: without one in the text and
    without ``published`` the value stays year-less ("--01-31") or None.
    """
    shown = _LEADING_PREPOSITION.sub("", text.strip().rstrip(",;:!?").strip())
    s = _normalise(shown)
    try:
        if m := _SINCE.fullmatch(s):
            return _resolve_since(shown, m["rest"], published, anchor_end)
        # Without a number only "the past/last <unit>" is a duration: a bare "year" is not.
        m = _DURATION.fullmatch(s)
        if m and (m["n"] is not None or (m["det"] is not None and m["plural"] is None)):
            return _resolve_duration(shown, m, anchor_end or published)
        return _resolve_point(shown, s, published)
    except (ValueError, OverflowError):  # arithmetic past year 1 or 9999
        return _unknown(shown, None)


# --- finding --------------------------------------------------------------------------------

_Pattern = list[dict[str, Any]]


def _lower(*words: str) -> dict[str, Any]:
    return {"LOWER": words[0]} if len(words) == 1 else {"LOWER": {"IN": list(words)}}


def _patterns() -> list[_Pattern]:
    # Month names must not be all lower case, so the modal "may" and the verb "march" stay out.
    month_forms = [*_MONTHS, *(f"{abbr}." for abbr in _MONTH_ABBREVIATIONS)]
    month: dict[str, Any] = {"LOWER": {"IN": month_forms}, "IS_LOWER": False}
    day: dict[str, Any] = {"TEXT": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)?$"}}
    year: dict[str, Any] = {"TEXT": {"REGEX": r"^(1[89]|20|21)\d\d$"}}
    comma: dict[str, Any] = {"ORTH": ","}
    weekday = _lower(*_WEEKDAYS)
    number: dict[str, Any] = {"LOWER": {"REGEX": rf"^(\d{{1,3}}|{_alternation(_NUMBERS)})$"}}
    unit = _lower(*_UNITS, *(f"{u}s" for u in _UNITS))
    singular_unit = _lower(*_UNITS)
    this_or_last = _lower("this", "last")
    year_word = _lower("year")

    with_year: list[_Pattern] = [[], [year], [comma, year]]
    dates: list[_Pattern] = []
    for tail in with_year:
        dates += [[month, day, *tail], [day, month, *tail], [day, _lower("of"), month, *tail]]
    dates += [[weekday, *sep, *date] for date in list(dates) for sep in ([], [comma])]
    months: list[_Pattern] = [
        [month, year],
        [month, comma, year],
        [month, this_or_last, year_word],
        [month, _lower("of"), this_or_last, year_word],
    ]
    parts: list[_Pattern] = [
        [_lower(*_PARTS), {"ORTH": "-", "OP": "?"}, month, *tail]
        for tail in [[], [year], [this_or_last, year_word]]
    ]
    hedges: list[_Pattern] = [[], [_lower(*_HEDGE_WORDS)]]
    hedges += [[_lower(first), _lower(second)] for first, second in _HEDGE_PAIRS]
    agos: list[_Pattern] = [[*hedge, number, unit, _lower("ago")] for hedge in hedges]
    simple: list[_Pattern] = [
        [weekday],
        [_lower("yesterday", "today", "tonight")],
        [_lower("last", "this", "next"), singular_unit],
        [_lower("earlier", "later"), _lower("this"), singular_unit],
    ]
    points = dates + months + parts + agos + simple
    since = [[_lower("since"), *point] for point in [*points, [month], [year]]]
    the_past = [_lower("the"), _lower("past", "last")]
    durations = [
        [_lower("for"), *determiner, *hedge, number, unit]
        for determiner in ([], the_past)
        for hedge in hedges
    ]
    durations.append([_lower("for"), *the_past, singular_unit])
    return points + since + durations


_MATCHERS: dict[int, Matcher] = {}


def _matcher(vocab: Vocab) -> Matcher:
    # Keyed by id: each Matcher keeps its Vocab alive, so an id is never reused while cached.
    matcher = _MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = Matcher(vocab)
        matcher.add("TIME", _patterns())
        _MATCHERS[id(vocab)] = matcher
    return matcher


def find_time_spans(doc_or_span: Doc | Span) -> list[Span]:
    """Time expressions as token spans of the underlying Doc: in order, non-overlapping,
    longest match first. Uses token patterns only; spaCy's DATE entities are unreliable
    (they run on into following words, e.g. "January 19 that approximately half")."""
    doc = doc_or_span if isinstance(doc_or_span, Doc) else doc_or_span.doc
    spans = []
    for span in _matcher(doc.vocab)(doc_or_span, as_spans=True):
        previous = doc[span.start - 1].lower_ if span.start > 0 else ""
        # "over the last year" / "the next week" mean a stretch up to or from now, not the
        # previous or following calendar period.
        if span[0].lower_ in ("last", "next") and previous == "the":
            continue
        spans.append(span)
    return sorted(filter_spans(spans), key=lambda span: span.start)


class TimexComponent:
    """Pipeline component: stores :func:`find_time_spans` in ``doc.spans[SPAN_KEY]``."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPAN_KEY] = find_time_spans(doc)
        return doc


@Language.factory("claimledger_timex")
def make_timex_component(nlp: Language, name: str) -> TimexComponent:
    """spaCy factory for ``nlp.add_pipe("claimledger_timex")``."""
    return TimexComponent()
