"""Browsing the ledger as lists a reader filters, Datasette-style: the filters of the claims,
conflicts and sources lists read from a query string and checked (a bad value is a
:class:`BrowseError` naming it), the filtered rows, their facet counts, a page of them,
and the same rows as CSV or JSON ("download this view").

The web UI's lists are built on it; it knows nothing of HTTP, so the API and the CLI can
take the same filters. Filters the ledger's SQL does not hold (outlet, month, figure range,
words) are applied here over the rows the SQL filters leave.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar, get_args

import sqlalchemy as sa

from claimledger.errors import ClaimledgerError, InputError
from claimledger.ledger import tables as t
from claimledger.ledger.changes import parse_since
from claimledger.ledger.reads import ClaimQuery, ClaimRow, ClaimSummary, RelationRow, SourceRow
from claimledger.records import CERTAINTY_ORDER, Measure
from claimledger.render.export import guard_cell, write_csv

if TYPE_CHECKING:
    from claimledger.ledger.store import Ledger

MEASURES: tuple[Measure, ...] = get_args(Measure)
MAX_PAGE = 1_000_000
MAX_TEXT = 500  # characters of one text filter
FACET_VALUES = 8  # values shown per facet
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
R = TypeVar("R")


class BrowseError(ClaimledgerError):
    """A filter value that cannot be used: ``name`` is the parameter, ``value`` what was
    given; the message says what to give instead."""

    def __init__(self, name: str, value: str, message: str) -> None:
        super().__init__(f"{name}={value!r}: {message}")
        self.name = name
        self.value = value


# --- reading filters --------------------------------------------------------------------


def text_param(params: Mapping[str, str], name: str) -> str | None:
    """The text of parameter ``name``, stripped; None when empty; at most MAX_TEXT."""
    value = (params.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise BrowseError(name, value[:40] + "…", f"longer than {MAX_TEXT} characters")
    return value or None


def choice_param(params: Mapping[str, str], name: str, choices: Sequence[str]) -> str | None:
    """Parameter ``name`` if it is one of ``choices`` (None when empty)."""
    value = text_param(params, name)
    if value is None or value in choices:
        return value
    raise BrowseError(name, value, f"not one of {', '.join(choices)}")


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    value = text_param(params, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BrowseError(name, value, "not a date; write it as YYYY-MM-DD") from None


def _month(params: Mapping[str, str], name: str) -> str | None:
    value = text_param(params, name)
    if value is None or _MONTH.match(value):
        return value
    raise BrowseError(name, value, "not a month; write it as YYYY-MM")


def _number(params: Mapping[str, str], name: str) -> float | None:
    value = text_param(params, name)
    if value is None:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        raise BrowseError(name, value, "not a number") from None
    if not math.isfinite(number):
        raise BrowseError(name, value, "not a finite number")
    return number


_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off")


def flag_param(params: Mapping[str, str], name: str) -> bool:
    """Parameter ``name`` as a yes or no (a checkbox's ``1``; empty is no)."""
    value = (text_param(params, name) or "0").lower()
    if value in _YES or value in _NO:
        return value in _YES
    raise BrowseError(name, value, "not a yes or no; give 1 or 0")


def moment_param(params: Mapping[str, str], name: str) -> dt.datetime | None:
    """Parameter ``name`` as a time in UTC: ISO 8601 (no zone means UTC) or a duration ago
    ("2h", "1d"), as ``claimledger changes --since`` reads it."""
    value = text_param(params, name)
    if value is None:
        return None
    try:
        return parse_since(value)
    except InputError:
        raise BrowseError(
            name,
            value,
            "not a time; write an ISO 8601 time (2026-12-07T08:00:00Z) or a duration ago (2h)",
        ) from None


def iso_utc(moment: dt.datetime) -> str:
    """``moment`` in UTC as ISO 8601 with a ``Z``, as short as it is exact:
    2026-12-07T08:12:03Z, 2026-12-07T08:12:03.120Z, 2026-12-07T08:12:03.123456Z."""
    at = moment.astimezone(dt.UTC).replace(tzinfo=None)
    fraction = at.microsecond
    spec = "seconds" if not fraction else "milliseconds" if not fraction % 1000 else "microseconds"
    return at.isoformat(timespec=spec) + "Z"


def page_number(params: Mapping[str, str]) -> int:
    """The ``page`` asked for (1 when none): a whole number from 1."""
    value = text_param(params, "page")
    if value is None:
        return 1
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise BrowseError("page", value, f"not a page number; give a whole number 1..{MAX_PAGE}")
    return int(value)


def _sort(params: Mapping[str, str], keys: Sequence[str], default: str) -> str:
    value = text_param(params, "sort") or default
    if value.lstrip("-") not in keys:
        raise BrowseError("sort", value, f"cannot sort by it; sort by one of {', '.join(keys)}")
    return value


class Filters:
    """Shared by the filter records: their non-empty values as query parameters, in field
    order, so one view always has one URL."""

    def params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is None or value is False or value == "" or f.metadata.get("default") == value:
                continue
            if value is True:
                value = "1"
            elif isinstance(value, float):
                value = f"{value:g}"
            elif isinstance(value, dt.datetime):
                value = iso_utc(value)
            out[f.name] = str(value)
        return out

    def active(self) -> bool:
        return any(k != "sort" for k in self.params())


CLAIM_SORTS = ("time", "subject", "measure", "figure", "source", "certainty", "document")


@dataclass(frozen=True)
class ClaimFilters(Filters):
    """The claims list's filters. ``subject``: a subject key, or words of one; ``source``:
    a source's name, or words of it; ``outlet``, ``measure``, ``certainty``, ``document``:
    equal; ``month``: YYYY-MM of the claim's time (else its publication date); ``since`` /
    ``until``: dates; ``min`` / ``max``: the figure (its stated value) within; ``q``: words
    of the statement."""

    q: str | None = None
    subject: str | None = None
    measure: str | None = None
    source: str | None = None
    outlet: str | None = None
    certainty: str | None = None
    month: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    min: float | None = None
    max: float | None = None
    document: str | None = None
    sort: str = field(default="time", metadata={"default": "time"})

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ClaimFilters:
        """The filters in ``params`` (a query string's), checked: :class:`BrowseError` on
        the first bad value."""
        found = cls(
            q=text_param(params, "q"),
            subject=(text_param(params, "subject") or "").lower() or None,
            measure=choice_param(params, "measure", MEASURES),
            source=text_param(params, "source"),
            outlet=text_param(params, "outlet"),
            certainty=choice_param(params, "certainty", CERTAINTY_ORDER),
            month=_month(params, "month"),
            since=_date(params, "since"),
            until=_date(params, "until"),
            min=_number(params, "min"),
            max=_number(params, "max"),
            document=text_param(params, "document"),
            sort=_sort(params, CLAIM_SORTS, "time"),
        )
        if found.min is not None and found.max is not None and found.min > found.max:
            raise BrowseError("min", f"{found.min:g}", f"above max={found.max:g}")
        if found.since and found.until and found.since > found.until:
            raise BrowseError("since", str(found.since), f"after until={found.until}")
        return found


CONFLICT_SORTS = ("strength", "time", "subject")


@dataclass(frozen=True)
class ConflictFilters(Filters):
    """The conflicts list's filters: ``subject``, ``measure``, ``source``, ``outlet`` match
    either side (as for claims); ``claim`` keeps the conflicts of one claim
    ("DOCUMENT/CLAIM"); ``q``: words of the reason or of either statement; ``new_since``
    the time conflicts count as new from (the ledger's change log says when each was
    found), and ``new`` keeps only those (none when no time is given)."""

    q: str | None = None
    subject: str | None = None
    measure: str | None = None
    source: str | None = None
    outlet: str | None = None
    claim: str | None = None
    document: str | None = None
    new: bool = False
    new_since: dt.datetime | None = None
    sort: str = field(default="strength", metadata={"default": "strength"})

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ConflictFilters:
        return cls(
            q=text_param(params, "q"),
            subject=(text_param(params, "subject") or "").lower() or None,
            measure=choice_param(params, "measure", MEASURES),
            source=text_param(params, "source"),
            outlet=text_param(params, "outlet"),
            claim=text_param(params, "claim"),
            document=text_param(params, "document"),
            new=flag_param(params, "new"),
            new_since=moment_param(params, "new_since"),
            sort=_sort(params, CONFLICT_SORTS, "strength"),
        )


@dataclass(frozen=True)
class SourceFilters(Filters):
    """The sources list's filters: ``q`` words of the name or an alias, ``kind`` equal,
    ``role`` root (a source whose figures are its own) or relay."""

    q: str | None = None
    kind: str | None = None
    role: str | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str], kinds: Sequence[str]) -> SourceFilters:
        return cls(
            q=text_param(params, "q"),
            kind=choice_param(params, "kind", sorted(set(kinds))),
            role=choice_param(params, "role", ("root", "relay")),
        )


# --- pages and facets -------------------------------------------------------------------


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of a filtered list."""

    rows: list[R]
    total: int
    number: int
    pages: int
    size: int


def page_of(rows: Sequence[R], number: int, size: int) -> Page[R]:
    """Page ``number`` of ``rows``; :class:`BrowseError` past the last (an empty list has
    one, empty, page)."""
    pages = max(1, -(-len(rows) // size))
    if number > pages:
        raise BrowseError("page", str(number), f"beyond the last page ({pages})")
    start = (number - 1) * size
    return Page(list(rows[start : start + size]), len(rows), number, pages, size)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One facet: the parameter it sets, and its most frequent values with their counts."""

    name: str
    label: str
    values: list[FacetValue]
    more: int  # values left out


def facet(
    name: str,
    label: str,
    values: Iterable[str | None],
    selected: str | None,
    labels: Callable[[str], str] = str,
) -> Facet:
    counts = Counter(v for v in values if v)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = top[:FACET_VALUES]
    if selected and selected in counts and all(v != selected for v, _ in shown):
        shown.append((selected, counts[selected]))
    return Facet(
        name,
        label,
        [FacetValue(v, labels(v), n, v == selected) for v, n in shown],
        max(0, len(top) - len(shown)),
    )


# --- claims -----------------------------------------------------------------------------


def claim_time(row: ClaimRow) -> dt.date | None:
    """The day a claim holds for as the list orders it: its time's end, else publication."""
    end = row.claim.time.end if row.claim.time else None
    return end or row.published


def claim_value(row: ClaimRow) -> float:
    q = row.claim.quantity
    return float(q.value if q.value is not None else q.low)


def _matches(value: str | None, wanted: str, known: set[str]) -> bool:
    """Equal (ignoring case) when ``wanted`` is a known value, else contains it."""
    have = (value or "").lower()
    return have == wanted if wanted in known else wanted in have


def find_claims(ledger: Ledger, filters: ClaimFilters) -> list[ClaimRow]:
    """Every claim the filters keep, in their sort order."""
    query = ClaimQuery(
        subject=filters.subject,
        measures=(filters.measure,) if filters.measure else (),  # type: ignore[arg-type]
        source=filters.source,
        since=filters.since,
        until=filters.until,
        certainty=filters.certainty,  # type: ignore[arg-type]
        document=filters.document,
    )
    rows = list(ledger.find_claims(query))
    if filters.subject:
        keys = {r.claim.subject.key for r in rows}
        rows = [r for r in rows if _matches(r.claim.subject.key, filters.subject, keys)]
    if filters.source:
        wanted = filters.source.lower()
        names = {(r.source or "").lower() for r in rows}
        rows = [r for r in rows if wanted not in names or (r.source or "").lower() == wanted]
    if filters.outlet:
        rows = [r for r in rows if (r.outlet or "").lower() == filters.outlet.lower()]
    if filters.month:
        rows = [r for r in rows if _month_of(claim_time(r)) == filters.month]
    if filters.min is not None:
        rows = [r for r in rows if claim_value(r) >= filters.min]
    if filters.max is not None:
        rows = [r for r in rows if claim_value(r) <= filters.max]
    if filters.q:
        found = set(ledger.search_claims(filters.q))
        rows = [r for r in rows if (r.document, r.claim.id) in found]
    key = _CLAIM_SORT_KEYS[filters.sort.lstrip("-")]
    if filters.sort != "time":
        rows.sort(key=key, reverse=filters.sort.startswith("-"))
    return rows


def _month_of(day: dt.date | None) -> str | None:
    return day.strftime("%Y-%m") if day else None


def _time_key(row: ClaimRow) -> str:
    day = claim_time(row)
    return day.isoformat() if day else ""


_CLAIM_SORT_KEYS: dict[str, Callable[[ClaimRow], Any]] = {
    "time": _time_key,
    "subject": lambda r: (r.claim.subject.key, _time_key(r)),
    "measure": lambda r: (r.claim.measure, _time_key(r)),
    "figure": lambda r: (claim_value(r), float(r.claim.quantity.low)),
    "source": lambda r: ((r.source or "").lower(), _time_key(r)),
    "certainty": lambda r: (CERTAINTY_ORDER.index(r.claim.certainty), _time_key(r)),
    "document": lambda r: (
        r.published.isoformat() if r.published else "",
        r.document,
        int(r.claim.id[1:]) if r.claim.id[1:].isdigit() else 0,
    ),
}


def claim_facets(rows: Sequence[ClaimRow], filters: ClaimFilters) -> list[Facet]:
    """Counts over the filtered claims by measure, source, outlet, subject, certainty and
    month (Datasette's facets)."""
    return [
        facet(
            "measure",
            "measure",
            (r.claim.measure for r in rows),
            filters.measure,
            lambda m: m.replace("_", " "),
        ),
        facet("source", "source", (r.source for r in rows), filters.source),
        facet("outlet", "outlet", (r.outlet for r in rows), filters.outlet),
        facet("subject", "subject", (r.claim.subject.key for r in rows), filters.subject),
        facet("certainty", "certainty", (r.claim.certainty for r in rows), filters.certainty),
        facet("month", "month", (_month_of(claim_time(r)) for r in rows), filters.month),
    ]


def claims_csv(rows: Iterable[ClaimRow]) -> str:
    out = io.StringIO(newline="")
    write_csv(rows, out)
    return out.getvalue()


def to_json_text(items: Iterable[Mapping[str, Any]], **extra: Any) -> str:
    """``{"rows": [...], **extra}`` as JSON text with ``< > &`` escaped, so a response
    sniffed or pasted as HTML cannot open a tag."""
    body = {**extra, "rows": list(items)}
    text = json.dumps(body, ensure_ascii=False, default=str, allow_nan=False)
    return text.translate(_ESCAPES)


# --- conflicts --------------------------------------------------------------------------


def _sides(r: RelationRow) -> tuple[ClaimSummary, ClaimSummary]:
    return (r.a, r.b)


def conflict_pair(row: RelationRow) -> frozenset[str]:
    """The pair of claims, "DOCUMENT/CLAIM", unordered, that shows a conflict."""
    return frozenset((row.a.ref, row.b.ref))


def conflict_figures(row: RelationRow) -> frozenset[int]:
    """A conflict's identity across reconciles: its two figures, unordered."""
    return frozenset((row.a_figure, row.b_figure))


@dataclass(frozen=True)
class NewConflicts:
    """Which conflicts are new since a time, by the ledger's change log.

    ``since``: the time (None: none is known, as on a browser's first visit);
    ``tracked``: whether the ledger keeps a change log yet (a ledger made before it
    existed has none until its next change: then nothing is new, rather than
    everything); ``found``: each conflict found at or after ``since``, by its two figures
    (those the pair of claims that showed it stands in now: a conflict whose figures
    gained claims since is the same conflict, and may be shown by another pair), with
    when (the latest time, if it was found, resolved and found again);
    ``rules_changed``: when the reconciliation rules last changed after ``since`` (the
    conflicts they found afresh are not listed as new)."""

    since: dt.datetime | None
    tracked: bool
    found: Mapping[frozenset[int], dt.datetime] = field(default_factory=dict)
    rules_changed: dt.datetime | None = None

    @property
    def known(self) -> bool:
        """Whether the list can say what is new: a time, and a change log to read."""
        return self.since is not None and self.tracked

    def at(self, row: RelationRow) -> dt.datetime | None:
        """When conflict ``row`` was found, if at or after ``since``; else None."""
        return self.found.get(conflict_figures(row))


def new_conflicts(ledger: Ledger, since: dt.datetime | None) -> NewConflicts:
    """The conflicts the ledger's change log records as found at or after ``since``
    (:meth:`Ledger.changes`); reconciling first if the ledger changed."""
    tracked = bool(ledger.changes(limit=1))
    if since is None or not tracked:
        return NewConflicts(since, tracked)
    pairs: list[tuple[tuple[str, str], dt.datetime]] = []
    rules: dt.datetime | None = None
    for change in ledger.changes(since=since, kinds=("conflict", "rules")):  # oldest first
        if change.kind == "rules":
            rules = change.at
        elif len(change.refs) == 2:
            pairs.append(((change.refs[0], change.refs[1]), change.at))
    figure = ledger.figure_ids(ref for pair, _ in pairs for ref in pair)
    found: dict[frozenset[int], dt.datetime] = {}
    for (a, b), at in pairs:
        if a in figure and b in figure:
            found[frozenset((figure[a], figure[b]))] = at
    return NewConflicts(since, tracked, found, rules)


def find_conflicts(
    ledger: Ledger, filters: ConflictFilters, *, new: NewConflicts | None = None
) -> list[RelationRow]:
    """Every conflict the filters keep, the strongest first (docs/reconciliation.md) unless
    sorted otherwise. A conflict a fact-checker dismissed is not among them. ``new``:
    what is new since ``filters.new_since``, if the caller has read it already."""
    if filters.new and new is None:
        new = new_conflicts(ledger, filters.new_since)
    rows = ledger.relations(kind="conflicts", subject=filters.subject)
    if filters.new:
        assert new is not None
        rows = [r for r in rows if new.known and new.at(r) is not None]
    if filters.subject:
        keys = {r.subject for r in rows}
        rows = [r for r in rows if _matches(r.subject, filters.subject, keys)]
    if filters.measure:
        rows = [r for r in rows if filters.measure in (r.a.measure, r.b.measure)]
    if filters.source:
        wanted = filters.source.lower()
        rows = [
            r
            for r in rows
            if any(
                wanted in (s.source or "").lower() or wanted in (s.root or "").lower()
                for s in _sides(r)
            )
        ]
    if filters.outlet:
        wanted = filters.outlet.lower()
        rows = [r for r in rows if any((s.outlet or "").lower() == wanted for s in _sides(r))]
    if filters.claim:
        rows = [r for r in rows if filters.claim in (r.a.ref, r.b.ref)]
    if filters.document:
        rows = [r for r in rows if filters.document in (r.a.document, r.b.document)]
    if filters.q:
        words = [w.lower() for w in re.findall(r"\w+", filters.q)]
        rows = [
            r
            for r in rows
            if all(
                w in " ".join([r.reason, r.a.statement or "", r.b.statement or ""]).lower()
                for w in words
            )
        ]
    if filters.sort.lstrip("-") == "time":
        rows.sort(
            key=lambda r: str(r.b.end or r.b.published or ""), reverse=filters.sort.startswith("-")
        )
    elif filters.sort.lstrip("-") == "subject":
        rows.sort(key=lambda r: (r.subject, -r.strength), reverse=filters.sort.startswith("-"))
    elif filters.sort == "-strength":
        rows.reverse()
    return rows


def conflict_facets(rows: Sequence[RelationRow], filters: ConflictFilters) -> list[Facet]:
    return [
        facet("subject", "subject", (r.subject for r in rows), filters.subject),
        facet(
            "measure",
            "measure",
            (m for r in rows for m in {r.a.measure, r.b.measure}),
            filters.measure,
            lambda m: m.replace("_", " "),
        ),
        facet(
            "source",
            "source",
            (s for r in rows for s in {r.a.root or r.a.source, r.b.root or r.b.source}),
            filters.source,
        ),
        facet(
            "outlet", "outlet", (o for r in rows for o in {r.a.outlet, r.b.outlet}), filters.outlet
        ),
    ]


CONFLICT_COLUMNS = (
    "rank",
    "strength",
    "subject",
    "reason",
    *(
        f"{side}_{name}"
        for side in ("a", "b")
        for name in (
            "claim",
            "figure",
            "measure",
            "low",
            "high",
            "source",
            "root",
            "independent_roots",
            "start",
            "end",
            "outlet",
            "published",
            "url",
            "statement",
        )
    ),
)


def _side_columns(s: ClaimSummary) -> list[Any]:
    return [
        s.ref,
        s.quantity.text,
        s.measure,
        s.quantity.low,
        s.quantity.high,
        s.source,
        s.root,
        s.figure.independent,
        s.start,
        s.end,
        s.outlet,
        s.published,
        s.url,
        s.statement,
    ]


def conflicts_csv(rows: Iterable[RelationRow]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CONFLICT_COLUMNS)
    for rank, r in enumerate(rows, 1):
        cells = [rank, round(r.strength, 4), r.subject, r.reason, *_side_columns(r.a)]
        cells += _side_columns(r.b)
        writer.writerow([guard_cell("" if c is None else c) for c in cells])
    return out.getvalue()


def conflict_refs(ledger: Ledger) -> dict[str, int]:
    """How many conflicts each claim ("DOCUMENT/CLAIM") is in: one read of the relations
    table, without the claims' summaries, for the badges of every list."""
    ledger.count_relations(kind="conflicts")  # reconciles first if the ledger changed
    r = t.relations
    counts: dict[str, int] = defaultdict(int)
    with ledger.engine.connect() as conn:
        for a_doc, a_claim, b_doc, b_claim in conn.execute(
            sa.select(r.c.a_document, r.c.a_claim, r.c.b_document, r.c.b_claim).where(
                r.c.kind == "conflicts"
            )
        ):
            counts[f"{a_doc}/{a_claim}"] += 1
            counts[f"{b_doc}/{b_claim}"] += 1
    return dict(counts)


def conflict_groups(ledger: Ledger) -> dict[tuple[str, str], int]:
    """How many conflicts each (subject, measure) group is in, a conflict counting once for
    each measure of its two claims."""
    ledger.count_relations(kind="conflicts")
    r, f = t.relations, t.claim_facts
    fa, fb = f.alias("fa"), f.alias("fb")
    query = (
        sa.select(r.c.subject, fa.c.measure, fb.c.measure)
        .select_from(
            r.join(fa, (fa.c.document_id == r.c.a_document) & (fa.c.claim_id == r.c.a_claim)).join(
                fb, (fb.c.document_id == r.c.b_document) & (fb.c.claim_id == r.c.b_claim)
            )
        )
        .where(r.c.kind == "conflicts")
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    with ledger.engine.connect() as conn:
        for subject, a_measure, b_measure in conn.execute(query):
            for measure in {a_measure, b_measure}:
                counts[(subject, measure)] += 1
    return dict(counts)


# --- sources ----------------------------------------------------------------------------


def find_sources(
    rows: Sequence[SourceRow], roots: set[str], filters: SourceFilters
) -> list[SourceRow]:
    """The sources the filters keep; ``roots`` are the ids of root sources."""
    kept = list(rows)
    if filters.q:
        wanted = filters.q.lower()
        kept = [s for s in kept if any(wanted in n.lower() for n in (s.name, *s.aliases))]
    if filters.kind:
        kept = [s for s in kept if s.kind == filters.kind]
    if filters.role == "root":
        kept = [s for s in kept if s.id in roots]
    elif filters.role == "relay":
        kept = [s for s in kept if s.id not in roots]
    return kept


SOURCE_COLUMNS = (
    "id",
    "name",
    "kind",
    "claims",
    "statements",
    "carried",
    "documents",
    "aliases",
    "roles",
    "relayed",
    "merged",
)


def sources_csv(rows: Iterable[SourceRow]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(SOURCE_COLUMNS)
    for s in rows:
        cells: list[Any] = [s.id, s.name, s.kind, s.claims, s.statements, s.carried, s.documents]
        cells += ["; ".join(s.aliases), "; ".join(s.roles), "; ".join(s.relayed), s.merged]
        writer.writerow([guard_cell("" if c is None else c) for c in cells])
    return out.getvalue()


# --- documents --------------------------------------------------------------------------


def openings(ledger: Ledger, document_ids: Iterable[str], chars: int = 200) -> dict[str, str]:
    """The first ``chars`` characters of each document's text, to name an untitled one."""
    ids = sorted(set(document_ids))
    if not ids:
        return {}
    d = t.documents
    with ledger.engine.connect() as conn:
        found = conn.execute(
            sa.select(d.c.id, sa.func.substr(d.c.text, 1, chars)).where(d.c.id.in_(ids))
        ).all()
    return {doc: text or "" for doc, text in found}


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*")


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` around characters ``start``..``end``: from the last sentence
    end (or line break) before it to the next after it."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    after = _SENTENCE_END.search(text, end)
    stop = (
        after.start() + 1
        if after and not after.group().isspace()
        else (after.start() if after else len(text))
    )
    return text[begin:stop].strip()


def claim_sentences(
    ledger: Ledger, refs: Iterable[tuple[str, int, int]]
) -> dict[tuple[str, int], str]:
    """For each (document, start, end) of a figure, its sentence; keyed (document, start)."""
    wanted = list(refs)
    ids = sorted({doc for doc, _, _ in wanted})
    if not ids:
        return {}
    d = t.documents
    with ledger.engine.connect() as conn:
        texts = dict(conn.execute(sa.select(d.c.id, d.c.text).where(d.c.id.in_(ids))).all())
    return {
        (doc, start): sentence_at(texts[doc], start, end)
        for doc, start, end in wanted
        if doc in texts
    }
