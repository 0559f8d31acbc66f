"""How much a figure says, as an interval: "more than 12,000", "10,000 to 12,000",
"dozens", "one-third", "30%".

:func:`parse_amount` reads one figure phrase (the number with the words that hedge or
bound it) and returns an :class:`Amount`: the interval ``[low, high]`` it allows
(``high`` None when it has no upper bound), whether it is approximate, and what kind of
number it is (a count, a fraction or percentage of something else, an ordinal, a year).
The conventions are documented, with examples, in ``docs/normalisation.md``:

=====================================  ===========================  ==========
phrase                                 interval                     approx
=====================================  ===========================  ==========
12,000                                 [12000, 12000]               no
about / around / some 12,000           [10800, 13200] (±10 %)       yes
nearly / almost 12,000                 [10800, 12000]               yes
more than / over 12,000                [12000, None] (open)         no
at least 12,000                        [12000, None]                no
up to / at most / as many as 12,000    [0, 12000]                   no
fewer than / under 12,000              [0, 12000] (open)            no
10,000 to 12,000                       [10000, 12000]               no
dozens                                 [24, 99]                     yes
several thousand                       [3000, 9000]                 yes
=====================================  ===========================  ==========

The phrase is parsed from its words alone; whether "2024" in a sentence is a year is the
caller's to decide from context (``in 2024`` is read as a year here).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, cast

from claimledger.lexicon import mapping, rows, words
from claimledger.records import Bound

AmountKind = Literal["count", "fraction", "ordinal", "year"]

APPROX_SPREAD = 0.10  # "about N" allows N ± 10 %


def _numbers(key: str) -> dict[str, int]:
    """Rows of ``{ word = "...", value = N }`` as a table of words to numbers."""
    return {row["word"]: row["value"] for row in rows(key)}


def _bounds() -> dict[str, Bound]:
    """Each modifier to the bound it puts on a figure (checked when the lists were read)."""
    return cast(dict[str, Bound], mapping("numbers.bounds"))


# Words before a figure, longest first when matched; each says how the figure bounds the
# true value.
MODIFIERS: dict[str, Bound] = _bounds()
UNITS_SMALL = _numbers("numbers.cardinals")
SCALES = _numbers("numbers.scales")
# The letters written onto digits, read with them (the _NUMBER regex spells them too).
SUFFIXES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
ORDINAL_WORDS = _numbers("numbers.ordinals")
# Denominators of fractions: "a third", "two-thirds", "three quarters".
_DENOMINATOR_ROWS = rows("numbers.denominators")
DENOMINATORS: dict[str, int] = {
    word: row["value"] for row in _DENOMINATOR_ROWS for word in (row["singular"], row["plural"])
}
# "two third" is no fraction: a singular denominator takes only one.
SINGULAR_DENOMINATORS: frozenset[str] = frozenset(row["singular"] for row in _DENOMINATOR_ROWS)
# Vague amounts: (low, high) per unit of the scale that follows ("several thousand").
VAGUE: dict[str, tuple[int, int]] = {
    row["phrase"]: (row["low"], row["high"]) for row in rows("numbers.vague")
}
# Matched longest first: "more than" before "more", "several thousand" before "several".
_MODIFIERS_LONGEST_FIRST = tuple(sorted(MODIFIERS, key=len, reverse=True))
_VAGUE_LONGEST_FIRST = tuple(sorted(VAGUE, key=len, reverse=True))
YEAR_PREPS = words("numbers.year_prepositions")
# Currency signs written before an amount of money: "$10 billion" is a count of dollars.
CURRENCIES = mapping("numbers.currencies")
_CURRENCIES_LONGEST_FIRST = tuple(sorted(CURRENCIES, key=len, reverse=True))

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NUMBER = re.compile(
    r"^(?P<num>\d{1,3}(?:[, \u00a0\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suffix>k|mn|m|bn|b)?$"
)
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$")
_PERCENT = re.compile(r"^(?P<num>.+?)\s*(?:%|per ?cent|percent|pct)$")
_SLASH_FRACTION = re.compile(r"^(\d+)\s*/\s*(\d+)$")
_RANGE = re.compile(
    r"^(?:between\s+(?P<a1>.+?)\s+and\s+(?P<b1>.+)"
    r"|from\s+(?P<a2>.+?)\s+to\s+(?P<b2>.+)"
    r"|(?P<a3>.+?)\s*(?:\s-\s|-|\s(?:to|or)\s)\s*(?P<b3>.+))$"
)
# "8-9,000": a bare first end written against thousands takes their scale.
_SHORT_END = re.compile(r"^\d{1,3}$")
_THOUSANDS_END = re.compile(r"^\d{1,3}(?:,\d{3})+$")
# "a quarter of a million", "half a million", "three quarters of a billion": a share of a
# scale word is a count.
_SHARE_OF_SCALE = re.compile(r"^(?P<share>.+?)\s+(?:of\s+)?(?:a|an|one)\s+(?P<scale>\S+)$")


class AmountError(ValueError):
    """The phrase is not a figure this module can read."""


@dataclass(frozen=True)
class Amount:
    """An interval of values a figure allows. ``high`` None: no upper bound."""

    low: float
    high: float | None
    approx: bool
    kind: AmountKind
    bound: Bound
    value: float  # the figure as stated: 12000 in "more than 12,000", 0.5 in "half"

    def __post_init__(self) -> None:
        if self.high is not None and self.low > self.high:
            raise AmountError(f"interval [{self.low}, {self.high}] has low above high")


def _normalise(text: str) -> str:
    text = _DASHES.sub("-", text.replace("\u00a0", " ").replace("\u202f", " "))
    return re.sub(r"\s+", " ", text.strip().lower())


def _digits(word: str) -> float | None:
    m = _NUMBER.match(word)
    if m is None:
        return None
    value = float(re.sub(r"[, \u00a0\u202f]", "", m.group("num")))
    suffix = m.group("suffix")
    return value * SUFFIXES[suffix] if suffix else value


def parse_number(text: str) -> float | None:
    """The value of a number written in digits, words or both ("12,000", "twelve
    thousand", "1.5 million", "12k"); None when it is not one, or too large to be finite."""
    value = _parse_number(text)
    return value if value is None or math.isfinite(value) else None


def _parse_number(text: str) -> float | None:
    """A cardinal number in digits, words or both: "12,000", "11 000", "12k", "1.5 million",
    "twelve thousand", "twenty-five", "a hundred and twenty". None if it is not one.

    Written here, not taken from a library: measured on our table (docs/normalisation.md),
    quantulum3 reads "12k" as kelvin, "1.5m" as metres, "fourth" as 0.25 and "a dozen" as
    one dozen; text2num turns "1.5 million" into "1.5 1000000"; number-parser turns
    "one-third" into "1 - 3"; word2number reads "a hundred and twenty" as 2000.
    """
    text = _normalise(text)
    if not text:
        return None
    whole = _digits(text.replace(" ", "")) if re.fullmatch(r"[\d., ]+", text) else None
    if whole is not None and re.fullmatch(r"\d{1,3}(?: \d{3})+", text):
        return whole  # "11 000": a space as thousands separator
    words = [w for w in re.split(r"[\s-]+", text) if w]
    total = 0.0
    current: float | None = None
    seen = False
    for i, word in enumerate(words):
        if word == "and" and current is not None:
            continue
        if word in {"a", "an"} and i == 0 and len(words) > 1 and words[1] in SCALES:  # "a dozen"
            current = 1.0
            continue
        digits = _digits(word)
        if digits is not None:
            if current is not None and not word.endswith(tuple(SUFFIXES)):
                return None  # "12 000" handled above; "3 4" is two numbers
            current = digits
            seen = True
            continue
        if word in UNITS_SMALL:
            small = UNITS_SMALL[word]
            if current is not None and not (
                current % 100 == 0 or (current % 10 == 0 and current < 100 and small < 10)
            ):
                return None  # "twenty thirty", "five six"
            current = (current or 0.0) + small
            seen = True
            continue
        if word in SCALES:
            scale = SCALES[word]
            if current is None:
                return None
            if scale < 1_000:
                current *= scale  # "two dozen", "three hundred" (more may follow)
            else:
                total += current * scale
                current = None
            seen = True
            continue
        return None
    if not seen:
        return None
    return total + (current or 0.0)


def _fraction(text: str) -> float | None:
    """ "half", "a third", "one-third", "two-thirds", "three quarters", "3/4"."""
    m = _SLASH_FRACTION.match(text)
    if m is not None and int(m.group(2)) > 0:
        return int(m.group(1)) / int(m.group(2))
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "of"]
    if not words or words[-1] not in DENOMINATORS:
        return None
    denominator = DENOMINATORS[words[-1]]
    head = words[:-1]
    if not head and words[-1] in ORDINAL_WORDS:
        return None  # "third" alone is an ordinal; "a third" is a fraction
    if not head or head in (["a"], ["an"], ["one"]):
        numerator = 1.0
    else:
        parsed = parse_number(" ".join(head))
        if parsed is None:
            return None
        numerator = parsed
    if words[-1] in {"half", "halves"} and head and head not in (["a"], ["one"]):
        return None if numerator != 2 else 1.0  # "two halves"
    if words[-1] in SINGULAR_DENOMINATORS and numerator != 1:
        return None  # "two third" is not English
    return numerator / denominator


def bound_of(words: list[str]) -> tuple[Bound | None, int]:
    """The bound the last words before a figure set, and how many words say it:
    ["said", "no", "more", "than"] → ("at_most", 3)."""
    for k in range(min(len(words), 4), 0, -1):
        phrase = " ".join(words[-k:])
        if phrase in MODIFIERS:
            return MODIFIERS[phrase], k
    return None, 0


def _split_modifier(text: str) -> tuple[Bound | None, str]:
    for phrase in _MODIFIERS_LONGEST_FIRST:
        if text.startswith(phrase + " ") or (phrase == "~" and text.startswith("~")):
            return MODIFIERS[phrase], text[len(phrase) :].strip()
    return None, text


def bounded(bound: Bound | None, value: float, kind: AmountKind = "count") -> Amount:
    """The interval a figure ``value`` gives under ``bound`` (the table in
    docs/normalisation.md): "about 12,000" is [10800, 13200]. A bound keeps the interval
    within the approximation spread on its side: "more than 500" is [500, 550], "up to
    400" [360, 400]; the bound itself says that "more than 500" allows any figure above."""
    spread = value * APPROX_SPREAD
    top = 1.0 if kind != "count" else None  # a share cannot pass the whole
    match bound:
        case None | "exact":
            return Amount(value, value, False, kind, "exact", value)
        case "approx":
            return Amount(value - spread, value + spread, True, kind, "approx", value)
        case "below":
            return Amount(value - spread, value, True, kind, "below", value)
        case "above" | "at_least":
            high = value + spread if top is None else min(top, value + spread)
            return Amount(value, high, False, kind, bound, value)
        case "at_most":
            return Amount(value - spread, value, False, kind, "at_most", value)
    raise AmountError(f"unknown bound {bound!r}")


def _vague(text: str) -> Amount | None:
    for phrase in _VAGUE_LONGEST_FIRST:
        if text == phrase or text.startswith(phrase + " "):
            rest = text[len(phrase) :].strip()
            scale = 1.0
            if rest:
                if rest.removesuffix(" of") not in SCALES:
                    return None
                scale = SCALES[rest.removesuffix(" of")]
            low, high = VAGUE[phrase]
            exact = low == high
            return Amount(
                float(low * scale),
                float(high * scale),
                not exact,
                "count",
                "exact" if exact else "vague",
                (low + high) / 2 * scale,
            )
    return None


def _without_currency(text: str) -> str:
    """ "$10 billion" → "10 billion": the sign says what is counted, not how many."""
    for sign in _CURRENCIES_LONGEST_FIRST:
        if text.startswith(sign):
            rest = text[len(sign) :].strip()
            if rest[:1].isdigit():
                return rest
    return text


def _share_of_scale(text: str) -> float | None:
    """ "a quarter of a million" → 250000, "half a million" → 500000; None otherwise."""
    m = _SHARE_OF_SCALE.match(text)
    if m is None or m.group("scale") not in SCALES or SCALES[m.group("scale")] < 1_000:
        return None
    share = _fraction(m.group("share"))
    return None if share is None else share * SCALES[m.group("scale")]


def _single(text: str) -> Amount:
    """One figure with its modifier, no range."""
    bound, rest = _split_modifier(text)
    rest = _without_currency(rest)
    if not rest:
        raise AmountError(f"{text!r} has no figure after its modifier")
    share = _share_of_scale(rest)
    if share is not None:
        return bounded(bound, share, "count")
    vague = _vague(rest)
    if vague is not None:
        return vague if bound is None else bounded(bound, vague.value, "count")
    percent = _PERCENT.match(rest)
    if percent is not None:
        number = parse_number(percent.group("num"))
        if number is None:
            raise AmountError(f"{text!r}: {percent.group('num')!r} is not a number")
        return bounded(bound, number / 100, "fraction")
    fraction = _fraction(rest)
    if fraction is not None:
        return bounded(bound, fraction, "fraction")
    ordinal = _ORDINAL_DIGITS.match(rest)
    if ordinal is not None or rest in ORDINAL_WORDS:
        value = float(ordinal.group(1)) if ordinal is not None else float(ORDINAL_WORDS[rest])
        return Amount(value, value, False, "ordinal", "exact", value)
    number = parse_number(rest)
    if number is None:
        raise AmountError(f"{text!r} is not a figure")
    return bounded(bound, number, "count")


def _scale_of(text: str) -> float:
    last = text.split()[-1] if text.split() else ""
    if last in SCALES:
        return SCALES[last]
    m = _NUMBER.match(last)
    if m is not None and m.group("suffix"):
        return SUFFIXES[m.group("suffix")]
    return 1.0


def _range(a: str, b: str, dashed: bool = False) -> Amount | None:
    """ "10,000 to 12,000": the ends as stated; an approximation word marks the range as
    approximate but does not widen it. None when the two ends are not figures of one kind.
    ``dashed``: written with a dash and no spaces ("8-9,000"), where a short first end
    takes the thousands of the second."""
    if _PERCENT.match(b) is not None and _PERCENT.match(a) is None:
        a += "%"  # "10-15%": both ends are percentages
    try:
        first, second = _single(a), _single(b)
    except AmountError:
        return None
    if first.kind != second.kind or first.kind == "ordinal":
        return None
    low, high = first.value, second.value
    scale = _scale_of(b)
    if scale > 1 and _scale_of(a) == 1 and first.value * scale <= high:
        low = first.value * scale  # "1.5 to 2 million", "10 to 12 thousand"
    elif (
        dashed
        and _SHORT_END.match(_without_currency(_split_modifier(a)[1]))
        and _THOUSANDS_END.match(_without_currency(b))
    ):
        thousands = 1_000 ** _without_currency(b).count(",")
        if first.value * thousands <= high:
            low = first.value * thousands  # "8-9,000" is 8,000 to 9,000
    if low > high:
        raise AmountError(f"{a} to {b}: the range runs backwards")
    return Amount(low, high, first.approx or second.approx, first.kind, "range", (low + high) / 2)


def parse_amount(text: str) -> Amount:
    """The interval one figure phrase allows. Raises :class:`AmountError` when the phrase
    is not a figure ("the soldiers", "2G")."""
    norm = _normalise(text)
    if not norm:
        raise AmountError("empty figure")
    words = norm.split()
    if len(words) == 2 and words[0] in YEAR_PREPS and re.fullmatch(r"1[89]\d\d|20\d\d", words[1]):
        year = float(words[1])
        return Amount(year, year, False, "year", "exact", year)
    try:
        return _single(norm)
    except AmountError:
        pass
    m = _RANGE.match(norm)
    if m is not None:
        dashed = m.group("a3") is not None and norm[m.end("a3") : m.start("b3")] == "-"
        found = _range(
            m.group("a1") or m.group("a2") or m.group("a3"),
            m.group("b1") or m.group("b2") or m.group("b3"),
            dashed,
        )
        if found is not None:
            return found
    raise AmountError(f"{text!r} is not a figure")
