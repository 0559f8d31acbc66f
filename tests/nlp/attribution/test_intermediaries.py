"""Intermediaries: which cue an "according to X" or "as reported by X" phrase belongs to,
and what it governs when it belongs to none."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from claimledger.extract import analyze
from claimledger.records import Analysis


@dataclass(frozen=True)
class Scope:
    text: str
    source: str  # the according-to attribution's source, as written
    content: str  # its content, parts joined by " … "


SCOPES = [
    # after its clause: the clause before it, not the clause that follows
    Scope(
        "At least 212 people were killed in Bukavu over the weekend, according to provincial "
        "authorities, as the militia seized the port and the airport.",
        "provincial authorities",
        "At least 212 people were killed in Bukavu over the weekend",
    ),
    # inside its clause: both sides of it
    Scope(
        "Some 60 villagers, according to the local council, were evacuated before dawn.",
        "the local council",
        "Some 60 villagers … were evacuated before dawn",
    ),
    # opening the sentence: the rest of it, even with a cue verb that has no speaker later
    Scope(
        "According to Ana Duarte, a regional health official, 340 bodies and 1,200 injured "
        "people were taken to hospitals in the capital, noting that the toll could rise.",
        "Ana Duarte, a regional health official",
        "340 bodies and 1,200 injured people were taken to hospitals in the capital",
    ),
    # a name it goes by is part of the name, not a cue
    Scope(
        "In total, 8,410 people have died and 31,022 have been injured, according to the "
        "agency, known by its Spanish initials as UME.",
        "the agency, known by its Spanish initials as UME",
        "In total, 8,410 people have died and 31,022 have been injured",
    ),
    # data provided by someone: they are the source
    Scope(
        "The toll from the storms now exceeds 4,000, according to data provided by the "
        "health ministry.",
        "the health ministry",
        "The toll from the storms now exceeds 4,000",
    ),
]


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    return {case.text: analyze(case.text) for case in SCOPES}


@pytest.mark.parametrize("case", SCOPES, ids=[c.text[:40] for c in SCOPES])
def test_an_according_to_phrase_governs_its_own_clause(
    case: Scope, analyses: dict[str, Analysis]
) -> None:
    found = [a for a in analyses[case.text].attributions if a.cue.kind == "according-to"]
    assert len(found) == 1
    (a,) = found
    assert a.source is not None and a.source.text == case.source
    assert a.content.text == case.content


def test_two_according_to_phrases_each_govern_the_words_before_them() -> None:
    text = (
        "In the north, 2,140 people have died, according to the civil defence – and 910 in "
        "the south, according to state television."
    )
    result = analyze(text)
    got = [(a.source.text if a.source else None, a.content.text) for a in result.attributions]
    assert got == [
        ("the civil defence", "In the north, 2,140 people have died"),
        ("state television", "910 in the south"),
    ]


def test_a_speakerless_cue_after_an_opening_according_to_is_that_sources() -> None:
    text = (
        "According to the governor, 45 homes were destroyed overnight, adding that crews "
        "were still searching."
    )
    result = analyze(text)
    adding = next(a for a in result.attributions if a.cue.text == "adding")
    assert adding.source is not None and adding.source.text == "the governor"
    assert adding.parent is None


@pytest.mark.parametrize(
    ("text", "cue", "via"),
    [
        (
            "According to Reuters, the defence minister said that 30 soldiers were captured.",
            "said",
            ["Reuters"],
        ),
        (
            "As reported by the BBC, the mayor stated that the bridge was closed.",
            "stated",
            ["BBC"],
        ),
    ],
)
def test_a_phrase_on_a_cue_verb_is_its_intermediary(text: str, cue: str, via: list[str]) -> None:
    (a,) = analyze(text).attributions
    assert a.cue.text == cue
    assert [v.entity for v in a.via] == via


@pytest.mark.parametrize(
    ("text", "source", "via", "content"),
    [
        (
            "The Evening Post reported on Sunday, citing unnamed officials, that 85 soldiers "
            "were killed.",
            "unnamed officials",
            ["The Evening Post"],
            "that 85 soldiers were killed",
        ),
        (
            "The Evening Post reported that 85 soldiers were killed, citing two security "
            "officials.",
            "two security officials",
            ["The Evening Post"],
            "that 85 soldiers were killed",
        ),
        (
            "Citing hospital sources, the agency said 40 people had died.",
            "hospital sources",
            ["the agency"],
            "40 people had died",
        ),
        (
            "The agency said, quoting the governor, that 300 homes had burned.",
            "the governor",
            ["The agency"],
            "that 300 homes had burned",
        ),
    ],
)
def test_whom_a_report_cites_is_its_source_and_the_reporter_its_via(
    text: str, source: str, via: list[str], content: str
) -> None:
    (a,) = analyze(text).attributions
    assert a.source is not None and a.source.text == source
    assert [v.text for v in a.via] == via
    assert a.content.text == content


def test_citing_a_reason_is_no_source() -> None:
    result = analyze("He said the senator withdrew, citing health concerns.")
    said = next(a for a in result.attributions if a.cue.text == "said")
    assert said.source is not None and said.source.text == "He" and said.via == ()


@pytest.mark.parametrize(
    ("text", "via"),
    [
        ("The envoy told the Daily Courier in an interview that 1,200 fighters had been "
         "captured.", ["the Daily Courier"]),
        ("Speaking to Radio Meridian, the envoy said 1,200 fighters had been captured.",
         ["Radio Meridian"]),
        ("The envoy, in an interview with the Daily Courier, said 1,200 fighters had been "
         "captured.", ["the Daily Courier"]),
        ("The envoy said to the BBC that 1,200 fighters had been captured.", ["the BBC"]),
        # reporters, a chamber: no outlet, no intermediary
        ("The envoy told reporters that 1,200 fighters had been captured.", []),
        ("The minister told the Senate that 40 troops were wounded.", []),
    ],
)  # fmt: skip
def test_an_outlet_the_speaker_talked_to_is_the_intermediary(text: str, via: list[str]) -> None:
    (a,) = analyze(text).attributions
    assert [v.text for v in a.via] == via
    assert a.source is not None and a.source.kind != "outlet"


def test_a_reporter_closing_the_sentence_relays_the_statement_before_it() -> None:
    text = (
        "The death toll from the floods has passed 400, the regional governor said on "
        "Monday, with more than 900 injured, reports Radio Meridian."
    )
    said, reports = analyze(text).attributions
    assert said.source is not None and said.source.text == "the regional governor"
    assert [v.text for v in said.via] == ["Radio Meridian"]
    assert "Radio Meridian" not in said.content.text
    assert reports.source is not None and reports.content.text.startswith("The death toll")
