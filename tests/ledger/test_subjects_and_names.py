"""The ledger's subject key and name forms, as tables: what each wording is filed under,
and which names are one source (docs/reconciliation.md, Subjects and Entities)."""

from __future__ import annotations

import pytest

from claimledger.ledger import names
from claimledger.ledger.subjects import (
    countries_named,
    country_mentions,
    country_of_place,
    is_counted,
    main_country,
    subject,
    subject_key,
)

SUBJECTS = [
    # (subject words, measure, key, country)
    ("north korean soldiers", "killed", "north korean soldiers", None),
    ("russian troops", "killed", "russian soldiers", None),
    ("Russia's forces", "killed", "russian soldiers", None),
    ("military personnel", "wounded", "soldiers", None),
    ("the death toll", "killed", "people", None),
    ("the earthquake death toll", "killed", "people", None),
    ("deaths", "killed", "people", None),
    ("civilian casualties", "killed_or_wounded", "people", None),
    ("palestinians", "killed", "people", "palestinian"),
    ("the Gaza death toll", "killed", "people", "palestinian"),
    ("others", "wounded", "people", None),
    ("", "killed", "people", None),
    ("", "other", "", None),
    ("a record", "other", "", None),
    ("drone", "other", "drones", None),
    ("drones", "destroyed", "drones", None),
    ("unmanned aerial vehicles", "destroyed", "drones", None),
    ("cruise missiles", "destroyed", "cruise missiles", None),
    ("missiles", "destroyed", "missiles", None),
    ("affected regions", "other", "regions", None),
    ("other regions", "other", "regions", None),
    ("migrants", "missing", "people", None),
    ("refugees", "missing", "people", None),
    ("homes", "destroyed", "buildings", None),
    ("terrorists", "killed", "militants", None),
    ("young campers", "killed", "campers", None),
    ("missile impacts", "other", "missiles", None),
    ("locations", "other", "sites", None),
    ("cases", "killed", "people", None),  # cases found dead are people
    ("possible cases", "other", "possible cases", None),  # cases of abuse are not
]

# The population a population's figure counts: all are filed under "people", the
# narrower one kept to relate part and whole (docs/reconciliation.md, Subjects).
POPULATIONS = [
    ("civilian casualties", "killed_or_wounded", "civilians"),
    ("migrants", "missing", "migrants"),
    ("asylum seekers", "missing", "migrants"),
    ("the death toll", "killed", "people"),
    ("", "killed", "people"),
    ("russian troops", "killed", None),
    ("drones", "destroyed", None),
]


@pytest.mark.parametrize(("words", "measure", "population"), POPULATIONS)
def test_population(words: str, measure: str, population: str | None) -> None:
    assert subject(words, measure).population == population


@pytest.mark.parametrize(("words", "measure", "key", "country"), SUBJECTS)
def test_subject_key(words: str, measure: str, key: str, country: str | None) -> None:
    found = subject(words, measure)
    assert (found.key, found.country) == (key, country)
    assert subject_key(words, measure) == key


@pytest.mark.parametrize(
    ("key", "counted"),
    [("people", True), ("drones", True), ("", False), ("year", False), ("magnitudes", False)],
)
def test_what_is_counted(key: str, counted: bool) -> None:
    assert is_counted(key) is counted


def test_countries_an_article_names() -> None:
    text = "Gaza's health ministry said. The US said. Tell us more. Texas floods. Israel's army."
    assert countries_named(text) == {"palestinian", "american", "israeli"}
    assert main_country(country_mentions("Kyiv said. Ukraine's air force. Russia.")) == "ukrainian"
    assert main_country(country_mentions("Russia said. Ukraine said.")) is None  # a tie
    assert country_of_place("gaza") == "palestinian" and country_of_place("kursk") == "kursk"


PERSON_KEYS = [
    ("Volodymyr Zelenskyy", "volodymyr zelensky"),
    ("Volodymyr Zelenskiy", "volodymyr zelensky"),
    ("Ukrainian President Volodymyr Zelensky", "volodymyr zelensky"),
    ("UN Secretary-General spokesperson Stéphane Dujarric", "stephane dujarric"),
    ("Head of State Volodymyr Zelensky", "volodymyr zelensky"),
    ("Gen. Oleksandr Syrskyi", "oleksandr syrskyi"),
    ("Mr. Smith", "smith"),
    ("UN peacekeeping chief Jean-Pierre Lacroix", "jean-pierre lacroix"),
]


@pytest.mark.parametrize(("name", "key"), PERSON_KEYS)
def test_person_key(name: str, key: str) -> None:
    assert names.person_key(name) == key


BODY_KEYS = [
    ("Ukraine's Air Force", ("ukrainian", "air force")),
    ("the Ukrainian air force", ("ukrainian", "air force")),
    ("the air force statement", (None, "air force")),
    ("Ministry of Health", (None, "health ministry")),
    ("Syria's Ministry of Health", ("syrian", "health ministry")),
    ("Hamas-run health ministry", ("palestinian", "health ministry")),
    ("UK Defence Ministry", ("british", "defence ministry")),
    ("the UN's migration agency", ("united nations", "migration agency")),
    ("the World Health Organization and its partners", (None, "world health organization")),
    # synonyms of one body (`body_synonyms`)
    ("the ruling junta", (None, "military government")),
    ("Myanmar's military government", ("myanmar", "military government")),
    ("the junta's information team", (None, "military government")),
]


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("the state Anadolu News Agency", True),
        ("Xinhua news agency", True),
        ("the Daily Record newspaper", True),
        ("the disaster management agency", False),
        ("the health ministry", False),
    ],
)
def test_names_that_end_as_an_outlet(name: str, outlet: bool) -> None:
    assert names.is_outlet_name(name) is outlet


@pytest.mark.parametrize(("name", "key"), BODY_KEYS)
def test_body_key(name: str, key: tuple[str | None, str]) -> None:
    assert names.body_key(name) == key


def test_a_relative_owner_is_the_article_country() -> None:
    assert names.body_key("the territory's health ministry", "palestinian") == (
        "palestinian",
        "health ministry",
    )


GENERIC = [
    ("They", True),
    ("authorities", True),
    ("local authorities", True),
    ("Ukrainian officials", True),
    ("the latest report", True),
    ("senior military officials", True),
    ("UN experts", True),
    ("Ukrainian Air Force", False),
    ("Stephane Dujarric", False),
    ("the health ministry", False),
]


@pytest.mark.parametrize(("name", "generic"), GENERIC)
def test_names_that_name_no_one(name: str, generic: bool) -> None:
    assert names.is_generic(name) is generic


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("syrskyi", "syrskyi", True),
        ("syrskyi", "syrsky", True),  # a letter apart in a long name
        ("zelensky", "zelenska", False),
        ("kim", "kin", False),  # too short to tell
        ("bogner", "bognar", False),
    ],
)
def test_same_surname(a: str, b: str, same: bool) -> None:
    assert names.same_surname(a, b) is same


def test_a_country_named_alone() -> None:
    assert names.country_alone("Kyiv") == "ukrainian"
    assert names.country_alone("Moscow") == "russian"
    assert names.country_alone("Kyiv Independent") is None
