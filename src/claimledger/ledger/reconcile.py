"""Reconciliation: claims from many articles lined up against each other.

Everything here works on plain records read from the ledger, never on the database or on
spaCy objects, so each rule can be tested as a table of cases:

- :func:`resolve_entities` merges the entities of every document into ledger entities
  ("Syrskyi", "Oleksandr Syrskyi" and "Ukraine's commander-in-chief" are one person);
- :func:`relate` says how two claims about the same subject relate (corroborates /
  compatible / conflicts / updates) and why;
- :func:`reconcile` pairs the claims of each subject group, clusters corroborating claims
  into figures and counts, for each figure, the independent root sources behind it.

The rules are in docs/reconciliation.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar

from claimledger import lexicon
from claimledger.gazetteer import default_gazetteer, normalise_name
from claimledger.ledger import names
from claimledger.ledger.subjects import WHOLE_POPULATION, is_counted, is_population

T = TypeVar("T")
RelationKind = Literal["corroborates", "compatible", "conflicts", "updates"]
# The kinds in the order every list and report shows them: where figures disagree first.
RELATION_KINDS: tuple[RelationKind, ...] = ("conflicts", "updates", "compatible", "corroborates")
Scope = Literal["total", "incident", "stock", "duration"]
DatedBy = Literal["claim", "statement", "publication"]

# Two figures whose times lie within this many days of each other describe the same
# moment: a wire report of Monday's figure published on Wednesday is not a later figure.
SAME_TIME_DAYS = 7
# Figures further apart in time than this are not compared at all (a figure from March
# says nothing about one from the previous July), unless they come from the same root
# source: then the later one updates the earlier.
COMPARE_WITHIN_DAYS = 60
# Each claim is compared with at most this many of the latest claims of each measure
# before it (docs/reconciliation.md): a dense story yields its nearest relations, not
# every pair of thousands of reports.
NEIGHBOURS = 12

# Counts that only grow: a later running total may be higher, never lower. (The displaced
# and the missing are stocks that also fall, as people return or are found; the missing
# are kept here as most reports count them up to the end of a search.)
CUMULATIVE = frozenset(
    {
        "killed",
        "wounded",
        "killed_or_wounded",
        "captured",
        "missing",
        "arrested",
        "evacuated",
        "destroyed",
    }
)
# part ⊆ whole: every soldier counted in the part is counted in the whole.
PART_OF: Mapping[str, frozenset[str]] = {
    "killed": frozenset({"killed_or_wounded", "deployed"}),
    "wounded": frozenset({"killed_or_wounded", "deployed"}),
    "killed_or_wounded": frozenset({"deployed"}),
    "captured": frozenset({"deployed"}),
    "missing": frozenset({"deployed"}),
    "withdrawn": frozenset({"deployed"}),
}
# Measures that can show the subject was where an absence claim says it was not.
PRESENCE = frozenset({"killed", "wounded", "killed_or_wounded", "captured"})

# The English words these rules read (running-total words, role qualifiers, countries)
# are in claimledger/data/lexicon/reconcile.toml; the shipped file alone, never a user's
# --lexicon: a ledger's relations must not depend on which process reconciled it last.


@functools.cache
def _total_words() -> re.Pattern[str]:
    """Words of a statement that make its figure a running total ("have been killed",
    "so far")."""
    phrases = (
        r"\s+".join(re.escape(word) for word in phrase.split())
        for phrase in lexicon.shipped().sequence("reconcile.total_words")
    )
    return re.compile(rf"\b(?:{'|'.join(phrases)})\b", re.IGNORECASE)


@functools.cache
def _country_words() -> dict[str, tuple[str, ...]]:
    """Countries and the words that name them, so "Ukraine's commander-in-chief" matches a
    commander-in-chief "of the Ukrainian Armed Forces"."""
    shipped = lexicon.shipped()
    return {**shipped.groups("reconcile.countries"), **shipped.groups("reconcile.international")}


@functools.cache
def _role_groups() -> dict[str, frozenset[str]]:
    """Each role phrase and the offices it may name ("leader": president, prime
    minister)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for office, phrases in lexicon.shipped().groups("reconcile.role_synonyms").items():
        for phrase in (office, *phrases):
            groups[_role_key(phrase)].add(office)
    return {k: frozenset(v) for k, v in groups.items()}


def _offices(role: str) -> frozenset[str]:
    """The offices a role key names: itself, and its synonyms' groups."""
    return _role_groups().get(role, frozenset()) | {role}


# --- entities across documents -------------------------------------------------------------


@dataclass(frozen=True)
class DocumentEntity:
    """One document's entity, as stored."""

    document: str
    id: str
    name: str
    kind: str
    roles: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other names it goes by in its own document
    country: str | None = None  # the country its article names most (an adjective)
    countries: frozenset[str] = frozenset()  # every country its article names


@dataclass(frozen=True)
class LedgerEntity:
    """An entity merged across documents."""

    id: str
    name: str  # the fullest name seen
    kind: str
    aliases: tuple[str, ...]  # every other name it appears under
    roles: tuple[str, ...]
    affiliations: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (document id, entity id) of each mention
    reason: str  # why the names were merged, for people to check


@functools.lru_cache(maxsize=65_536)
def _countries(text: str) -> frozenset[str]:
    words = text.lower().replace("’", "'").replace("'s", "")
    return frozenset(
        country
        for country, forms in _country_words().items()
        if any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", words) for form in forms)
    )


def _role_key(role: str) -> str:
    return re.sub(r"[\s\-]+", " ", role.lower()).strip()


@functools.cache
def _role_name_pattern() -> re.Pattern[str]:
    """ "(the) OWNER's (qualifier) ROLE": "Ukraine's top commander"."""
    qualifiers = "|".join(
        re.escape(w) for w in lexicon.shipped().sequence("reconcile.role_qualifiers")
    )
    return re.compile(
        rf"^(?:the\s+)?(?P<owner>.+?)(?:'s|’s)\s+(?:(?:{qualifiers})\s+)?(?P<role>.+)$",
        re.IGNORECASE,
    )


def _role_parts(role: str) -> tuple[str, frozenset[str]]:
    """("commander in chief", {"ukraine"}) for "Ukraine's commander-in-chief"; a role
    with no owner has no country."""
    match = _role_name_pattern().match(role)
    if match:
        return _role_key(match["role"]), _countries(match["owner"])
    return _role_key(role), frozenset()


def _role_name(entity: DocumentEntity) -> tuple[str, frozenset[str]] | None:
    """The role and countries of an entity named by its role ("Ukraine's
    commander-in-chief", "the spokesperson"); None for an entity with a proper name."""
    if entity.kind not in ("person", "unknown"):
        return None
    return _role_named(entity.name, entity.roles, entity.affiliations)


@functools.lru_cache(maxsize=1 << 16)
def _role_named(
    name: str, roles: tuple[str, ...], affiliations: tuple[str, ...]
) -> tuple[str, frozenset[str]] | None:
    """:func:`_role_name` of a person of that name, roles and affiliations (cached: one
    name stands for many mentions)."""
    entity = DocumentEntity(
        document="", id="", name=name, kind="person", roles=roles, affiliations=affiliations
    )
    words = normalise_name(entity.name).replace("’", "'").split()
    if len(words) >= 2 and not _looks_named(entity.name):
        # "the Ukrainian leader", "UN spokesman": an owner's adjective and a known role
        for size in (1, 2, 3):
            owner, role = " ".join(words[:size]), " ".join(words[size:])
            if role and _role_key(role) in _role_groups() and _countries(owner):
                return _role_key(role), _countries(owner)
    match = _role_name_pattern().match(entity.name)
    owned = bool(match and not any(w[:1].isupper() for w in match["role"].split()))
    if not owned and entity.name.lower() not in {r.lower() for r in entity.roles}:
        return None
    # the entity's name may be cut short ("Ukraine's commander"); its role is whole
    longest = max((entity.name, *entity.roles), key=len)
    role, countries = _role_parts(longest)
    return role, countries | _countries(" ".join(entity.affiliations))


def _looks_named(name: str) -> bool:
    """A proper name: every word capitalised ("Syrskyi", "Kim Jong-un"), not "officials"."""
    words = name.split()
    return bool(words) and all(w[:1].isupper() for w in words)


def _person_tokens(name: str) -> list[str]:
    return names.person_key(name).split()


def _key_reason(key: tuple[str, ...], first: str, other: str) -> str:
    """Why two names were merged by key, for a reviewer."""
    why = {
        "known": "the gazetteer knows both as one body",
        "person": "the same name less titles, owners and spelling variants",
        "body": "the same body, its owner's name, adjective or acronym made one",
    }.get(key[0], "the same name")
    return f"{other!r} = {first!r}: {why}"


def _full_body_name(e: DocumentEntity) -> str:
    """An organisation's name with a one-word field the extractor read as its
    affiliation put back: "Gaza Ministry" of "Health" is "Gaza Health Ministry"."""
    words = e.name.split()
    if e.kind == "organization" and words and e.affiliations:
        field_words = e.affiliations[0].split()
        heads = names.body_heads()
        if len(field_words) == 1 and words[-1].lower() in heads and field_words[0] not in words:
            return " ".join([*words[:-1], field_words[0], words[-1]])
    return e.name


def _is_body(e: DocumentEntity) -> bool:
    if e.kind == "organization":
        return True
    if e.kind in ("person", "equipment", "outlet"):
        return False
    words = normalise_name(e.name).split()
    return bool(words) and (
        words[-1] in names.body_heads() or names.is_national_body(names.body_key(e.name)[1])
    )


def _entity_keys(
    items: Sequence[DocumentEntity],
    why: dict[int, str] | None = None,
    owners_of: Mapping[str, set[str]] | None = None,
) -> list[tuple[str, ...]]:
    """The key each document entity is merged across documents by, with the rules of
    docs/reconciliation.md: equipment by name; a name that names no one only within its
    own document; a person by name less titles, owners and spelling; a body by owner and
    body, its owner found in its own article when the name leaves it out. ``owners_of``:
    each body's owners ledger-wide (:func:`body_owners`), if ``items`` are not all of
    the ledger's (whole documents, then)."""
    keys: list[tuple[str, ...]] = []
    why = why if why is not None else {}  # the rule that gave an entity its key, if not the name
    bodies: dict[int, tuple[str | None, str]] = {}
    # the bodies of each article with their keys, the gazetteer's known ones included
    in_article: dict[str, list[tuple[str | None, str, tuple[str, ...]]]] = defaultdict(list)
    for i, e in enumerate(items):
        named, body_of, shown = _name_key(e.name, e.kind, e.affiliations, e.roles)
        if named[:1] == ("generic",):
            named = ("generic", e.document, named[1])
        elif body_of is not None:
            bodies[i] = body_of
        keys.append(named)
        if shown:
            in_article[e.document] += shown
    if owners_of is None:
        owners_of = defaultdict(set)  # body -> its owners, ledger-wide
        for found in in_article.values():
            for owner, body, _ in found:
                if owner is not None:
                    owners_of[body].add(owner)
    known_bodies = _known_bodies()
    for i, (owner, body) in bodies.items():
        e = items[i]
        key: tuple[str, ...] | None = None
        # "the health ministry" beside "Gaza's health ministry"; "the Mission" or "the UN
        # monitoring mission" beside the UN Human Rights Monitoring Mission: the one body
        # of its article with an owner whose words hold all of these
        words = set(body.split())
        own = ("body", owner, body)
        matches = {
            k
            for o, b, k in in_article[e.document]
            if k != own and words <= set(b.split()) and (owner is None or o == owner)
        }
        if words and len(matches) == 1:
            key = next(iter(matches))
        if key is None and owner is None and (names.is_national_body(body) or _relative(e.name)):
            # "the Air Force", "the territory's health ministry": of the one country named
            # in its article that has such a body elsewhere in the ledger, else of the
            # country its article names most
            known = owners_of.get(body, set()) & e.countries
            gazetteer_known = {c for c in e.countries if (c, body) in known_bodies}
            if not known and len(gazetteer_known) == 1:
                # "the country's disaster agency" in an article about Turkey: AFAD
                key = known_bodies[(next(iter(gazetteer_known)), body)]
            owner = next(iter(known)) if len(known) == 1 else e.country
        if key is None and body:
            # a body the gazetteer knows under another wording: "Israel's military" is the
            # IDF ("Israeli military"); a long name without its owner matches any owner
            key = known_bodies.get((owner, body)) or (
                known_bodies.get((None, body)) if len(body.split()) >= 3 else None
            )
        if key is None and len(words) >= 2 and words - names.body_heads():
            # "the monitoring mission" in an article that names the UN, "the UN's
            # International Organization": part of the name (two words or more, not all
            # heads: "the Ukrainian military" is no part of military intelligence) of the
            # one body the gazetteer knows of the owner it names, else of an owner its
            # article names
            owners = (
                {owner}
                if owner is not None
                else {o for o, _, _ in in_article[e.document] if o} | e.countries
            )
            candidates = _known_part_of(frozenset(words), frozenset(owners))
            if len(candidates) == 1:
                key = next(iter(candidates))
                why[i] = "part of the name of the one body the gazetteer knows of its owner"
        if key is None and len(body.split()) > 2:
            # "the White Helmets civil defense": a longer name that holds the whole name
            # of the one body the gazetteer knows by it (two words or more)
            held = _known_within(body)
            if len(held) == 1:
                key = next(iter(held))
                why[i] = "one holds the whole name of the one body the gazetteer knows by it"
        if key is None:
            key = ("body", owner or "", body) if body else ("name", normalise_name(e.name))
        keys[i] = key
    # "a ministry statement" beside "the health ministry in Gaza", neither with its owner
    # written: a body whose words are part of the one larger body of its article and
    # owner is that body (the larger ones settled first)
    by_document: dict[str, list[int]] = defaultdict(list)
    for i in bodies:
        by_document[items[i].document].append(i)
    for i in sorted(bodies, key=lambda i: (-len(bodies[i][1].split()), i)):
        words = set(bodies[i][1].split())
        if keys[i][:1] != ("body",) or not words:
            continue
        larger = {
            keys[j]
            for j in by_document[items[i].document]
            if j != i
            and words < set(bodies[j][1].split())
            and keys[j][:1] in (("body",), ("known",))
            and (bodies[i][0] is None or bodies[j][0] == bodies[i][0])
        }
        if len(larger) == 1:
            keys[i] = larger.pop()
            why[i] = "part of the name of the one larger body of its article"
    return keys


def body_owners(e: DocumentEntity) -> Iterator[tuple[str, str]]:
    """The (body, owner) pairs an entity shows its article has, that :func:`_entity_keys`
    gathers ledger-wide (each body's owners)."""
    for owner, body, _ in _name_key(e.name, e.kind, e.affiliations, e.roles)[2]:
        if owner is not None:
            yield body, owner


def owners_read(e: DocumentEntity) -> str | None:
    """The body whose owners ledger-wide :func:`_entity_keys` may read for an entity (a
    body named without its owner), if any."""
    body_of = _name_key(e.name, e.kind, e.affiliations, e.roles)[1]
    return body_of[1] if body_of is not None and body_of[0] is None else None


_Found = tuple[tuple[str | None, str, tuple[str, ...]], ...]


@functools.lru_cache(maxsize=1 << 17)
def _name_key(
    name: str, kind: str, affiliations: tuple[str, ...], roles: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str | None, str] | None, _Found]:
    """What :func:`_entity_keys` reads of one document entity before it looks at the rest
    of its article (cached: one name stands for many mentions): its key (a body's is
    worked out later, (); a name that names no one is ("generic", name), of its own
    document), a body's (owner, body), and the bodies it shows its article has (owner,
    body, key: its own, a known organisation's, a person's affiliations)."""
    gazetteer = default_gazetteer()
    e = DocumentEntity(
        document="", id="", name=name, kind=kind, roles=roles, affiliations=affiliations
    )
    body_of: tuple[str | None, str] | None = None
    found: list[tuple[str | None, str, tuple[str, ...]]] = []
    entry = gazetteer.lookup(name)
    key: tuple[str, ...]
    if entry is not None and kind != "equipment":
        key = ("known", normalise_name(entry.name))
        if entry.kind == "organization":
            owner, body = names.body_key(entry.name)
            found.append((owner, body, key))
    elif kind == "equipment":
        key = ("equipment", normalise_name(name))
    elif names.is_generic(name):
        key = ("generic", normalise_name(name))
    elif _is_body(e):
        body_of = names.body_key(_full_body_name(e), None)
        key = ()
        if body_of[0] is not None:
            found.append((body_of[0], body_of[1], ("body", body_of[0], body_of[1])))
    elif _named_person(e):
        key = ("person", names.person_key(name))
    else:
        key = ("name", normalise_name(name))
    for affiliation in affiliations if kind == "person" else ():
        # the body a person of the article belongs to is a body of the article
        entry = gazetteer.lookup(affiliation)
        if entry is not None and entry.kind == "organization":
            owner, body = names.body_key(entry.name)
            found.append((owner, body, ("known", normalise_name(entry.name))))
        elif len(affiliation.split()) > 1:
            owner, body = names.body_key(affiliation)
            if owner is not None and body:
                found.append((owner, body, ("body", owner, body)))
    return key, body_of, tuple(found)


@functools.cache
def _known_bodies() -> dict[tuple[str | None, str], tuple[str, ...]]:
    """The gazetteer's organisations by the body key of each of their names."""
    found: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in default_gazetteer().entries:
        if entry.kind == "organization":
            for name in (entry.name, *entry.aliases):
                owner, body = names.body_key(name)
                if body:
                    found.setdefault((owner, body), ("known", normalise_name(entry.name)))
    return found


# the owners of a known organisation and the words of each of its names
_Parts = tuple[frozenset[str | None], tuple[frozenset[str], ...]]


@functools.cache
def _known_parts() -> dict[
    tuple[str, ...], tuple[frozenset[str | None], tuple[frozenset[str], ...]]
]:
    """Each organisation of the gazetteer: the owners its names give it ("UN migration
    agency": the UN) and the words of each of its bodies' names."""
    found: dict[tuple[str, ...], tuple[set[str | None], list[frozenset[str]]]] = {}
    for (owner, body), key in _known_bodies().items():
        owners, parts = found.setdefault(key, (set(), []))
        owners.add(owner)
        parts.append(frozenset(body.split()))
    return {k: (frozenset(o), tuple(p)) for k, (o, p) in found.items()}


@functools.lru_cache(maxsize=1 << 16)
def _known_within(body: str) -> frozenset[tuple[str, ...]]:
    """The bodies the gazetteer knows by a name of two words or more that ``body``
    holds whole (cached: one name stands for many mentions)."""
    return frozenset(
        k
        for (_, b), k in _known_bodies().items()
        if len(b.split()) >= 2 and f" {b} " in f" {body} "
    )


@functools.lru_cache(maxsize=1 << 16)
def _known_part_of(
    words: frozenset[str], owners: frozenset[str | None]
) -> frozenset[tuple[str, ...]]:
    """The bodies the gazetteer knows of one of ``owners`` with a name that holds every
    one of ``words`` (cached: one name stands for many mentions)."""
    return frozenset(
        k
        for k, (held, parts) in _known_parts().items()
        if held & owners and any(words <= part for part in parts)
    )


def _named_person(e: DocumentEntity) -> bool:
    """A person named by a proper name, once titles and owners are off ("UN spokesperson
    Stéphane Dujarric"), not by a role ("the spokesperson")."""
    if e.kind not in ("person", "unknown"):
        return False
    return _named_by(e.name, e.roles, e.affiliations)


@functools.lru_cache(maxsize=1 << 16)
def _named_by(name: str, roles: tuple[str, ...], affiliations: tuple[str, ...]) -> bool:
    """:func:`_named_person` of a person of that name, roles and affiliations (cached)."""
    if _role_named(name, roles, affiliations) is not None:
        return False
    kept = len(names.person_key(name).split())
    return kept > 0 and _looks_named(" ".join(name.split()[-kept:]))


def _relative(name: str) -> bool:
    words = set(normalise_name(name).replace("'s", " ").split())
    return bool(words & names.relative_owners())


def resolve_entities(
    entities: Iterable[DocumentEntity],
    *,
    merges: Sequence[tuple[str, str, str]] = (),
    splits: Sequence[tuple[str, str]] = (),
) -> list[LedgerEntity]:
    """Merge document entities into ledger entities.

    Names merge when their keys agree (:func:`_entity_keys`: "Ukraine's Air Force" = "the
    Ukrainian air force statement"; "UN spokesperson Stéphane Dujarric" = "Stephane
    Dujarric"; "Zelenskyy" = "Zelensky"); a person's surname alone ("Syrskyi") or a
    shorter full name joins the one person whose name ends with it, if only one does; a
    person named by role ("Ukraine's commander-in-chief", "the Ukrainian leader") joins
    the one person holding that role for that country. An ambiguous surname or role stays
    its own entity, and so does a name that names no one ("they", "officials").

    A fact-checker's corrections come last: ``merges`` (two normalised names and the
    reason) join the entities that go by them; ``splits`` (two normalised names) keep the
    entities that go by them apart whatever the rules say.
    """
    items = sorted(entities, key=lambda e: (e.document, e.id))
    why: dict[int, str] = {}
    keys = _entity_keys(items, why)
    found = resolve_block(items, keys, why, full_names(items, keys), merges=merges, splits=splits)
    return sorted(found.entities, key=lambda e: e.id)


@dataclass(frozen=True)
class Holder:
    """A person holding roles (one set of names once names, keys and surnames are
    merged): what a person named by role is matched against."""

    offices: frozenset[str]
    countries: frozenset[str]
    documents: frozenset[str]


@dataclass
class Resolved:
    """What :func:`resolve_block` made of some document entities: the ledger entities,
    each one's members (positions), the holders of roles in each, and what it would have
    joined outside the entities it was given (``outside`` holders matched; full names
    named by a shorter name that none of them has)."""

    entities: list[LedgerEntity]
    members: list[list[int]]
    roots: list[int]  # the member each one's key is of
    holders: list[list[Holder]]
    crossed: set[Hashable] = field(default_factory=set)
    names_missing: set[str] = field(default_factory=set)


def people_of(items: Sequence[DocumentEntity], keys: Sequence[tuple[str, ...]]) -> list[int]:
    """The entities a surname or a shorter name may name, and which may hold a role:
    people by proper name."""
    return [
        i
        for i, e in enumerate(items)
        if e.kind in ("person", "unknown") and keys[i][:1] == ("person",) and _role_name(e) is None
    ]


def full_names(
    items: Sequence[DocumentEntity], keys: Sequence[tuple[str, ...]]
) -> dict[str, set[str]]:
    """Each surname with the full names (two words or more) of the people that end in it."""
    found: dict[str, set[str]] = defaultdict(set)
    for i in people_of(items, keys):
        tokens = _person_tokens(items[i].name)
        if len(tokens) >= 2:
            found[tokens[-1]].add(" ".join(tokens))
    return found


def resolve_block(
    items: Sequence[DocumentEntity],
    keys: Sequence[tuple[str, ...]],
    why: Mapping[int, str],
    full_names: Mapping[str, set[str]],
    outside: Mapping[str, Sequence[tuple[Hashable, Holder]]] | None = None,
    *,
    merges: Sequence[tuple[str, str, str]] = (),
    splits: Sequence[tuple[str, str]] = (),
    similar: dict[str, list[str]] | None = None,
) -> Resolved:
    """:func:`resolve_entities` of ``items`` (in the order of their documents and ids)
    with their ``keys`` (:func:`_entity_keys`, and the rule that gave one its key,
    ``why``), the ``full_names`` of every person (ledger-wide) and the holders of each
    office ``outside`` these items (tagged). Run on every document entity, it is
    resolve_entities; run on a few whole entities, it gives what resolve_entities gives
    them, provided nothing joins them from outside: what would is in ``crossed`` and
    ``names_missing`` (:mod:`claimledger.ledger.entities`). ``similar`` caches the
    surnames of full names like each surname."""
    outside = outside or {}
    sets: _UnionFind[int] = _UnionFind()
    reasons: dict[int, str] = {}
    find = sets.find
    found = Resolved(entities=[], members=[], roots=[], holders=[])
    # the names each set goes by: read only by a fact-checker's merges and splits
    corrected = bool(merges or splits)
    names_in: dict[int, set[str]] = {
        i: {normalise_name(n) for n in (e.name, *e.aliases)}
        for i, e in enumerate(items)
        if corrected
    }
    apart = [(frozenset({a}), frozenset({b})) for a, b in splits]

    def union(a: int, b: int, reason: str, *, forced: bool = False) -> None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        if not forced and any(
            (x & names_in[ra] and y & names_in[rb]) or (y & names_in[ra] and x & names_in[rb])
            for x, y in apart
        ):
            return  # a fact-checker split these names
        if sets.union(a, b):
            if corrected:
                names_in[ra] |= names_in.pop(rb, set())
            reasons[ra] = "; ".join(
                dict.fromkeys(r for r in (reasons.get(ra), reasons.get(rb), reason) if r)
            )

    # 1. the same key: the same name once titles, owners' forms and spellings are one
    role_named = [_role_name(e) for e in items]
    by_name: dict[str, int] = {}
    parent = sets.parent
    for i, (e, key) in enumerate(zip(items, keys, strict=True)):
        if key[0] in ("generic", "equipment"):
            continue
        # the same name is one entity whatever kind each article gave it
        first_i = by_name.setdefault(normalise_name(e.name), i)
        if first_i != i:
            if corrected:
                union(first_i, i, "")
            else:
                # no split to heed and no reason to keep: ``i`` is alone till now (each
                # is joined once, to the first of its name), so it joins that one's set
                parent[i] = find(first_i)
    by_key: dict[tuple[str, ...], int] = {}
    for i, (e, key) in enumerate(zip(items, keys, strict=True)):
        if key in by_key:
            if find(by_key[key]) == find(i):
                continue  # one set already (most are, by name): nothing to join
            first = items[by_key[key]]
            same = normalise_name(first.name) == normalise_name(e.name)
            reason = "" if same else _key_reason(key, first.name, e.name)
            if not same and (i in why or by_key[key] in why):
                reason = f"{e.name!r} = {first.name!r}: {why.get(i) or why[by_key[key]]}"
            union(by_key[key], i, reason)
        else:
            by_key[key] = i

    # 2. people: a shorter name joins the one longer name that ends with it
    people = [
        i
        for i, e in enumerate(items)
        if e.kind in ("person", "unknown") and role_named[i] is None and keys[i][:1] == ("person",)
    ]
    name_index = {" ".join(_person_tokens(items[i].name)): i for i in people}
    similar = similar if similar is not None else {}  # a surname -> those of full names like it
    candidates_of: dict[tuple[str, ...], set[str]] = {}  # one name stands for many mentions
    for i in people:
        tokens = _person_tokens(items[i].name)
        if not tokens:
            continue
        if tuple(tokens) not in candidates_of:
            if tokens[-1] not in similar:
                similar[tokens[-1]] = [s for s in full_names if names.same_surname(s, tokens[-1])]
            n = len(tokens)
            candidates_of[tuple(tokens)] = {
                full
                for surname in similar[tokens[-1]]
                for full in full_names[surname]
                if (words := full.split()) != tokens
                and (len(words) > n or (len(words) == n and n > 1))
                and words[len(words) - n : -1] == tokens[:-1]
            }
        candidates = candidates_of[tuple(tokens)]
        if len(candidates) == 1:
            full = next(iter(candidates))
            if full not in name_index:
                found.names_missing.add(full)
                continue
            shorter = "the surname" if len(tokens) == 1 else "a shorter form"
            union(name_index[full], i, f"{items[i].name!r} is {shorter} of {full.title()!r}")

    # 3. a person named by role joins the one person with that role and country
    holders: dict[str, set[int]] = defaultdict(set)
    offices_of: dict[int, set[str]] = defaultdict(set)
    countries_of: dict[int, set[str]] = defaultdict(set)
    documents_of: dict[int, set[str]] = defaultdict(set)
    for i in people:
        documents_of[find(i)].add(items[i].document)
    for i in people:
        countries_of[find(i)] |= _countries(" ".join(items[i].affiliations))
        for role in items[i].roles:
            role_key, owners = _role_parts(role)
            for office in _offices(role_key):
                holders[office].add(find(i))
                offices_of[find(i)].add(office)
            countries_of[find(i)] |= owners
    for i, e in enumerate(items):
        named = role_named[i]
        if named is None:
            continue
        role, countries = named
        holding = {h for office in _offices(role) for h in holders.get(office, set())}
        beyond = {tag: h for office in _offices(role) for tag, h in outside.get(office, ())}
        # a holder from the named country; failing that, one whose country is unknown (for
        # a role that names no country, in its own article: "the governor" is the governor
        # its article names, not one of another state in another story)
        matches: set[Hashable] = {r for r in holding if countries & countries_of[r]}
        matches |= {tag for tag, h in beyond.items() if countries & h.countries}
        if not matches:
            matches = {
                r
                for r in holding
                if not countries_of[r] and (countries or e.document in documents_of[r])
            }
            matches |= {
                tag
                for tag, h in beyond.items()
                if not h.countries and (countries or e.document in h.documents)
            }
        if len(matches) == 1:
            match = matches.pop()
            if isinstance(match, int):
                union(match, i, f"{e.name!r} names the holder of that role")
            else:
                found.crossed.add(match)

    # 4. a fact-checker's merges
    for a, b, reason in merges:
        left = [i for i, e in enumerate(items) if a in names_in.get(find(i), set())]
        right = [i for i, e in enumerate(items) if b in names_in.get(find(i), set())]
        if left and right:
            union(left[0], right[0], reason, forced=True)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[find(i)].append(i)
    held: dict[int, list[Holder]] = defaultdict(list)
    for r, offices in holders_by_root(holders).items():
        # a holder's documents are read only when it has no country
        documents = frozenset(documents_of[r]) if not countries_of[r] else frozenset()
        held[find(r)].append(Holder(frozenset(offices), frozenset(countries_of[r]), documents))
    for root, members in groups.items():
        found.entities.append(_ledger_entity(items, keys, role_named, members, root, reasons))
        found.members.append(members)
        found.roots.append(root)
        found.holders.append(held.get(root, []))
    return found


def holders_by_root(holders: Mapping[str, set[int]]) -> dict[int, set[str]]:
    """The offices each holder holds."""
    found: dict[int, set[str]] = defaultdict(set)
    for office, roots in holders.items():
        for r in roots:
            found[r].add(office)
    return found


def _ledger_entity(
    items: Sequence[DocumentEntity],
    keys: Sequence[tuple[str, ...]],
    role_named: Sequence[tuple[str, frozenset[str]] | None],
    members: Sequence[int],
    root: int,
    reasons: Mapping[int, str],
) -> LedgerEntity:
    proper = [items[j] for j in members if role_named[j] is None] or [items[j] for j in members]
    said = Counter(m.name for m in proper)
    kinds = Counter(items[j].kind for j in members if items[j].kind != "unknown")
    person = any(items[j].kind == "person" for j in members)
    name = entity_name(keys[root], items[root].name, said, person)
    kind = commonest_kind(kinds)
    return LedgerEntity(
        # by the key the names were merged by: two bodies of one name (the health
        # ministries of two countries) are two entities
        id=_ledger_id(kind, name, "\x00".join(keys[root])),
        name=name,
        kind=kind,
        aliases=tuple(
            sorted({n for j in members for n in (items[j].name, *items[j].aliases)} - {name})
        ),
        roles=_unique(r for j in members for r in items[j].roles),
        affiliations=_unique(a for j in members for a in items[j].affiliations),
        members=tuple((items[j].document, items[j].id) for j in members),
        reason=reasons.get(root, ""),
    )


def entity_name(key: tuple[str, ...], root_name: str, said: Mapping[str, int], person: bool) -> str:
    """A ledger entity's name: the gazetteer's own for a body it knows, else the name its
    members (those not named by role, if any) are most often given, a person's fullest;
    never what it issued ("the air force statement") or a title ("UN spokesperson ...")
    when another will do. ``said``: how often each name is given; ``person``: whether a
    member is a person; ``root_name``: the name of the member its key is of."""
    if key[0] == "known":  # the gazetteer's own name for it
        entry = default_gazetteer().lookup(key[1])
        return entry.name if entry is not None else root_name
    if person:
        return max(said, key=lambda n: (len(_person_tokens(n)), _looks_named(n), len(n), n))
    # nor "the territory's health ministry" when "Gaza's health ministry" is there
    return max(said, key=lambda n: (not names.issued(n), not _relative(n), said[n], len(n), n))


def commonest_kind(kinds: Mapping[str, int]) -> str:
    """The kind most members have ("unknown" left out); ties go to the first in sorted
    order, never to hash order."""
    return max(sorted(kinds), key=kinds.__getitem__) if kinds else "unknown"


class _UnionFind(Generic[T]):
    """Disjoint sets of hashable items; the first item of a set stays its root."""

    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, item: T) -> T:
        parent = self.parent
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: T, b: T) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[rb] = ra
        return True


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.lower(), value)
    return tuple(sorted(seen.values()))


def _ledger_id(kind: str, name: str, key: str = "") -> str:
    where = f"\x00{key}" if key else ""
    digest = hashlib.sha256(f"{kind}\x00{normalise_name(name)}{where}".encode()).hexdigest()
    return "E" + digest[:11]


# --- claims -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFacts:
    """What reconciliation needs to know of one stored claim."""

    document: str
    claim: str
    subject: str
    measure: str
    low: float
    high: float | None
    value: float | None
    bound: str
    unit: str
    polarity: str
    start: dt.date | None  # the time the figure holds for
    end: dt.date | None
    dated_by: DatedBy | None
    root: str  # the independent origin: a ledger entity, else the original document
    root_name: str
    source: str | None  # who gave the figure, as named
    statement: str  # what was said (the attribution's content)
    figure: str  # the figure's words: "one-third of these North Korean soldiers"
    scope: Scope = "total"
    place: str | None = None  # the place key where the figure holds ("kursk"), if named
    modality: str = "reported"  # projections, potentials and conditionals are not counts
    rate: str | None = None  # the period a rate is counted per ("day"); None: a total
    countries: frozenset[str] = frozenset()  # the countries its article names
    # a population's own kind ("civilians", "migrants", "people"), filed under "people"
    population: str | None = None

    # Cached on first use (relating a subject's claims reads each claim's reference,
    # figure and time thousands of times); never fields, so never compared or digested.
    @functools.cached_property
    def ref(self) -> str:
        return f"{self.document}/{self.claim}"

    @functools.cached_property
    def shown(self) -> str:
        """The figure as a reader would say it (:func:`_figure`)."""
        return _figure(self)

    @functools.cached_property
    def when(self) -> str:
        """The days it holds for, as a reason states them (:func:`_when`)."""
        return _when(self)


_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(ClaimFacts))


def claim_facts(values: Sequence[Any]) -> ClaimFacts:
    """The facts whose fields are ``values``, in the order ClaimFacts declares them:
    what ``ClaimFacts(*values)`` makes, without its frozen fields set one at a time (a
    reconcile reads back a subject's 200,000 claims), its reference already worked out."""
    made = object.__new__(ClaimFacts)
    held = made.__dict__
    held.update(zip(_CLAIM_FIELDS, values, strict=True))
    held["ref"] = f"{held['document']}/{held['claim']}"
    return made


def scope_of(measure: str, statement: str, granularity: str | None, unit: str) -> Scope:
    """How a figure counts: a running ``total`` ("have been killed", "so far"), one
    ``incident`` ("killed two soldiers while destroying positions" on a given day), a
    ``stock`` at a moment (deployed, absent), or a ``duration`` (an absence of 3 weeks)."""
    if unit in ("day", "week", "month", "year") or measure == "absent":
        return "duration"
    if measure not in CUMULATIVE:
        return "stock"
    if _total_words().search(statement):
        return "total"
    return "incident" if granularity == "day" else "total"


@dataclass(frozen=True)
class Relation:
    a: str  # the earlier claim's ref, "document/claim"
    b: str
    kind: RelationKind
    reason: str
    # a conflict's rank (how far apart, times the independent roots behind each side);
    # 0 for the other kinds. Set by reconcile(), which knows the figures.
    strength: float = 0.0
    # Set by reconcile(): the figures the two claims stand in (a relation between figures
    # names one pair of their claims, the one that shows it best) and how many pairs of
    # their claims relate so
    a_figure: int = 0
    b_figure: int = 0
    pairs: int = 1

    @property
    def joins(self) -> bool:
        """A member's corroboration of its figure (of the earlier claim ``a``, by the
        member ``b``), not a line between figures."""
        return self.a_figure == self.b_figure and self.kind == "corroborates"

    @property
    def id(self) -> int:
        """Stable: a line between two figures by the figures and its kind; a member's
        corroboration of its figure by its two claims."""
        if self.joins:
            return _stable_id(self.a, self.b, self.kind)
        low, high = sorted((self.a_figure, self.b_figure))
        return _stable_id(str(low), str(high), self.kind)


_BOUND_WORDS = {
    "below": "nearly ",
    "above": "more than ",
    "at_least": "at least ",
    "at_most": "at most ",
}


def _figure(c: ClaimFacts) -> str:
    """The figure as a reader would say it, with its interval where that is not obvious:
    "≈12,000 (10,800–13,200)", "more than 500", "at most 500", "4,000"."""

    def num(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")

    stated = c.value
    if stated is None:  # the bound's own end: "at most 500" is [0, 500]
        stated = c.high if c.bound in ("below", "at_most") and c.high is not None else c.low
    if c.bound in _BOUND_WORDS:
        return _BOUND_WORDS[c.bound] + num(stated)
    if c.high is None:
        return f"more than {num(c.low)}"
    if c.low == c.high:
        return num(c.low)
    shown = f"≈{num(c.value)} " if c.value is not None and c.bound == "approx" else ""
    return f"{shown}({num(c.low)}–{num(c.high)})"


def _when(c: ClaimFacts) -> str:
    if c.start is None or c.end is None:
        return "undated"
    span = c.start.isoformat() if c.start == c.end else f"{c.start}/{c.end}"
    return span + (" (publication date)" if c.dated_by == "publication" else "")


def _days(a: ClaimFacts, b: ClaimFacts) -> str:
    """The two claims' days, the earlier first, as a reason ends with them."""
    first, second = _earlier_first(a, b)
    return f"{first.when} and {second.when}"


def _gap(a: ClaimFacts, b: ClaimFacts) -> int | None:
    """Days between two claims' times (0 when they overlap); None if either is undated."""
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return None
    if a.end < b.start:
        return (b.start - a.end).days
    if b.end < a.start:
        return (a.start - b.end).days
    return 0


# A round figure ("50,000", "1,200") is a rounding of the count it reports: within this
# share of it, a precise figure ("50,021") is the same figure, not a different one.
ROUNDING = 0.02


def _interval(c: ClaimFacts) -> tuple[float, float]:
    """The figure's interval, a round exact figure widened by ROUNDING."""
    high = float("inf") if c.high is None else c.high
    if c.bound == "exact" and c.low == high and _round(c.low):
        return c.low * (1 - ROUNDING), high * (1 + ROUNDING)
    return c.low, high


def _round(x: float) -> bool:
    """Two or more trailing zeros: 1,200 and 50,000, not 1,250 or 90."""
    return x >= 100 and float(x).is_integer() and int(x) % 100 == 0


def _overlap(a: ClaimFacts, b: ClaimFacts) -> bool:
    """The intervals the two figures give overlap: they may be the same figure."""
    a_low, a_high = _interval(a)
    b_low, b_high = _interval(b)
    return a_low <= b_high and b_low <= a_high


def _limits(c: ClaimFacts) -> tuple[float, float]:
    """What the words rule out: "more than 500" rules out 500 and below, nothing above;
    "up to 400" rules out more than 400. Other figures rule out what lies outside their
    interval."""
    stated = c.value if c.value is not None else c.low
    if c.bound in ("above", "at_least"):
        return stated, float("inf")
    if c.bound == "at_most":
        return 0.0, stated
    return _interval(c)


def _consistent(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Both can be true at once: neither figure's words rule the other out."""
    a_low, a_high = _limits(a)
    b_low, b_high = _limits(b)
    return a_low <= b_high and b_low <= a_high


def _earlier_first(a: ClaimFacts, b: ClaimFacts) -> tuple[ClaimFacts, ClaimFacts]:
    return (a, b) if (a.end or dt.date.max, a.ref) <= (b.end or dt.date.max, b.ref) else (b, a)


def _inside(day: ClaimFacts, window: ClaimFacts) -> bool:
    return (
        day.start is not None
        and day.end is not None
        and window.start is not None
        and window.end is not None
        and window.start <= day.start
        and day.end <= window.end
    )


def relate(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    """How two claims about the same subject relate, with the reason; None when neither
    bears on the other (different places, different measures with no rule between them,
    figures too far apart in time, separate incidents)."""
    if a.subject != b.subject or a.ref == b.ref or not is_counted(a.subject):
        return None  # a year, a magnitude or an `other` figure with no counted noun
    return _relate_counted(a, b)


def _relate_counted(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    """:func:`relate` for two claims of one counted subject."""
    if a.place and b.place and a.place != b.place:
        return None  # figures for two different places: neither bears on the other
    if a.modality != "reported" or b.modality != "reported":
        return None  # a projection or a possibility is no count of what happened
    if a.rate != b.rate:
        return None  # a rate per day and a total (or a rate per month) count different things
    if a.countries and b.countries and not a.countries & b.countries:
        return None  # articles about different countries: different events
    if (a.population or WHOLE_POPULATION) != (b.population or WHOLE_POPULATION):
        return _relate_populations(a, b)
    relation = _relate(a, b)
    if relation is None or relation.kind != "conflicts":
        return relation
    if a.document == b.document and a.root == b.root and a.measure == b.measure:
        return None  # one source's figures of one measure in one article: parts, places
        # or moments the words did not tell apart (an absence against a kill still is one)

    if a.measure == b.measure == "other":
        return None  # `other` says nothing of what happened to them: no figure rules out another
    if bool(a.place) != bool(b.place) and is_population(a.subject):
        # a population's toll that names no country is often the sum over several
        # (both countries of an earthquake); a force's deployment denied at one place is
        # still a denial of the figure, so this is for populations only
        placed, unplaced = (a, b) if a.place else (b, a)
        if _limits(unplaced)[0] > _limits(placed)[1]:
            # the figure that names no place is the larger: it may count more places
            return replace(
                relation,
                kind="compatible",
                reason=f"{unplaced.shown} names no place and may count more than "
                f"{placed.shown} in {placed.place} ({_days(a, b)})",
            )
    return relation


def agrees(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Whether two claims of one counted subject corroborate each other: exactly
    ``_relate_counted(a, b).kind == "corroborates"``, without writing out the reason
    (forming figures asks it of thousands of pairs and reads nothing else). Absences,
    incidents and two measures take the whole way."""
    if a.measure != b.measure or a.measure == "absent" or "incident" in (a.scope, b.scope):
        found = _relate_counted(a, b)
        return found is not None and found.kind == "corroborates"
    if (a.place and b.place and a.place != b.place) or a.rate != b.rate:
        return False
    if a.modality != "reported" or b.modality != "reported":
        return False
    if a.countries and b.countries and not a.countries & b.countries:
        return False
    whole_a = (a.population or WHOLE_POPULATION) == WHOLE_POPULATION
    whole_b = (b.population or WHOLE_POPULATION) == WHOLE_POPULATION
    if (a.population or WHOLE_POPULATION) != (b.population or WHOLE_POPULATION) and (
        whole_a == whole_b or a.measure == "other"
    ):
        return False  # two narrower populations, or `other` figures of two: unrelated
    if a.polarity != b.polarity or not _overlap(a, b):
        return False  # one measure: corroborating is overlapping, of one polarity
    gap = _gap(a, b)
    return gap is None or gap <= COMPARE_WITHIN_DAYS or a.root == b.root


def _relate_populations(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    """Two figures of one measure, one of a narrower population ("civilians",
    "migrants") and one of all people: the same figure if they overlap, else the part
    within its whole is compatible. Never a conflict: a toll of "people" is as often a
    narrower count the words did not name (a city's, a day's) as the whole. Two narrower
    populations (civilians and migrants), or `other` figures of two (a count of migrants
    arrived, a count of people aboard), say nothing of each other."""
    whole_a = (a.population or WHOLE_POPULATION) == WHOLE_POPULATION
    whole_b = (b.population or WHOLE_POPULATION) == WHOLE_POPULATION
    if whole_a == whole_b or a.measure != b.measure or a.measure in ("other", "absent"):
        return None
    part, whole = (b, a) if whole_a else (a, b)
    relation = _relate(a, b)
    if relation is None or relation.kind != "conflicts":
        return relation
    if _limits(part)[0] > _limits(whole)[1]:
        return None
    first, second = _earlier_first(a, b)
    return Relation(
        first.ref,
        second.ref,
        "compatible",
        f"{part.population} ⊆ people: {part.shown} {part.population}, {whole.shown} "
        f"people {a.measure.replace('_', ' ')} ({first.when} and {second.when})",
    )


def _relate(a: ClaimFacts, b: ClaimFacts) -> Relation | None:
    first, second = _earlier_first(a, b)
    gap = _gap(a, b)
    if (
        gap is not None
        and gap > COMPARE_WITHIN_DAYS
        and (a.measure != b.measure or a.root != b.root)
    ):
        return None  # too far apart to bear on each other; a source's own figures update
    same_time = gap is None or gap <= SAME_TIME_DAYS
    if a.measure == "absent" or b.measure == "absent":
        return _relate_absence(a, b, same_time)
    if a.polarity != b.polarity:
        if a.measure == b.measure and same_time and _overlap(a, b):
            pos, neg = (a, b) if a.polarity == "positive" else (b, a)
            return Relation(
                first.ref,
                second.ref,
                "conflicts",
                f"{pos.source or 'one source'} gives {pos.shown} {pos.measure}; "
                f"{neg.source or 'another'} denies it ({_days(first, second)})",
            )
        return None
    if a.measure == b.measure:
        return _relate_same_measure(first, second, gap, same_time)
    if b.measure in PART_OF.get(a.measure, frozenset()):
        return _relate_part(a, b, same_time)
    if a.measure in PART_OF.get(b.measure, frozenset()):
        return _relate_part(b, a, same_time)
    return None  # e.g. killed and captured: disjoint counts, no constraint between them


def _relate_same_measure(
    first: ClaimFacts, second: ClaimFacts, gap: int | None, same_time: bool
) -> Relation | None:
    measure = first.measure.replace("_", " ")
    one, two = first.shown, second.shown
    same_root = first.root == second.root
    if "incident" in (first.scope, second.scope):
        return _relate_incident(first, second, same_time)
    if same_root and gap is not None and gap > 0 and not _overlap(first, second):
        return Relation(
            first.ref,
            second.ref,
            "updates",
            f"the same source ({first.root_name}) at two dates: {measure} {one} → {two} "
            f"({_days(first, second)})",
        )
    if _overlap(first, second):
        who = (
            f"the same source ({first.root_name}), so not independent"
            if same_root
            else f"{first.root_name} and {second.root_name}"
        )
        return Relation(
            first.ref,
            second.ref,
            "corroborates",
            f"{measure} {one} and {two} overlap; {who} ({_days(first, second)})",
        )
    if (
        same_root
        and first.start is None
        and second.start is None
        and first.document != second.document
        and first.measure in CUMULATIVE
    ):
        # one source's running total in two undated reports: two moments we cannot order
        return Relation(
            first.ref,
            second.ref,
            "updates",
            f"the same source ({first.root_name}) in two undated reports: {measure} {one} "
            f"and {two}, a running total at two unknown times",
        )
    if same_time and _consistent(first, second):
        return Relation(
            first.ref,
            second.ref,
            "compatible",
            f"{measure} {one} and {two} are different figures, but neither rules the other "
            f"out ({_days(first, second)})",
        )
    if same_time:
        return Relation(
            first.ref,
            second.ref,
            "conflicts",
            f"{measure} {one} and {two} do not overlap at about the same time "
            f"({_days(first, second)})",
        )
    if first.measure in CUMULATIVE:
        if _limits(second)[1] >= _limits(first)[0]:
            return Relation(
                first.ref,
                second.ref,
                "updates",
                f"a running total rising: {measure} {one} then {two} ({_days(first, second)})",
            )
        return Relation(
            first.ref,
            second.ref,
            "conflicts",
            f"a running total cannot fall: {measure} {one} then {two} ({_days(first, second)})",
        )
    return Relation(
        first.ref,
        second.ref,
        "compatible",
        f"{measure} may change over time: {one} then {two} ({_days(first, second)})",
    )


def _relate_incident(first: ClaimFacts, second: ClaimFacts, same_time: bool) -> Relation | None:
    measure = first.measure.replace("_", " ")
    if first.scope == "incident" and second.scope == "incident":
        if first.start == second.start and first.start is not None and _overlap(first, second):
            return Relation(
                first.ref,
                second.ref,
                "corroborates",
                f"{measure} {first.shown} and {second.shown} on the same day",
            )
        return None  # separate incidents, or one told two ways: no rule decides
    incident, total = (first, second) if first.scope == "incident" else (second, first)
    if same_time and _overlap(first, second):
        return Relation(
            first.ref,
            second.ref,
            "corroborates",
            f"{measure} {first.shown} and {second.shown} overlap ({_days(first, second)})",
        )
    exceeds = _limits(incident)[0] > _limits(total)[1]
    if exceeds and incident is first:
        return Relation(
            first.ref,
            second.ref,
            "conflicts",
            f"one incident's {measure} ({incident.shown}) exceeds the later running "
            f"total ({total.shown}) ({_days(first, second)})",
        )
    if exceeds:
        return Relation(
            first.ref,
            second.ref,
            "compatible",
            f"a later incident ({incident.shown} {measure}) larger than the earlier "
            f"running total ({total.shown}): the total has grown since ({_days(first, second)})",
        )
    return Relation(
        first.ref,
        second.ref,
        "compatible",
        f"an incident ({incident.shown} {measure}) within a running total "
        f"({total.shown}) ({_days(first, second)})",
    )


def _relate_part(part: ClaimFacts, whole: ClaimFacts, same_time: bool) -> Relation | None:
    if whole.measure == "deployed" and is_population(whole.subject):
        return None  # a population is not a force: "deployed" people bound no casualties
    holds = _limits(part)[0] <= _limits(whole)[1]
    if holds and whole.measure == "deployed":
        return None  # casualties within the force: true of nearly every pair, so noise
    first, second = _earlier_first(part, whole)
    rule = f"{part.measure} ≤ {whole.measure}"
    figures = f"{part.shown} {part.measure.replace('_', ' ')}, {whole.shown} " + (
        whole.measure.replace("_", " ")
    )
    if holds:
        return Relation(
            first.ref, second.ref, "compatible", f"{rule}: {figures} ({_days(first, second)})"
        )
    part_later = part.end is not None and whole.end is not None and part.end > whole.end
    if not same_time and part_later and part.measure in CUMULATIVE:
        return Relation(
            first.ref,
            second.ref,
            "compatible",
            f"{rule} at one time, but the {part.measure.replace('_', ' ')} figure is later "
            f"and may have grown: {figures} ({_days(first, second)})",
        )
    return Relation(
        first.ref,
        second.ref,
        "conflicts",
        f"{rule} broken: {figures} ({_days(first, second)})",
    )


def _relate_absence(a: ClaimFacts, b: ClaimFacts, same_time: bool) -> Relation | None:
    first, second = _earlier_first(a, b)
    if a.measure == b.measure == "absent":
        if not same_time:
            return None
        if _overlap(a, b):
            return Relation(
                first.ref,
                second.ref,
                "corroborates",
                f"both report an absence of {first.shown} and {second.shown} "
                f"{first.unit}s ({_days(first, second)})",
            )
        return Relation(
            first.ref,
            second.ref,
            "conflicts",
            f"absences of {first.shown} and {second.shown} {first.unit}s ({_days(first, second)})",
        )
    absence, other = (a, b) if a.measure == "absent" else (b, a)
    if other.measure in PRESENCE and other.scope == "incident" and _inside(other, absence):
        return Relation(
            first.ref,
            second.ref,
            "conflicts",
            f"{other.shown} {other.measure.replace('_', ' ')} on {other.when} "
            f"({other.source or 'unattributed'}) falls inside the absence of "
            f"{absence.shown} {absence.unit}s ({absence.start} to {absence.end}) reported "
            f"by {absence.source or 'an unattributed report'}",
        )
    return None


# --- groups, figures and independence -----------------------------------------------------


def _stable_id(*parts: str) -> int:
    """A positive 60-bit id from ``parts``: the same figure or relation has the same id
    in every reconcile, full or incremental, and in every process."""
    digest = hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 4


@dataclass(frozen=True)
class Figure:
    """Claims of one measure at one moment (within SAME_TIME_DAYS of its first claim,
    or of one undated article) that corroborate each other, with the roots behind them:
    what a reader calls "the figure". Its first claim names it (its id)."""

    subject: str
    measure: str
    claims: tuple[str, ...]
    roots: tuple[str, ...]  # names of the independent root sources
    start: dt.date | None = None  # the earliest day its claims hold for
    end: dt.date | None = None
    low: float = 0.0  # the lowest and highest its claims allow (high None: unbounded)
    high: float | None = None

    @property
    def independent(self) -> int:
        return len(self.roots)

    @property
    def id(self) -> int:
        return _stable_id(self.subject, self.measure, self.claims[0])


@dataclass(frozen=True)
class Reconciliation:
    relations: tuple[Relation, ...]
    figures: tuple[Figure, ...]
    figure_of: Mapping[str, int] = field(default_factory=dict)  # claim ref -> figure id


@functools.cache
def may_relate(one: str, other: str) -> bool:
    """Whether any rule relates a figure of measure ``one`` to one of ``other``: the
    same measure, a part and its whole (PART_OF), or an absence and anything else
    (:func:`relate` says None for every other pair, such as killed and captured)."""
    return (
        one == other
        or other in PART_OF.get(one, frozenset())
        or one in PART_OF.get(other, frozenset())
        or "absent" in (one, other)
    )


def candidate_pairs(claims: Sequence[ClaimFacts]) -> Iterator[tuple[ClaimFacts, ClaimFacts]]:
    """The pairs of one subject's claims worth relating, bounded so a ledger of many
    thousands of reports stays tractable:

    - each dated claim with the NEIGHBOURS claims of every measure that started most
      recently before it, if within COMPARE_WITHIN_DAYS;
    - each claim with the previous claim of the same measure from the same root, however
      far apart (so a source's updates always show);
    - a claim with no date at all with the other claims of its own article, and with the
      NEIGHBOURS undated claims of its measure and root before it.
    """
    dated = sorted((c for c in claims if c.start is not None), key=lambda c: (c.start, c.ref))
    window = dt.timedelta(days=COMPARE_WITHIN_DAYS)
    recent: dict[str, deque[ClaimFacts]] = defaultdict(lambda: deque(maxlen=NEIGHBOURS))
    last_of_root: dict[tuple[str, str], ClaimFacts] = {}
    for b in dated:
        assert b.start is not None
        paired: set[str] = set()
        for measure, queue in recent.items():
            if not may_relate(measure, b.measure):
                continue  # no rule relates the two measures: relate() would say None
            for a in queue:
                assert a.end is not None
                if b.start - a.end <= window:
                    paired.add(a.ref)
                    yield a, b
        previous = last_of_root.get((b.root, b.measure))
        if previous is not None and previous.ref not in paired:
            yield previous, b
        recent[b.measure].append(b)
        last_of_root[(b.root, b.measure)] = b
    undated = [c for c in claims if c.start is None]
    if not undated:
        return
    by_document: dict[str, list[ClaimFacts]] = defaultdict(list)
    for c in claims:
        by_document[c.document].append(c)
    before: dict[tuple[str, str], deque[ClaimFacts]] = defaultdict(lambda: deque(maxlen=NEIGHBOURS))
    for b in sorted(undated, key=lambda c: c.ref):
        for a in by_document[b.document]:
            if a.start is not None or a.ref < b.ref:
                yield a, b
        for a in before[(b.root, b.measure)]:
            if a.document != b.document:
                yield a, b
        before[(b.root, b.measure)].append(b)


def _claim_order(c: ClaimFacts) -> tuple[str, int, str]:
    """Claims in the order their article states them: "c2" before "c10"."""
    digits = "".join(ch for ch in c.claim if ch.isdigit())
    return (c.document, int(digits) if digits else 0, c.claim)


def repeats(claims: Iterable[ClaimFacts]) -> dict[str, str]:
    """The claims that repeat a figure stated earlier in their own article (a headline, a
    lead and the body giving one number for one thing), each with the first statement
    of it: the same measure, population, rate, modality and number, no other place and no
    other time, from the same root or in the outlet's own voice (two sources giving one
    figure are two claims). A repeat is one claim said twice: it is related to its first statement
    only, so one figure does not stand in every relation twice."""
    first: dict[tuple[object, ...], list[ClaimFacts]] = defaultdict(list)
    found: dict[str, str] = {}
    for c in sorted(claims, key=_claim_order):
        stated = c.value if c.value is not None else c.low
        key = (c.document, c.measure, c.population, c.polarity, c.rate, c.modality, c.unit, stated)
        for o in first[key]:
            same_place = not (c.place and o.place and c.place != o.place)
            same_time = _gap(c, o) in (None, 0)
            # one source saying it twice, or the outlet's own voice (a headline, a lead)
            # restating a source; two sources giving one figure are two claims
            same_voice = c.root == o.root or c.source is None or o.source is None
            if same_place and same_time and same_voice:
                found[c.ref] = o.ref
                break
        else:
            first[key].append(c)
    return found


def reconcile(
    claims: Iterable[ClaimFacts], *, dismissed: Mapping[frozenset[str], str] | None = None
) -> Reconciliation:
    """Relate the claims of each subject, cluster corroborating claims of one measure and
    one moment into figures, relate figures to figures (each relation naming the pair of
    claims that shows it, a conflict its strongest pair) and count each figure's
    independent roots (:func:`conflict_strength` ranks the conflicts). A relation between
    two claims a fact-checker ``dismissed`` (pairs of refs) is left out, and so is the
    relation of that kind between their two figures."""
    dismissed = dismissed or {}
    by_subject: dict[str, list[ClaimFacts]] = defaultdict(list)
    for c in claims:
        by_subject[c.subject].append(c)
    relations: list[Relation] = []
    figures: list[Figure] = []
    figure_of: dict[str, int] = {}
    for subject in sorted(by_subject):
        found, made = reconcile_subject(by_subject[subject], dismissed)
        relations.extend(found)
        figures.extend(made)
        figure_of.update({ref: f.id for f in made for ref in f.claims})
    return Reconciliation(tuple(relations), tuple(figures), figure_of)


def reconcile_subject(
    group: Sequence[ClaimFacts], dismissed: Mapping[frozenset[str], str]
) -> tuple[list[Relation], list[Figure]]:
    """One subject's relations and figures (:func:`reconcile`): they depend on its own
    claims only, so a ledger re-derives a subject alone when its claims change."""
    subject = group[0].subject
    repeat_of = repeats(group)
    counted = is_counted(subject)
    pairs = [
        (a, b)
        for a, b in (candidate_pairs(group) if counted else ())
        if not repeat_of or (a.ref not in repeat_of and b.ref not in repeat_of)
    ]
    facts = {c.ref: c for c in group}
    if counted:
        pairs += [(facts[o], facts[r]) for r, o in sorted(repeat_of.items())]
    related = [r for a, b in pairs if (r := _relate_counted(a, b)) is not None]
    found = [r for r in related if frozenset((r.a, r.b)) not in dismissed] if dismissed else related
    figures = _figures(subject, group, found)
    by_id = {f.id: f for f in figures}
    fig = {ref: f.id for f in figures for ref in f.claims}
    # the figure-level relations a fact-checker dismissed, through any pair of their claims
    refused = {
        (frozenset((fig[r.a], fig[r.b])), r.kind)
        for r in (related if dismissed else ())
        if frozenset((r.a, r.b)) in dismissed
    }
    relations = figure_lines(
        found, fig, by_id, facts, line=lambda pair, kind: (pair, kind) not in refused
    )
    relations.sort(key=lambda r: (r.a, r.b, r.kind))
    return relations, figures


def figure_lines(
    found: Iterable[Relation],
    fig: Mapping[str, int],
    by_id: Mapping[int, Figure],
    facts: Mapping[str, ClaimFacts],
    *,
    join: Callable[[str, int], bool] = lambda later, figure: True,
    line: Callable[[frozenset[int], str], bool] = lambda pair, kind: True,
) -> list[Relation]:
    """The relations of figures from the related pairs of their claims (``fig``: each
    claim's figure): each member after the first is related to its figure once, by its
    corroboration of the first claim, else of the earliest it agrees with; two figures
    are related by one line per kind, naming the pair of claims that shows it best (a
    conflict: its strongest) and how many pairs stand behind it. ``join`` and ``line``
    (a member and its figure; two figures and a kind) say which to work out."""
    # each line's pairs as (strength, relation); figures and strength are set on the one
    # pair kept, not on every pair (a large subject relates millions)
    lines: dict[tuple[frozenset[int], str], list[tuple[float, Relation]]] = defaultdict(list)
    joined: dict[str, Relation] = {}  # a member's corroboration of its figure
    for r in found:
        fa, fb = fig[r.a], fig[r.b]
        if fa == fb and r.kind == "corroborates":
            later = max(r.a, r.b, key=lambda ref: _time_order(facts[ref]))
            if not join(later, fa):
                continue
            held = joined.get(later)
            if held is None or _joins_before(r, held, by_id[fa].claims[0], facts):
                joined[later] = r
            continue
        pair = frozenset((fa, fb))
        if not line(pair, r.kind):
            continue
        strength = (
            conflict_strength(facts[r.a], facts[r.b], by_id[fa].independent, by_id[fb].independent)
            if r.kind == "conflicts"
            else r.strength
        )
        lines[(pair, r.kind)].append((strength, r))
    relations = [replace(r, a_figure=fig[r.a], b_figure=fig[r.b]) for r in joined.values()]
    for shown in lines.values():
        strength, best = min(shown, key=lambda sr: (-sr[0], sr[1].a, sr[1].b))
        relations.append(
            replace(
                best,
                strength=strength,
                a_figure=fig[best.a],
                b_figure=fig[best.b],
                pairs=len(shown),
            )
        )
    return relations


def _figures(subject: str, group: Sequence[ClaimFacts], found: Iterable[Relation]) -> list[Figure]:
    """The subject's claims clustered into figures. In time order (the last day each
    holds for), a claim joins every figure of its measure holding a claim it corroborates
    that began (its first claim's last day) at most SAME_TIME_DAYS before it, and so
    merges them; else it begins a figure. A figure is one moment's figure, however long a
    story runs, and reports a few days apart that agree are one figure even across a
    week's end. Undated claims form figures within their own article only."""
    facts = {c.ref: c for c in group}
    agreeing: dict[str, set[str]] = defaultdict(set)
    for r in found:
        if r.kind == "corroborates" and facts[r.a].measure == facts[r.b].measure:
            agreeing[r.a].add(r.b)
            agreeing[r.b].add(r.a)
    figures: _UnionFind[str] = _UnionFind()
    anchor: dict[str, ClaimFacts] = {}  # a figure's root -> its first claim
    placed: set[str] = set()
    for c in sorted(group, key=_time_order):
        anchor[c.ref] = c
        for other in sorted(agreeing[c.ref] & placed):
            root = figures.find(other)
            first = anchor[root]
            if figures.find(c.ref) != root and _one_moment(first, c):
                earliest = min(first, anchor[figures.find(c.ref)], key=_time_order)
                figures.union(root, c.ref)
                anchor[figures.find(c.ref)] = earliest
        placed.add(c.ref)
    members: dict[str, list[ClaimFacts]] = defaultdict(list)
    for c in sorted(group, key=_time_order):
        members[figures.find(c.ref)].append(c)
    made = [_figure_of(subject, held) for held in members.values()]
    return sorted(made, key=lambda f: (f.measure, f.claims))


def _joins_before(
    r: Relation, held: Relation, anchor: str, facts: Mapping[str, ClaimFacts]
) -> bool:
    """Of two corroborations that join a claim to its figure, ``r`` shows it better: it
    is with the figure's first claim, or with an earlier claim than ``held``."""
    if anchor in (r.a, r.b) or anchor in (held.a, held.b):
        return anchor in (r.a, r.b) and anchor not in (held.a, held.b)
    return _time_order(facts[min(r.a, r.b, key=lambda x: _time_order(facts[x]))]) < _time_order(
        facts[min(held.a, held.b, key=lambda x: _time_order(facts[x]))]
    )


def _time_order(c: ClaimFacts) -> tuple[dt.date, str]:
    return (c.end or dt.date.max, c.ref)


def _one_moment(anchor: ClaimFacts, c: ClaimFacts) -> bool:
    """``c`` may join the figure ``anchor`` began: within SAME_TIME_DAYS after it, or
    both undated in one article."""
    if c.end is None or anchor.end is None:
        return c.end is None and anchor.end is None and c.document == anchor.document
    return (c.end - anchor.end).days <= SAME_TIME_DAYS


def _figure_of(subject: str, members: Sequence[ClaimFacts]) -> Figure:
    named = {c.root: c.root_name for c in members}
    starts = [c.start for c in members if c.start is not None]
    ends = [c.end for c in members if c.end is not None]
    highs = [c.high for c in members]
    return Figure(
        subject=subject,
        measure=members[0].measure,
        claims=tuple(c.ref for c in members),
        roots=tuple(sorted(named.values())),
        start=min(starts, default=None),
        end=max(ends, default=None),
        low=min(c.low for c in members),
        high=None if any(h is None for h in highs) else max(h for h in highs if h is not None),
    )


def conflict_strength(a: ClaimFacts, b: ClaimFacts, roots_a: int, roots_b: int) -> float:
    """How much a conflict matters: how far apart the two figures are (0 when they
    touch, towards 1 when one is many times the other) times the independent roots
    behind each side (the geometric mean, so a conflict one side of which nobody else
    reports ranks below one both sides of which several do)."""
    a_low, a_high = _limits(a)
    b_low, b_high = _limits(b)
    low, high = (a_high, b_low) if a_high < b_low else (b_high, a_low)
    distance = 0.0 if high <= low or high <= 0 else (high - low) / high
    return round(distance * math.sqrt(max(roots_a, 1) * max(roots_b, 1)), 4)
