"""Figures: number parsing, and claims read from whole sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.extract import analyze
from claimledger.nlp.quantities import parse_number
from claimledger.report import format_number

NUMBERS = [
    (["12,000"], 12_000),
    (["60,000"], 60_000),
    (["2"], 2),
    (["two"], 2),
    (["twelve", "thousand"], 12_000),
    (["1.5", "million"], 1_500_000),
    (["12k"], 12_000),
    (["3.2bn"], 3_200_000_000),
    (["a", "hundred"], 100),
    (["one", "hundred", "and", "twenty"], 120),
    (["2,500,000"], 2_500_000),
    (["a", "dozen"], 12),
]


@pytest.mark.parametrize(("tokens", "value"), NUMBERS)
def test_parse_number(tokens: list[str], value: float) -> None:
    assert parse_number(tokens) == value


@pytest.mark.parametrize("tokens", [["2G"], ["AK-12"], ["1P87"], ["soldiers"], []])
def test_not_a_number(tokens: list[str]) -> None:
    assert parse_number(tokens) is None


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**12))
def test_formatting_a_number_and_parsing_it_back_gives_the_same_value(n: int) -> None:
    assert parse_number([format_number(n)]) == n


# (sentence, subject key, measure, polarity, low, high, approx)
SENTENCES = [
    (
        "The army said more than 500 soldiers were killed.",
        "soldiers",
        "killed",
        "positive",
        500,
        None,
        False,
    ),
    (
        "Officials said around 3,000 troops were deployed to the border.",
        "soldiers",
        "deployed",
        "positive",
        3000,
        3000,
        True,
    ),
    (
        "The ministry said 40 civilians were wounded.",
        "civilians",
        "wounded",
        "positive",
        40,
        40,
        False,
    ),
    (
        "The general said 150 soldiers have been captured.",
        "soldiers",
        "captured",
        "positive",
        150,
        150,
        False,
    ),
    (
        "The report said up to 200 fighters were missing.",
        "soldiers",
        "missing",
        "positive",
        0,
        200,
        False,
    ),
    (
        "Kyiv said nearly 1,000 Russian soldiers were killed or wounded.",
        "russian soldiers",
        "killed_or_wounded",
        "positive",
        1000,
        1000,
        True,
    ),
    (
        "Officials said that 30 soldiers were not killed.",
        "soldiers",
        "killed",
        "negative",
        30,
        30,
        False,
    ),
]


@pytest.mark.parametrize(
    ("text", "key", "measure", "polarity", "low", "high", "approx"),
    SENTENCES,
    ids=[s[0][:40] for s in SENTENCES],
)
def test_claims_from_sentences(
    text: str, key: str, measure: str, polarity: str, low: float, high: float | None, approx: bool
) -> None:
    result = analyze(text, published=dt.date(2025, 2, 1))
    (claim,) = result.claims
    q = claim.quantity
    assert (claim.subject.key, claim.measure, claim.polarity) == (key, measure, polarity)
    assert (q.low, q.high, q.approx) == (low, high, approx)
    assert q.low <= (q.high if q.high is not None else q.low)


def test_fraction_takes_the_earlier_figure_of_the_same_subject() -> None:
    result = analyze(
        "The governor said 2,000 troops were deployed last month. She added that a quarter "
        "of the troops have been wounded.",
        published=dt.date(2025, 2, 1),
    )
    deployed, wounded = result.claims
    assert wounded.quantity.fraction == 0.25
    assert wounded.quantity.base is not None and wounded.quantity.base.claim == deployed.id
    assert (wounded.quantity.low, wounded.quantity.high) == (500, 500)
    assert deployed.time is not None and deployed.time.value == "2025-01"


def test_fraction_without_a_base_is_left_unresolved() -> None:
    result = analyze("The ministry said half of the drones were shot down.")
    (claim,) = result.claims
    assert claim.quantity.fraction == 0.5
    assert claim.quantity.base is None and claim.quantity.unit == "fraction"


def test_years_and_equipment_names_are_not_counts() -> None:
    result = analyze(
        "Officials said in 2024 that AK-12 rifles and 1PN139-1 scopes were found on January 3."
    )
    assert result.claims == ()


# "4K" stays ambiguous: the k of "12k" is a thousand, so "4K cameras" reads as 4,000.
@pytest.mark.parametrize("name", ["2G mobile phones", "3D printers", "5G masts"])
def test_a_number_written_into_a_name_is_not_a_count(name: str) -> None:
    assert analyze(f"The unit said it found {name} on the soldiers.").claims == ()


# "1.5m soldiers" is not read yet: the tokenizer splits it as 1.5 metres (issue 4).
@pytest.mark.parametrize(("figure", "value"), [("12k", 12_000), ("12K", 12_000)])
def test_a_scale_suffix_is_still_a_count(figure: str, value: float) -> None:
    (claim,) = analyze(f"The ministry said {figure} soldiers were deployed.").claims
    assert claim.quantity.low == value


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The army said no more than 50 soldiers were killed.", 0, 50),
        ("The army said no fewer than 50 soldiers were killed.", 50, None),
        ("The army said at least 50 soldiers were killed.", 50, None),
    ],
)
def test_negated_bounds_flip(text: str, low: float, high: float | None) -> None:
    (claim,) = analyze(text).claims
    assert (claim.quantity.low, claim.quantity.high) == (low, high)
