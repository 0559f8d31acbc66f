"""Figure phrases to intervals: one row per convention of docs/normalisation.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger import lexicon
from claimledger.lexicon import Lexicon
from claimledger.nlp import amounts
from claimledger.nlp.amounts import (
    APPROX_SPREAD,
    Amount,
    AmountError,
    parse_amount,
    parse_number,
)

# (phrase, low, high, approx, kind)
CASES: list[tuple[str, float, float | None, bool, str]] = [
    # digits, words and mixtures
    ("12,000", 12_000, 12_000, False, "count"),
    ("12000", 12_000, 12_000, False, "count"),
    ("11 000", 11_000, 11_000, False, "count"),
    ("1,234,567", 1_234_567, 1_234_567, False, "count"),
    ("3.5", 3.5, 3.5, False, "count"),
    ("twelve thousand", 12_000, 12_000, False, "count"),
    ("twelve", 12, 12, False, "count"),
    ("twenty-five", 25, 25, False, "count"),
    ("twenty five", 25, 25, False, "count"),
    ("a hundred and twenty", 120, 120, False, "count"),
    ("one hundred", 100, 100, False, "count"),
    ("three hundred thousand", 300_000, 300_000, False, "count"),
    ("two million five hundred thousand", 2_500_000, 2_500_000, False, "count"),
    ("12k", 12_000, 12_000, False, "count"),
    ("12K", 12_000, 12_000, False, "count"),
    ("1.5m", 1_500_000, 1_500_000, False, "count"),
    ("2.3bn", 2_300_000_000, 2_300_000_000, False, "count"),
    ("1.5 million", 1_500_000, 1_500_000, False, "count"),
    ("12 thousand", 12_000, 12_000, False, "count"),
    ("a million", 1_000_000, 1_000_000, False, "count"),
    ("one", 1, 1, False, "count"),
    ("zero", 0, 0, False, "count"),
    ("a dozen", 12, 12, False, "count"),
    ("two dozen", 24, 24, False, "count"),
    ("several dozen", 36, 108, True, "count"),
    ("a couple of", 2, 2, False, "count"),
    # approximations: ±10 %
    ("about 12,000", 10_800, 13_200, True, "count"),
    ("around 12,000", 10_800, 13_200, True, "count"),
    ("approximately 12,000", 10_800, 13_200, True, "count"),
    ("roughly 100", 90, 110, True, "count"),
    ("some 500", 450, 550, True, "count"),
    ("an estimated 1,000", 900, 1_100, True, "count"),
    ("circa 40", 36, 44, True, "count"),
    ("~40", 36, 44, True, "count"),
    # "nearly": just below
    ("nearly 3,000", 2_700, 3_000, True, "count"),
    ("almost 3,000", 2_700, 3_000, True, "count"),
    ("close to 3,000", 2_700, 3_000, True, "count"),
    ("just under 3,000", 2_700, 3_000, True, "count"),
    # lower bounds: the figure and the spread above it ("bound" says more may be true)
    ("more than 12,000", 12_000, 13_200, False, "count"),
    ("over 12,000", 12_000, 13_200, False, "count"),
    ("upwards of 12,000", 12_000, 13_200, False, "count"),
    ("in excess of 12,000", 12_000, 13_200, False, "count"),
    ("at least 4,000", 4_000, 4_400, False, "count"),
    ("no fewer than 4,000", 4_000, 4_400, False, "count"),
    ("no less than 4,000", 4_000, 4_400, False, "count"),
    # upper bounds: the spread below the figure ("bound" says less may be true)
    ("up to 60,000", 54_000, 60_000, False, "count"),
    ("at most 60,000", 54_000, 60_000, False, "count"),
    ("as many as 60,000", 54_000, 60_000, False, "count"),
    ("no more than 60,000", 54_000, 60_000, False, "count"),
    ("fewer than 50", 45, 50, False, "count"),
    ("less than 50", 45, 50, False, "count"),
    ("under 50", 45, 50, False, "count"),
    ("as high as 900", 810, 900, False, "count"),
    ("as much as 900", 810, 900, False, "count"),
    ("as few as 20", 20, 22, False, "count"),
    # vague amounts
    ("dozens", 24, 99, True, "count"),
    ("dozens of", 24, 99, True, "count"),
    ("hundreds", 200, 999, True, "count"),
    ("thousands", 2_000, 9_999, True, "count"),
    ("tens of thousands", 20_000, 99_999, True, "count"),
    ("hundreds of thousands", 200_000, 999_999, True, "count"),
    ("several", 3, 9, True, "count"),
    ("several thousand", 3_000, 9_000, True, "count"),
    ("a few", 2, 5, True, "count"),
    ("a few hundred", 200, 500, True, "count"),
    ("a handful of", 2, 6, True, "count"),
    # ranges: the ends as stated
    ("10,000 to 12,000", 10_000, 12_000, False, "count"),
    ("10,000-12,000", 10_000, 12_000, False, "count"),
    ("10,000 – 12,000", 10_000, 12_000, False, "count"),
    ("between 10,000 and 12,000", 10_000, 12_000, False, "count"),
    ("from 10,000 to 12,000", 10_000, 12_000, False, "count"),
    ("ten to twelve", 10, 12, False, "count"),
    ("1.5 to 2 million", 1_500_000, 2_000_000, False, "count"),
    ("10 to 12 thousand", 10_000, 12_000, False, "count"),
    ("about 10,000 to 12,000", 10_000, 12_000, True, "count"),
    ("two or three", 2, 3, False, "count"),
    # a dash against thousands carries them to a bare first end; spaced, it does not
    ("6-7,000", 6_000, 7_000, False, "count"),
    ("about 15-20,000", 15_000, 20_000, True, "count"),
    ("6 - 7,000", 6, 7_000, False, "count"),
    ("200-1,000", 200, 1_000, False, "count"),
    # hyphenated and mixed number words
    ("four-thousand-150", 4_150, 4_150, False, "count"),
    ("fifty-six", 56, 56, False, "count"),
    # a share of a scale word is a count, not a fraction
    ("half a million", 500_000, 500_000, False, "count"),
    ("a quarter of a million", 250_000, 250_000, False, "count"),
    ("three quarters of a billion", 750_000_000, 750_000_000, False, "count"),
    ("up to a quarter of a million", 225_000, 250_000, False, "count"),
    # money: the sign says what is counted
    ("$4 billion", 4_000_000_000, 4_000_000_000, False, "count"),
    ("€250 million", 250_000_000, 250_000_000, False, "count"),
    ("$2 billion to $20 billion", 2_000_000_000, 20_000_000_000, False, "count"),
    # fractions and percentages
    ("half", 0.5, 0.5, False, "fraction"),
    ("one-half", 0.5, 0.5, False, "fraction"),
    ("a third", 1 / 3, 1 / 3, False, "fraction"),
    ("one-third", 1 / 3, 1 / 3, False, "fraction"),
    ("one third", 1 / 3, 1 / 3, False, "fraction"),
    ("two-thirds", 2 / 3, 2 / 3, False, "fraction"),
    ("a quarter", 0.25, 0.25, False, "fraction"),
    ("three quarters", 0.75, 0.75, False, "fraction"),
    ("a fourth", 0.25, 0.25, False, "fraction"),
    ("3/4", 0.75, 0.75, False, "fraction"),
    ("approximately half", 0.45, 0.55, True, "fraction"),
    ("nearly half", 0.45, 0.5, True, "fraction"),
    ("more than half", 0.5, 0.55, False, "fraction"),
    ("more than 95%", 0.95, 1.0, False, "fraction"),
    ("30%", 0.3, 0.3, False, "fraction"),
    ("30 %", 0.3, 0.3, False, "fraction"),
    ("30 percent", 0.3, 0.3, False, "fraction"),
    ("30 per cent", 0.3, 0.3, False, "fraction"),
    ("12.5%", 0.125, 0.125, False, "fraction"),
    ("about 30%", 0.27, 0.33, True, "fraction"),
    ("up to 40%", 0.36, 0.4, False, "fraction"),
    ("10-15%", 0.1, 0.15, False, "fraction"),
    # ordinals and years are not counts
    ("fourth", 4, 4, False, "ordinal"),
    ("third", 3, 3, False, "ordinal"),
    ("4th", 4, 4, False, "ordinal"),
    ("21st", 21, 21, False, "ordinal"),
    ("in 2024", 2024, 2024, False, "year"),
    ("since 1991", 1991, 1991, False, "year"),
]


@pytest.mark.parametrize(
    ("phrase", "low", "high", "approx", "kind"), CASES, ids=[c[0] for c in CASES]
)
def test_figure_phrase(
    phrase: str, low: float, high: float | None, approx: bool, kind: str
) -> None:
    amount = parse_amount(phrase)
    assert amount.low == pytest.approx(low)
    assert amount.high == pytest.approx(high)
    assert amount.approx is approx
    assert amount.kind == kind


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "the soldiers",
        "2G",
        "AK-12",
        "1PN139-1",
        "more than",
        "twenty thirty",
        "12,000 to ten",
        "five six",
        "two third",
        "abc%",
    ],
)
def test_not_a_figure(phrase: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(phrase)


def test_a_range_that_runs_backwards_is_refused() -> None:
    with pytest.raises(AmountError, match="backwards"):
        parse_amount("12,000 to 10,000")


def test_an_interval_with_low_above_high_cannot_be_built() -> None:
    with pytest.raises(AmountError):
        Amount(2.0, 1.0, False, "count", "exact", 2.0)


numbers = st.integers(min_value=0, max_value=10**12)


@given(numbers)
def test_digits_with_thousands_commas_read_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n


@given(numbers)
def test_digits_with_thousands_spaces_read_back(n: int) -> None:
    assert parse_number(f"{n:,}".replace(",", " ")) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million", "billion"]))
def test_a_number_and_a_scale_word_multiply(n: int, scale: str) -> None:
    factor = {"thousand": 10**3, "million": 10**6, "billion": 10**9}[scale]
    assert parse_number(f"{n} {scale}") == n * factor


@given(
    st.sampled_from(
        ["about", "nearly", "more than", "at least", "up to", "fewer than", "exactly", ""]
    ),
    st.integers(min_value=0, max_value=10**9),
)
def test_every_bounded_figure_is_a_finite_interval_around_its_value(modifier: str, n: int) -> None:
    amount = parse_amount(f"{modifier} {n:,}".strip())
    assert amount.high is not None
    assert amount.low <= n <= amount.high
    assert amount.high - amount.low <= 0.2 * n * (1 + 1e-9)  # within the spread each side
    assert amount.value == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_a_range_is_ordered_or_refused(a: int, b: int) -> None:
    phrase = f"{a:,} to {b:,}"
    if a > b:
        with pytest.raises(AmountError):
            parse_amount(phrase)
    else:
        amount = parse_amount(phrase)
        assert (amount.low, amount.high) == (a, b)


@given(st.text(max_size=30))
def test_any_text_is_an_amount_or_a_clear_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert amount.high is not None and amount.low <= amount.high


def test_the_approximation_spread_is_ten_percent() -> None:
    assert APPROX_SPREAD == 0.10


# --- the number words as data (data/lexicon/numbers.toml) -------------------------------------

# Each list of numbers.toml and the read that takes it (the figures package reads the last
# twelve).
NUMBER_LISTS = {
    "bounds": "mapping",
    "cardinals": "rows",
    "scales": "rows",
    "ordinals": "rows",
    "denominators": "rows",
    "vague": "rows",
    "year_prepositions": "words",
    "fraction_nouns": "words",
    "percent_words": "words",
    "vague_heads": "words",
    "change_words": "words",
    "currencies": "mapping",
    "not_counted": "words",
    "not_counted_after": "words",
    "reference_determiners": "words",
    "weak_vague": "words",
    "inclusion_verbs": "words",
    "change_nouns": "words",
}


def test_every_list_of_numbers_toml_loads_in_its_shape() -> None:
    shipped = Lexicon.load()
    names = {key.split(".", 1)[1] for key in shipped.lists if key.startswith("numbers.")}
    assert names == set(NUMBER_LISTS)
    for name, read in NUMBER_LISTS.items():
        assert getattr(shipped, read)(f"numbers.{name}"), name


def test_the_number_words_come_out_as_amounts_reads_them() -> None:
    assert amounts.UNITS_SMALL["nineteen"] == 19 and amounts.UNITS_SMALL["ninety"] == 90
    assert amounts.SCALES["trillion"] == 1_000_000_000_000
    assert amounts.ORDINAL_WORDS["twelfth"] == 12
    assert (amounts.DENOMINATORS["quarter"], amounts.DENOMINATORS["quarters"]) == (4, 4)
    assert "quarters" not in amounts.SINGULAR_DENOMINATORS
    assert amounts.VAGUE["several"] == (3, 9)
    assert amounts.MODIFIERS["no fewer than"] == "at_least"
    assert all(type(v) is int for v in [*amounts.UNITS_SMALL.values(), *amounts.SCALES.values()])


def test_a_users_number_word_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[numbers]\nscales = [{ word = "lakh", value = 100_000 }]\n', "utf-8")
    monkeypatch.setattr(lexicon, "_active", Lexicon.load([path]))
    assert amounts._numbers("numbers.scales")["lakh"] == 100_000
