"""What changed in the ledger, and when: each reconcile compares what it derived with
what the one before held (the marks) and appends to the change log, in its own
transaction, the claims that are new, the conflicts that are new or gone (resolved), and
the figures that gained or lost claims or independent roots.

Identities do not depend on the derived tables' ids: a claim is "document/claim", a figure
its subject, measure and oldest claim (the one the ledger saw first), so a figure that
gains a claim is the same figure, updated, and a conflict its two figures' oldest claims,
so a conflict whose figures gain claims is the same conflict (its entry names the pair of
claims that showed it when it was found).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claimledger.errors import InputError
from claimledger.ledger import reasons
from claimledger.ledger import tables as t
from claimledger.ledger.queries import _claim_summaries
from claimledger.ledger.reads import ClaimSummary, Record

ChangeKind = Literal["claim", "conflict", "resolved", "figure", "rules"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("claim", "conflict", "resolved", "figure", "rules")

_SEP = "\x1f"  # between the parts of a key: never in a subject or an id
_BATCH = 5_000


@dataclass(frozen=True)
class Change(Record):
    """One thing the ledger learned at ``at`` (UTC), the reconcile that found it.

    ``kind``: ``claim`` (a new claim), ``conflict`` (a new conflict between ``claims[0]``
    and ``claims[1]``), ``resolved`` (a conflict that is no longer there: an update, a
    correction or a removed article settled it), ``figure`` (a figure of corroborating
    claims that gained or lost claims or independent roots: ``before`` and ``after``), or
    ``rules`` (the reconciliation rules changed: conflicts and figures were compared
    afresh from then on, and their differences are not listed)."""

    id: int
    at: dt.datetime
    kind: ChangeKind
    subject: str | None
    measure: str | None
    refs: tuple[str, ...] = field(
        metadata={"description": 'the claims it concerns, as "document/claim"'}
    )
    figures: tuple[str, ...] = field(
        metadata={"description": "each claim's figure as written, e.g. 'about 12,000'"}
    )
    sources: tuple[str | None, ...] = field(metadata={"description": "each claim's source"})
    reason: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    claims: tuple[ClaimSummary, ...] = field(
        default=(),
        metadata={"description": "the claims as they are now (those still in the ledger)"},
    )


# --- recording ----------------------------------------------------------------------------

# The marks' layout: when the ledger's ``marks`` counter differs, the next change log
# compares the whole ledger and writes every mark again (migration 0007 added scopes).
MARKS_VERSION = 1


@dataclass(frozen=True)
class Reach:
    """What an incremental reconcile touched: the documents whose claims it read again
    (stored, analysed again, or reached through their entities) and the subjects whose
    figures and relations it derived again. The change log compares only these (and the
    documents deleted since): everything else is as the marks have it."""

    documents: frozenset[str]
    subjects: frozenset[str]
    # of those subjects, each one re-derived in place: the figures it touched (whose row
    # or members changed, before or now, or at either end of a relation written or
    # removed); only these figures and their conflicts are compared, the others are as
    # the marks have them
    figures: Mapping[str, frozenset[int]] = field(default_factory=dict)


# a mark: the claim's place in the order the ledger saw claims, the fingerprint it is
# compared by, and its scope (a claim's document, a conflict's or a figure's subject)
_Mark = tuple[int, str, str]


def record(
    conn: Connection, rules: int, *, at: dt.datetime | None = None, reach: Reach | None = None
) -> int:
    """Compare the freshly reconciled ledger with the marks of the reconcile before, append
    what changed to the change log and move the marks on; in ``conn``'s transaction.
    ``rules`` is the reconciliation rules' version: when it differs from the marks', the
    conflicts and figures are marked afresh without listing their differences (a change of
    software is not news). ``reach``: what the reconcile touched, so that only that is
    compared (None: everything, as after a full rebuild). Returns the number of changes
    appended."""
    at = at or dt.datetime.now(dt.UTC)
    state = dict(conn.execute(sa.select(t.ledger_state.c.key, t.ledger_state.c.value)).all())
    baseline = bool(state.get("changes_baseline"))
    rules_changed = "changes_rules" in state and state["changes_rules"] != rules
    if baseline or rules_changed or state.get("marks") != MARKS_VERSION:
        reach = None
    entries: list[dict[str, Any]] = []

    # the documents deleted since the marks were written (looked for only if one was)
    deletions = state.get("deletions", 0)
    documents = None
    if reach is not None:
        documents = set(reach.documents)
        if state.get("deletions_marked") != deletions:
            documents |= _gone_documents(conn)
    # compared whole: every subject (None), or those re-derived whole
    subjects = None if reach is None else sorted(reach.subjects - reach.figures.keys())
    touched = {} if reach is None else reach.figures
    claim_marks = _marks(conn, "claim", documents)
    claims_now = _current_claims(conn, documents)
    new_claims = [key for key in claims_now if key not in claim_marks]
    # the last place given (kept, as finding the highest mark reads them all)
    next_seq = (state["claim_seq"] if "claim_seq" in state else _last_seq(conn)) + 1
    seq = {key: value[0] for key, value in claim_marks.items()}
    for key in new_claims:
        seq[key] = next_seq
        next_seq += 1
    _set_state(conn, "claim_seq", next_seq - 1)
    facts = _facts(conn, new_claims)
    if not baseline:
        for key in new_claims:
            subject, measure, figure, source = facts.get(key, (None, None, None, None))
            entries.append(
                _entry(at, "claim", subject, measure, [key], [figure], [source], None, None, None)
            )
    _replace_marks(
        conn, "claim", claim_marks, {k: (seq[k], "", k.split("/", 1)[0]) for k in claims_now}
    )
    if subjects is not None:  # the order the ledger saw the claims of those subjects
        seq = _seqs(conn, subjects)

    conflict_marks = _marks(conn, "conflict", subjects)
    found = _current_conflicts(conn, seq, subjects)
    figures_now = _current_figures(conn, seq, subjects)
    figure_marks = _marks(conn, "figure", subjects)
    if touched:
        _compare_touched(conn, touched, conflict_marks, found, figures_now, figure_marks)
    new = [k for k in found if k not in conflict_marks]
    sides = _facts(conn, [ref for k in new for ref in found[k][1].split(_SEP)])
    why = reasons.reasons(conn, (_pair(found[k][1]) for k in new))
    # a conflict keeps what it held when it was found
    conflicts_now = {
        k: (
            0,
            conflict_marks[k][1]
            if k in conflict_marks
            else _held(found[k][1], found[k][0], why.get(_pair(found[k][1]), ""), sides),
            found[k][0],
        )
        for k in found
    }
    quiet = baseline or rules_changed
    if rules_changed and not baseline:
        entries.append(
            _entry(at, "rules", None, None, [], [], [], f"reconciliation rules {rules}", None, None)
        )
    if not quiet:
        gone = [k for k in conflict_marks if k not in conflicts_now]
        for key in new:
            entries.append(_conflict_entry(at, "conflict", key, conflicts_now[key][1]))
        for key in gone:
            entries.append(_conflict_entry(at, "resolved", key, conflict_marks[key][1]))
        for key, (_, fingerprint, _) in figures_now.items():
            if key in figure_marks and figure_marks[key][1] != fingerprint:
                subject, measure, anchor = key.split(_SEP)
                entries.append(
                    _entry(
                        at,
                        "figure",
                        subject,
                        measure,
                        [anchor],
                        [facts_of(conn, anchor)],
                        [],
                        None,
                        json.loads(figure_marks[key][1]),
                        json.loads(fingerprint),
                    )
                )
    _replace_marks(conn, "conflict", conflict_marks, conflicts_now)
    _replace_marks(conn, "figure", figure_marks, figures_now)
    for i in range(0, len(entries), _BATCH):
        conn.execute(t.change_log.insert(), entries[i : i + _BATCH])
    _set_state(conn, "changes_rules", rules)
    _set_state(conn, "marks", MARKS_VERSION)
    _set_state(conn, "deletions_marked", deletions)
    if baseline:
        conn.execute(t.ledger_state.delete().where(t.ledger_state.c.key == "changes_baseline"))
    return len(entries)


def _compare_touched(
    conn: Connection,
    touched: Mapping[str, frozenset[int]],
    conflict_marks: dict[str, _Mark],
    conflicts: dict[str, tuple[str, str]],
    figures: dict[str, _Mark],
    figure_marks: dict[str, _Mark],
) -> None:
    """Add to what is compared the figures ``touched`` in the subjects re-derived in
    place, and the conflicts with one of them at either end: their marks (a figure's key
    names its oldest claim, and every claim of a figure touched before is in one touched
    now, so the marks are those keyed by these claims) and how they are now. A figure not
    touched kept its claims, its row and its key, and a conflict between two such kept
    its relation: both are as their marks have them."""
    f, r, m = t.claim_facts, t.relations, t.change_marks
    ids = sorted({figure for held in touched.values() for figure in held})
    members: dict[int, list[str]] = defaultdict(list)
    measure_of: dict[str, tuple[str, str]] = {}  # claim -> (subject, measure)
    query = sa.select(f.c.document_id, f.c.claim_id, f.c.figure, f.c.subject, f.c.measure)
    for doc, claim, figure, subject, measure in _where_in(conn, query, f.c.figure, ids):
        members[figure].append(f"{doc}/{claim}")
        measure_of[f"{doc}/{claim}"] = (subject, measure)
    subjects = sorted(touched)
    # the conflicts now with a touched figure at either end, and the claims of their
    # other figures (to name them by their oldest claim)
    rows = [
        row
        for i in range(0, len(ids), 500)
        for row in _conflict_lines(
            conn,
            r.c.subject.in_(subjects)
            & (r.c.a_figure.in_(ids[i : i + 500]) | r.c.b_figure.in_(ids[i : i + 500])),
        )
    ]
    others = sorted({fig for row in rows for fig in (row.a_figure, row.b_figure)} - set(members))
    for doc, claim, figure in _where_in(
        conn, sa.select(f.c.document_id, f.c.claim_id, f.c.figure), f.c.figure, others
    ):
        members[figure].append(f"{doc}/{claim}")
    seq = _claim_seqs(conn, [ref for refs in members.values() for ref in refs])

    def anchor(figure: int) -> str:
        return min(members[figure], key=lambda ref: (seq.get(ref, 1 << 62), ref))

    held = {ref for figure in ids for ref in members.get(figure, ())}  # the claims touched
    # the subjects' conflict marks by key alone (a large subject has tens of thousands,
    # each with what it held), then those naming a claim touched in full
    conflict = m.c.kind == "conflict"
    touching = [
        key
        for (key,) in _where_in(conn, sa.select(m.c.key).where(conflict), m.c.scope, subjects)
        if any(part in held for part in key.split(_SEP))
    ]
    marked = sa.select(m.c.key, m.c.seq, m.c.fingerprint, m.c.scope).where(conflict)
    for key, number, fingerprint, scope in _where_in(conn, marked, m.c.key, touching):
        conflict_marks[key] = (number, fingerprint, scope)
    _name_conflicts(rows, anchor, conflicts)
    # the figures now, and the marks of those before (keyed by a claim of one now)
    fg = t.figures
    rows_now = sa.select(
        fg.c.id, fg.c.subject, fg.c.measure, fg.c.claims, fg.c.independent, fg.c.roots
    )
    for number, subject, measure, claims, independent, roots in _where_in(
        conn, rows_now, fg.c.id, ids
    ):
        if not members.get(number):
            continue
        fingerprint = {"claims": claims, "independent": independent, "roots": json.loads(roots)}
        figures[_SEP.join((subject, measure, anchor(number)))] = (
            0,
            json.dumps(fingerprint, ensure_ascii=False, sort_keys=True),
            subject,
        )
    keys = [_SEP.join((*measure_of[ref], ref)) for ref in held]
    for i in range(0, len(keys), 500):
        marked = sa.select(m.c.key, m.c.seq, m.c.fingerprint, m.c.scope).where(
            (m.c.kind == "figure") & m.c.key.in_(keys[i : i + 500])
        )
        for key, number, fingerprint, scope in conn.execute(marked):
            figure_marks[key] = (number, fingerprint, scope)


def _claim_seqs(conn: Connection, refs: Iterable[str]) -> dict[str, int]:
    """The place of each claim ``refs`` in the order the ledger saw claims (its mark)."""
    m = t.change_marks
    query = sa.select(m.c.key, m.c.seq).where(m.c.kind == "claim")
    return dict(_where_in(conn, query, m.c.key, refs))


def facts_of(conn: Connection, ref: str) -> str | None:
    """A claim's figure as written ("about 12,000"), None if it is gone."""
    found = _facts(conn, [ref]).get(ref)
    return found[2] if found else None


def _entry(
    at: dt.datetime,
    kind: ChangeKind,
    subject: str | None,
    measure: str | None,
    refs: list[str],
    figures: list[str | None],
    sources: list[str | None],
    reason: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    detail: dict[str, Any] = {"refs": refs, "figures": figures, "sources": sources}
    if reason is not None:
        detail["reason"] = reason
    if before is not None:
        detail["before"] = before
    if after is not None:
        detail["after"] = after
    return {
        "at": at,
        "kind": kind,
        "subject": subject,
        "measure": measure,
        "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True),
    }


def _conflict_entry(at: dt.datetime, kind: ChangeKind, key: str, held_json: str) -> dict[str, Any]:
    """A new conflict, or a resolved one, shown by what it held when it was found."""
    held = json.loads(held_json)
    return _entry(
        at,
        kind,
        held["subject"],
        held.get("measure"),
        held.get("refs") or key.split(_SEP),
        held.get("figures", [None, None]),
        held.get("sources", [None, None]),
        held["reason"],
        None,
        None,
    )


def _marks(conn: Connection, kind: str, scopes: Iterable[str] | None = None) -> dict[str, _Mark]:
    """The marks of ``kind``, of those ``scopes`` only if given."""
    m = t.change_marks
    query = sa.select(m.c.key, m.c.seq, m.c.fingerprint, m.c.scope).where(m.c.kind == kind)
    return {
        key: (seq, fingerprint, scope)
        for key, seq, fingerprint, scope in _where_in(conn, query, m.c.scope, scopes)
    }


def _where_in(
    conn: Connection,
    query: sa.Select[Any],
    column: sa.ColumnElement[Any],
    values: Iterable[Any] | None,
) -> Iterator[Any]:
    """The rows of ``query`` whose ``column`` is one of ``values`` (an IN (…) per slice),
    or all its rows if ``values`` is None."""
    if values is None:
        yield from conn.execute(query)
        return
    wanted = sorted(values)
    for i in range(0, len(wanted), 500):
        yield from conn.execute(query.where(column.in_(wanted[i : i + 500])))


def _replace_marks(
    conn: Connection,
    kind: str,
    before: dict[str, _Mark],
    after: dict[str, _Mark],
) -> None:
    """Move the marks of ``kind`` from ``before`` to ``after``, touching only the rows
    that differ (a ledger of 46,000 claims changes by a few per article)."""
    m = t.change_marks
    # a key new to these scopes is cleared wherever else it was (never twice)
    gone = [k for k in after.keys() | before.keys() if before.get(k) != after.get(k)]
    for i in range(0, len(gone), _BATCH):
        conn.execute(m.delete().where((m.c.kind == kind) & m.c.key.in_(gone[i : i + _BATCH])))
    rows = [
        {"kind": kind, "key": k, "seq": seq, "fingerprint": fingerprint, "scope": scope}
        for k in gone
        if k in after
        for seq, fingerprint, scope in (after[k],)
    ]
    for i in range(0, len(rows), _BATCH):
        conn.execute(m.insert(), rows[i : i + _BATCH])


def _set_state(conn: Connection, key: str, value: int) -> None:
    conn.execute(t.ledger_state.delete().where(t.ledger_state.c.key == key))
    conn.execute(t.ledger_state.insert(), {"key": key, "value": value})


def _gone_documents(conn: Connection) -> set[str]:
    """The documents with claims marked that are no longer stored (deleted)."""
    m = t.change_marks
    query = (
        sa.select(m.c.scope)
        .where(m.c.kind == "claim", m.c.scope.not_in(sa.select(t.documents.c.id)))
        .distinct()
    )
    return set(conn.execute(query).scalars())


def _last_seq(conn: Connection) -> int:
    m = t.change_marks
    return conn.execute(sa.select(sa.func.max(m.c.seq)).where(m.c.kind == "claim")).scalar() or 0


def _current_claims(conn: Connection, documents: Iterable[str] | None = None) -> list[str]:
    """Every claim as "document/claim", of ``documents`` only if given."""
    c = t.claims
    query = sa.select(c.c.document_id, c.c.id).order_by(c.c.document_id, c.c.seq)
    return [f"{doc}/{claim}" for doc, claim in _where_in(conn, query, c.c.document_id, documents)]


def _seqs(conn: Connection, subjects: list[str]) -> dict[str, int]:
    """The place of each claim of ``subjects`` in the order the ledger saw claims (its
    mark), by "document/claim"."""
    f, m = t.claim_facts, t.change_marks
    ref = f.c.document_id + "/" + f.c.claim_id
    query = sa.select(f.c.document_id, f.c.claim_id, m.c.seq).select_from(
        f.join(m, (m.c.kind == "claim") & (m.c.key == ref))
    )
    return {
        f"{doc}/{claim}": number
        for doc, claim, number in _where_in(conn, query, f.c.subject, subjects)
    }


def _facts(
    conn: Connection, refs: Iterable[str]
) -> dict[str, tuple[str, str, str | None, str | None]]:
    """(subject, measure, figure as written, source) of each claim still in the ledger."""
    wanted = sorted({tuple(ref.split("/", 1)) for ref in refs})
    found: dict[str, tuple[str, str, str | None, str | None]] = {}
    c, f = t.claims, t.claim_facts
    for i in range(0, len(wanted), _BATCH):
        chunk = wanted[i : i + _BATCH]
        query = (
            sa.select(c.c.document_id, c.c.id, c.c.subject, c.c.measure, c.c.payload, f.c.source)
            .select_from(
                c.outerjoin(f, (f.c.document_id == c.c.document_id) & (f.c.claim_id == c.c.id))
            )
            .where(t.claims_in(c.c.document_id, c.c.id, chunk))
        )
        for row in conn.execute(query):
            quantity = json.loads(row.payload).get("quantity") or {}
            found[f"{row.document_id}/{row.id}"] = (
                row.subject,
                row.measure,
                quantity.get("text"),
                row.source,
            )
    return found


def _current_conflicts(
    conn: Connection, seq: dict[str, int], subjects: list[str] | None = None
) -> dict[str, tuple[str, str]]:
    """Each conflict by its two figures, each named by its oldest claim (the smaller
    first), so a conflict whose figures gain claims is the same conflict: its subject and
    the pair of claims that shows it; of ``subjects`` only, if given. Read from the
    relations and the claims' figures alone: what else a conflict is shown by (its reason
    too) is read only for the new ones (:func:`_held`)."""
    found: dict[str, tuple[str, str]] = {}
    if subjects is None:
        _conflicts_of(conn, seq, None, found)
    for i in range(0, len(subjects or ()), 500):
        _conflicts_of(conn, seq, (subjects or [])[i : i + 500], found)
    return found


def _conflicts_of(
    conn: Connection,
    seq: dict[str, int],
    subjects: list[str] | None,
    found: dict[str, tuple[str, str]],
) -> None:
    r, f = t.relations, t.claim_facts
    conflicts = r.c.kind == "conflicts"
    if subjects is not None:
        conflicts &= r.c.subject.in_(subjects)
    anchors: dict[int, str] = {}
    for doc, claim, figure in conn.execute(
        sa.select(f.c.document_id, f.c.claim_id, f.c.figure).where(
            f.c.figure.in_(
                sa.select(r.c.a_figure)
                .where(conflicts)
                .union(sa.select(r.c.b_figure).where(conflicts))
            )
        )
    ):
        ref = f"{doc}/{claim}"
        held = anchors.get(figure)
        if held is None or (seq.get(ref, 1 << 62), ref) < (seq.get(held, 1 << 62), held):
            anchors[figure] = ref
    where = sa.true() if subjects is None else r.c.subject.in_(subjects)
    _name_conflicts(_conflict_lines(conn, where), anchors.__getitem__, found)


def _conflict_lines(conn: Connection, where: sa.ColumnElement[bool]) -> list[Any]:
    """The conflict lines ``where`` says: their pair of claims, figures, subject."""
    r = t.relations
    query = sa.select(
        r.c.a_document,
        r.c.a_claim,
        r.c.b_document,
        r.c.b_claim,
        r.c.a_figure,
        r.c.b_figure,
        r.c.subject,
    ).where((r.c.kind == "conflicts") & where)
    return list(conn.execute(query))


def _name_conflicts(
    lines: Iterable[Any], anchor: Callable[[int], str], found: dict[str, tuple[str, str]]
) -> None:
    """Tell ``found`` each conflict line by its figures' oldest claims (``anchor``): its
    subject and the pair of claims that shows it."""
    for row in lines:
        shown = f"{row.a_document}/{row.a_claim}{_SEP}{row.b_document}/{row.b_claim}"
        key = _SEP.join(sorted((anchor(row.a_figure), anchor(row.b_figure))))
        found[key] = (row.subject, shown)


def _pair(shown: str) -> tuple[str, str]:
    """The pair of claims (references) a conflict is shown by, as :func:`_name_conflicts`
    joins them."""
    a, b = shown.split(_SEP)
    return a, b


def _held(
    shown: str, subject: str, reason: str, sides: dict[str, tuple[str, str, str | None, str | None]]
) -> str:
    """What a conflict is shown by once it is gone (its claims may be gone with it): its
    subject, measure, reason, and the pair of claims that showed it when it was found,
    their figures and sources, as JSON."""
    refs = shown.split(_SEP)
    known = [sides.get(ref) for ref in refs]
    held = {
        "subject": subject,
        "measure": next((side[1] for side in known if side), None),
        "reason": reason,
        "refs": refs,
        "figures": [side[2] if side else None for side in known],
        "sources": [side[3] if side else None for side in known],
    }
    return json.dumps(held, ensure_ascii=False, sort_keys=True)


def _current_figures(
    conn: Connection, seq: dict[str, int], subjects: list[str] | None = None
) -> dict[str, _Mark]:
    """Each figure by subject, measure and its oldest claim, with its claims' count and
    independent roots as the fingerprint; of ``subjects`` only, if given."""
    f, fg = t.claim_facts, t.figures
    members_query = sa.select(f.c.document_id, f.c.claim_id, f.c.figure)
    figures_query = sa.select(
        fg.c.id, fg.c.subject, fg.c.measure, fg.c.claims, fg.c.independent, fg.c.roots
    )
    members: dict[int, list[str]] = defaultdict(list)
    for doc, claim, figure in _where_in(conn, members_query, f.c.subject, subjects):
        members[figure].append(f"{doc}/{claim}")
    found: dict[str, _Mark] = {}
    rows = _where_in(conn, figures_query, fg.c.subject, subjects)
    for number, subject, measure, claims, independent, roots in rows:
        refs = members.get(number)
        if not refs:
            continue
        anchor = min(refs, key=lambda ref: (seq.get(ref, 1 << 62), ref))
        fingerprint = {"claims": claims, "independent": independent, "roots": json.loads(roots)}
        found[f"{subject}{_SEP}{measure}{_SEP}{anchor}"] = (
            0,
            json.dumps(fingerprint, ensure_ascii=False, sort_keys=True),
            subject,
        )
    return found


# --- reading ------------------------------------------------------------------------------


def changes(
    conn: Connection,
    *,
    since: dt.datetime | None = None,
    after: int | None = None,
    kinds: Iterable[str] = (),
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> list[Change]:
    """The changes recorded at or after ``since`` (and with an id above ``after``), of the
    ``kinds`` given (all by default), oldest first (or newest first); each with the
    claims it names that are still in the ledger."""
    query = _changes_query(since, after, kinds)
    column = t.change_log.c.id
    query = query.order_by(column.desc() if newest_first else column)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = conn.execute(query).all()
    wanted: set[tuple[str, str]] = set()
    for row in rows:
        for ref in json.loads(row.detail)["refs"]:
            doc, _, claim = ref.partition("/")
            wanted.add((doc, claim))
    summaries = _claim_summaries(conn, wanted)
    return [_change(row, summaries) for row in rows]


def count_changes(
    conn: Connection,
    *,
    since: dt.datetime | None = None,
    after: int | None = None,
    kinds: Iterable[str] = (),
) -> int:
    query = _changes_query(since, after, kinds).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(query)).scalar_one())


def _changes_query(
    since: dt.datetime | None, after: int | None, kinds: Iterable[str]
) -> sa.Select[Any]:
    log = t.change_log
    query = sa.select(log)
    if since is not None:
        # SQLite keeps the time without its zone: every stored time is UTC
        query = query.where(log.c.at >= since.astimezone(dt.UTC))
    if after is not None:
        query = query.where(log.c.id > after)
    chosen = list(kinds)
    if chosen:
        query = query.where(log.c.kind.in_(chosen))
    return query


def _change(row: Any, summaries: dict[tuple[str, str], ClaimSummary]) -> Change:
    detail = json.loads(row.detail)
    refs = tuple(detail["refs"])
    present = tuple(
        summaries[key] for key in (tuple(ref.split("/", 1)) for ref in refs) if key in summaries
    )
    return Change(
        id=row.id,
        at=t.aware(row.at),
        kind=row.kind,
        subject=row.subject,
        measure=row.measure,
        refs=refs,
        figures=tuple(detail.get("figures", ())),
        sources=tuple(detail.get("sources", ())),
        reason=detail.get("reason"),
        before=detail.get("before"),
        after=detail.get("after"),
        claims=present,
    )


def ledger_uuid(conn: Connection, name: str) -> uuid.UUID:
    """A UUID for ``name`` ("conflicts", "change/12") in this ledger: the same whatever
    host name the server is reached by, different in another ledger."""
    number = conn.execute(
        sa.select(t.ledger_state.c.value).where(t.ledger_state.c.key == "ledger_id")
    ).scalar()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"claimledger:{number}:{name}")


# --- the time a reader asks from ------------------------------------------------------------

_AGO = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(text: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """A time to list changes from: ISO 8601 ("2026-12-07", "2026-12-07T06:00:00Z",
    "2026-12-07T08:00+02:00"; a time without a zone is UTC), or a duration ago
    ("90m", "2h", "1d", "1w")."""
    ago = _AGO.match(text)
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        if ago:
            span = dt.timedelta(seconds=int(ago.group(1)) * _UNITS[ago.group(2)])
            return (now or dt.datetime.now(dt.UTC)) - span
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        # in UTC now, so that a time at the edge of the calendar fails here, not in a query
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise InputError(
            f"{text!r} is not a time; write an ISO 8601 date or time (2026-12-07, "
            "2026-12-07T06:00:00Z) or a duration ago (90m, 2h, 1d)"
        ) from None
