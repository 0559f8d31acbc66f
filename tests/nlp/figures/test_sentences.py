"""Figures: number parsing, and claims read from whole sentences."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger import lexicon
from claimledger.extract import analyze
from claimledger.lexicon import Lexicon
from claimledger.nlp.figures import parse_number, vocabulary
from claimledger.render.report import format_number

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


# (sentence, subject key, measure, polarity, low, high, approx, value, bound): the
# interval conventions of docs/normalisation.md, applied to claims.
SENTENCES = [
    ("The army said more than 500 soldiers were killed.",
     "soldiers", "killed", "positive", 500, 550, False, 500, "above"),
    ("Officials said around 3,000 troops were deployed to the border.",
     "soldiers", "deployed", "positive", 2700, 3300, True, 3000, "approx"),
    ("The ministry said 40 civilians were wounded.",
     "civilians", "wounded", "positive", 40, 40, False, 40, "exact"),
    ("The general said 150 soldiers have been captured.",
     "soldiers", "captured", "positive", 150, 150, False, 150, "exact"),
    ("The report said up to 200 fighters were missing.",
     "soldiers", "missing", "positive", 180, 200, False, 200, "at_most"),
    ("Kyiv said nearly 1,000 Russian soldiers were killed or wounded.",
     "russian soldiers", "killed_or_wounded", "positive", 900, 1000, True, 1000, "below"),
    ("Officials said that 30 soldiers were not killed.",
     "soldiers", "killed", "negative", 30, 30, False, 30, "exact"),
    ("The governor said an estimated 2,000 civilians were wounded.",
     "civilians", "wounded", "positive", 1800, 2200, True, 2000, "approx"),
    ("The army said at least 50 soldiers were killed.",
     "soldiers", "killed", "positive", 50, 55, False, 50, "at_least"),
    ("The army said fewer than 20 soldiers were captured.",
     "soldiers", "captured", "positive", 18, 20, False, 20, "at_most"),
    ("Officials said some 4,000 troops were deployed.",
     "soldiers", "deployed", "positive", 3600, 4400, True, 4000, "approx"),
    ("The report said as many as 300 civilians were wounded.",
     "civilians", "wounded", "positive", 270, 300, False, 300, "at_most"),
    ("The ministry said over 100 soldiers were captured.",
     "soldiers", "captured", "positive", 100, 110, False, 100, "above"),
    ("Kyiv said almost 70 soldiers were killed.",
     "soldiers", "killed", "positive", 63, 70, True, 70, "below"),
    ("The general said roughly 1,200 troops were deployed.",
     "soldiers", "deployed", "positive", 1080, 1320, True, 1200, "approx"),
    ("The general said exactly 12 soldiers were captured.",
     "soldiers", "captured", "positive", 12, 12, False, 12, "exact"),
    ("Officials said twelve thousand soldiers were deployed.",
     "soldiers", "deployed", "positive", 12000, 12000, False, 12000, "exact"),
    ("Officials said 12k soldiers were deployed.",
     "soldiers", "deployed", "positive", 12000, 12000, False, 12000, "exact"),
    # ranges: the ends as stated
    ("Officials said 10,000 to 12,000 soldiers were killed.",
     "soldiers", "killed", "positive", 10000, 12000, False, 11000, "range"),
    ("Officials said 10,000-12,000 soldiers were killed.",
     "soldiers", "killed", "positive", 10000, 12000, False, 11000, "range"),
    ("Between 10,000 and 12,000 soldiers were deployed, officials said.",
     "soldiers", "deployed", "positive", 10000, 12000, False, 11000, "range"),
    ("The army said two or three soldiers died.",
     "soldiers", "killed", "positive", 2, 3, False, 2.5, "range"),
    ("Kyiv said about 40 to 50 Russian soldiers were captured.",
     "russian soldiers", "captured", "positive", 40, 50, True, 45, "range"),
    # a change is not a range: the figure it reached is the claim
    ("The army said the toll rose from 100 to 200 soldiers killed.",
     "soldiers", "killed", "positive", 200, 200, False, 200, "exact"),
    # vague amounts
    ("The army said dozens of soldiers were wounded.",
     "soldiers", "wounded", "positive", 24, 99, True, 61.5, "vague"),
    ("Officials said several thousand troops were captured.",
     "soldiers", "captured", "positive", 3000, 9000, True, 6000, "vague"),
    ("Kyiv said hundreds of North Korean troops were killed.",
     "north korean soldiers", "killed", "positive", 200, 999, True, 599.5, "vague"),
    ("Officials said tens of thousands of soldiers were deployed.",
     "soldiers", "deployed", "positive", 20000, 99999, True, 59999.5, "vague"),
    ("The army said several soldiers were killed.",
     "soldiers", "killed", "positive", 3, 9, True, 6, "vague"),
    ("The army said a handful of soldiers were captured.",
     "soldiers", "captured", "positive", 2, 6, True, 4, "vague"),
    ("The army said a few hundred soldiers were wounded.",
     "soldiers", "wounded", "positive", 200, 500, True, 350, "vague"),
    # measures from the verb, the noun and totals
    ("Kyiv said Russia suffered 1,500 casualties.",
     "people", "killed_or_wounded", "positive", 1500, 1500, False, 1500, "exact"),
    ("Kyiv said Russian losses reached 1,200 soldiers.",
     "soldiers", "killed_or_wounded", "positive", 1200, 1200, False, 1200, "exact"),
    ("He said Russian casualties reached about 1,000.",
     "russians", "killed_or_wounded", "positive", 900, 1100, True, 1000, "approx"),
    ("Officials said the death toll stands at 300.",
     "people", "killed", "positive", 300, 300, False, 300, "exact"),
    ("Officials said 2,000 troops were withdrawn from the region.",
     "soldiers", "withdrawn", "positive", 2000, 2000, False, 2000, "exact"),
    ("Officials said 300 soldiers had been taken prisoner.",
     "soldiers", "captured", "positive", 300, 300, False, 300, "exact"),
    ("The army said it lost 15 soldiers.",
     "soldiers", "killed_or_wounded", "positive", 15, 15, False, 15, "exact"),
    ("He said 50 soldiers died.",
     "soldiers", "killed", "positive", 50, 50, False, 50, "exact"),
    ("Officials said 100 soldiers were injured.",
     "soldiers", "wounded", "positive", 100, 100, False, 100, "exact"),
    ("Officials said 200 soldiers are still missing.",
     "soldiers", "missing", "positive", 200, 200, False, 200, "exact"),
    ("Officials said 40 tanks were destroyed.",
     "tanks", "destroyed", "positive", 40, 40, False, 40, "exact"),
    ("About 500 North Korean troops are believed to have been killed.",
     "north korean soldiers", "killed", "positive", 450, 550, True, 500, "approx"),
    ("Officials said 50 soldiers have not been captured.",
     "soldiers", "captured", "negative", 50, 50, False, 50, "exact"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "key", "measure", "polarity", "low", "high", "approx", "value", "bound"),
    SENTENCES,
    ids=[s[0][:40] for s in SENTENCES],
)
def test_claims_from_sentences(
    text: str,
    key: str,
    measure: str,
    polarity: str,
    low: float,
    high: float | None,
    approx: bool,
    value: float,
    bound: str,
) -> None:
    result = analyze(text, published=dt.date(2025, 2, 1))
    (claim,) = result.claims
    q = claim.quantity
    assert (claim.subject.key, claim.measure, claim.polarity) == (key, measure, polarity)
    assert (q.low, q.high, q.approx, q.value, q.bound) == (
        pytest.approx(low),
        pytest.approx(high) if high is not None else None,
        approx,
        value,
        bound,
    )
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


# (sentence, fraction, low, high, base value or None): the share's interval times the
# base's; a base written into the phrase is used, none is never guessed.
FRACTIONS = [
    ("The ministry said nearly half of the 12,000 troops were killed.", 0.5, 5400, 6000, 12000),
    ("The army said a third of its 900 soldiers were wounded.", 1 / 3, 300, 300, 900),
    ("The army said 30% of the 2,000 soldiers were wounded.", 0.3, 600, 600, 2000),
    ("The army said 30 percent of the troops were wounded.", 0.3, 0.3, 0.3, None),
    ("The army said 30% of the force was wounded.", 0.3, 0.3, 0.3, None),
    ("Kyiv said more than half of the soldiers were captured.", 0.5, 0.5, 0.55, None),
    ("Kyiv said that about two-thirds of the 300 soldiers were killed.", 2 / 3, 180, 220, 300),
]


@pytest.mark.parametrize(
    ("text", "fraction", "low", "high", "base"), FRACTIONS, ids=[f[0][:40] for f in FRACTIONS]
)
def test_fractions_and_percentages(
    text: str, fraction: float, low: float, high: float, base: float | None
) -> None:
    (claim,) = analyze(text).claims
    q = claim.quantity
    assert q.fraction == pytest.approx(fraction, abs=1e-6)
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))
    assert (q.base.value if q.base else None) == base
    assert q.unit == ("count" if base else "fraction")
    if q.base is not None:
        assert q.base.claim is None  # stated inside the phrase, not by an earlier claim


def test_years_and_equipment_names_are_not_counts() -> None:
    result = analyze(
        "Officials said in 2024 that AK-12 rifles and 1PN139-1 scopes were found on January 3."
    )
    assert result.claims == ()


# "4K" stays ambiguous: the k of "12k" is a thousand, so "4K cameras" reads as 4,000.
@pytest.mark.parametrize("name", ["2G mobile phones", "3D printers", "5G masts"])
def test_a_number_written_into_a_name_is_not_a_count(name: str) -> None:
    assert analyze(f"The unit said it found {name} on the soldiers.").claims == ()


# The tokenizer keeps a figure and its scale letter together ("1.5m" is not 1.5 metres).
@pytest.mark.parametrize(
    ("figure", "value"),
    [("12k", 12_000), ("12K", 12_000), ("1.5m", 1_500_000), ("2bn", 2_000_000_000)],
)
def test_a_scale_suffix_is_still_a_count(figure: str, value: float) -> None:
    (claim,) = analyze(f"The ministry said {figure} soldiers were deployed.").claims
    assert claim.quantity.low == value


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The army said no more than 50 soldiers were killed.", 45, 50),
        ("The army said no fewer than 50 soldiers were killed.", 50, 55),
        ("The army said at least 50 soldiers were killed.", 50, 55),
    ],
)
def test_negated_bounds_flip(text: str, low: float, high: float | None) -> None:
    (claim,) = analyze(text).claims
    assert (claim.quantity.low, claim.quantity.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # relative to the statement's day, not to publication (2025-02-01)
        ("Syrskyi stated on January 19 that 300 soldiers were deployed last month.", "2024-12"),
        ("Syrskyi stated on January 19 that 300 soldiers were killed in the past week.",
         "2025-01-13/2025-01-19"),
        ("Syrskyi stated on January 19 that 300 soldiers were killed two days later.",
         "2025-01-21"),
        # no day for the statement: publication is the reference
        ("Syrskyi said 300 soldiers were deployed last month.", "2025-01"),
        # a statement over several days has no one day to count from
        ("Syrskyi said over the weekend that 300 soldiers were deployed last month.",
         "2025-01"),
    ],
)  # fmt: skip
def test_event_time_counts_from_the_statement_date(text: str, value: str) -> None:
    (claim,) = analyze(text, published=dt.date(2025, 2, 1)).claims
    assert claim.time is not None and claim.time.value == value


@pytest.mark.parametrize(
    ("text", "low", "high", "interval"),
    [
        ("Officials stated on January 31 that they have not seen North Korean soldiers in "
         "the past three weeks.", 3, 3, "2025-01-11/2025-01-31"),
        ("Officials stated on January 31 that North Korean forces have not been present for "
         "about two weeks.", 1.8, 2.2, "2025-01-18/2025-01-31"),
    ],
)  # fmt: skip
def test_absences_with_a_length(text: str, low: float, high: float, interval: str) -> None:
    (claim,) = analyze(text, published=dt.date(2025, 2, 1)).claims
    assert (claim.measure, claim.quantity.unit) == ("absent", "week")
    assert (claim.quantity.low, claim.quantity.high) == (pytest.approx(low), pytest.approx(high))
    assert claim.time is not None and claim.time.value == interval


# --- the measure words as data (data/lexicon/measures.toml) ------------------------------------

# Each list of measures.toml and the read that takes it.
MEASURE_LISTS = {
    "measure": "rows",
    "phrase": "rows",
    "verb_never_counts": "rows",
    "cue_weights": "rows",
    "plural_people": "rows",
    "subject_synonyms": "mapping",
    "verb_counts": "mapping",
    "raising_verbs": "words",
    "total_verbs": "words",
    "total_setting_verbs": "words",
    "total_nouns": "words",
    "complement_prepositions": "words",
    "adjacent_fillers": "words",
    "hedged_states": "words",
    "experience_verbs": "words",
    "owner_prepositions": "words",
    "presence_words": "words",
    "presence_states": "words",
}


def test_every_list_of_measures_toml_loads_in_its_shape() -> None:
    shipped = Lexicon.load()
    names = {key.split(".", 1)[1] for key in shipped.lists if key.startswith("measures.")}
    assert names == set(MEASURE_LISTS)
    for name, read in MEASURE_LISTS.items():
        assert getattr(shipped, read)(f"measures.{name}"), name


def test_the_measure_words_come_out_as_the_figures_read_them() -> None:
    assert vocabulary.MEASURE_VERBS["kill"] == "killed"
    assert vocabulary.MEASURE_VERBS["lose"] == "killed_or_wounded"
    assert vocabulary.MEASURE_NOUNS["toll"] == "killed"
    assert vocabulary.MEASURE_STATES["captive"] == "captured"
    assert (frozenset({"back", "out"}), "withdrawn") in vocabulary.PHRASES["pull"]
    assert vocabulary.VERB_COUNTS["lose"] == "soldiers"
    assert vocabulary.CUE_WEIGHTS["verb"] > vocabulary.CUE_WEIGHTS["noun"]
    assert vocabulary.SUBJECT_SYNONYMS["troops"] == "soldiers"
    assert vocabulary.UNITS["weeks"] == "week"


def _with_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(lexicon, "_active", Lexicon.load([path]))


def test_a_users_row_adds_a_measure_word_and_overrides_a_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = '[[measures.measure]]\nname = "killed"\nverbs = ["massacre", "lose"]\n'
    _with_user_file(tmp_path, monkeypatch, text)
    verbs, nouns, _ = vocabulary.measure_words()
    assert (verbs["massacre"], verbs["lose"], verbs["kill"]) == ("killed", "killed", "killed")
    assert nouns == vocabulary.MEASURE_NOUNS
