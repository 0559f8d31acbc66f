"""Entity resolution kept between reconciles, worked out again only where a change
reaches.

:func:`~claimledger.ledger.reconcile.resolve_entities` merges every document entity of
the ledger at once (4.6 s for the 510,827 of a 100,000-article ledger). What it makes of
one ledger entity depends on that entity's members and on three things ledger-wide: each
body's owners (a body named without its owner takes the one its article's countries
share with it), the full names of people (a surname joins the one full name that ends
with it) and the holders of each office (a person named by role joins the one holder
from its country); and, through names and keys, on the entities that share one.
:class:`Entities` keeps those, with indexes from each name, key, person's name, surname
and office to the entities that have it, and when documents are stored, analysed again
or deleted it works out again (:func:`~claimledger.ledger.reconcile.resolve_block`) only
the entities of the *block* the change reaches:

1. the old entities of the documents changed, and their new document entities; the
   entities whose members' keys change (a body's owners changed); those of people whose
   surname is like one whose full names changed;
2. closed: every entity sharing a name, a key or a person's name with a member (those
   always end in one entity, so the block holds every one of them);
3. worked out; if a member would join an entity outside it (the one holder of its role,
   the one full name its surname names), that entity joins the block, and if the holders
   of an office in it changed, so do the entities of people named by that office; then
   it is closed and worked out again.

Union-find joins sets within one entity only, in the order of the documents and ids of
its members, as a whole run does; and every rule reads, besides the block, only what is
kept ledger-wide. So the block's entities are a whole run's, and the others are as they
were: a property test holds it to :func:`resolve_entities` on random ledgers and changes.
A fact-checker's merges and splits, or a block of half the ledger, get a whole run.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from claimledger.gazetteer import normalise_name
from claimledger.ledger import names
from claimledger.ledger.reconcile import (
    DocumentEntity,
    Holder,
    LedgerEntity,
    Resolved,
    _entity_keys,
    _ledger_id,
    _offices,
    _person_tokens,
    _role_name,
    _role_named,
    body_owners,
    commonest_kind,
    entity_name,
    full_names,
    owners_read,
    resolve_block,
)

Ref = tuple[str, str]  # (document, entity id)
_Key = tuple[str, ...]


def _order(e: DocumentEntity) -> tuple[str, str]:
    return e.document, e.id


def _ref(e: DocumentEntity) -> Ref:
    return e.document, e.id


def _is_person(e: DocumentEntity, key: _Key) -> bool:
    """Of :func:`~claimledger.ledger.reconcile.people_of`: a person by proper name."""
    return e.kind in ("person", "unknown") and key[:1] == ("person",) and _role_name(e) is None


def _full_name(e: DocumentEntity) -> tuple[str, str] | None:
    """A person's (surname, full name), for a name of two words or more."""
    tokens = _person_tokens(e.name)
    return (tokens[-1], " ".join(tokens)) if len(tokens) >= 2 else None


def _marks(e: DocumentEntity, key: _Key) -> Iterable[tuple[str, Hashable]]:
    """What an entity with this member is found by: its name, key, person's name and
    surname, and the offices of a person named by role."""
    if key[0] not in ("generic", "equipment"):
        yield "name", normalise_name(e.name)
    yield "key", key
    if _is_person(e, key):
        tokens = _person_tokens(e.name)
        yield "person", " ".join(tokens)
        if tokens:
            yield "surname", tokens[-1]
    named = _role_name(e)
    if named is not None:
        for office in _offices(named[0]):
            yield "office", office


# what a document entity is, for an entity it joins: name, kind, roles, affiliations,
# aliases, key and the rule behind the key
_Sig = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], _Key, str | None]


@dataclass
class _Tally:
    """What a ledger entity's name, kind and aliases are worked out from: how often each
    name is given (by its members not named by role, and by all), each kind, each name
    and alias; whether a member is a person; the key and name of the member it is keyed
    by (its root)."""

    key: _Key
    root_name: str
    proper: Counter[str] = field(default_factory=Counter)
    said: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    called: Counter[str] = field(default_factory=Counter)
    person: bool = False

    def count(self, sig: _Sig, times: int = 1) -> None:
        """Count ``times`` members of the kind ``sig``."""
        name, kind, roles, affiliations, aliases, _, _ = sig
        if kind not in ("person", "unknown") or _role_named(name, roles, affiliations) is None:
            self.proper[name] += times
        self.said[name] += times
        if kind != "unknown":
            self.kinds[kind] += times
        self.called.update(dict.fromkeys({name, *aliases}, times))
        self.person = self.person or kind == "person"

    def entity(self, was: LedgerEntity, members: tuple[Ref, ...]) -> LedgerEntity:
        """The entity ``was`` with these members and what is tallied."""
        name = entity_name(self.key, self.root_name, self.proper or self.said, self.person)
        kind = commonest_kind(self.kinds)
        return replace(
            was,
            id=_ledger_id(kind, name, "\x00".join(self.key)),
            name=name,
            kind=kind,
            aliases=tuple(sorted(self.called.keys() - {name})),
            members=members,
        )


def _sig(e: DocumentEntity, key: _Key, why: str | None) -> _Sig:
    return e.name, e.kind, e.roles, e.affiliations, e.aliases, key, why


class Entities:
    """The ledger entities of the documents given last, kept with what working them out
    again for a few needs (see the module's docstring)."""

    def __init__(self, whole_share: float = 0.5) -> None:
        # a block holding more than this share of every document entity: a whole run
        self.whole_share = whole_share
        self.documents: dict[str, tuple[DocumentEntity, ...]] = {}
        self.item: dict[Ref, DocumentEntity] = {}
        self.key: dict[Ref, _Key] = {}
        self.why: dict[Ref, str] = {}
        self.owners: Counter[tuple[str, str]] = Counter()  # (body, owner) shown
        self.owners_of: dict[str, set[str]] = {}
        self.reading: dict[str, set[str]] = defaultdict(set)  # body -> documents reading it
        self.fulls: Counter[tuple[str, str]] = Counter()  # (surname, full name) of people
        self.full_names: dict[str, set[str]] = {}
        self.similar: dict[str, list[str]] = {}  # surname -> those of full names like it
        # during a change: each body's owners, each surname's full names, before it
        self.owners_before: dict[str, frozenset[str]] = {}
        self.fulls_before: dict[str, frozenset[str]] = {}
        self.entity_of: dict[Ref, str] = {}
        self.entities: dict[str, LedgerEntity] = {}
        self.holders: dict[str, list[Holder]] = {}
        self.marks: dict[str, set[tuple[str, Hashable]]] = {}
        self.index: dict[tuple[str, Hashable], set[str]] = defaultdict(set)  # mark -> entities
        self.office_holders: dict[str, dict[str, list[Holder]]] = defaultdict(dict)
        self.tally: dict[str, _Tally] = {}
        # each kind of document entity: its first (in the order of documents and ids) and
        # the entity it is in (every one of a kind is in one: they share a name and a key)
        self.first: dict[_Sig, tuple[Ref, str]] = {}
        self.sigs: dict[str, Counter[_Sig]] = {}  # each entity's members of each kind
        self.root: dict[str, Ref] = {}  # the member each entity's key is of
        self.whole_runs = 0  # how many times every entity was worked out
        self.joined = 0  # document entities that joined an entity like an earlier one

    def resolve(
        self,
        documents: Mapping[str, tuple[DocumentEntity, ...]],
        changed: Iterable[str],
        *,
        merges: Sequence[tuple[str, str, str]] = (),
        splits: Sequence[tuple[str, str]] = (),
    ) -> list[LedgerEntity]:
        """The ledger entities of every entity of ``documents``, what
        :func:`resolve_entities` makes of them; of those, only the documents ``changed``
        (and those gone) may differ from the last call's."""
        gone = self.documents.keys() - documents.keys()
        touched = ({*changed} & documents.keys()) | gone
        if merges or splits or not self.entities:
            self._whole(documents, merges, splits)
        elif touched:
            self._change(documents, touched)
        return sorted(self.entities.values(), key=lambda e: e.id)

    def links(self) -> Mapping[Ref, LedgerEntity]:
        """The ledger entity of each document entity (``(document, id)``), of the
        last :meth:`resolve`: a view, not a copy of half a million links."""
        return _Links(self)

    # --- a whole run ----------------------------------------------------------------------

    def _whole(
        self,
        documents: Mapping[str, tuple[DocumentEntity, ...]],
        merges: Sequence[tuple[str, str, str]] = (),
        splits: Sequence[tuple[str, str]] = (),
    ) -> None:
        runs = self.whole_runs
        self.__init__(self.whole_share)  # type: ignore[misc]
        self.whole_runs = runs + 1
        self.documents = dict(documents)
        items = sorted((e for found in documents.values() for e in found), key=_order)
        why: dict[int, str] = {}
        keys = _entity_keys(items, why)
        for i, e in enumerate(items):
            self._take(e, keys[i], why.get(i))
            self._count_owners(e, 1)
            self._count_full(e, keys[i], 1)
        found = resolve_block(
            items,
            keys,
            why,
            full_names(items, keys),
            merges=merges,
            splits=splits,
            similar=self.similar,
        )
        self._add(found, items)

    # --- a change -------------------------------------------------------------------------

    def _change(
        self, documents: Mapping[str, tuple[DocumentEntity, ...]], touched: set[str]
    ) -> None:
        old = [e for d in sorted(touched) for e in self.documents.get(d, ())]
        new = [e for d in sorted(touched) for e in documents.get(d, ())]
        self.owners_before, self.fulls_before = {}, {}
        block = {self.entity_of[_ref(e)] for e in old}
        # 1. the old document entities out, the new ones in, with their keys
        for e in old:
            self._count_owners(e, -1)
            self._count_full(e, self.key[_ref(e)], -1)
            self._drop(e)
        for d in touched:
            if d in documents:
                self.documents[d] = documents[d]
            else:
                del self.documents[d]
        for e in new:
            self._count_owners(e, 1)
        alike: list[DocumentEntity] = []  # of a kind an entity has, later than its first
        for d in sorted(touched & documents.keys()):
            for e, key, why in self._keyed(d):
                self._take(e, key, why)
                self._count_full(e, key, 1)
                if not old and self._like_an_earlier(e, key, why):
                    alike.append(e)
        # the documents that read a body whose owners changed: keyed again
        changed = {
            b for b, was in self.owners_before.items() if self.owners_of.get(b, set()) != was
        }
        for d in sorted({d for b in changed for d in self.reading.get(b, ())} - touched):
            for e, key, why in self._keyed(d):
                ref = _ref(e)
                if (key, why) != (self.key[ref], self.why.get(ref)):
                    block.add(self.entity_of[ref])
                    self._count_full(e, self.key[ref], -1)
                    self._take(e, key, why)
                    self._count_full(e, key, 1)
        # people whose surname is like one whose full names changed
        fulls_changed = {
            s for s, was in self.fulls_before.items() if self.full_names.get(s, set()) != was
        }
        if any(bool(self.full_names.get(s)) != bool(self.fulls_before[s]) for s in fulls_changed):
            self.similar.clear()  # the surnames of full names changed
        if fulls_changed:
            for mark, held in self.index.items():
                if mark[0] == "surname" and any(
                    names.same_surname(str(mark[1]), s) for s in fulls_changed
                ):
                    block |= held
        # a document entity like an earlier one of an entity that nothing above reached
        # joins it, as in a whole run (see _like_an_earlier)
        joined = set()
        for e in alike:
            eid = self.first[_sig(e, self.key[_ref(e)], self.why.get(_ref(e)))][1]
            if eid not in block:
                self._join(e, eid)
                joined.add(_ref(e))
        # 2.-3. the block, closed and worked out until nothing outside it is reached
        refs = {_ref(e) for e in new} - joined
        if not block and not refs:
            return
        while True:
            block, refs = self._closed(block, refs, touched, joined)
            if len(refs) > self.whole_share * len(self.item):
                self._whole(self.documents)
                return
            items = sorted((self.item[r] for r in refs), key=_order)
            found, reached = self._work_out(block, items)
            if not reached:
                break
            block |= reached
        self._forget(block)
        self._add(found, items)

    def _like_an_earlier(self, e: DocumentEntity, key: _Key, why: str | None) -> bool:
        """Whether ``e`` (new) is of a kind (:data:`_Sig`) an entity has, and later than
        that kind's first. In a whole run it then joins that first's set as soon as it is
        met (by its name, or by its key for equipment), and nothing else it does joins
        or changes anything: its key, surname and roles are its first's, already joined,
        and it adds no owner, full name, office or country. It is not named by role, and
        no holder of a role without a country is in the entity (a person adds its
        document to its holder's, which a person named by role in that document reads).
        """
        if _role_name(e) is not None:
            return False
        found = self.first.get(_sig(e, key, why))
        if found is None or found[0] >= _ref(e):
            return False
        return not (_is_person(e, key) and any(not h.countries for h in self.holders[found[1]]))

    def _join(self, e: DocumentEntity, eid: str) -> None:
        """``e`` joins the entity ``eid``: only its members, and the name, kind and
        aliases its members' names and kinds give it, change."""
        ref = _ref(e)
        was = self.entities[eid]
        tally = self.tally.get(eid) or self._tally(eid)
        sig = _sig(e, self.key[ref], self.why.get(ref))
        tally.count(sig)
        self.sigs[eid][sig] += 1
        members = list(was.members)
        insort(members, ref)
        now = tally.entity(was, tuple(members))
        self.entity_of[ref] = eid
        self.joined += 1
        if now.id == eid:
            self.entities[eid] = now
            return
        # another name or kind: another id, everything kept under it moves
        new = now.id
        del self.entities[eid]
        self.entities[new] = now
        self.holders[new] = self.holders.pop(eid)
        for office in {o for h in self.holders[new] for o in h.offices}:
            self.office_holders[office][new] = self.office_holders[office].pop(eid)
        self.marks[new] = self.marks.pop(eid)
        for mark in self.marks[new]:
            self.index[mark].discard(eid)
            self.index[mark].add(new)
        self.sigs[new] = self.sigs.pop(eid)
        for sig in self.sigs[new]:
            first, _ = self.first[sig]
            self.first[sig] = (first, new)
        self.tally[new] = self.tally.pop(eid)
        self.root[new] = self.root.pop(eid)
        for member in members:
            self.entity_of[member] = new

    def _tally(self, eid: str) -> _Tally:
        root = self.root[eid]
        tally = self.tally[eid] = _Tally(self.key[root], self.item[root].name)
        for sig, times in self.sigs[eid].items():
            tally.count(sig, times)
        return tally

    def _keyed(self, document: str) -> list[tuple[DocumentEntity, _Key, str | None]]:
        """A document's entities with their keys and the rule behind each, now."""
        items = sorted(self.documents[document], key=_order)
        why: dict[int, str] = {}
        keys = _entity_keys(items, why, self.owners_of)
        return [(e, keys[i], why.get(i)) for i, e in enumerate(items)]

    def _closed(
        self, block: set[str], refs: set[Ref], touched: set[str], joined: set[Ref]
    ) -> tuple[set[str], set[Ref]]:
        """The block with every entity that shares a name, a key or a person's name with
        a member, and all their members (less the old ones of the documents ``touched``:
        those of their new entities that ``joined`` an entity are new)."""
        todo, refs, block = set(refs), set(refs), set(block)
        frontier = set(block)
        while frontier or todo:
            for eid in frontier:
                todo.update(
                    r
                    for r in self.entities[eid].members
                    if (r[0] not in touched or r in joined) and r not in refs
                )
            refs |= todo
            found: set[str] = set()
            for ref in todo:
                for mark in _marks(self.item[ref], self.key[ref]):
                    if mark[0] in ("name", "key", "person"):
                        found |= self.index.get(mark, set())
            todo = set()
            frontier = found - block
            block |= frontier
        return block, refs

    def _work_out(
        self, block: set[str], items: Sequence[DocumentEntity]
    ) -> tuple[Resolved, set[str]]:
        """The block's entities, and the entities outside it that it reaches."""
        keys = [self.key[_ref(e)] for e in items]
        why = {i: self.why[_ref(e)] for i, e in enumerate(items) if _ref(e) in self.why}
        offices = {o for e in items if (named := _role_name(e)) for o in _offices(named[0])}
        outside = {
            office: [
                ((eid, k), h)
                for eid, held in self.office_holders.get(office, {}).items()
                if eid not in block
                for k, h in enumerate(held)
            ]
            for office in offices
        }
        found = resolve_block(items, keys, why, self.full_names, outside, similar=self.similar)
        reached = {tag[0] for tag in found.crossed if isinstance(tag, tuple)}
        for full in found.names_missing:
            reached |= self.index.get(("person", full), set())
        # the holders of an office changed: the people named by it may be matched otherwise
        before: dict[str, Counter[Holder]] = defaultdict(Counter)
        for eid in block:
            for h in self.holders.get(eid, ()):
                for office in h.offices:
                    before[office][h] += 1
        after: dict[str, Counter[Holder]] = defaultdict(Counter)
        for held in found.holders:
            for h in held:
                for office in h.offices:
                    after[office][h] += 1
        for office in before.keys() | after.keys():
            if before.get(office) != after.get(office):
                reached |= self.index.get(("office", office), set())
        return found, reached - block

    # --- what is kept -----------------------------------------------------------------

    def _take(self, e: DocumentEntity, key: _Key, why: str | None) -> None:
        ref = _ref(e)
        self.item[ref], self.key[ref] = e, key
        if why is not None:
            self.why[ref] = why
        else:
            self.why.pop(ref, None)
        body = owners_read(e)
        if body is not None:
            self.reading[body].add(e.document)

    def _drop(self, e: DocumentEntity) -> None:
        ref = _ref(e)
        del self.item[ref], self.key[ref]
        self.why.pop(ref, None)
        body = owners_read(e)
        if body is not None:
            self.reading[body].discard(e.document)  # its other entities read it again

    def _count_owners(self, e: DocumentEntity, step: int) -> None:
        for pair in body_owners(e):
            body, owner = pair
            self.owners_before.setdefault(body, frozenset(self.owners_of.get(body, ())))
            self.owners[pair] += step
            if self.owners[pair] > 0:
                self.owners_of.setdefault(body, set()).add(owner)
            else:
                del self.owners[pair]
                self.owners_of[body].discard(owner)
                if not self.owners_of[body]:
                    del self.owners_of[body]

    def _count_full(self, e: DocumentEntity, key: _Key, step: int) -> None:
        full = _full_name(e) if _is_person(e, key) else None
        if full is None:
            return
        surname, name = full
        self.fulls_before.setdefault(surname, frozenset(self.full_names.get(surname, ())))
        self.fulls[full] += step
        if self.fulls[full] > 0:
            self.full_names.setdefault(surname, set()).add(name)
        else:
            del self.fulls[full]
            self.full_names[surname].discard(name)
            if not self.full_names[surname]:
                del self.full_names[surname]

    def _add(self, found: Resolved, items: Sequence[DocumentEntity]) -> None:
        for entity, members, root, held in zip(
            found.entities, found.members, found.roots, found.holders, strict=True
        ):
            eid = entity.id
            self.entities[eid], self.holders[eid] = entity, held
            self.root[eid] = _ref(items[root])
            sigs = self.sigs[eid] = Counter()
            for office in {o for h in held for o in h.offices}:
                self.office_holders[office][eid] = [h for h in held if office in h.offices]
            marks = self.marks[eid] = set()
            for j in members:
                e = items[j]
                ref = _ref(e)
                self.entity_of[ref] = eid
                key = self.key[ref]
                sig = _sig(e, key, self.why.get(ref))
                if sig not in sigs:  # one kind of member, one set of marks
                    self.first[sig] = (ref, eid)  # members are in order: the first
                    marks.update(_marks(e, key))
                sigs[sig] += 1
            for mark in marks:
                self.index[mark].add(eid)

    def _forget(self, block: set[str]) -> None:
        for eid in block:
            for mark in self.marks.pop(eid):
                held = self.index[mark]
                held.discard(eid)
                if not held:
                    del self.index[mark]
            for office in {o for h in self.holders.pop(eid) for o in h.offices}:
                del self.office_holders[office][eid]
            for sig in self.sigs.pop(eid):
                if self.first.get(sig, ("", ""))[1] == eid:
                    del self.first[sig]
            self.tally.pop(eid, None)
            del self.root[eid]
            for ref in self.entities.pop(eid).members:
                if self.entity_of.get(ref) == eid:
                    del self.entity_of[ref]


class _Links(Mapping[Ref, LedgerEntity]):
    """:meth:`Entities.links`."""

    def __init__(self, resolver: Entities) -> None:
        self.resolver = resolver

    def __getitem__(self, ref: Ref) -> LedgerEntity:
        return self.resolver.entities[self.resolver.entity_of[ref]]

    def __iter__(self) -> Iterator[Ref]:
        return iter(self.resolver.entity_of)

    def __len__(self) -> int:
        return len(self.resolver.entity_of)
