"""The time resolver, without spaCy: each expression resolved with and without a
publication date, the conventions as properties (claimledger.nlp.time.resolve)."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from dataclasses import replace
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.nlp.time import TimeValue, resolve_time

D = datetime.date
PUBLISHED = D(2025, 2, 1)  # a Saturday, in ISO week 2025-W05


def _day(text: str, day: D) -> TimeValue:
    return TimeValue(text, day.isoformat(), day, day, "day", True, "point")


def _point(text: str, value: str, start: D, end: D, granularity: str) -> TimeValue:
    return TimeValue(text, value, start, end, granularity, True, "point")  # type: ignore[arg-type]


def _since(text: str, value: str, start: D, end: D | None, granularity: str) -> TimeValue:
    return TimeValue(text, value, start, end, granularity, True, "since")  # type: ignore[arg-type]


def _duration(text: str, start: D, end: D) -> TimeValue:
    return TimeValue(text, f"{start}/{end}", start, end, "day", True, "duration")


def _days(text: str, start: D, end: D, kind: str = "point") -> TimeValue:
    """A weekend (kind point) or a written range of days (kind range)."""
    return TimeValue(text, f"{start}/{end}", start, end, "day", True, kind)  # type: ignore[arg-type]


def _months(text: str, value: str, start: D, end: D) -> TimeValue:
    """A quarter, half-year or season: the ISO interval of its months."""
    return _point(text, value, start, end, "month")


def _unresolved(
    text: str, granularity: str | None, kind: str = "point", value: str | None = None
) -> TimeValue:
    """Nothing pinned down: no year; ``value`` only year-less ("--01", "--01-05/--01-10")."""
    return TimeValue(text, value, None, None, granularity, False, kind)  # type: ignore[arg-type]


# (input, expected with published = 2025-02-01, expected with published = None)
ROWS: list[tuple[str, TimeValue, TimeValue]] = [
    (
        "January 31",
        _day("January 31", D(2025, 1, 31)),
        TimeValue("January 31", "--01-31", None, None, "day", False, "point"),
    ),
    (
        "31 January",
        _day("31 January", D(2025, 1, 31)),
        TimeValue("31 January", "--01-31", None, None, "day", False, "point"),
    ),
    (
        "Jan. 31",
        _day("Jan. 31", D(2025, 1, 31)),
        TimeValue("Jan. 31", "--01-31", None, None, "day", False, "point"),
    ),
    (
        "on January 31",
        _day("January 31", D(2025, 1, 31)),
        TimeValue("January 31", "--01-31", None, None, "day", False, "point"),
    ),
    (
        "the 31st of January",
        _day("the 31st of January", D(2025, 1, 31)),
        TimeValue("the 31st of January", "--01-31", None, None, "day", False, "point"),
    ),
    (
        "January 31, 2025",
        _day("January 31, 2025", D(2025, 1, 31)),
        _day("January 31, 2025", D(2025, 1, 31)),
    ),
    (
        "January 19, 2024",
        _day("January 19, 2024", D(2024, 1, 19)),
        _day("January 19, 2024", D(2024, 1, 19)),
    ),
    (
        "February 1",  # the publication day itself counts as "on or before"
        _day("February 1", D(2025, 2, 1)),
        TimeValue("February 1", "--02-01", None, None, "day", False, "point"),
    ),
    (
        "Sept. 5",  # not yet reached in 2025: the previous year
        _day("Sept. 5", D(2024, 9, 5)),
        TimeValue("Sept. 5", "--09-05", None, None, "day", False, "point"),
    ),
    (
        "February 29",
        _day("February 29", D(2024, 2, 29)),
        TimeValue("February 29", "--02-29", None, None, "day", False, "point"),
    ),
    (
        "Monday, February 3",  # the weekday picks the coming 3 February over 2024's
        _day("Monday, February 3", D(2025, 2, 3)),
        TimeValue("Monday, February 3", "--02-03", None, None, "day", False, "point"),
    ),
    (
        "Feb 30",
        TimeValue("Feb 30", None, None, None, "day", False, "point"),
        TimeValue("Feb 30", None, None, None, "day", False, "point"),
    ),
    (
        "on Monday",
        _day("Monday", D(2025, 1, 27)),
        TimeValue("Monday", None, None, None, "day", False, "point"),
    ),
    (
        "Monday",
        _day("Monday", D(2025, 1, 27)),
        TimeValue("Monday", None, None, None, "day", False, "point"),
    ),
    (
        "Saturday",  # the publication's own weekday: that day ("said Saturday")
        _day("Saturday", D(2025, 2, 1)),
        TimeValue("Saturday", None, None, None, "day", False, "point"),
    ),
    (
        "yesterday",
        _day("yesterday", D(2025, 1, 31)),
        TimeValue("yesterday", None, None, None, "day", False, "point"),
    ),
    (
        "today",
        _day("today", D(2025, 2, 1)),
        TimeValue("today", None, None, None, "day", False, "point"),
    ),
    (
        "tonight",
        _day("tonight", D(2025, 2, 1)),
        TimeValue("tonight", None, None, None, "day", False, "point"),
    ),
    (
        "last week",
        _point("last week", "2025-W04", D(2025, 1, 20), D(2025, 1, 26), "week"),
        TimeValue("last week", None, None, None, "week", False, "point"),
    ),
    (
        "this week",
        _point("this week", "2025-W05", D(2025, 1, 27), D(2025, 2, 2), "week"),
        TimeValue("this week", None, None, None, "week", False, "point"),
    ),
    (
        "next week",
        _point("next week", "2025-W06", D(2025, 2, 3), D(2025, 2, 9), "week"),
        TimeValue("next week", None, None, None, "week", False, "point"),
    ),
    (
        "last month",
        _point("last month", "2025-01", D(2025, 1, 1), D(2025, 1, 31), "month"),
        TimeValue("last month", None, None, None, "month", False, "point"),
    ),
    (
        "this month",
        _point("this month", "2025-02", D(2025, 2, 1), D(2025, 2, 28), "month"),
        TimeValue("this month", None, None, None, "month", False, "point"),
    ),
    (
        "last year",
        _point("last year", "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
        TimeValue("last year", None, None, None, "year", False, "point"),
    ),
    (
        "next year",
        _point("next year", "2026", D(2026, 1, 1), D(2026, 12, 31), "year"),
        TimeValue("next year", None, None, None, "year", False, "point"),
    ),
    (
        "earlier this month",
        _point("earlier this month", "2025-02", D(2025, 2, 1), D(2025, 2, 1), "month"),
        TimeValue("earlier this month", None, None, None, "month", False, "point"),
    ),
    (
        "earlier this week",
        _point("earlier this week", "2025-W05", D(2025, 1, 27), D(2025, 2, 1), "week"),
        TimeValue("earlier this week", None, None, None, "week", False, "point"),
    ),
    (
        "later this month",
        _point("later this month", "2025-02", D(2025, 2, 1), D(2025, 2, 28), "month"),
        TimeValue("later this month", None, None, None, "month", False, "point"),
    ),
    (
        "earlier this year",
        _point("earlier this year", "2025", D(2025, 1, 1), D(2025, 2, 1), "year"),
        TimeValue("earlier this year", None, None, None, "year", False, "point"),
    ),
    (
        "mid-January",
        _point("mid-January", "2025-01", D(2025, 1, 11), D(2025, 1, 20), "month"),
        TimeValue("mid-January", "--01", None, None, "month", False, "point"),
    ),
    (
        "early January",
        _point("early January", "2025-01", D(2025, 1, 1), D(2025, 1, 10), "month"),
        TimeValue("early January", "--01", None, None, "month", False, "point"),
    ),
    (
        "late February 2024",
        _point("late February 2024", "2024-02", D(2024, 2, 21), D(2024, 2, 29), "month"),
        _point("late February 2024", "2024-02", D(2024, 2, 21), D(2024, 2, 29), "month"),
    ),
    (
        "November last year",
        _point("November last year", "2024-11", D(2024, 11, 1), D(2024, 11, 30), "month"),
        TimeValue("November last year", "--11", None, None, "month", False, "point"),
    ),
    (
        "November",
        _point("November", "2024-11", D(2024, 11, 1), D(2024, 11, 30), "month"),
        TimeValue("November", "--11", None, None, "month", False, "point"),
    ),
    (
        "November 2024",
        _point("November 2024", "2024-11", D(2024, 11, 1), D(2024, 11, 30), "month"),
        _point("November 2024", "2024-11", D(2024, 11, 1), D(2024, 11, 30), "month"),
    ),
    (
        "since November last year",
        _since("since November last year", "2024-11", D(2024, 11, 1), D(2025, 2, 1), "month"),
        TimeValue("since November last year", "--11", None, None, "month", False, "since"),
    ),
    (
        "since January 31",
        _since("since January 31", "2025-01-31", D(2025, 1, 31), D(2025, 2, 1), "day"),
        TimeValue("since January 31", "--01-31", None, None, "day", False, "since"),
    ),
    (
        "since November 2024",
        _since("since November 2024", "2024-11", D(2024, 11, 1), D(2025, 2, 1), "month"),
        _since("since November 2024", "2024-11", D(2024, 11, 1), None, "month"),
    ),
    (
        "since 2022",
        _since("since 2022", "2022", D(2022, 1, 1), D(2025, 2, 1), "year"),
        _since("since 2022", "2022", D(2022, 1, 1), None, "year"),
    ),
    (
        "three weeks ago",
        _point("three weeks ago", "2025-W02", D(2025, 1, 6), D(2025, 1, 12), "week"),
        TimeValue("three weeks ago", None, None, None, "week", False, "point"),
    ),
    (
        "two days ago",
        _day("two days ago", D(2025, 1, 30)),
        TimeValue("two days ago", None, None, None, "day", False, "point"),
    ),
    (
        "10 days ago",
        _day("10 days ago", D(2025, 1, 22)),
        TimeValue("10 days ago", None, None, None, "day", False, "point"),
    ),
    (
        "a month ago",
        _point("a month ago", "2025-01", D(2025, 1, 1), D(2025, 1, 31), "month"),
        TimeValue("a month ago", None, None, None, "month", False, "point"),
    ),
    (
        "two years ago",
        _point("two years ago", "2023", D(2023, 1, 1), D(2023, 12, 31), "year"),
        TimeValue("two years ago", None, None, None, "year", False, "point"),
    ),
    (
        "for three weeks",
        _duration("for three weeks", D(2025, 1, 12), D(2025, 2, 1)),
        TimeValue("for three weeks", None, None, None, "day", False, "duration"),
    ),
    (
        "for approximately three weeks",
        _duration("for approximately three weeks", D(2025, 1, 12), D(2025, 2, 1)),
        TimeValue("for approximately three weeks", None, None, None, "day", False, "duration"),
    ),
    (
        "for 10 days",
        _duration("for 10 days", D(2025, 1, 23), D(2025, 2, 1)),
        TimeValue("for 10 days", None, None, None, "day", False, "duration"),
    ),
    (
        "for more than two months",
        _duration("for more than two months", D(2024, 12, 2), D(2025, 2, 1)),
        TimeValue("for more than two months", None, None, None, "day", False, "duration"),
    ),
    (
        "for the past year",
        _duration("for the past year", D(2024, 2, 2), D(2025, 2, 1)),
        TimeValue("for the past year", None, None, None, "day", False, "duration"),
    ),
    (
        "2024",
        _point("2024", "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
        _point("2024", "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
    ),
    (
        "the other day",
        TimeValue("the other day", None, None, None, None, False, "point"),
        TimeValue("the other day", None, None, None, None, False, "point"),
    ),
    # --- weekdays: bare = the latest such day on or before publication, "last" = strictly
    # before; "this" = that day of the publication week (Monday-Sunday); "next" = the first
    # one after it.
    ("last Monday", _day("last Monday", D(2025, 1, 27)), _unresolved("last Monday", "day")),
    ("last Saturday", _day("last Saturday", D(2025, 1, 25)), _unresolved("last Saturday", "day")),
    (
        "on Saturday morning",
        _day("Saturday morning", D(2025, 2, 1)),
        _unresolved("Saturday morning", "day"),
    ),
    ("this Tuesday", _day("this Tuesday", D(2025, 1, 28)), _unresolved("this Tuesday", "day")),
    ("this Saturday", _day("this Saturday", D(2025, 2, 1)), _unresolved("this Saturday", "day")),
    ("next Monday", _day("next Monday", D(2025, 2, 3)), _unresolved("next Monday", "day")),
    ("on Sunday", _day("Sunday", D(2025, 1, 26)), _unresolved("Sunday", "day")),
    ("Friday night", _day("Friday night", D(2025, 1, 31)), _unresolved("Friday night", "day")),
    (
        "on Monday morning",
        _day("Monday morning", D(2025, 1, 27)),
        _unresolved("Monday morning", "day"),
    ),
    ("late Tuesday", _day("late Tuesday", D(2025, 1, 28)), _unresolved("late Tuesday", "day")),
    # --- weekends: Saturday-Sunday; "the weekend" = the latest that has begun by publication
    (
        "over the weekend",
        _days("the weekend", D(2025, 2, 1), D(2025, 2, 2)),
        _unresolved("the weekend", "day"),
    ),
    (
        "last weekend",
        _days("last weekend", D(2025, 1, 25), D(2025, 1, 26)),
        _unresolved("last weekend", "day"),
    ),
    (
        "next weekend",
        _days("next weekend", D(2025, 2, 8), D(2025, 2, 9)),
        _unresolved("next weekend", "day"),
    ),
    # --- days with a time of day: the day only
    ("this morning", _day("this morning", D(2025, 2, 1)), _unresolved("this morning", "day")),
    ("last night", _day("last night", D(2025, 1, 31)), _unresolved("last night", "day")),
    (
        "yesterday morning",
        _day("yesterday morning", D(2025, 1, 31)),
        _unresolved("yesterday morning", "day"),
    ),
    ("tomorrow", _day("tomorrow", D(2025, 2, 2)), _unresolved("tomorrow", "day")),
    ("earlier today", _day("earlier today", D(2025, 2, 1)), _unresolved("earlier today", "day")),
    (
        "the day before yesterday",
        _day("the day before yesterday", D(2025, 1, 30)),
        _unresolved("the day before yesterday", "day"),
    ),
    # --- years and their thirds: early = January-April, mid = May-August, late = rest
    (
        "in 2024",
        _point("2024", "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
        _point("2024", "2024", D(2024, 1, 1), D(2024, 12, 31), "year"),
    ),
    (
        "in early 2024",
        _point("early 2024", "2024", D(2024, 1, 1), D(2024, 4, 30), "year"),
        _point("early 2024", "2024", D(2024, 1, 1), D(2024, 4, 30), "year"),
    ),
    (
        "in late 2023",
        _point("late 2023", "2023", D(2023, 9, 1), D(2023, 12, 31), "year"),
        _point("late 2023", "2023", D(2023, 9, 1), D(2023, 12, 31), "year"),
    ),
    (
        "mid-2024",
        _point("mid-2024", "2024", D(2024, 5, 1), D(2024, 8, 31), "year"),
        _point("mid-2024", "2024", D(2024, 5, 1), D(2024, 8, 31), "year"),
    ),
    (
        "early last year",
        _point("early last year", "2024", D(2024, 1, 1), D(2024, 4, 30), "year"),
        _unresolved("early last year", "year"),
    ),
    (
        "late last month",
        _point("late last month", "2025-01", D(2025, 1, 21), D(2025, 1, 31), "month"),
        _unresolved("late last month", "month"),
    ),
    (
        "early next week",  # thirds of a week: Mon-Tue, Wed-Thu, Fri-Sun
        _point("early next week", "2025-W06", D(2025, 2, 3), D(2025, 2, 4), "week"),
        _unresolved("early next week", "week"),
    ),
    # --- "the beginning/middle/end of X" = "early/mid/late X"; "by" is dropped
    (
        "by the end of January",
        _point("the end of January", "2025-01", D(2025, 1, 21), D(2025, 1, 31), "month"),
        _unresolved("the end of January", "month", value="--01"),
    ),
    (
        "at the end of last year",
        _point("the end of last year", "2024", D(2024, 9, 1), D(2024, 12, 31), "year"),
        _unresolved("the end of last year", "year"),
    ),
    (
        "the beginning of the year",
        _point("the beginning of the year", "2025", D(2025, 1, 1), D(2025, 4, 30), "year"),
        _unresolved("the beginning of the year", "year"),
    ),
    (
        "the end of the month",
        _point("the end of the month", "2025-02", D(2025, 2, 21), D(2025, 2, 28), "month"),
        _unresolved("the end of the month", "month"),
    ),
    (
        "the end of last week",
        _point("the end of last week", "2025-W04", D(2025, 1, 24), D(2025, 1, 26), "week"),
        _unresolved("the end of last week", "week"),
    ),
    (
        "the middle of March",
        _point("the middle of March", "2024-03", D(2024, 3, 11), D(2024, 3, 20), "month"),
        _unresolved("the middle of March", "month", value="--03"),
    ),
    # --- weeks of a month: days 1-7, 8-14, 15-21, 22-28; the last = its last seven days
    (
        "the first week of January",
        _point("the first week of January", "2025-01", D(2025, 1, 1), D(2025, 1, 7), "month"),
        _unresolved("the first week of January", "month", value="--01"),
    ),
    (
        "the last week of January",
        _point("the last week of January", "2025-01", D(2025, 1, 25), D(2025, 1, 31), "month"),
        _unresolved("the last week of January", "month", value="--01"),
    ),
    (
        "the second week of January 2024",
        _point(
            "the second week of January 2024", "2024-01", D(2024, 1, 8), D(2024, 1, 14), "month"
        ),
        _point(
            "the second week of January 2024", "2024-01", D(2024, 1, 8), D(2024, 1, 14), "month"
        ),
    ),
    # --- halves and quarters: without a year, the latest that has begun by publication
    (
        "in the first half of 2024",
        _months("the first half of 2024", "2024-01/2024-06", D(2024, 1, 1), D(2024, 6, 30)),
        _months("the first half of 2024", "2024-01/2024-06", D(2024, 1, 1), D(2024, 6, 30)),
    ),
    (
        "the second half of last year",
        _months("the second half of last year", "2024-07/2024-12", D(2024, 7, 1), D(2024, 12, 31)),
        _unresolved("the second half of last year", "month", value="--07/--12"),
    ),
    (
        "Q1 2025",
        _months("Q1 2025", "2025-01/2025-03", D(2025, 1, 1), D(2025, 3, 31)),
        _months("Q1 2025", "2025-01/2025-03", D(2025, 1, 1), D(2025, 3, 31)),
    ),
    (
        "the first quarter",
        _months("the first quarter", "2025-01/2025-03", D(2025, 1, 1), D(2025, 3, 31)),
        _unresolved("the first quarter", "month", value="--01/--03"),
    ),
    (
        "the third quarter",  # not begun by 1 February 2025: 2024's
        _months("the third quarter", "2024-07/2024-09", D(2024, 7, 1), D(2024, 9, 30)),
        _unresolved("the third quarter", "month", value="--07/--09"),
    ),
    (
        "the fourth quarter of last year",
        _months(
            "the fourth quarter of last year", "2024-10/2024-12", D(2024, 10, 1), D(2024, 12, 31)
        ),
        _unresolved("the fourth quarter of last year", "month", value="--10/--12"),
    ),
    (
        "last quarter",
        _months("last quarter", "2024-10/2024-12", D(2024, 10, 1), D(2024, 12, 31)),
        _unresolved("last quarter", "month"),
    ),
    (
        "the last quarter",  # the previous quarter or the fourth: not guessed
        _unresolved("the last quarter", "month"),
        _unresolved("the last quarter", "month"),
    ),
    # --- seasons (northern meteorological: Mar-May, Jun-Aug, Sep-Nov, Dec-Feb)
    (
        "in the spring",  # the latest that has begun by publication
        _months("the spring", "2024-03/2024-05", D(2024, 3, 1), D(2024, 5, 31)),
        _unresolved("the spring", "month", value="--03/--05"),
    ),
    (
        "last summer",  # the latest that has ended before publication
        _months("last summer", "2024-06/2024-08", D(2024, 6, 1), D(2024, 8, 31)),
        _unresolved("last summer", "month", value="--06/--08"),
    ),
    (
        "this winter",  # the one under way at publication
        _months("this winter", "2024-12/2025-02", D(2024, 12, 1), D(2025, 2, 28)),
        _unresolved("this winter", "month", value="--12/--02"),
    ),
    (
        "winter 2022",  # named by the year it begins in
        _months("winter 2022", "2022-12/2023-02", D(2022, 12, 1), D(2023, 2, 28)),
        _months("winter 2022", "2022-12/2023-02", D(2022, 12, 1), D(2023, 2, 28)),
    ),
    # --- written ranges of days: one interval; the year as for a single year-less date
    (
        "between January 5 and 10",
        _days("between January 5 and 10", D(2025, 1, 5), D(2025, 1, 10), "range"),
        _unresolved("between January 5 and 10", "day", "range", "--01-05/--01-10"),
    ),
    (
        "from January 5 to January 10",
        _days("from January 5 to January 10", D(2025, 1, 5), D(2025, 1, 10), "range"),
        _unresolved("from January 5 to January 10", "day", "range", "--01-05/--01-10"),
    ),
    (
        "January 5-10",
        _days("January 5-10", D(2025, 1, 5), D(2025, 1, 10), "range"),
        _unresolved("January 5-10", "day", "range", "--01-05/--01-10"),
    ),
    (
        "January 5 to 10",
        _days("January 5 to 10", D(2025, 1, 5), D(2025, 1, 10), "range"),
        _unresolved("January 5 to 10", "day", "range", "--01-05/--01-10"),
    ),
    (
        "5\u201310 January",
        _days("5\u201310 January", D(2025, 1, 5), D(2025, 1, 10), "range"),
        _unresolved("5\u201310 January", "day", "range", "--01-05/--01-10"),
    ),
    (
        "January 5-10, 2024",
        _days("January 5-10, 2024", D(2024, 1, 5), D(2024, 1, 10), "range"),
        _days("January 5-10, 2024", D(2024, 1, 5), D(2024, 1, 10), "range"),
    ),
    (
        "from December 28 to January 3",
        _days("from December 28 to January 3", D(2024, 12, 28), D(2025, 1, 3), "range"),
        _unresolved("from December 28 to January 3", "day", "range", "--12-28/--01-03"),
    ),
    (
        "February 28-29",
        _days("February 28-29", D(2024, 2, 28), D(2024, 2, 29), "range"),
        _unresolved("February 28-29", "day", "range", "--02-28/--02-29"),
    ),
    (
        "January 10-5",  # runs backwards
        _unresolved("January 10-5", "day", "range"),
        _unresolved("January 10-5", "day", "range"),
    ),
    # --- stretches up to the statement date, like "for ...": inclusive whole days
    (
        "in the past week",
        _duration("the past week", D(2025, 1, 26), D(2025, 2, 1)),
        _unresolved("the past week", "day", "duration"),
    ),
    (
        "in the past two weeks",
        _duration("the past two weeks", D(2025, 1, 19), D(2025, 2, 1)),
        _unresolved("the past two weeks", "day", "duration"),
    ),
    (
        "over the past three days",
        _duration("the past three days", D(2025, 1, 30), D(2025, 2, 1)),
        _unresolved("the past three days", "day", "duration"),
    ),
    (
        "in the past 24 hours",  # every day 24 hours can reach back into
        _duration("the past 24 hours", D(2025, 1, 31), D(2025, 2, 1)),
        _unresolved("the past 24 hours", "day", "duration"),
    ),
    (
        "in recent weeks",  # how far back is not said: found, left unresolved
        _unresolved("recent weeks", "day", "duration"),
        _unresolved("recent weeks", "day", "duration"),
    ),
    (
        "the last few days",
        _unresolved("the last few days", "day", "duration"),
        _unresolved("the last few days", "day", "duration"),
    ),
    # --- anaphoric: counted from the statement date, else the publication date
    (
        "a week earlier",
        _point("a week earlier", "2025-W04", D(2025, 1, 20), D(2025, 1, 26), "week"),
        _unresolved("a week earlier", "week"),
    ),
    ("two days later", _day("two days later", D(2025, 2, 3)), _unresolved("two days later", "day")),
    (
        "the day before",
        _day("the day before", D(2025, 1, 31)),
        _unresolved("the day before", "day"),
    ),
    (
        "the previous day",
        _day("the previous day", D(2025, 1, 31)),
        _unresolved("the previous day", "day"),
    ),
    (
        "the following week",
        _point("the following week", "2025-W06", D(2025, 2, 3), D(2025, 2, 9), "week"),
        _unresolved("the following week", "week"),
    ),
    (
        "a month earlier",
        _point("a month earlier", "2025-01", D(2025, 1, 1), D(2025, 1, 31), "month"),
        _unresolved("a month earlier", "month"),
    ),
    # --- "since" with the new starting points
    (
        "since last Monday",
        _since("since last Monday", "2025-01-27", D(2025, 1, 27), D(2025, 2, 1), "day"),
        _unresolved("since last Monday", "day", "since"),
    ),
    (
        "since early 2024",
        _since("since early 2024", "2024", D(2024, 1, 1), D(2025, 2, 1), "year"),
        _since("since early 2024", "2024", D(2024, 1, 1), None, "year"),
    ),
]


@pytest.mark.parametrize(("text", "expected", "_"), ROWS, ids=[row[0] for row in ROWS])
def test_resolve_with_publication_date(text: str, expected: TimeValue, _: TimeValue) -> None:
    assert resolve_time(text, PUBLISHED) == expected


@pytest.mark.parametrize(("text", "_", "expected"), ROWS, ids=[row[0] for row in ROWS])
def test_resolve_without_publication_date(text: str, _: TimeValue, expected: TimeValue) -> None:
    assert resolve_time(text, None) == expected


def _schema_time_value() -> re.Pattern[str]:
    schema = json.loads(
        resources.files("claimledger.schema").joinpath("analysis.schema.json").read_text()
    )
    return re.compile(schema["$defs"]["TimeValue"]["pattern"])


@pytest.mark.parametrize(("text", "dated", "undated"), ROWS, ids=[row[0] for row in ROWS])
def test_every_value_fits_the_published_schema(
    text: str, dated: TimeValue, undated: TimeValue
) -> None:
    pattern = _schema_time_value()
    for value in (dated.value, undated.value):
        assert value is None or pattern.fullmatch(value), (text, value)
    assert dated.granularity in {None, "day", "week", "month", "year"}


def test_durations_end_at_the_statement_date() -> None:
    statement = D(2025, 1, 31)
    expected = _duration("for three weeks", D(2025, 1, 11), statement)
    assert resolve_time("for three weeks", PUBLISHED, anchor_end=statement) == expected
    assert resolve_time("for three weeks", None, anchor_end=statement) == expected


def test_since_ends_at_the_statement_date() -> None:
    tv = resolve_time("since November last year", PUBLISHED, anchor_end=D(2025, 1, 31))
    assert (tv.start, tv.end, tv.kind) == (D(2024, 11, 1), D(2025, 1, 31), "since")


def test_since_a_start_after_the_reference_date_leaves_the_end_open() -> None:
    tv = resolve_time("since next week", PUBLISHED)
    assert (tv.start, tv.end) == (D(2025, 2, 3), None)


def test_last_week_across_the_new_year_uses_the_iso_week_year() -> None:
    tv = resolve_time("last week", D(2025, 1, 2))
    assert (tv.value, tv.start, tv.end) == ("2024-W52", D(2024, 12, 23), D(2024, 12, 29))
    tv = resolve_time("this week", D(2024, 12, 31))
    assert tv.value == "2025-W01"


def test_anaphoric_expressions_count_from_the_statement_date() -> None:
    statement = D(2025, 1, 19)  # a Sunday, in ISO week 2025-W03
    assert resolve_time("the day before", PUBLISHED, anchor_end=statement).start == D(2025, 1, 18)
    assert resolve_time("two days later", None, anchor_end=statement).start == D(2025, 1, 21)
    tv = resolve_time("a week earlier", PUBLISHED, anchor_end=statement)
    assert (tv.value, tv.start, tv.end) == ("2025-W02", D(2025, 1, 6), D(2025, 1, 12))
    # Calendar-relative expressions stay on the publication date.
    assert resolve_time("yesterday", PUBLISHED, anchor_end=statement).start == D(2025, 1, 31)


def test_stretches_end_at_the_statement_date() -> None:
    tv = resolve_time("in the past week", PUBLISHED, anchor_end=D(2025, 1, 31))
    assert (tv.kind, tv.start, tv.end) == ("duration", D(2025, 1, 25), D(2025, 1, 31))


def test_ranges_take_a_single_year_across_the_new_year() -> None:
    tv = resolve_time("December 28, 2024 to January 3, 2025", None)
    assert (tv.kind, tv.start, tv.end) == ("range", D(2024, 12, 28), D(2025, 1, 3))
    tv = resolve_time("from December 28 to January 3, 2025", None)
    assert (tv.start, tv.end) == (D(2024, 12, 28), D(2025, 1, 3))
    # A year-less range not yet begun at publication is last year's, like a single date.
    assert resolve_time("February 3-7", PUBLISHED).value == "2024-02-03/2024-02-07"


def test_seasons_relative_to_the_publication_date() -> None:
    october = D(2025, 10, 15)
    assert resolve_time("last summer", october).value == "2025-06/2025-08"  # just ended
    assert resolve_time("this winter", october).value == "2025-12/2026-02"  # coming
    assert resolve_time("next spring", october).value == "2026-03/2026-05"
    assert resolve_time("the autumn", october).value == "2025-09/2025-11"  # under way


def test_the_weekend_on_a_weekday_is_the_one_before() -> None:
    tv = resolve_time("over the weekend", D(2025, 2, 3))  # a Monday
    assert (tv.start, tv.end) == (D(2025, 2, 1), D(2025, 2, 2))
    assert resolve_time("last weekend", D(2025, 2, 3)).value == "2025-02-01/2025-02-02"


def test_year_less_date_before_its_anniversary_takes_the_previous_year() -> None:
    assert resolve_time("January 31", D(2025, 1, 15)).value == "2024-01-31"
    assert resolve_time("mid-January", D(2025, 1, 5)).value == "2025-01"
    assert resolve_time("February", D(2025, 1, 5)).value == "2024-02"


# --- properties -------------------------------------------------------------------------------

RELATIVE_PHRASES = [
    "yesterday", "today", "tonight", "Monday", "Sunday", "on Friday", "last week", "this week",
    "next week", "last month", "this month", "next month", "last year", "this year",
    "next year", "earlier this week", "later this week", "earlier this month",
    "later this month", "earlier this year", "later this year", "mid-January", "early March",
    "late February", "November last year", "since November last year", "since mid-January",
    "since last week", "since Monday", "three weeks ago", "two days ago", "a month ago",
    "12 months ago", "two years ago", "for three weeks", "for approximately three weeks",
    "for 10 days", "for more than two months", "for the past year", "January 31", "Jan. 31",
    "February 29", "31 December", "since January 31",
    # weekdays, weekends, times of day
    "last Monday", "this Tuesday", "next Friday", "Friday night", "late Tuesday", "the weekend",
    "over the weekend", "last weekend", "this weekend", "next weekend", "this morning",
    "last night", "yesterday morning", "tomorrow", "earlier today", "the day before yesterday",
    # parts of periods, quarters, halves, seasons
    "early last year", "late last month", "early next week", "mid-January",
    "by the end of January", "at the end of last year", "the beginning of the year",
    "the end of the month", "the end of last week", "the middle of March",
    "the first week of January", "the last week of February", "the second half of last year",
    "the first quarter", "the fourth quarter of last year", "last quarter", "this quarter",
    "next quarter", "in the spring", "last summer", "this winter", "next autumn",
    # ranges, stretches, anaphoric, since
    "January 5-10", "between January 5 and 10", "from December 28 to January 3",
    "February 28-29", "in the past week", "in the past two weeks", "over the past three days",
    "in the past 24 hours", "a week earlier", "two days later", "the day before",
    "the previous day", "the following week", "a month earlier", "a year later",
    "since last Monday", "since the end of last year", "since the weekend", "since last summer",
]  # fmt: skip
ANAPHORIC_PHRASES = [
    "a week earlier", "two days later", "the day before", "the previous day",
    "the following week", "a month earlier", "a year later", "three days before",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PART_WORDS = ("early", "mid", "late")
PERIODS = ["last week", "this week", "next month", "last month", "last year", "next year"]
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
dates_2000_2030 = st.dates(D(2000, 1, 1), D(2030, 12, 31))


@settings(deadline=None)
@given(published=dates_2000_2030, phrase=st.sampled_from(RELATIVE_PHRASES))
def test_relative_phrases_give_ordered_intervals(published: D, phrase: str) -> None:
    tv = resolve_time(phrase, published)
    assert tv.granularity is not None
    assert tv.year_known
    assert tv.start is not None
    if tv.end is not None:
        assert tv.start <= tv.end


@settings(deadline=None)
@given(
    published=dates_2000_2030,
    anchor=dates_2000_2030,
    phrase=st.sampled_from(RELATIVE_PHRASES),
)
def test_intervals_stay_ordered_with_a_statement_date(published: D, anchor: D, phrase: str) -> None:
    tv = resolve_time(phrase, published, anchor_end=anchor)
    if tv.start is not None and tv.end is not None:
        assert tv.start <= tv.end


@settings(deadline=None)
@given(phrase=st.sampled_from(RELATIVE_PHRASES))
def test_no_publication_date_never_yields_a_year(phrase: str) -> None:
    tv = resolve_time(phrase, None)
    assert not tv.year_known
    assert tv.start is None and tv.end is None
    assert tv.value is None or tv.value.startswith("--")


@settings(deadline=None)
@given(published=dates_2000_2030, anchor=dates_2000_2030, phrase=st.sampled_from(ANAPHORIC_PHRASES))
def test_anaphoric_phrases_count_from_the_reference_date(
    published: D, anchor: D, phrase: str
) -> None:
    # The statement date when given, whatever the publication date; else publication.
    expected = resolve_time(phrase, anchor)
    assert expected.year_known and expected.start is not None
    assert resolve_time(phrase, published, anchor_end=anchor) == expected
    assert resolve_time(phrase, None, anchor_end=anchor) == expected


@settings(deadline=None)
@given(published=dates_2000_2030, weekday=st.sampled_from(WEEKDAYS))
def test_weekday_conventions(published: D, weekday: str) -> None:
    bare = resolve_time(weekday, published)
    last = resolve_time(f"last {weekday}", published)
    this = resolve_time(f"this {weekday}", published)
    following = resolve_time(f"next {weekday}", published)
    for tv in (bare, last, this, following):
        assert tv.start is not None and WEEKDAYS[tv.start.weekday()] == weekday
    assert bare.start is not None and last.start is not None
    assert 0 <= (published - bare.start).days <= 6
    assert 1 <= (published - last.start).days <= 7
    # they differ on the publication's own weekday only: "Monday" is that day
    assert (bare.start == last.start) == (bare.start != published)
    assert this.start is not None and this.start.isocalendar()[:2] == published.isocalendar()[:2]
    assert following.start is not None and 1 <= (following.start - published).days <= 7


@settings(deadline=None)
@given(published=dates_2000_2030, period=st.sampled_from(PERIODS))
def test_parts_of_a_period_tile_it(published: D, period: str) -> None:
    whole = resolve_time(period, published)
    early, mid, late = (resolve_time(f"{part} {period}", published) for part in PART_WORDS)
    assert {early.value, mid.value, late.value} == {whole.value}
    assert early.start == whole.start and late.end == whole.end
    assert early.end is not None and mid.start is not None and mid.end is not None
    assert early.end + datetime.timedelta(days=1) == mid.start
    assert late.start is not None and mid.end + datetime.timedelta(days=1) == late.start
    for part, edge in zip(PART_WORDS, ("beginning", "middle", "end"), strict=True):
        narrowed = resolve_time(f"the {edge} of {period}", published)
        assert narrowed == replace(resolve_time(f"{part} {period}", published), text=narrowed.text)


@settings(deadline=None)
@given(
    first=st.dates(D(1900, 1, 1), D(2099, 12, 31)),
    length=st.integers(0, 30),
    published=st.none() | dates_2000_2030,
)
def test_written_ranges_round_trip(first: D, length: int, published: D | None) -> None:
    last = first + datetime.timedelta(days=length)
    month, last_month = MONTHS[first.month - 1], MONTHS[last.month - 1]
    texts = [f"from {month} {first.day} to {last_month} {last.day}, {last.year}"]
    if (first.year, first.month) == (last.year, last.month):
        texts += [
            f"{month} {first.day}-{last.day}, {first.year}",
            f"between {first.day} and {last.day} {month} {first.year}",
        ]
    for text in texts:
        tv = resolve_time(text, published)
        assert (tv.kind, tv.start, tv.end, tv.granularity) == ("range", first, last, "day"), text


@settings(deadline=None)
@given(day=st.dates(D(1900, 1, 1), D(2099, 12, 31)), published=st.none() | dates_2000_2030)
def test_written_dates_round_trip(day: D, published: D | None) -> None:
    month = MONTHS[day.month - 1]
    for text in (f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"):
        assert resolve_time(text, published) == _day(text, day)


@settings(deadline=None)
@given(day=dates_2000_2030, published=dates_2000_2030)
def test_year_less_dates_take_the_latest_on_or_before_publication(day: D, published: D) -> None:
    text = f"{MONTHS[day.month - 1]} {day.day}"
    tv = resolve_time(text, published)
    assert tv.start is not None and tv.year_known
    assert (tv.start.month, tv.start.day) == (day.month, day.day)
    assert tv.start <= published
    # No later year would still be on or before publication.
    try:
        assert tv.start.replace(year=tv.start.year + 1) > published
    except ValueError:  # 29 February: the next one is up to four years away
        assert tv.start.year + 4 > published.year


@settings(deadline=None)
@given(day=dates_2000_2030)
def test_year_less_dates_without_publication_stay_year_less(day: D) -> None:
    tv = resolve_time(f"{MONTHS[day.month - 1]} {day.day}", None)
    assert tv == TimeValue(
        f"{MONTHS[day.month - 1]} {day.day}",
        f"--{day.month:02d}-{day.day:02d}",
        None,
        None,
        "day",
        False,
        "point",
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("for three weeks", datetime.date(2025, 1, 11), datetime.date(2025, 1, 31)),
        ("for 10 days", datetime.date(2025, 1, 22), datetime.date(2025, 1, 31)),
        ("for approximately three weeks", datetime.date(2025, 1, 11), datetime.date(2025, 1, 31)),
    ],
)
def test_a_duration_ends_at_the_statement_and_counts_both_ends(
    text: str, start: datetime.date, end: datetime.date
) -> None:
    value = resolve_time(text, datetime.date(2025, 2, 1), anchor_end=datetime.date(2025, 1, 31))
    assert (value.kind, value.start, value.end) == ("duration", start, end)


def test_the_resolver_imports_no_spacy() -> None:
    # The ledger and the API resolve nothing, but a caller that only resolves dates must
    # not pay for loading spaCy.
    code = (
        "import sys, claimledger.nlp.time, claimledger.nlp.time.resolve; "
        "print('spacy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
