"""The ledger's one subject key: who or what a figure counts, as affiliation + kind +
scope, so that figures worded apart ("Palestinian deaths", "Palestinians killed", "the
death toll of Palestinians") meet and figures of different things never do.

The words it reads (kinds and their synonyms, count nouns, modifiers, countries) are in
claimledger/data/lexicon/reconcile.toml; docs/reconciliation.md, Subjects, gives examples.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from claimledger import lexicon

# Measures that count people whatever the words: "1,000 killed" counts people.
PEOPLE_MEASURES = frozenset(
    {
        "killed",
        "wounded",
        "killed_or_wounded",
        "missing",
        "displaced",
        "arrested",
        "evacuated",
        "captured",
        "deployed",
        "withdrawn",
        "absent",
    }
)
# The population every other population is part of, and the key all are filed under.
WHOLE_POPULATION = "people"
# The kind a subject with no words of its own counts, by measure: "were killed" counts
# people; a `destroyed` or `other` figure with no counted noun counts nothing we know.
_DEFAULT_KIND = WHOLE_POPULATION


def plain(text: str) -> str:
    """Lower case, accents and curly apostrophes gone: "Stéphane’s" → "stephane's"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """The longest phrase first, each word boundary to word boundary, any white space."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


@functools.cache
def _country_forms() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of every word naming a country (its name, people, capital) and the
    country's adjective for each: "palestinians" → "palestinian"."""
    shipped = lexicon.shipped()
    adjective: dict[str, str] = {}
    for key in ("reconcile.countries", "reconcile.international", "reconcile.regions"):
        for name, forms in shipped.groups(key).items():
            for form in (name, *forms):
                adjective.setdefault(plain(form), name)
    return _phrase_pattern(list(adjective)), adjective


@functools.cache
def _kinds() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of every word or phrase of a kind, and the kind of each."""
    kind_of: dict[str, str] = {}
    for kind, words in lexicon.shipped().groups("reconcile.subject_kinds").items():
        for word in (kind, *words):
            kind_of.setdefault(plain(word), kind)
    return _phrase_pattern(list(kind_of)), kind_of


@functools.cache
def _toll_nouns() -> re.Pattern[str]:
    return _phrase_pattern([plain(w) for w in lexicon.shipped().sequence("reconcile.toll_nouns")])


@functools.cache
def _modifiers() -> frozenset[str]:
    return frozenset(plain(w) for w in lexicon.shipped().sequence("reconcile.subject_modifiers"))


@functools.cache
def _case_nouns() -> frozenset[str]:
    return frozenset(plain(w) for w in lexicon.shipped().sequence("reconcile.case_nouns"))


@functools.cache
def not_counted() -> frozenset[str]:
    """Subject keys that are no count of anything: a year, a magnitude, storeys."""
    return frozenset(plain(w) for w in lexicon.shipped().sequence("reconcile.not_counted"))


def _plural(word: str) -> str:
    """The counted noun in one number: "drone" and "drones" are one kind."""
    if len(word) > 2 and word.isalpha() and not word.endswith("s"):
        return word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"
    return word


@functools.cache
def _populations() -> frozenset[str]:
    return frozenset(lexicon.shipped().sequence("reconcile.population_kinds"))


@dataclass(frozen=True)
class Subject:
    """Who or what a figure counts (``key``) and, for a population counted by its
    country ("Palestinians", "the Myanmar death toll"), that country (``country``): where
    the figure holds, not a different kind of people."""

    key: str
    country: str | None = None
    # for a population, which one ("civilians", "migrants"; "people" for the whole): all
    # are filed under the key "people", and a narrower one is a part of the whole
    population: str | None = None


def subject_key(words: str, measure: str = "other") -> str:
    """The key claims are grouped and compared by (see :func:`subject`)."""
    return subject(words, measure).key


@functools.lru_cache(maxsize=65_536)
def subject(words: str, measure: str = "other") -> Subject:
    """The subject claims are grouped and compared by: ``[affiliation] [scope] kind``.

    - affiliation: the country or body the counted belong to, by its adjective ("Russia's
      soldiers", "Russian troops" → "russian soldiers"). For a population (people,
      civilians, migrants: ``population_kinds``) the country says where the figure holds
      instead: "Palestinians" are "people" in the Palestinian territories, so "40,000
      Palestinians killed" and "40,000 people killed" in Gaza meet, and Israelis and
      Palestinians are two places that are never compared;
    - kind: the counted noun, synonyms made one ("troops", "forces", "personnel" →
      "soldiers"), a count noun read as people ("the death toll", "deaths", "casualties"
      → "people"), one number ("drone" → "drones");
    - scope: any other word that narrows a noun the kinds table does not know ("cruise
      missiles" stay apart from "missiles"); numbers, modifiers ("other", "affected", "a
      record") and the event before a count noun ("the earthquake death toll") are dropped.

    A subject with no words left counts people when the measure counts people ("were
    killed"), else nothing: key ``""``, which the ledger compares with nothing.
    """
    text = plain(words)
    text = re.sub(r"'s\b|'", " ", text)
    pattern, adjective = _country_forms()
    affiliations: list[str] = []
    for match in pattern.finditer(text):
        country = adjective[re.sub(r"\s+", " ", match.group())]
        if country not in affiliations:
            affiliations.append(country)
    text = pattern.sub(" ", text)
    kind_pattern, kind_of = _kinds()
    toll = _toll_nouns().search(text)
    kinds = [kind_of[re.sub(r"\s+", " ", m.group())] for m in kind_pattern.finditer(text)]
    scope: list[str] = []
    if toll is not None:
        # "the earthquake death toll": the event's words are not the subject; "civilian
        # casualties" count civilians
        named = [k for k in kinds if k != "people"]
        kind = named[-1] if named else "people"
    elif kinds:
        # a kind of the table: its list says which wordings count the same thing
        kind = kinds[-1]
    else:
        rest = [
            w
            for w in re.findall(r"[a-z][\w-]*", text)
            if w not in _modifiers() and not any(ch.isdigit() for ch in w)
        ]
        if rest and measure in PEOPLE_MEASURES and _plural(rest[-1]) in _case_nouns():
            kind = _DEFAULT_KIND  # "18 cases found dead" counts people
        elif rest:
            kind, scope = _plural(rest[-1]), rest[:-1]
        elif measure in PEOPLE_MEASURES or affiliations:
            kind = _DEFAULT_KIND
        else:
            return Subject("")
    if kind in _populations():
        # civilians and migrants are people: one key, so "78 migrants" and "79 people"
        # drowned in one shipwreck meet; the narrower population is kept to relate them as
        # a part and its whole (docs/reconciliation.md, Subjects)
        return Subject(WHOLE_POPULATION, affiliations[0] if len(affiliations) == 1 else None, kind)
    return Subject(" ".join([*affiliations, *scope, kind]))


def country_of_place(place: str | None) -> str | None:
    """A place key as a country's adjective where it names one ("gaza" → "palestinian",
    "ukraine" → "ukrainian"); other places as they are ("kursk")."""
    if not place:
        return place
    _, adjective = _country_forms()
    whole = plain(place).strip()
    return adjective.get(whole, place)


def is_counted(key: str) -> bool:
    """A subject a figure can count: not empty, not a date, magnitude or storey."""
    if not key:
        return False
    head = key.split()[-1]
    return head not in not_counted() and head.removesuffix("s") not in not_counted()


def countries_named(text: str) -> frozenset[str]:
    """See :func:`country_mentions`."""
    return frozenset(country_mentions(text))


def main_country(mentions: Iterable[str]) -> str | None:
    """The country an article names most often, given its country mentions
    (:func:`country_mentions`); None when none leads."""
    ranked = Counter(mentions).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def country_mentions(text: str) -> list[str]:
    """The countries an article names (by adjective), from the countries table only: "the
    UN" names no country. Figures from articles that name no country in common are about
    different events (docs/reconciliation.md, How two claims relate)."""
    pattern, adjective = _country_forms()
    international = set(lexicon.shipped().groups("reconcile.international"))
    found: list[str] = []
    # casefolded, not stripped of accents, so positions stay those of the text
    for m in pattern.finditer(text.replace("’", "'").casefold()):
        country = adjective.get(re.sub(r"\s+", " ", m.group()))
        written = text[m.start() : m.end()]
        if country is None or country in international:
            continue
        if len(written) <= 3 and written.replace(".", "").isalpha() and not written.isupper():
            continue  # "us" the pronoun is not "US"; acronyms are written in capitals
        found.append(country)
    return found


def is_population(key: str) -> bool:
    """A subject that counts a population (people, civilians, migrants), not a force."""
    return key in _populations()


def only_country(text: str) -> str | None:
    """The one country a statement names, if it names exactly one ("killed in Syria")."""
    named = countries_named(text)
    return next(iter(named)) if len(named) == 1 else None
