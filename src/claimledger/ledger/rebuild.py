"""Reconciling the ledger's derived tables, in full or incrementally (only the subjects
whose claims' facts changed): read every stored document's records
(the facts reconciliation needs of each claim: its root source, the time it holds for, its
scope), reconcile them with the pure rules of :mod:`claimledger.ledger.reconcile`, and write
the result (ledger entities, claim facts, figures, relations) in the caller's transaction;
and the counters that say when the derived tables are stale.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claimledger import lexicon
from claimledger.gazetteer import default_gazetteer, normalise_name
from claimledger.ledger import changes, corrections, names, queries, reasons, warm
from claimledger.ledger import tables as t
from claimledger.ledger.local import InPlace, Kept, rederive_in_place
from claimledger.ledger.queries import count_rows
from claimledger.ledger.reads import ReconcileSummary
from claimledger.ledger.reconcile import (
    SAME_TIME_DAYS,
    ClaimFacts,
    DatedBy,
    DocumentEntity,
    Figure,
    LedgerEntity,
    Relation,
    reconcile_subject,
    scope_of,
)
from claimledger.ledger.subjects import (
    country_mentions,
    country_of_place,
    is_population,
    main_country,
    only_country,
    subject,
)

# Bump when the reconciliation rules change: ledgers reconciled by older rules are then
# reconciled again on their next query.
RULES_VERSION = 16
# Bump when what claim_facts keeps of a claim changes: an incremental reconcile reads the
# facts of the claims it does not re-derive from there, so the next one must be full.
FACTS_VERSION = 1
_BATCH = 5_000
_DURATION_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_DERIVED = (t.relations, t.claim_facts, t.figures, t.entity_links, t.ledger_entities)
# An incremental reconcile compares the links of the entities whose rows changed, if there
# are no more than this many (one IN (…) each); else every link.
_FEW_ENTITIES = 500

_T = TypeVar("_T")


def _state(conn: Connection) -> dict[str, int]:
    """The counters: documents stored ("changes"), stored when last reconciled
    ("reconciled"), and the rules that reconciled them ("rules")."""
    return dict(conn.execute(sa.select(t.ledger_state.c.key, t.ledger_state.c.value)).all())


def is_stale(conn: Connection) -> bool:
    """True when documents were stored since the last reconciliation, or it ran under
    other rules."""
    state = _state(conn)
    return state.get("changes") != state.get("reconciled") or state.get("rules") != RULES_VERSION


def reconcile_ledger(
    conn: Connection,
    *,
    force: bool = False,
    full: bool = False,
    phases: dict[str, float] | None = None,
    workers: int | None = None,
    record: bool = False,
) -> bool:
    """Bring the derived tables up to date in ``conn``'s transaction, unless nothing
    changed since the last reconcile (and not ``force``): incrementally (only the subjects
    whose claims changed are re-derived) when the last reconcile ran under these rules and
    these corrections, else (or when ``full``) by a full rebuild. Both give the same
    tables. Returns whether it ran (:func:`summary` counts what the tables hold).
    ``phases``, if given, is told the seconds each phase took (the benchmark's
    breakdown); ``workers``: processes to re-derive subjects in (default
    :func:`reconcile_workers`, 1; used by a large reconcile only, see PARALLEL_CLAIMS);
    ``record``: append what changed to the change log (:func:`changes.record`, comparing
    only what an incremental reconcile touched), in the same transaction."""
    with _collecting_cycles_after():
        return _reconcile_ledger(
            conn, force=force, full=full, phases=phases, workers=workers, record=record
        )


def _reconcile_ledger(
    conn: Connection,
    *,
    force: bool,
    full: bool,
    phases: dict[str, float] | None,
    workers: int | None,
    record: bool,
) -> bool:
    # Take the write lock first (SQLite) or the row lock (PostgreSQL), then read the
    # counters: a second process or thread reconciling at the same moment waits, and then
    # finds nothing left to do.
    conn.execute(
        t.ledger_state.update()
        .where(t.ledger_state.c.key == "reconciled")
        .values(value=t.ledger_state.c.value)
    )
    if not force and not full and not is_stale(conn):
        return False
    state = _state(conn)
    stored = queries.corrections(conn)
    applied = corrections.prepare(stored)
    seen = _corrections_digest(stored)
    incremental = (
        not full
        and state.get("rules") == RULES_VERSION
        and state.get("facts") == FACTS_VERSION
        and state.get("reconciled", -1) >= 0
        and state.get("corrections") == seen
    )
    # what this process keeps (emptied unless it reconciled last; a full rebuild reads
    # everything), and then nothing until this reconcile is done
    kept = warm.of(conn)
    kept.usable(state.get(warm.TOKEN_KEY) if incremental else None)
    kept.token = None
    reach = update(
        conn,
        applied,
        incremental=incremental,
        phases=phases,
        workers=reconcile_workers() if workers is None else workers,
        kept=kept,
    )
    token = warm.new_token()
    for key, value in (
        ("rules", RULES_VERSION),
        ("facts", FACTS_VERSION),
        ("corrections", seen),
        ("reconciled", state["changes"]),
        (warm.TOKEN_KEY, token),
    ):
        conn.execute(t.ledger_state.delete().where(t.ledger_state.c.key == key))
        conn.execute(t.ledger_state.insert(), {"key": key, "value": value})
    if record:
        started = time.perf_counter()
        changes.record(conn, RULES_VERSION, reach=reach)
        if phases is not None:
            phases["change log"] = time.perf_counter() - started
    kept.token = token
    return True


@contextlib.contextmanager
def _collecting_cycles_after() -> Iterator[None]:
    """Python's cycle collector paused while the body runs. A reconcile makes millions of
    small objects (every document entity, every claim's facts) and keeps most of them to
    the end, so the collector walks them again and again for nothing: reading the
    entities of a 100,000-article ledger took 7.5 s with it, 3.1 s without. And a process
    keeps millions between its reconciles (:mod:`warm`), which each full collection walks
    (0.75 s of a reconcile at 100,000 articles, in its statements before and after the
    derivation, when only that was paused). Reference counting still frees what is
    dropped; what cycles there are wait for the next collection after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _corrections_digest(stored: Sequence[corrections.Correction]) -> int:
    """A 31-bit digest of the stored corrections: when they change, the next reconcile
    is a full one (a correction may reach any subject). Read from what is stored, so
    every process computes the same."""
    text = repr(sorted(repr(c) for c in stored)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=4).digest(), "big") >> 1


def summary(conn: Connection, *, ran: bool) -> ReconcileSummary:
    """What the derived tables hold: ledger entities, figures and relations by kind (a
    reconcile does not count them: at 100,000 articles the counts take a tenth of a
    second, which a live process has no use for)."""
    kinds: dict[str, int] = dict(
        conn.execute(
            sa.select(t.relations.c.kind, sa.func.count()).group_by(t.relations.c.kind)
        ).all()
    )
    # and each member's corroboration of its figure, kept on its claim
    f = t.claim_facts
    joins = conn.execute(
        sa.select(sa.func.count()).select_from(f).where(f.c.joins_claim.is_not(None))
    ).scalar_one()
    if joins:
        kinds["corroborates"] = kinds.get("corroborates", 0) + joins
    return ReconcileSummary(
        ran=ran,
        entities=count_rows(conn, sa.select(t.ledger_entities)),
        figures=count_rows(conn, sa.select(t.figures)),
        relations={k: int(v) for k, v in sorted(kinds.items())},
    )


def update(
    conn: Connection,
    applied: corrections.Applied,
    *,
    incremental: bool,
    phases: dict[str, float] | None = None,
    workers: int = 1,
    kept: warm.Warm | None = None,
) -> changes.Reach | None:
    """Derive the ledger entities, then the claims' facts, and re-derive the figures and
    relations of every subject (``incremental`` False), or of the subjects whose claims'
    facts changed since the tables were derived (their digests differ, a claim is new, or
    one is gone). Incrementally, only the documents the change reaches have their facts
    derived again (:func:`_reached`); the other claims of a re-derived subject are read
    back from ``claim_facts``. Returns what an incremental reconcile touched (None after
    a full one)."""
    clock = _Clock(phases)
    kept = kept if kept is not None else warm.Warm()
    countries, unread = _main_countries(conn, kept.countries)  # each text read once
    documents, read = _kept_entities(conn, countries, unread, kept)
    entities = kept.resolver.resolve(
        documents, read, merges=applied.merge_sources, splits=applied.split_sources
    )
    clock("entities")
    link = kept.resolver.links()  # each document entity's ledger entity
    as_stored = kept.ledger_entities  # if this process keeps them
    # the resolver hands back the very entity it kept where nothing of it changed (a
    # changed one is written out again: comparing its members would cost as much)
    entity_rows = {
        e.id: row
        if (row := kept.entity_rows.get(e.id)) and as_stored.get(e.id) is e
        else _entity_row(e)
        for e in entities
    }
    reached: set[str] | None = None  # None: every document
    if incremental:
        before, changed, regrouped = _write_entities(conn, entity_rows, kept)
        # the links of the entities whose members are as they were are too (a link that
        # moved changed both entities' members), but for the documents analysed again:
        # their links went with their entities' rows
        regrouped |= {link[(e.document, e.id)].id for d in unread for e in kept.mentions[d]}
        if as_stored:
            fresh = [(e.document, e.id) for d in unread for e in kept.mentions[d]]
            relinked = _relink(conn, entities, regrouped, as_stored, unread, countries, fresh)
        else:
            el = t.entity_links
            few = len(regrouped) <= _FEW_ENTITIES
            relinked = _sync(
                conn,
                el,
                ("document_id", "entity_id"),
                _link_rows(e for e in entities if not few or e.id in regrouped),
                where=el.c.ledger_entity.in_(sorted(regrouped)) if few else None,
            )
        reached = unread | _reached(conn, entities, before, changed, relinked)
    else:
        for table in _DERIVED:
            conn.execute(table.delete())
        _insert(conn, t.ledger_entities, entity_rows.values())
        _insert(conn, t.entity_links, _link_rows(entities))
    kept.ledger_entities = {e.id: e for e in entities}
    kept.entity_rows = entity_rows
    clock("entity rows")
    named = {d: named for d, (_, named) in countries.items()}
    seqs: dict[str, int] = {}
    facts = list(_claim_facts(conn, link, entities, named, documents=reached, seqs=seqs))
    # a fact-checker's corrections of claims, found by what each claim is
    corrected_documents = {
        key.document for key in (*applied.claim_values, *(k for p in applied.dismissed for k in p))
    }
    current = {
        corrections.ClaimKey.of_claim(doc, json.loads(payload)): f"{doc}/{claim}"
        for doc, claim, payload in conn.execute(
            sa.select(t.claims.c.document_id, t.claims.c.id, t.claims.c.payload).where(
                t.claims.c.document_id.in_(sorted(corrected_documents))
            )
        )
    }
    fixes = dict(corrections.iter_values(applied, current))
    facts = [_corrected(c, fixes, applied.subjects) for c in facts]
    dismissed = corrections.dismissed_refs(applied, current)
    digests = {c.ref: _digest(c) for c in facts}
    clock("claim facts")
    added: dict[str, set[str]] = {}  # subjects that only gained claims: those claims
    old_figure: dict[str, int] = {}
    kept_whole: dict[str, warm.KeptSubject] = {}  # subjects whose stored claims are all kept
    derived_in: dict[str, set[str]] = defaultdict(set)  # each subject's documents derived again
    if reached is not None:
        subjects, added = _changed_subjects(conn, facts, digests, reached, old_figure)
        # re-derived in place (local.py) where a subject only gained claims and no
        # fact-checker dismissed a relation in it; else derived again whole
        refused = _dismissed_subjects(conn, dismissed, facts)
        added = {s: refs for s, refs in added.items() if s not in refused}
        # the other claims of those subjects, as the last reconcile derived them
        stored = list(
            _kept_facts(conn, kept, subjects, reached, named, seqs, digests, old_figure, kept_whole)
        )
        for subject in sorted(subjects - set(added)):
            for table in (t.relations, t.claim_facts, t.figures):
                conn.execute(table.delete().where(table.c.subject == subject))
        facts = [c for c in facts if c.subject in subjects]
        for c in facts:
            derived_in[c.subject].add(c.document)
        facts += stored
    by_subject: dict[str, list[ClaimFacts]] = defaultdict(list)
    for c in facts:
        by_subject[c.subject].append(c)

    def in_their_order(group: list[ClaimFacts]) -> None:
        """A subject derived whole reads its claims in the order of their documents and
        places in them (one re-derived in place orders what it reads itself)."""
        group.sort(key=lambda c: (c.document, seqs[c.ref]))

    def derived_whole(subject: str) -> None:
        """A subject about to be derived whole: the places and digests of its claims kept
        whole, then its claims in their order."""
        held = kept_whole.get(subject)
        if held is not None:
            seqs.update(held.seq)
            digests.update(held.digest)
        in_their_order(by_subject[subject])

    if reached is not None:
        for subject in by_subject.keys() - added.keys():
            derived_whole(subject)
    previous: dict[str, warm.KeptSubject] = {}  # what was kept of those re-derived
    orders: dict[str, Kept] = {}  # what their last derivation in place handed on
    if reached is None:
        subjects = set(by_subject)
        kept.subjects.clear()
        kept.orders.clear()
    else:
        for subject in subjects:  # kept again below if re-derived in place
            if subject in kept.subjects:
                previous[subject] = kept.subjects.pop(subject)
            if subject in kept.orders:
                orders[subject] = kept.orders.pop(subject)
    clock("changed subjects")
    todo = sorted(subjects & set(by_subject))
    whole = [s for s in todo if s not in added]
    derived = _derive(whole, by_subject, dismissed, workers)
    in_place = 0
    touched: dict[str, frozenset[int]] = {}  # subject re-derived in place -> figures touched
    for subject in todo:
        group = by_subject[subject]
        if subject in added:
            new = added[subject]
            held = kept_whole.get(subject)
            if held is not None:
                # every stored claim kept, none of a document derived again: the claims
                # derived now (they come first) are the new ones (rederive_in_place
                # declines unless its claims by reference are the group's)
                was: Mapping[str, int] = held.figure
                every: dict[str, ClaimFacts] | None = {
                    **held.facts,
                    **{c.ref: c for c in group[: len(new)]},
                }
            else:
                was = {ref: old_figure[ref] for ref in (c.ref for c in group) if ref in old_figure}
                every = None
            redone = rederive_in_place(group, new, was, orders.get(subject), facts=every)
            if redone is not None:
                clock("relate and figures")
                touched[subject] = _write_in_place(conn, redone, was, new, digests)
                assert reached is not None  # only an incremental reconcile adds in place
                kept.subjects[subject] = _kept_subject(
                    conn, group, redone, seqs, digests, derived_in[subject], named, previous
                )
                if redone.handed_on is not None:
                    kept.orders[subject] = redone.handed_on
                clock("write subjects")
                in_place += 1
                continue
            for table in (t.relations, t.claim_facts, t.figures):
                conn.execute(table.delete().where(table.c.subject == subject))
            derived_whole(subject)
        found, made = (
            derived[subject] if subject in derived else reconcile_subject(group, dismissed)
        )
        clock("relate and figures")
        _write_subject(conn, group, found, made, digests)
        clock("write subjects")
    if phases is not None:
        phases["documents read"] = len(named) if reached is None else len(reached)
        phases["subjects re-derived"] = len(todo)
        phases["subjects re-derived in place"] = in_place
        phases["claims re-derived"] = sum(len(by_subject[s]) for s in todo)
    if reached is None:
        return None
    # every subject re-derived, and those left with no claim (their rows are gone)
    return changes.Reach(
        documents=frozenset(reached), subjects=frozenset(subjects), figures=touched
    )


def _corrected(
    c: ClaimFacts, fixes: Mapping[str, Mapping[str, str]], subjects: Mapping[str, str]
) -> ClaimFacts:
    """A claim's facts with a fact-checker's corrections: its measure or subject, and
    the subject it was merged into."""
    fix = fixes.get(c.ref)
    if fix is not None:
        c = corrections.corrected(c, fix)
    final = corrections.final_subject(c.subject, subjects)
    return c if final == c.subject else replace(c, subject=final)


def _relink(
    conn: Connection,
    entities: Sequence[LedgerEntity],
    regrouped: set[str],
    was: Mapping[str, LedgerEntity],
    unread: set[str],
    present: Container[str],
    fresh: Iterable[tuple[str, str]],
) -> set[tuple[str, str]]:
    """Write the links that differ from those of the entities ``was`` (as stored, but
    for the links of the documents no longer ``present``, gone with them, and of the
    ``unread`` ones, read: an article stored again lost its links with its entities' rows,
    a near-copy of one kept them); a link differs only in an entity ``regrouped`` (its
    members changed, before or now). ``fresh``: the ``unread`` documents' entities. The
    links written or removed, as (document, entity) pairs."""
    el = t.entity_links
    now: set[tuple[tuple[str, str], str]] = set()
    for e in entities:
        if e.id in regrouped:
            now.update(zip(e.members, itertools.repeat(e.id)))
    before: set[tuple[tuple[str, str], str]] = set()
    for i in regrouped & was.keys():
        before.update(zip(was[i].members, itertools.repeat(i)))
    stored = {
        ((r.document_id, r.entity_id), r.ledger_entity)
        for r in _rows(
            conn,
            sa.select(el.c.document_id, el.c.entity_id, el.c.ledger_entity),
            el.c.document_id,
            sorted(unread),
        )
    }
    entity_of = dict(now)
    fresh_now = {(m, entity_of[m]) for m in fresh}
    gone = {m for m, _ in before - now if m[0] not in unread and m[0] in present}
    gone |= {m for m, i in stored - fresh_now}
    for document, local in sorted(gone):
        conn.execute(el.delete().where((el.c.document_id == document) & (el.c.entity_id == local)))
    written = {m for m, _ in now - before if m[0] not in unread} | {
        m for m, _ in fresh_now - stored
    }
    _insert(
        conn,
        el,
        (
            {"document_id": d, "entity_id": local, "ledger_entity": entity_of[(d, local)]}
            for d, local in sorted(written)
        ),
    )
    return gone | written


def _write_entities(
    conn: Connection, rows: Mapping[str, dict[str, Any]], kept: warm.Warm
) -> tuple[list[LedgerEntity], set[str], set[str]]:
    """Write the ledger entities' ``rows`` over the stored ones, a row that differs
    updated in place (its links stay); the entities as stored before (without their
    members), the ids of those new, gone or otherwise named, and of those new, gone or
    with other members."""
    le = t.ledger_entities
    # as stored: kept by this process (with the entities themselves), else read
    have = kept.entity_rows or {r.id: dict(r._mapping) for r in conn.execute(sa.select(le))}
    want = rows
    gone = have.keys() - want.keys()
    for chunk in _chunks(sorted(gone)):
        conn.execute(le.delete().where(le.c.id.in_(chunk)))
    _insert(conn, le, (r for k, r in want.items() if k not in have))
    renamed, regrouped = set(), set()
    for k, row in want.items():
        if k in have and have[k] is not row and have[k] != row:
            conn.execute(le.update().where(le.c.id == k).values(row))
            if {**have[k], "members": ""} != {**row, "members": ""}:
                renamed.add(k)
            if have[k]["members"] != row["members"]:
                regrouped.add(k)
    new = want.keys() - have.keys()
    before = (
        list(kept.ledger_entities.values())
        if kept.entity_rows
        else [
            LedgerEntity(
                id=r["id"],
                name=r["name"],
                kind=r["kind"],
                aliases=tuple(json.loads(r["aliases"])),
                roles=tuple(json.loads(r["roles"])),
                affiliations=tuple(json.loads(r["affiliations"])),
                members=(),
                reason=r["reason"],
            )
            for r in have.values()
        ]
    )
    return before, renamed | gone | new, regrouped | gone | new


def _reached(
    conn: Connection,
    entities: Sequence[LedgerEntity],
    before: Sequence[LedgerEntity],
    changed: set[str],
    relinked: set[tuple[Any, ...]],
) -> set[str]:
    """The documents whose claims' facts may differ from the last reconcile's, besides
    those stored or analysed again since (the caller's): a document's facts read the
    ledger entities its own entities link to, and two ledger-wide lookups, the body a
    spokesperson speaks for (:func:`_bodies`) and the party a statement cites
    (:func:`_names_of`), whose entities may be linked to other documents. So: the
    documents of a link that changed, those linked to an entity whose row changed, those
    of a spokesperson whose body's entry or row changed, and, when any entity or name
    changed, those that cite someone."""
    found = {doc for doc, _ in relinked}
    found |= {doc for e in entities if e.id in changed for doc, _ in e.members}
    old_bodies, new_bodies = _bodies(before), _bodies(entities)
    speaking = set()
    for e in entities:
        for key in _looks_up(e):
            was, now = old_bodies.get(key, _NOBODY).id, new_bodies.get(key, _NOBODY).id
            if was != now or was in changed or now in changed:
                speaking.add(e.id)
    found |= {doc for e in entities if e.id in speaking for doc, _ in e.members}
    old_names, new_names = _names_of(before), _names_of(entities)
    if changed or any(
        old_names.get(k, _NOBODY).id != new_names.get(k, _NOBODY).id
        for k in old_names.keys() | new_names.keys()
    ):
        dc = t.document_countries
        found |= set(conn.execute(sa.select(dc.c.document_id).where(dc.c.cites)).scalars())
    return found


_NOBODY = LedgerEntity(
    id="", name="", kind="unknown", aliases=(), roles=(), affiliations=(), members=(), reason=""
)


def _looks_up(entity: LedgerEntity) -> set[tuple[str | None, str]]:
    """The keys of :func:`_bodies` that :func:`_principal` reads for ``entity``."""
    body = _spoken_for(entity)
    if body is None:
        return set()
    owner, name = names.body_key(body)
    return {(owner, name), (owner, "")} if owner else {(owner, name)}


def _spoken_for(entity: LedgerEntity) -> str | None:
    """The name of the body a person speaks for (a spokesperson, a head of mission: a
    relay role and an affiliation), the gazetteer's name for it if known; else None."""
    relay = names.relay_roles()
    if entity.kind != "person" or not entity.affiliations:
        return None
    if not any(names.person_key(r) in relay or r.lower() in relay for r in entity.roles):
        return None
    known = default_gazetteer().lookup(entity.affiliations[0])
    return known.name if known is not None else entity.affiliations[0]


# Subjects are re-derived in parallel (worker processes) only when there are this many
# claims to re-derive: below it, starting the processes costs more than it saves.
PARALLEL_CLAIMS = 20_000


def reconcile_workers() -> int:
    """How many processes a reconcile re-derives subjects in: CLAIMLEDGER_RECONCILE_WORKERS,
    else 1 (no processes: a library call never starts any unless asked to)."""
    given = os.environ.get("CLAIMLEDGER_RECONCILE_WORKERS", "").strip()
    return int(given) if given.isdigit() and int(given) >= 1 else 1


def _derive(
    subjects: Sequence[str],
    by_subject: Mapping[str, list[ClaimFacts]],
    dismissed: Mapping[frozenset[str], str],
    workers: int,
) -> dict[str, tuple[list[Relation], list[Figure]]]:
    """Each subject's relations and figures worked out in ``workers`` processes, the
    largest subjects first; {} when that is not worth it (one worker, one subject, fewer
    than PARALLEL_CLAIMS claims): the caller then derives them in turn. Subjects depend
    on their own claims only, so the result is the same either way."""
    claims = sum(len(by_subject[s]) for s in subjects)
    if workers < 2 or len(subjects) < 2 or claims < PARALLEL_CLAIMS:
        return {}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    order = sorted(subjects, key=lambda s: -len(by_subject[s]))
    # fork where it is safe: the children run one pure function and touch no database,
    # no lock and no thread of the parent's; spawn elsewhere (it imports the caller's
    # __main__ again, which a script must guard)
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(min(workers, len(order)), mp_context=context) as pool:
        futures = {}
        for s in order:
            refs = {c.ref for c in by_subject[s]}
            own = {k: v for k, v in dismissed.items() if k & refs}
            futures[s] = pool.submit(reconcile_subject, by_subject[s], own)
        return {s: f.result() for s, f in futures.items()}


class _Clock:
    """Adds the seconds since its last call to ``phases[name]`` (nothing if None)."""

    def __init__(self, phases: dict[str, float] | None) -> None:
        self.phases = phases
        self.last = time.perf_counter()

    def __call__(self, name: str) -> None:
        if self.phases is not None:
            now = time.perf_counter()
            self.phases[name] = self.phases.get(name, 0.0) + now - self.last
            self.last = now


_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(ClaimFacts))


def _digest(c: ClaimFacts) -> str:
    """16 hex digits of everything reconciliation reads of a claim: the repr of its
    fields in order (strings, numbers, dates and None print the same in every process; a
    set is sorted first)."""
    values = tuple(
        tuple(sorted(v)) if isinstance(v, frozenset) else v
        for v in map(c.__getattribute__, _FACT_FIELDS)
    )
    return hashlib.blake2b(repr(values).encode("utf-8"), digest_size=8).hexdigest()


def _changed_subjects(
    conn: Connection,
    facts: Sequence[ClaimFacts],
    digests: Mapping[str, str],
    reached: set[str],
    figures: dict[str, int],
) -> tuple[set[str], dict[str, set[str]]]:
    """The subjects to re-derive: those of claims of the ``reached`` documents (whose
    facts are ``facts``) that are new, changed (their digest or their subject) or gone,
    and those whose figures lost a claim (a document deleted: its claims' facts went with
    it, and its subjects' figures count fewer claims than they hold); and of those, the
    ones that only gained claims, with the claims they gained. ``figures`` is told the
    stored figure of each stored claim of those documents."""
    f = t.claim_facts
    query = sa.select(f.c.document_id, f.c.claim_id, f.c.subject, f.c.digest, f.c.figure)
    stored = {}
    for r in _rows(conn, query, f.c.document_id, sorted(reached)):
        stored[f"{r.document_id}/{r.claim_id}"] = (r.subject, r.digest)
        figures[f"{r.document_id}/{r.claim_id}"] = r.figure
    changed = set()
    added: dict[str, set[str]] = defaultdict(set)
    otherwise = set()  # subjects with a claim changed or gone, not only added
    for c in facts:
        was = stored.pop(c.ref, None)
        if was != (c.subject, digests[c.ref]):
            changed.add(c.subject)
            if was is None:
                added[c.subject].add(c.ref)
            else:
                otherwise |= {c.subject, was[0]}
    otherwise |= {subject for subject, _ in stored.values()}  # claims no longer there
    changed |= otherwise
    # figures whose claims were deleted with their document (claim_facts cascades):
    # writes._delete_rows marked them, holding no claim
    fg = t.figures
    lost = set(conn.execute(sa.select(fg.c.subject).where(fg.c.claims == 0).distinct()).scalars())
    changed |= lost
    otherwise |= lost
    return changed, {s: refs for s, refs in added.items() if s not in otherwise}


def _dismissed_subjects(
    conn: Connection, dismissed: Mapping[frozenset[str], str], facts: Sequence[ClaimFacts]
) -> set[str]:
    """The subjects of the claims a fact-checker dismissed a relation between (as
    derived now, else as last stored)."""
    refs = {ref for pair in dismissed for ref in pair}
    found = {c.ref: c.subject for c in facts if c.ref in refs}
    f = t.claim_facts
    query = sa.select(f.c.document_id, f.c.claim_id, f.c.subject)
    for r in _rows(conn, query, f.c.document_id, sorted({ref.split("/")[0] for ref in refs})):
        found.setdefault(f"{r.document_id}/{r.claim_id}", r.subject)
    return {found[ref] for ref in refs if ref in found}


def _stored_relations(
    conn: Connection, subject: str, where: sa.ColumnElement[bool] | None = None
) -> list[Relation]:
    """A subject's relations as the last reconcile stored them (those ``where`` says),
    without their reasons (:mod:`claimledger.ledger.reasons`)."""
    r = t.relations
    query = sa.select(r).where(r.c.subject == subject)
    return [
        Relation(
            a=f"{row.a_document}/{row.a_claim}",
            b=f"{row.b_document}/{row.b_claim}",
            kind=row.kind,
            reason="",
            strength=row.strength,
            a_figure=row.a_figure,
            b_figure=row.b_figure,
            pairs=row.pairs,
        )
        for row in conn.execute(query if where is None else query.where(where))
    ]


def _kept_facts(
    conn: Connection,
    kept: warm.Warm,
    subjects: set[str],
    reached: set[str],
    countries: Mapping[str, frozenset[str]],
    seqs: dict[str, int],
    digests: dict[str, str],
    figures: dict[str, int],
    whole: dict[str, warm.KeptSubject],
) -> Iterator[ClaimFacts]:
    """:func:`_stored_facts`, those of the subjects this process keeps (:mod:`warm`)
    from what it keeps: the claims of documents still there and not ``reached``.
    ``whole`` is told the subjects kept whose every claim is so (none of their documents
    reached or deleted): they are taken over whole, not walked, and ``seqs``, ``digests``
    and ``figures`` are not told theirs."""
    for key in sorted(subjects & kept.subjects.keys()):
        held = kept.subjects[key]
        # derived again, or deleted (its rows went with it)
        skipped = (held.documents.keys() & reached) | (held.documents.keys() - countries.keys())
        if not skipped:
            whole[key] = held  # its places, digests and figures are read from it
            yield from held.facts.values()
            continue
        for ref, c in held.facts.items():
            if c.document not in skipped:
                seqs[ref], digests[ref], figures[ref] = (
                    held.seq[ref],
                    held.digest[ref],
                    held.figure[ref],
                )
                yield c
    cold = subjects - kept.subjects.keys()
    if cold:
        yield from _stored_facts(conn, cold, reached, countries, seqs, digests, figures)


def _kept_subject(
    conn: Connection,
    group: Sequence[ClaimFacts],
    in_place: InPlace,
    seqs: Mapping[str, int],
    digests: Mapping[str, str],
    derived: set[str],
    countries: Mapping[str, frozenset[str]],
    previous: dict[str, warm.KeptSubject],
) -> warm.KeptSubject:
    """Every claim of a subject just written in place, as :func:`_stored_facts` would
    read it back: those of documents not ``derived`` again were read back (or kept: what
    was, ``previous``, is brought up to date) and only their figure may have moved (into
    a figure new or whose claims changed); the others' are read back now."""
    figure_of = in_place.figure_of
    found = previous.pop(group[0].subject, None)
    if found is None:
        found = warm.KeptSubject()
        for c in group:
            if c.document not in derived:
                ref = c.ref
                found.put(warm.Stored(c, seqs[ref], digests[ref], figure_of[ref]))
    else:
        for ref in (ref for x in in_place.figures for ref in x.claims):
            if ref in found.figure and found.figure[ref] != figure_of[ref]:
                found.figure[ref] = figure_of[ref]
    if derived:
        at: dict[str, int] = {}
        digest: dict[str, str] = {}
        figure: dict[str, int] = {}
        key = group[0].subject
        for c in _stored_facts(conn, {key}, set(), countries, at, digest, figure, derived):
            found.put(warm.Stored(c, at[c.ref], digest[c.ref], figure[c.ref]))
    return found


def _stored_facts(
    conn: Connection,
    subjects: set[str],
    reached: set[str],
    countries: Mapping[str, frozenset[str]],
    seqs: dict[str, int],
    digests: dict[str, str],
    figures: dict[str, int],
    only: set[str] | None = None,
) -> Iterator[ClaimFacts]:
    """The facts of the claims of ``subjects`` outside the ``reached`` documents (of the
    documents ``only``, if given), as the last reconcile derived them (``claim_facts``
    beside the claim's own columns); ``seqs``, ``digests`` and ``figures`` are told each
    one's place in its document, digest and figure."""
    f = t.claim_facts
    query = reasons.facts_query().where(f.c.subject.in_(sorted(subjects)))
    chosen = None if only is None else sorted(only)
    for row in _rows(conn, query, f.c.document_id, chosen):
        if row[0] in reached:  # its document
            continue
        facts, seq, digest, figure = reasons.read_facts(row, countries)
        seqs[facts.ref] = seq
        digests[facts.ref] = digest
        figures[facts.ref] = figure
        yield facts


def _write_subject(
    conn: Connection,
    group: Sequence[ClaimFacts],
    found: Sequence[Relation],
    made: Sequence[Figure],
    digests: Mapping[str, str],
) -> None:
    """Insert a subject's figures, claim facts and relations (its rows were deleted)."""
    figure_of = {ref: f.id for f in made for ref in f.claims}
    joins = {r.b: r.a for r in found if r.joins}
    subject = group[0].subject
    _insert(conn, t.figures, (_figure_row(f) for f in made))
    _insert(
        conn,
        t.claim_facts,
        (_fact_row(c, figure_of[c.ref], digests[c.ref], joins.get(c.ref)) for c in group),
    )
    _insert(conn, t.relations, (_relation_row(r, subject) for r in found if not r.joins))


def _write_in_place(
    conn: Connection,
    found: InPlace,
    was: Mapping[str, int],
    new: Collection[str],
    digests: Mapping[str, str],
) -> frozenset[int]:
    """Write what a subject re-derived in place changed over its stored rows: the rows of
    the figures dropped or changed, the new claims' facts, a stored claim's figure and
    the claim it joined it by where they changed, and, of the stored relations with a
    figure it reached at an end, those that do not stand, against the relations derived
    again. Returns the figures touched (the change log compares only those): those whose
    row or claims changed, before or now, those a claim joined by another claim, and
    those at either end of a relation written or removed."""
    fg, f, r = t.figures, t.claim_facts, t.relations
    changed = found.dropped | {x.id for x in found.figures}
    touched = set(changed)
    for chunk in _chunks(sorted(changed)):
        conn.execute(fg.delete().where(fg.c.id.in_(chunk)))
    _insert(conn, fg, [_figure_row(x) for x in found.figures])
    figure_of = found.figure_of
    joins = {x.b: x.a for x in found.again if x.joins}
    added = [found.facts[ref] for ref in sorted(new)]
    _insert(
        conn,
        f,
        (_fact_row(c, figure_of[c.ref], digests[c.ref], joins.get(c.ref)) for c in added),
    )
    touched.update(figure_of[c.ref] for c in added)
    # a claim kept its facts (its subject only gained claims): only its figure and the
    # claim it joined it by may differ, and then it is in a figure new or whose claims
    # changed, or its corroboration of its figure was derived again
    again = {ref for x in found.figures for ref in x.claims} | found.joins_again
    stored = _stored_joins(conn, [found.facts[ref] for ref in sorted(again - set(new))])
    moved = [
        (found.facts[ref], joins.get(ref))
        for ref, held in stored.items()
        if was[ref] != figure_of[ref] or held != joins.get(ref)
    ]
    touched.update(x for c, _ in moved for x in (was[c.ref], figure_of[c.ref]))
    if moved:
        conn.execute(
            f.update()
            .where(f.c.document_id == sa.bindparam("d"), f.c.claim_id == sa.bindparam("c"))
            .values(
                figure=sa.bindparam("figure"),
                joins_document=sa.bindparam("jd"),
                joins_claim=sa.bindparam("jc"),
            ),
            [
                {"d": c.document, "c": c.claim, "figure": figure_of[c.ref], **_joined(by)}
                for c, by in moved
            ],
        )
    subject = found.subject
    reached = sorted(found.reached())
    stale = [
        relation
        for chunk in _chunks(reached)
        for relation in _stored_relations(
            conn, subject, r.c.a_figure.in_(chunk) | r.c.b_figure.in_(chunk)
        )
        if not found.kept(relation)
    ]
    written = _write_over(
        conn,
        r,
        ("id",),
        [_relation_row(x, subject) for x in found.again if not x.joins],
        list({row["id"]: row for row in (_relation_row(x, subject) for x in stale)}.values()),
    )
    touched.update(row[end] for row in written for end in ("a_figure", "b_figure"))
    return frozenset(touched)


def _stored_joins(conn: Connection, claims: Sequence[ClaimFacts]) -> dict[str, str | None]:
    """The claim each of ``claims`` joined its figure by, as stored (None: none)."""
    f = t.claim_facts
    found: dict[str, str | None] = {}
    refs = [(c.document, c.claim) for c in claims]
    query = sa.select(f.c.document_id, f.c.claim_id, f.c.joins_document, f.c.joins_claim)
    for chunk in _chunks(refs):
        for doc, claim, by_doc, by_claim in conn.execute(
            query.where(t.claims_in(f.c.document_id, f.c.claim_id, chunk))
        ):
            found[f"{doc}/{claim}"] = None if by_claim is None else f"{by_doc}/{by_claim}"
    return found


def _joined(by: str | None) -> dict[str, str | None]:
    """The ``joins_*`` columns of a claim that joined its figure by the claim ``by``."""
    document, claim = (None, None) if by is None else by.split("/", 1)
    return {"jd": document, "jc": claim}


def _figure_row(f: Figure) -> dict[str, Any]:
    return {
        "id": f.id,
        "subject": f.subject,
        "measure": f.measure,
        "claims": len(f.claims),
        "independent": f.independent,
        "roots": json.dumps(list(f.roots)),
        "start": f.start,
        "end": f.end,
        "low": f.low,
        "high": f.high,
    }


def _fact_row(c: ClaimFacts, figure: int, digest: str, joins: str | None) -> dict[str, Any]:
    by = _joined(joins)
    return {
        "joins_document": by["jd"],
        "joins_claim": by["jc"],
        "document_id": c.document,
        "claim_id": c.claim,
        "subject": c.subject,
        "measure": c.measure,
        "source": c.source,
        "root": c.root,
        "root_name": c.root_name,
        "scope": c.scope,
        "start": c.start,
        "end": c.end,
        "dated_by": c.dated_by,
        "figure": figure,
        "digest": digest,
        "words": c.figure,
        "population": c.population,
        "place": c.place,
        "modality": c.modality,
        "rate": c.rate,
    }


def _relation_row(r: Relation, subject: str) -> dict[str, Any]:
    a_document, a_claim = r.a.split("/", 1)
    b_document, b_claim = r.b.split("/", 1)
    return {
        "id": r.id,
        "subject": subject,
        "a_document": a_document,
        "a_claim": a_claim,
        "b_document": b_document,
        "b_claim": b_claim,
        "a_figure": r.a_figure,
        "b_figure": r.b_figure,
        "kind": r.kind,
        "strength": r.strength,
        "pairs": r.pairs,
    }


def _write_over(
    conn: Connection,
    table: sa.Table,
    key: tuple[str, ...],
    rows: Sequence[dict[str, Any]],
    stored: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Write ``rows`` over the ``stored`` rows they replace (as read before): delete the
    stored rows that are gone or differ, insert those that are new or differ. Returns
    the rows deleted and inserted."""
    have = {tuple(r[k] for k in key): r for r in stored}
    want = {tuple(r[k] for k in key): r for r in rows}
    gone = [k for k, r in have.items() if want.get(k) != r]
    for k in gone:
        conn.execute(
            table.delete().where(sa.and_(*(table.c[n] == v for n, v in zip(key, k, strict=True))))
        )
    written = [r for k, r in want.items() if have.get(k) != r]
    _insert(conn, table, written)
    return [*(have[k] for k in gone), *written]


def _sync(
    conn: Connection,
    table: sa.Table,
    key: tuple[str, ...],
    rows: Sequence[dict[str, Any]],
    *,
    where: sa.ColumnElement[bool] | None = None,
) -> set[tuple[Any, ...]]:
    """Make ``table`` (its rows ``where`` says, if given) hold exactly ``rows``, writing
    only the rows that differ; the keys of the rows written or removed."""
    columns = [table.c[name] for name in rows[0]] if rows else list(table.c)
    query = sa.select(*columns) if where is None else sa.select(*columns).where(where)
    have = {tuple(r._mapping[k] for k in key): dict(r._mapping) for r in conn.execute(query)}
    want = {tuple(r[k] for k in key): r for r in rows}
    gone = [k for k, r in have.items() if want.get(k) != r]
    for k in gone:
        conn.execute(
            table.delete().where(sa.and_(*(table.c[n] == v for n, v in zip(key, k, strict=True))))
        )
    written = [k for k, r in want.items() if have.get(k) != r]
    _insert(conn, table, (want[k] for k in written))
    return {*gone, *written}


def _insert(conn: Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _entity_row(e: LedgerEntity) -> dict[str, Any]:
    members = hashlib.blake2b(repr(sorted(e.members)).encode("utf-8"), digest_size=8)
    return {
        "id": e.id,
        "name": e.name,
        "kind": e.kind,
        "aliases": json.dumps(list(e.aliases)),
        "roles": json.dumps(list(e.roles)),
        "affiliations": json.dumps(list(e.affiliations)),
        "reason": e.reason,
        "members": members.hexdigest(),
    }


def _link_rows(entities: Iterable[LedgerEntity]) -> list[dict[str, Any]]:
    return [
        {"document_id": doc, "entity_id": local, "ledger_entity": e.id}
        for e in entities
        for doc, local in e.members
    ]


def _main_countries(
    conn: Connection, kept: dict[str, tuple[str | None, frozenset[str]]] | None = None
) -> tuple[dict[str, tuple[str | None, frozenset[str]]], set[str]]:
    """The country each document names most, if one does, and all it names: read from
    each text once, on the first reconcile that sees it, and kept (with whether the
    document cites anyone: :func:`_reached`); and the documents read this time (stored,
    analysed again, or near-copies of one analysed again or deleted, since the last
    reconcile)."""
    dc = t.document_countries
    kept = kept if kept is not None else {}
    # a row stays as it is while its document does: read only those not ``kept``. Rows
    # are written only here, so those there are among the kept ones (if any are kept):
    # as many means the same ones
    rows_there = conn.execute(sa.select(sa.func.count()).select_from(dc)).scalar_one()
    if kept and rows_there == len(kept):
        found = kept
    else:
        present = list(conn.execute(sa.select(dc.c.document_id)).scalars())
        missing = [d for d in present if d not in kept]
        query = sa.select(dc.c.document_id, dc.c.main, dc.c.named)
        chosen = missing if len(missing) < len(present) else None
        for row in _rows(conn, query, dc.c.document_id, chosen):
            kept[row.document_id] = (row.main, frozenset(json.loads(row.named)))
        found = {d: kept[d] for d in present}
    # the documents with no row yet: their ids first (from the index of ids, not the
    # table of texts), then their texts
    d = t.documents
    unread = list(
        conn.execute(sa.select(d.c.id).where(d.c.id.not_in(sa.select(dc.c.document_id))))
        .scalars()
        .all()
    )
    rows = []
    for r in _rows(conn, sa.select(d.c.id, d.c.text), d.c.id, unread):
        mentions = country_mentions(r.text)
        found[r.id] = (main_country(mentions), frozenset(mentions))
        rows.append(
            {"document_id": r.id, "main": found[r.id][0], "named": json.dumps(sorted(mentions))}
        )
    read = {r["document_id"] for r in rows}
    if found is not kept:
        for gone in kept.keys() - found.keys():
            del kept[gone]
        kept.update((d, found[d]) for d in read)
    citing = set()
    for chunk in _chunks(sorted(read)):
        a = t.attributions
        citing |= set(
            conn.execute(
                sa.select(a.c.document_id)
                .where(a.c.document_id.in_(chunk), sa.func.lower(a.c.cue).like("%cit%"))
                .distinct()
            ).scalars()
        )
    _insert(conn, dc, ({**r, "cites": r["document_id"] in citing} for r in rows))
    return found, read


def _chunks(values: Sequence[_T], size: int = 500) -> Iterator[Sequence[_T]]:
    """``values`` in slices small enough for one IN (…) each."""
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _kept_entities(
    conn: Connection,
    countries: Mapping[str, tuple[str | None, frozenset[str]]],
    unread: set[str],
    kept: warm.Warm,
) -> tuple[dict[str, tuple[DocumentEntity, ...]], set[str]]:
    """Every document's entities: read for the documents stored, analysed again or
    deleted since the last reconcile (``unread``: their countries were read this time)
    and for those this process does not keep (:mod:`warm`), kept for the others; and the
    documents read."""
    missing = kept.missing(countries) | unread
    # every document at once (one scan) when most are missing, else a few at a time
    chosen = None if 2 * len(missing) > len(countries) else sorted(missing)
    read: dict[str, list[DocumentEntity]] = defaultdict(list)
    for e in _document_entities(conn, countries, chosen):
        if chosen is not None or e.document in missing:
            read[e.document].append(e)
    found = kept.document_entities(countries, {d: tuple(read.get(d, ())) for d in missing})
    return found, missing


def _document_entities(
    conn: Connection,
    countries: Mapping[str, tuple[str | None, frozenset[str]]],
    chosen: Sequence[str] | None = None,
) -> Iterator[DocumentEntity]:
    """The entities of every document (of those ``chosen``, if given), in the order of
    their documents and ids (within each slice of ``chosen``)."""
    query = sa.select(t.entities.c.document_id, t.entities.c.payload).order_by(
        t.entities.c.document_id, t.entities.c.id
    )
    for row in _rows(conn, query, t.entities.c.document_id, chosen):
        document_id, e = row.document_id, json.loads(row.payload)
        yield DocumentEntity(
            document=document_id,
            id=e["id"],
            name=e["name"],
            kind=e["kind"],
            roles=tuple(e.get("roles") or ()),
            affiliations=tuple(e.get("affiliations") or ()),
            aliases=tuple(e.get("aliases") or ()),
            country=countries.get(document_id, (None, frozenset()))[0],
            countries=countries.get(document_id, (None, frozenset()))[1],
        )


def _claim_facts(
    conn: Connection,
    link: Mapping[tuple[str, str], LedgerEntity],
    entities: Iterable[LedgerEntity],
    countries: Mapping[str, frozenset[str]],
    *,
    documents: set[str] | None = None,
    seqs: dict[str, int] | None = None,
) -> Iterator[ClaimFacts]:
    """The facts of the claims of ``documents`` (None: of all), in the order of their
    documents and their place in them; ``seqs``, if given, is told each one's place."""
    chosen = None if documents is None else sorted(documents)
    nd, d = t.near_duplicates, t.documents
    copy_of: dict[str, str] = {
        r.document_id: r.duplicate_of
        for r in _rows(
            conn, sa.select(nd.c.document_id, nd.c.duplicate_of), nd.c.document_id, chosen
        )
    }
    originals = None if chosen is None else sorted({*chosen, *copy_of.values()})
    published_outlet = {
        r.id: (r.published, r.outlet)
        for r in _rows(conn, sa.select(d.c.id, d.c.published, d.c.outlet), d.c.id, originals)
    }
    attributions: dict[tuple[str, str], dict[str, Any]] = {}
    citing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    a = t.attributions
    for r in _rows(conn, sa.select(a.c.document_id, a.c.id, a.c.payload), a.c.document_id, chosen):
        attribution = json.loads(r.payload)
        attributions[(r.document_id, r.id)] = attribution
        if attribution["cue"]["lemma"] == "cite":
            citing[r.document_id].append(attribution)
    named = _names_of(entities)
    c = t.claims
    # ordered within each slice of ``chosen``, and the slices are in order
    query = sa.select(c.c.document_id, c.c.seq, c.c.payload).order_by(c.c.document_id, c.c.seq)
    by_id = {e.id: e for e in entities}
    bodies = _bodies(by_id.values())
    speakers = _speakers(attributions, link, bodies)
    article: list[ClaimFacts] = []
    for row in _rows(conn, query, c.c.document_id, chosen):
        document_id = row.document_id
        claim = json.loads(row.payload)
        if seqs is not None:
            seqs[f"{document_id}/{claim['id']}"] = row.seq
        attribution = attributions.get((document_id, claim["attribution"] or ""))
        root_doc = copy_of.get(document_id, document_id)
        published, _ = published_outlet[document_id]
        facts = _facts(
            document_id,
            claim,
            attribution,
            published,
            root_doc,
            published_outlet[root_doc][1],
            link,
            countries[document_id],
            bodies,
        )
        cited = _cited(attribution, citing.get(document_id, ()), named)
        if cited is not None:
            facts = replace(facts, root=cited[0], root_name=cited[1])
        if article and article[0].document != document_id:
            yield from _settle_roots(article, by_id, speakers.get(article[0].document, ()))
            article = []
        article.append(facts)
    if article:
        yield from _settle_roots(article, by_id, speakers.get(article[0].document, ()))


def _rows(
    conn: Connection,
    query: sa.Select[Any],
    column: sa.ColumnElement[Any] | None = None,
    chosen: Sequence[str] | None = None,
) -> Iterator[sa.Row[Any]]:
    """The rows of ``query``; only those whose ``column`` is in ``chosen``, if given (a
    few hundred at a time)."""
    if column is None or chosen is None:
        yield from conn.execute(query)
        return
    for chunk in _chunks(chosen):
        yield from conn.execute(query.where(column.in_(chunk)))


def _speakers(
    attributions: Mapping[tuple[str, str], dict[str, Any]],
    link: Mapping[tuple[str, str], LedgerEntity],
    bodies: Bodies,
) -> dict[str, list[tuple[str, str]]]:
    """Each document's named speakers, in the order they speak, as the (root key, root
    name) they speak for: a person or a body, never a name that names no one."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (document_id, _), attribution in sorted(
        attributions.items(), key=lambda item: (item[0][0], item[1]["cue"]["spans"][0][0])
    ):
        source = attribution.get("source") or {}
        entity = link.get((document_id, source.get("entity_id") or ""))
        if (
            entity is None
            or entity.kind not in ("person", "organization")
            or names.is_generic(entity.name)
            or names.country_alone(entity.name) is not None
        ):
            continue
        found[document_id].append(_principal(entity, bodies))
    return found


# How far after a statement a "citing X" may stand and still belong to it, in characters:
# "..., a lawmaker said on Thursday, citing the National Intelligence Service."
_CITING_REACH = 80


def _names_of(entities: Iterable[LedgerEntity]) -> dict[str, LedgerEntity]:
    """Ledger entities by every normalised name they go by (sources, not equipment)."""
    named: dict[str, LedgerEntity] = {}
    for e in entities:
        if e.kind != "equipment":
            for name in (e.name, *e.aliases):
                named.setdefault(normalise_name(name), e)
    return named


def _cited(
    attribution: dict[str, Any] | None,
    citing: Iterable[dict[str, Any]],
    named: Mapping[str, LedgerEntity],
) -> tuple[str, str] | None:
    """(root key, root name) of the party a statement's source cites for it ("…, a
    lawmaker said, citing the National Intelligence Service"): the figure comes from the
    cited party, through the speaker. Names are looked up in the shipped gazetteer, as the
    rules' words come from the shipped lexicon: a ledger's roots must not depend on the
    options of the process that reconciled it."""
    source = (attribution or {}).get("source")
    if attribution is None or not source:
        return None
    start = attribution["cue"]["spans"][0][0]
    end = max(e for _, e in (*attribution["content"]["spans"], *attribution["cue"]["spans"]))
    for other in citing:
        other_source = other.get("source") or {}
        same = (
            source.get("entity_id") and other_source.get("entity_id") == source["entity_id"]
        ) or (other_source.get("text") == source.get("text"))
        cue_at = other["cue"]["spans"][0][0]
        if other is attribution or not same or not start < cue_at <= end + _CITING_REACH:
            continue
        words = other["content"]["text"]
        entry = default_gazetteer().lookup(words)
        name = entry.name if entry is not None else words
        entity = named.get(normalise_name(name))
        if entity is not None:
            return entity.id, entity.name
        shown = " ".join(w for w in name.split() if w.lower() != "the") or name
        return f"words:{normalise_name(name)}", shown
    return None


def _facts(
    document_id: str,
    claim: dict[str, Any],
    attribution: dict[str, Any] | None,
    published: dt.date | None,
    root_doc: str,
    root_outlet: str | None,
    link: Mapping[tuple[str, str], LedgerEntity],
    countries: frozenset[str],
    bodies: Bodies,
) -> ClaimFacts:
    quantity = claim["quantity"]
    source_name, root, root_name = _root(
        document_id, attribution, root_doc, root_outlet, link, bodies
    )
    start, end, dated_by = _effective_time(claim, attribution, published)
    statement = (attribution or {}).get("content", {}).get("text") or quantity["text"]
    time = claim.get("time") or {}
    counted = subject(
        claim["subject"].get("key") or claim["subject"].get("text") or "", claim["measure"]
    )
    return ClaimFacts(
        document=document_id,
        claim=claim["id"],
        subject=counted.key,
        measure=claim["measure"],
        low=float(quantity["low"]),
        high=None if quantity["high"] is None else float(quantity["high"]),
        value=None if quantity.get("value") is None else float(quantity["value"]),
        bound=quantity.get("bound", "exact"),
        unit=quantity.get("unit", "count"),
        polarity=claim["polarity"],
        start=start,
        end=end,
        dated_by=dated_by,
        root=root,
        root_name=root_name,
        source=source_name,
        statement=statement,
        figure=quantity["text"],
        scope=scope_of(
            claim["measure"], statement, time.get("granularity"), quantity.get("unit", "count")
        ),
        # where: the place it names; else, for a population, the country it is counted by
        # ("Palestinians") or the one country its statement names ("killed in Syria")
        place=country_of_place((claim.get("place") or {}).get("key"))
        or counted.country
        or (only_country(statement) if is_population(counted.key) else None),
        countries=countries,
        population=counted.population,
        modality=claim.get("modality", "reported"),
        rate=(claim.get("rate") or {}).get("per"),
    )


def _root(
    document_id: str,
    attribution: dict[str, Any] | None,
    root_doc: str,
    root_outlet: str | None,
    link: Mapping[tuple[str, str], LedgerEntity],
    bodies: Bodies,
) -> tuple[str | None, str, str]:
    """(the source as named, the root's key, the root's name). The root is who the
    figure comes from: the resolved source, or the body a spokesperson or head speaks for
    (:func:`_principal`); else the innermost named intermediary ("according to
    Reuters"); else the original of the document (a wire copy's first appearance), as
    that outlet's own report. A source that names no one ("they", "officials") gives the
    key ``generic:``, and a country named alone ("Kyiv said") ``country:ADJECTIVE``:
    :func:`_settle_roots` resolves both against the article's named sources."""
    source = (attribution or {}).get("source")
    chain = [source] if source else []
    chain += list(reversed((attribution or {}).get("via") or []))
    pending: tuple[str | None, str, str] | None = None
    for who in chain:
        if who.get("kind") in ("document", "unknown") and not who.get("entity_id"):
            continue  # "reports say": hearsay, not an origin
        entity = link.get((document_id, who.get("entity_id") or ""))
        name = entity.name if entity is not None else who.get("text") or ""
        if name and names.is_generic(name) and names.owned(name):
            # "Ukrainian military officials": unnamed, but someone's: the article's main
            # source if that is a body of theirs, else a root of this article only
            return name, f"owned:{document_id}:{normalise_name(name)}", name
        if not name or names.is_generic(name):
            pending = pending or (name or None, "generic:", name)
            continue
        country = names.country_alone(name)
        if country is not None:
            pending = (name, f"country:{country}", name)
            continue
        if entity is not None and (entity.kind == "outlet" or names.is_outlet_name(entity.name)):
            # an outlet carrying a figure relays it: the article's main named source is
            # the originator when there is one (settled by _settle_roots)
            pending = pending or (entity.name, f"outlet:{entity.id}", entity.name)
            continue
        if entity is not None:
            return (entity.name, *_principal(entity, bodies))
        words = normalise_name(who["text"])
        return who["text"], f"words:{words}", who["text"]
    if pending is not None:
        return pending
    name = f"{root_outlet or 'unattributed'} report {root_doc[:8]}"
    return (source or {}).get("text"), f"document:{root_doc}", name


Bodies = Mapping[tuple[str | None, str], LedgerEntity]


def _bodies(entities: Iterable[LedgerEntity]) -> dict[tuple[str | None, str], LedgerEntity]:
    """The ledger's bodies by the key of each of their names (the gazetteer's own name
    for a known one), so a spokesperson's principal is the body of that name."""
    gazetteer = default_gazetteer()
    found: dict[tuple[str | None, str], LedgerEntity] = {}
    for e in entities:
        if e.kind == "organization":
            for n in (e.name, *e.aliases):
                known = gazetteer.lookup(n)
                found.setdefault(names.body_key(known.name if known else n), e)
    return found


def _principal(entity: LedgerEntity, bodies: Bodies) -> tuple[str, str]:
    """(root key, root name) of a person who speaks for a body ("UN spokesperson Stéphane
    Dujarric", the head of a mission): the body, named by their affiliation; the person
    for anyone else. A relay is not a second witness: the body's figure read by its
    spokesperson and the body's own statement are one root."""
    body_name = _spoken_for(entity)
    if body_name is None:
        return entity.id, entity.name
    owner, name = names.body_key(body_name)
    # the body of that name, else its owner when the ledger knows it: the spokesperson of
    # the UN Secretary-General speaks for the UN
    body = bodies.get((owner, name)) or (bodies.get((owner, "")) if owner else None)
    if body is not None:
        return body.id, body.name
    return f"words:{normalise_name(body_name)}", body_name


def _settle_roots(
    facts: list[ClaimFacts],
    entities: Mapping[str, LedgerEntity],
    speakers: Sequence[tuple[str, str]] = (),
) -> list[ClaimFacts]:
    """One article's claims whose source names no one take the root of the article's
    main named source (the one most of its figures come from; when none of its figures
    names one, the one that most of its named speakers, ``speakers``, speak for); a
    country named alone ("Kyiv said") takes the article's main named source of that
    country, else stands for its government. With no named source, they are the
    article's own report."""
    facts = _umbrella_as_its_body(facts, entities)
    facts = _spokesperson_as_its_body(facts, entities)
    # named sources that are someone: a person or a body, not a phrase the extractor
    # took for a source ("spring escalation")
    named = Counter(
        f.root
        for f in facts
        if (e := entities.get(f.root)) is not None and e.kind in ("person", "organization")
    )
    main = max(
        named,
        key=lambda r: (named[r], -min(i for i, f in enumerate(facts) if f.root == r)),
        default=None,
    )
    name_of = {f.root: f.root_name for f in facts}
    if main is None and speakers:
        # "the report says …" in an article whose only named voice is the head of the
        # mission that wrote it: the mission
        said = Counter(root for root, _ in speakers)
        main = max(said, key=lambda r: (said[r], -[x for x, _ in speakers].index(r)))
        name_of.setdefault(main, dict(speakers)[main])
    settled = []
    for f in facts:
        if f.root.startswith("country:"):
            country = f.root.removeprefix("country:")
            ours = [
                r
                for r in named
                if (e := entities.get(r)) is not None
                and any(names.body_key(n)[0] == country for n in (e.name, *e.aliases))
            ]
            if ours:
                best = max(ours, key=lambda r: named[r])
                f = replace(f, root=best, root_name=name_of[best])
            else:
                f = replace(
                    f, root=f"words:{country} government", root_name=f"{country.title()} government"
                )
        elif f.root.startswith("owned:"):
            owner = names.body_key(f.root_name)[0]
            e = entities.get(main) if main is not None else None
            if (
                main is not None
                and e is not None
                and owner is not None
                and any(names.body_key(n)[0] == owner for n in (e.name, *e.aliases))
            ):
                f = replace(f, root=main, root_name=name_of[main])
            else:
                f = replace(f, root="words:" + f.root.removeprefix("owned:"))
        elif f.root.startswith("document:") and f.source is None and main is not None:
            # the outlet's own voice (a headline, a lead) restates its article's sources:
            # the figure is its main named source's, not a second witness beside it
            f = replace(f, root=main, root_name=name_of[main])
        elif f.root.startswith("outlet:"):
            if main is not None:
                f = replace(f, root=main, root_name=name_of[main])
            else:
                f = replace(f, root=f.root.removeprefix("outlet:"))
        elif f.root == "generic:":
            if main is not None:
                f = replace(f, root=main, root_name=name_of[main])
            else:
                document = f"document:{f.document}"
                f = replace(f, root=document, root_name=f"report {f.document[:8]}")
        settled.append(f)
    return settled


def _owners(entity: LedgerEntity) -> set[tuple[str | None, str]]:
    """(owner, body) of each name an entity goes by, the gazetteer's names included."""
    gazetteer = default_gazetteer()
    found = set()
    for n in (entity.name, *entity.aliases):
        found.add(names.body_key(n))
        known = gazetteer.lookup(n)
        for alias in (known.name, *known.aliases) if known is not None else ():
            found.add(names.body_key(alias))
    return found


def _umbrella_as_its_body(
    facts: list[ClaimFacts], entities: Mapping[str, LedgerEntity]
) -> list[ClaimFacts]:
    """An international body named alone ("the UN said") in an article whose named
    sources include exactly one body of its own (a UN mission, a UN agency) is that body:
    the article cannot be told to mean the whole organisation, and the two are not
    independent witnesses either way."""
    international = set(lexicon.shipped().groups("reconcile.international"))
    roots = {f.root for f in facts if f.root in entities}
    umbrellas: dict[str, str] = {}
    for r in roots:
        keys = _owners(entities[r])
        owner = next((o for o, b in keys if o in international and not b), None)
        if owner is None or entities[r].kind != "organization":
            continue
        bodies = [
            b
            for b in roots
            if b != r
            and entities[b].kind == "organization"
            and any(o == owner and body for o, body in _owners(entities[b]))
        ]
        if len(bodies) == 1:
            umbrellas[r] = bodies[0]
    if not umbrellas:
        return facts
    name_of = {f.root: f.root_name for f in facts}
    return [
        replace(f, root=umbrellas[f.root], root_name=name_of[umbrellas[f.root]])
        if f.root in umbrellas
        else f
        for f in facts
    ]


def _spokesperson_as_its_body(
    facts: list[ClaimFacts], entities: Mapping[str, LedgerEntity]
) -> list[ClaimFacts]:
    """A person named only as a body's relay ("a military government spokesman", "a
    ministry spokesperson") speaks for the one body of that name among its article's
    named sources: that body is the root."""
    relay = names.relay_roles()
    roots = {f.root for f in facts if f.root in entities}
    spoken: dict[str, str] = {}
    for r in roots:
        words = entities[r].name.split()
        if entities[r].kind != "person" or len(words) < 2 or words[-1].lower() not in relay:
            continue
        if any(w[:1].isupper() for w in words):
            continue  # a proper name ("Spokesperson Yuriy Ihnat") is a person
        _, body = names.body_key(" ".join(words[:-1]))
        if not body:
            continue
        matches = [
            b
            for b in roots
            if entities[b].kind == "organization"
            and any(found == body for _, found in _owners(entities[b]))
        ]
        if len(matches) == 1:
            spoken[r] = matches[0]
    if not spoken:
        return facts
    name_of = {f.root: f.root_name for f in facts}
    return [
        replace(f, root=spoken[f.root], root_name=name_of[spoken[f.root]])
        if f.root in spoken
        else f
        for f in facts
    ]


def _effective_time(
    claim: dict[str, Any], attribution: dict[str, Any] | None, published: dt.date | None
) -> tuple[dt.date | None, dt.date | None, DatedBy | None]:
    """The interval a figure holds for: its own time, else its statement's, else the
    article's publication day. An absence with a duration but no dates ("not seen for
    three weeks") runs back from the day it was stated or published."""
    time = claim.get("time") or {}
    if time.get("start") and time.get("end"):
        return (dt.date.fromisoformat(time["start"]), dt.date.fromisoformat(time["end"]), "claim")
    stated = (attribution or {}).get("stated") or {}
    dated_by: DatedBy | None
    if stated.get("start") and stated.get("end"):
        start, end = dt.date.fromisoformat(stated["start"]), dt.date.fromisoformat(stated["end"])
        dated_by = "statement"
    elif published is not None:
        # said at some point before the article appeared: within the week before it
        start, end = published - dt.timedelta(days=SAME_TIME_DAYS), published
        dated_by = "publication"
    else:
        return None, None, None
    quantity = claim["quantity"]
    days = _DURATION_DAYS.get(quantity.get("unit", ""))
    if claim["measure"] == "absent" and days:
        length = quantity["high"] if quantity["high"] is not None else quantity["low"]
        start = end - dt.timedelta(days=round(float(length) * days))
    return start, end, dated_by
