"""Names across articles: the form a person's or a body's name is compared in, and which
names name no one. Pure functions of a name and the words of
claimledger/data/lexicon/reconcile.toml; docs/reconciliation.md, Entities across
articles, gives each rule with an example.

- :func:`person_key`: titles and owners off, transliterations made one ("UN
  Secretary-General spokesperson Stéphane Dujarric" → "stephane dujarric", "Zelenskyy" →
  "zelensky");
- :func:`body_key`: a body's owner as its country's adjective, "X of Y" as "Y X", the
  document it issued dropped ("Ukraine's Air Force", "the Ukrainian air force statement"
  → "ukrainian air force"; "Ministry of Health of Gaza" → "palestinian health ministry");
- :func:`is_generic`: pronouns and nouns that say a figure was given but not by whom
  ("They", "authorities", "the latest report", "Ukrainian officials").
"""

from __future__ import annotations

import difflib
import functools
import re

from claimledger import lexicon
from claimledger.ledger.subjects import _country_forms, plain


def _words(name: str) -> list[str]:
    text = re.sub(r"'s\b", " ", plain(name))
    return re.findall(r"[\w][\w.-]*", text)


@functools.cache
def _phrases(key: str) -> tuple[tuple[str, ...], ...]:
    """A list's phrases as word tuples, longest first."""
    phrases = {tuple(plain(p).split()) for p in lexicon.shipped().sequence(key)}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


@functools.cache
def _set(key: str) -> frozenset[str]:
    return frozenset(plain(w) for w in lexicon.shipped().sequence(key))


@functools.cache
def _transliterations() -> tuple[tuple[re.Pattern[str], str], ...]:
    table = lexicon.shipped().mapping("reconcile.transliterations")
    return tuple((re.compile(pattern), repl) for pattern, repl in table.items())


def _owner(words: list[str], at: int) -> tuple[str, int] | None:
    """The country (or international body) whose name starts at ``words[at]``, and the
    number of words it takes."""
    _, adjective = _country_forms()
    for size in (3, 2, 1):
        phrase = " ".join(words[at : at + size])
        if len(words[at : at + size]) == size and phrase in adjective:
            return adjective[phrase], size
    return None


def _strip_leading(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[list[str], int]:
    """``words`` less every leading phrase of ``phrases``; how many were taken."""
    taken = 0
    again = True
    while again and words:
        again = False
        for phrase in phrases:
            if tuple(words[: len(phrase)]) == phrase and len(words) > len(phrase):
                words = words[len(phrase) :]
                taken += 1
                again = True
                break
    return words, taken


def transliterated(word: str) -> str:
    """One spelling for a word's transliteration variants ("zelenskyy", "zelenskiy" →
    "zelensky"; "vitalii" → "vitaly")."""
    for pattern, repl in _transliterations():
        word = pattern.sub(repl, word)
    return word


# Words inside a title that join its parts ("Head of State"), never the end of one.
_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "in", "to"})


@functools.lru_cache(maxsize=65_536)
def person_key(name: str) -> str:
    """The form people's names are compared in: no titles, no owners, one spelling.
    "Ukrainian President Volodymyr Zelenskyy" → "volodymyr zelensky"; "UN peacekeeping
    chief Jean-Pierre Lacroix" → "jean-pierre lacroix" (a title before the capitalised
    name: everything before the name is its description)."""
    written = name.split()
    proper = len(written)
    while proper > 0 and written[proper - 1][:1].isupper():
        proper -= 1
    if 0 < proper < len(written) and written[proper - 1].lower() not in _CONNECTORS:
        before = _words(" ".join(written[:proper]))
        if any(w in _set("reconcile.titles") for w in before):
            name = " ".join(written[proper:])
    words = _words(name)
    titles = _phrases("reconcile.titles")
    while words:
        words, taken = _strip_leading(words, titles)
        owner = _owner(words, 0)
        if owner is not None and len(words) > owner[1]:
            words = words[owner[1] :]
            taken += 1
        if not taken:
            break
    return " ".join(transliterated(w) for w in words)


@functools.lru_cache(maxsize=65_536)
def same_surname(a: str, b: str) -> bool:
    """Two surnames of one person: equal once transliterated, or nearly so (a letter
    apart in a long name: "Syrskyi" / "Syrsky")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or a[0] != b[0]:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.88


@functools.cache
def _document_nouns() -> tuple[tuple[str, ...], ...]:
    return _phrases("reconcile.document_nouns")


@functools.lru_cache(maxsize=65_536)
def body_key(name: str, country: str | None = None) -> tuple[str | None, str]:
    """(owner, body) of an organisation's name: its country's adjective, if it names
    one, and the body in the form "Y X" ("Ministry of Health" → "health ministry"), less
    what it issued ("air force statement" → "air force") and "the". A relative owner
    ("the country's", "the territory's") is ``country``, the article's."""
    words = [w for w in _words(name) if w not in ("the", "a", "an")]
    for suffix in _phrases("reconcile.partner_suffixes"):
        if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
            words = words[: -len(suffix)]  # "the WHO and its partners": the WHO
            break
    owner: str | None = None
    rest: list[str] = []
    i = 0
    relative = _set("reconcile.relative_owners")
    while i < len(words):
        found = _owner(words, i)
        if found is not None and owner is None:
            owner, i = found[0], i + found[1]
            continue
        if words[i] in relative and owner is None:
            owner = country
            i += 1
            continue
        rest.append(words[i])
        i += 1
    # "ministry of health" → "health ministry"; "mission of the UN" was read above
    if "of" in rest:
        at = rest.index("of")
        head, tail = rest[:at], [w for w in rest[at + 1 :] if w not in ("of", "on", "in", "for")]
        if head and head[-1] in _set("reconcile.body_heads"):
            rest = [*tail, *head]
    for noun in _document_nouns():
        if len(rest) > len(noun) and tuple(rest[-len(noun) :]) == noun:
            rest = rest[: -len(noun)]
            break
    rest = [w for w in rest if w not in ("of", "in", "on", "for", "and")]
    body = " ".join(rest)
    return owner, _body_synonyms().get(body, body)


@functools.cache
def _body_synonyms() -> dict[str, str]:
    """Each wording of a body and the name it stands for ("ruling junta" → "military
    government")."""
    found: dict[str, str] = {}
    for name, wordings in lexicon.shipped().groups("reconcile.body_synonyms").items():
        for wording in (name, *wordings):
            found[" ".join(_words(wording))] = " ".join(_words(name))
    return found


@functools.lru_cache(maxsize=65_536)
def is_outlet_name(name: str) -> bool:
    """A name that ends as an outlet's does ("the state Anadolu News Agency"), whatever
    kind the extractor gave it: it carries figures, it does not originate them."""
    words = tuple(_words(name))
    return any(
        len(words) >= len(end) and words[-len(end) :] == end
        for end in _phrases("reconcile.outlet_heads")
    )


def is_national_body(body: str) -> bool:
    """A body every country has ("air force", "health ministry"): named without its
    country, it is the article's country's."""
    return body in _national_bodies()


@functools.cache
def _national_bodies() -> frozenset[str]:
    return frozenset(" ".join(p) for p in _phrases("reconcile.national_bodies"))


@functools.lru_cache(maxsize=65_536)
def is_generic(name: str) -> bool:
    """A source that names no one: a pronoun, or a generic noun ("authorities", "a new
    report") with only owners, qualifiers or determiners before it ("Ukrainian
    officials", "local authorities")."""
    words = _words(name)
    if not words:
        return True
    generic = _set("reconcile.generic_sources")
    if words[-1] not in generic:
        return False
    qualifiers = _set("reconcile.generic_qualifiers")
    i = 0
    while i < len(words) - 1:
        owner = _owner(words, i)
        if owner is not None:
            i += owner[1]
        elif words[i] in qualifiers or words[i] in generic:
            i += 1
        else:
            return False
    return True


@functools.lru_cache(maxsize=65_536)
def country_alone(name: str) -> str | None:
    """The country a source names by its name or capital alone ("Kyiv", "Moscow said"):
    the country's adjective; None for any other name."""
    words = _words(name)
    owner = _owner(words, 0)
    international = lexicon.shipped().groups("reconcile.international")
    if owner is not None and owner[1] == len(words) and owner[0] not in international:
        return owner[0]  # "the UN said" is the UN itself, not a country's government
    return None


def body_heads() -> frozenset[str]:
    """The head nouns of bodies ("ministry", "force", "mission")."""
    return _set("reconcile.body_heads")


def relative_owners() -> frozenset[str]:
    """Words that mean the article's own country ("the country's", "the territory's")."""
    return _set("reconcile.relative_owners")


def relay_roles() -> frozenset[str]:
    """Roles whose holder speaks for a body ("spokesperson", "head of the mission")."""
    return _set("reconcile.relay_roles")


def issued(name: str) -> bool:
    """A name that ends with what a body issued ("the air force statement")."""
    words = tuple(_words(name))
    return any(len(words) > len(n) and words[-len(n) :] == n for n in _document_nouns())


def owned(name: str) -> bool:
    """A name that says whose it is: a country's or a body's ("Ukrainian officials")."""
    words = _words(name)
    return any(_owner(words, i) is not None for i in range(len(words)))
