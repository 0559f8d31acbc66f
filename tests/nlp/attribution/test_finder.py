"""The attribution finder on sentences of our own: one row per construction, then what
holds across a text (nesting, pronoun sources, inherited statement times)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from claimledger.extract import analyze
from claimledger.records import Analysis

PUBLISHED = dt.date(2025, 2, 1)


@dataclass(frozen=True)
class Expect:
    text: str
    source: str | None  # resolved entity name (None: unattributed)
    cue: str
    content: str
    style: str
    kind: str | None = None
    role: str | None = None
    affiliation: str | None = None
    via: tuple[str, ...] = ()
    certainty: str = "asserted"
    channel: str | None = None
    stated: str | None = None


CASES = [
    Expect(
        "South Korea's National Intelligence Service (NIS) said that 100 soldiers died.",
        "National Intelligence Service of South Korea",
        "said",
        "that 100 soldiers died",
        "indirect",
        kind="organization",
    ),
    Expect(
        "The minister said that the talks had failed.",
        "minister",
        "said",
        "that the talks had failed",
        "indirect",
        kind="person",
        role="minister",
    ),
    Expect(
        "“We will not retreat,” the commander told reporters.",
        "commander",
        "told",
        "“We will not retreat,”",
        "direct",
        kind="person",
    ),
    Expect(
        "The mayor declared: “The city is safe.”",
        "mayor",
        "declared",
        "“The city is safe.”",
        "direct",
        kind="person",
    ),
    Expect(
        "According to Reuters, the ceasefire collapsed on Tuesday.",
        "Reuters",
        "According to",
        "the ceasefire collapsed on Tuesday",
        "according-to",
        kind="outlet",
    ),
    Expect(
        "It is believed that the convoy was destroyed.",
        None,
        "is believed",
        "that the convoy was destroyed",
        "unattributed",
        certainty="believed",
    ),
    Expect(
        "It is thought that the bridge may have collapsed.",
        None,
        "is thought",
        "that the bridge may have collapsed",
        "unattributed",
        certainty="possible",
    ),
    Expect(
        "Anna Petrova, a spokeswoman for the Red Cross, stated that 40 civilians were evacuated.",
        "Anna Petrova",
        "stated",
        "that 40 civilians were evacuated",
        "indirect",
        kind="person",
        role="spokeswoman",
        affiliation="Red Cross",
    ),
    Expect(
        "As reported by the BBC, General John Smith said the base had fallen.",
        "John Smith",
        "said",
        "the base had fallen",
        "indirect",
        kind="person",
        role="General",
        via=("BBC",),
    ),
    Expect(
        "According to a report by the Washington Post, officials acknowledged that the "
        "plan was delayed.",
        "officials",
        "acknowledged",
        "that the plan was delayed",
        "indirect",
        kind="group",
        via=("Washington Post",),
    ),
    Expect(
        "The ministry posted on Telegram that 12 drones were shot down.",
        "ministry",
        "posted",
        "that 12 drones were shot down",
        "indirect",
        kind="organization",
        channel="social-post",
    ),
    Expect(
        "Officials denied that troops had crossed the border.",
        "Officials",
        "denied",
        "that troops had crossed the border",
        "indirect",
        kind="group",
        certainty="denied",
    ),
    Expect(
        "Analysts believe the offensive will likely stall.",
        "Analysts",
        "believe",
        "the offensive will likely stall",
        "indirect",
        kind="group",
        certainty="believed",
    ),
    Expect(
        "The general pointed out that the roads were mined.",
        "general",
        "pointed out",
        "that the roads were mined",
        "indirect",
    ),
    Expect(
        "The senator said on Monday that the bill had “no chance” of passing.",
        "senator",
        "said",
        "that the bill had “no chance” of passing",
        "mixed",
        stated="2025-01-27",
    ),
    Expect(
        "President Macron of France stated during an interview last week that talks would resume.",
        "Macron",
        "stated",
        "that talks would resume",
        "indirect",
        kind="person",
        role="President",
        affiliation="France",
        channel="interview",
        stated="2025-W04",
    ),
]


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    return {case.text: analyze(case.text, published=PUBLISHED) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.text[:40] for c in CASES])
def test_attribution(case: Expect, analyses: dict[str, Analysis]) -> None:
    result = analyses[case.text]
    assert len(result.attributions) == 1, [a.cue.text for a in result.attributions]
    a = result.attributions[0]
    assert (a.source.entity if a.source else None) == case.source
    assert a.cue.text == case.cue
    assert a.content.text == case.content
    assert a.style == case.style
    assert a.certainty == case.certainty
    assert tuple(v.entity for v in a.via) == case.via
    if case.kind is not None:
        assert a.source is not None and a.source.kind == case.kind
    if case.role is not None:
        assert a.source is not None and a.source.role == case.role
    if case.affiliation is not None:
        assert a.source is not None and a.source.affiliation == case.affiliation
    assert (a.channel.kind if a.channel else None) == case.channel
    assert (a.stated.value if a.stated else None) == case.stated


def test_nested_report_keeps_the_outer_source_in_via() -> None:
    result = analyze("CNN reported that the general said that 300 soldiers were captured.")
    outer, inner = result.attributions
    assert outer.source is not None and outer.source.entity == "CNN"
    assert inner.parent == outer.id
    assert [v.entity for v in inner.via] == ["CNN"]
    (claim,) = result.claims
    assert claim.attribution == inner.id and claim.measure == "captured"


@pytest.mark.parametrize(
    ("text", "pronoun", "entity"),
    [
        (
            "John Kerry met reporters in Geneva. He said that the deal was close.",
            "He",
            "John Kerry",
        ),
        (
            "Maria Lopez, the city's police chief, spoke on Friday. She said that 12 people "
            "were arrested.",
            "She",
            "Maria Lopez",
        ),
        (
            "The governor said 2,000 troops were deployed. She added that a quarter of the "
            "troops have been wounded.",
            "She",
            "governor",
        ),
    ],
)
def test_pronoun_sources_resolve_to_the_person_before(text: str, pronoun: str, entity: str) -> None:
    result = analyze(text)
    last = result.attributions[-1]
    assert last.source is not None
    assert (last.source.resolved_from, last.source.entity) == (pronoun, entity)


def test_same_speaker_next_sentence_inherits_the_statement_time() -> None:
    result = analyze(
        "The minister said on January 5 that 40 soldiers were captured. The minister also "
        "said that 10 were wounded.",
        published=PUBLISHED,
    )
    first, second = result.attributions
    assert first.stated is not None and second.stated is not None
    assert second.stated.value == "2025-01-05" and second.stated.inherited
    assert not first.stated.inherited


def test_no_attribution_in_plain_narration() -> None:
    result = analyze("They found 2G mobile phones manufactured by Samsung on these soldiers.")
    assert result.attributions == () and result.claims == ()


def test_a_speakers_own_i_think_inside_their_quote_is_not_a_second_attribution() -> None:
    text = "“I think the plan will fail,” the senator said."
    (a,) = analyze(text).attributions
    assert a.cue.text == "said" and a.style == "direct"
    assert a.source is not None and a.source.entity == "senator"
