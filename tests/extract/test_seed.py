"""The seed article, as DESIGN.md reads it: every row of its table, stated as a spec."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from claimledger.extract import analyze
from claimledger.records import Analysis, Attribution, Claim

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(SEED.read_text("utf-8"), published=dt.date(2025, 2, 1))


@pytest.fixture(scope="module")
def undated() -> Analysis:
    return analyze(SEED.read_text("utf-8"))


def _by_cue(analysis: Analysis, cue_start: str) -> Attribution:
    text = analysis.document.text
    for a in analysis.attributions:
        (start, _), *_ = a.cue.spans
        if text[start:].startswith(cue_start) and a.content.text:
            return a
    raise AssertionError(f"no attribution with cue {cue_start!r}")


def _attribution_of(analysis: Analysis, claim: Claim) -> Attribution:
    return next(a for a in analysis.attributions if a.id == claim.attribution)


# (source entity, role, via entities, cue text, style, stated value, certainty, content starts)
ATTRIBUTIONS = [
    (
        "Ukrainian military officials",
        None,
        [],
        "stated",
        "indirect",
        "2025-01-31",
        "asserted",
        "that they have not seen North Korean soldiers",
    ),
    (
        None,
        None,
        [],
        "is believed",
        "unattributed",
        None,
        "possible",
        "that they may have withdrawn",
    ),
    (
        "Oleksandr Kindratenko",
        "spokesperson",
        ["CNN"],
        "mentioned",
        "direct",
        None,
        "likely",
        "“North Korean forces have not been present",
    ),
    (
        "Mykhailo Podolyak",
        "advisor",
        [],
        "mentioned",
        "indirect",
        None,
        "asserted",
        "that some North Korean troops have pulled back",
    ),
    (
        "Ukrainian and Western intelligence",
        None,
        [],
        "indicate",
        "indirect",
        None,
        "asserted",
        "that around 12,000 North Korean soldiers were sent to Russia",
    ),
    (
        "Zelensky",
        "President",
        [],
        "stated",
        "direct",
        "2025-W04",
        "asserted",
        "“We are still in the Kursk region",
    ),
    (
        "Zelensky",
        "President",
        [],
        "pointed out",
        "indirect",
        "2025-W04",
        "asserted",
        "that there are 60,000 Russian soldiers",
    ),
    (
        "Zelensky",
        "President",
        [],
        "also mentioned",
        "indirect",
        "2025-W04",
        "asserted",
        "that one-third of these North Korean soldiers",
    ),
    (
        "Oleksandr Syrskyi",
        "Commander-in-Chief",
        ["Kyiv Independent"],
        "stated",
        "indirect",
        "2025-01-19",
        "asserted",
        "that approximately half of the North Korean soldiers",
    ),
    (
        "experts",
        None,
        ["Kyiv Independent"],
        "believe",
        "indirect",
        None,
        "believed",
        "that the high casualty rate",
    ),
    (
        "Ukrainian Special Operations Forces",
        None,
        ["Korean News Agency"],
        "posted",
        "indirect",
        "2025-01-28",
        "asserted",
        "that they had killed two North Korean soldiers",
    ),
    ("Kim Jong-un", None, [], "saying", "direct", None, "asserted", "“Please never forget"),
]


def test_every_attribution_of_the_seed_is_found_in_order(seed: Analysis) -> None:
    assert len(seed.attributions) == len(ATTRIBUTIONS)
    for a, expected in zip(seed.attributions, ATTRIBUTIONS, strict=True):
        entity, role, via, cue, style, stated, certainty, content = expected
        assert (a.source.entity if a.source else None) == entity, a.id
        assert (a.source.role if a.source else None) == role, a.id
        assert [v.entity for v in a.via] == via, a.id
        assert a.cue.text == cue, a.id
        assert a.style == style, a.id
        assert (a.stated.value if a.stated else None) == stated, a.id
        assert a.certainty == certainty, a.id
        assert a.content.text.startswith(content), a.id


def test_pronoun_source_is_resolved_to_zelensky(seed: Analysis) -> None:
    he = _by_cue(seed, "also mentioned that one-third")
    assert he.source is not None
    assert (he.source.text, he.source.resolved_from, he.source.entity) == ("He", "He", "Zelensky")


def test_last_week_is_the_week_before_publication(seed: Analysis) -> None:
    davos = _by_cue(seed, "stated during")
    assert davos.stated is not None
    assert (davos.stated.start, davos.stated.end) == (dt.date(2025, 1, 20), dt.date(2025, 1, 26))
    assert davos.channel is not None and davos.channel.kind == "speech"


def test_every_span_points_at_its_text(seed: Analysis) -> None:
    text = seed.document.text
    for a in seed.attributions:
        for part in (a.cue, a.content, *([a.source] if a.source else []), *a.via):
            (start, end), *_ = part.spans
            assert text[start:end] == part.text
    for c in seed.claims:
        (start, end), *_ = c.quantity.spans
        assert text[start:end] == c.quantity.text


# (subject key, measure, low, high, approx, fraction, base, source entity, time value);
# approximate figures are intervals of ±10 % around the stated value (docs/normalisation.md)
CLAIMS = [
    (
        "north korean soldiers",
        "absent",
        3,
        3,
        False,
        None,
        None,
        "Ukrainian military officials",
        "2025-01-11/2025-01-31",
    ),
    ("north korean soldiers", "absent", 2.7, 3.3, True, None, None, "Oleksandr Kindratenko", None),
    (
        "north korean soldiers",
        "deployed",
        10800,
        13200,
        True,
        None,
        None,
        "Ukrainian and Western intelligence",
        None,
    ),
    ("russian soldiers", "deployed", 60000, 60000, False, None, None, "Zelensky", "2025-W04"),
    ("north korean soldiers", "deployed", 12000, 12000, False, None, None, "Zelensky", "2025-W04"),
    ("north korean soldiers", "killed", 4000, 4000, False, 1 / 3, 12000, "Zelensky", "2025-W04"),
    (
        "north korean soldiers",
        "killed_or_wounded",
        5400,
        6600,
        True,
        0.5,
        12000,
        "Oleksandr Syrskyi",
        "2025-01-19",
    ),
    (
        "north korean soldiers",
        "killed",
        2,
        2,
        False,
        None,
        None,
        "Ukrainian Special Operations Forces",
        "2025-01-28",
    ),
]


def test_every_figure_of_the_seed_is_a_claim(seed: Analysis) -> None:
    assert len(seed.claims) == len(CLAIMS)
    for claim, expected in zip(seed.claims, CLAIMS, strict=True):
        key, measure, low, high, approx, fraction, base, source, time = expected
        q = claim.quantity
        assert (claim.subject.key, claim.measure) == (key, measure), claim.id
        assert (q.low, q.high, q.approx) == (pytest.approx(low), pytest.approx(high), approx), (
            claim.id
        )
        assert q.value is not None and q.low <= q.value <= (q.high or q.value), claim.id
        assert (q.bound == "approx") == approx, claim.id
        assert q.fraction == (pytest.approx(fraction) if fraction else None), claim.id
        assert (q.base.value if q.base else None) == base, claim.id
        source_of = _attribution_of(seed, claim).source
        assert source_of is not None and source_of.entity == source, claim.id
        assert (claim.time.value if claim.time else None) == time, claim.id


def test_fraction_base_points_at_zelenskys_12000(seed: Analysis) -> None:
    killed = next(c for c in seed.claims if c.quantity.fraction)
    assert killed.quantity.base is not None
    base_claim = next(c for c in seed.claims if c.id == killed.quantity.base.claim)
    assert _attribution_of(seed, base_claim).source is not None
    assert base_claim.quantity.low == 12000 and base_claim.measure == "deployed"


def test_without_publication_date_no_year_is_invented(undated: Analysis) -> None:
    values = [a.stated.value for a in undated.attributions if a.stated]
    values += [c.time.value for c in undated.claims if c.time]
    assert "--01-31" in values and "--01-19" in values and "--01-28" in values
    for a in undated.attributions:
        if a.stated is not None:
            assert not a.stated.year_known
            assert a.stated.start is None and a.stated.end is None
    assert not any(v and v[:4].isdigit() for v in values)
