"""A fact-checker's corrections to the ledger's reconciliation: merge or split two
sources, merge two subjects, correct a claim's measure or subject, dismiss a relation with
a note. They are stored in the ledger (the ``corrections`` table) and applied on every
reconcile, so they hold whatever the rules say next time.

A claim is named by what it is, not by its number: its document, the characters of its
figure and the figure's words (:class:`ClaimKey`). Analysing an article again numbers its
claims afresh, but the same text gives the same document and the same figure at the same
place, so a correction (and a rating) stays on the claim it was made for.
docs/reconciliation.md, Corrections, has a worked example.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from claimledger.errors import ClaimledgerError
from claimledger.gazetteer import normalise_name
from claimledger.ledger.reconcile import ClaimFacts

Action = Literal[
    "merge_sources", "split_sources", "merge_subjects", "set_measure", "set_subject", "dismiss"
]
ACTIONS: tuple[Action, ...] = get_args(Action)
# What each action takes: names (two sources, or a subject and the one it joins) or claims.
_NAMES = {"merge_sources": 2, "split_sources": 2, "merge_subjects": 2}
_CLAIMS = {"set_measure": 1, "set_subject": 1, "dismiss": 2}


class CorrectionError(ClaimledgerError):
    """A correction that cannot be stored: a claim that is not in the ledger, a missing
    name or value."""


@dataclass(frozen=True, order=True)
class ClaimKey:
    """A claim by what it is: its document, its figure's first span and its words."""

    document: str
    start: int
    end: int
    figure: str

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "figure": self.figure,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClaimKey:
        return cls(str(data["document"]), int(data["start"]), int(data["end"]), str(data["figure"]))

    @classmethod
    def of_claim(cls, document: str, claim: Mapping[str, Any]) -> ClaimKey:
        """The key of a stored claim's JSON (docs/schema.md)."""
        quantity = claim["quantity"]
        spans = quantity.get("spans") or [[0, 0]]
        return cls(document, int(spans[0][0]), int(spans[0][1]), str(quantity.get("text") or ""))


@dataclass(frozen=True)
class Correction:
    """One correction, as stored. ``names``: two sources (merge_sources, split_sources) or
    a subject and the subject it joins (merge_subjects); ``claims``: the claim whose
    ``value`` (a measure, a subject) is corrected, or the two claims of a dismissed
    relation."""

    action: Action
    names: tuple[str, ...] = ()
    claims: tuple[ClaimKey, ...] = ()
    value: str | None = None
    note: str | None = None
    reviewer: str | None = None
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    id: int | None = None

    def check(self) -> None:
        """Raise :class:`CorrectionError` unless the correction has what its action takes."""
        if self.action not in ACTIONS:
            raise CorrectionError(
                f"unknown correction {self.action!r}; use one of {', '.join(ACTIONS)}"
            )
        want_names, want_claims = _NAMES.get(self.action, 0), _CLAIMS.get(self.action, 0)
        if len(self.names) != want_names or len(self.claims) != want_claims:
            raise CorrectionError(
                f"{self.action} takes {want_names or want_claims} "
                f"{'names' if want_names else 'claims'}, not {len(self.names) or len(self.claims)}"
            )
        if any(not n.strip() for n in self.names):
            raise CorrectionError(f"{self.action}: a name is empty")
        if self.action in ("set_measure", "set_subject") and not (self.value or "").strip():
            raise CorrectionError(f"{self.action} needs the corrected value")

    def describe(self) -> str:
        """One line for a reader: "merge sources 'UN spokesman' and 'Stéphane Dujarric'"."""
        what = self.action.replace("_", " ")
        parts = [repr(n) for n in self.names] + [
            f"{c.document}@{c.start}:{c.figure!r}" for c in self.claims
        ]
        line = f"{what} {' and '.join(parts)}"
        if self.value:
            line += f" → {self.value}"
        if self.note:
            line += f" ({self.note})"
        return line

    def row(self) -> dict[str, Any]:
        """The correction as a ``corrections`` table row (without its id)."""
        return {
            "action": self.action,
            "names": json.dumps(list(self.names), ensure_ascii=False),
            "claims": json.dumps([c.to_json() for c in self.claims], ensure_ascii=False),
            "value": self.value,
            "note": self.note,
            "reviewer": self.reviewer,
            "created": self.created,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Correction:
        created = row["created"]
        if created.tzinfo is None:  # SQLite hands it back without its zone; stored in UTC
            created = created.replace(tzinfo=dt.UTC)
        return cls(
            action=row["action"],
            names=tuple(json.loads(row["names"] or "[]")),
            claims=tuple(ClaimKey.from_json(c) for c in json.loads(row["claims"] or "[]")),
            value=row["value"],
            note=row["note"],
            reviewer=row["reviewer"],
            created=created,
            id=int(row["id"]),
        )


@dataclass(frozen=True)
class Applied:
    """The corrections in the form the rules take them."""

    merge_sources: tuple[tuple[str, str, str], ...] = ()  # (name, name, reason), normalised
    split_sources: tuple[tuple[str, str], ...] = ()
    subjects: Mapping[str, str] = field(default_factory=dict)  # subject -> the one it joins
    dismissed: Mapping[frozenset[ClaimKey], str] = field(default_factory=dict)  # -> note
    claim_values: Mapping[ClaimKey, Mapping[str, str]] = field(default_factory=dict)


def prepare(corrections: Iterable[Correction]) -> Applied:
    """The stored corrections in the order they were made: a later one of the same claim
    and field wins."""
    merges: list[tuple[str, str, str]] = []
    splits: list[tuple[str, str]] = []
    subjects: dict[str, str] = {}
    dismissed: dict[frozenset[ClaimKey], str] = {}
    values: dict[ClaimKey, dict[str, str]] = defaultdict(dict)
    for c in sorted(corrections, key=lambda c: (c.created, c.id or 0)):
        if c.action == "merge_sources":
            a, b = (normalise_name(n) for n in c.names)
            merges.append(
                (
                    a,
                    b,
                    f"merged by {c.reviewer or 'a fact-checker'}"
                    + (f": {c.note}" if c.note else ""),
                )
            )
        elif c.action == "split_sources":
            a, b = (normalise_name(n) for n in c.names)
            splits.append((a, b))
        elif c.action == "merge_subjects":
            subjects[c.names[0].strip().lower()] = c.names[1].strip().lower()
        elif c.action == "dismiss":
            dismissed[frozenset(c.claims)] = c.note or "dismissed"
        elif c.action == "set_measure" and c.value:
            values[c.claims[0]]["measure"] = c.value
        elif c.action == "set_subject" and c.value:
            values[c.claims[0]]["subject"] = c.value.strip().lower()
    return Applied(tuple(merges), tuple(splits), subjects, dismissed, dict(values))


def final_subject(subject: str, subjects: Mapping[str, str]) -> str:
    """A subject after merges, followed to the end of a chain (a → b → c is c)."""
    seen = {subject}
    while subject in subjects and subjects[subject] not in seen:
        subject = subjects[subject]
        seen.add(subject)
    return subject


def find(
    key: ClaimKey,
    current: Mapping[ClaimKey, str],
    by_figure: Mapping[tuple[str, str], Sequence[str]],
) -> str | None:
    """The claim a key names now: the same figure at the same place; else, if the text
    moved, the one claim of the document with the same figure's words."""
    found = current.get(key)
    if found is not None:
        return found
    same = by_figure.get((key.document, key.figure), ())
    return same[0] if len(same) == 1 else None


def by_figure(current: Mapping[ClaimKey, str]) -> dict[tuple[str, str], list[str]]:
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, ref in current.items():
        index[(key.document, key.figure)].append(ref)
    return index


def dismissed_refs(applied: Applied, current: Mapping[ClaimKey, str]) -> dict[frozenset[str], str]:
    """The dismissed relations as pairs of current refs, with their notes."""
    index = by_figure(current)
    out: dict[frozenset[str], str] = {}
    for pair, note in applied.dismissed.items():
        refs = [find(k, current, index) for k in pair]
        if all(refs):
            out[frozenset(r for r in refs if r)] = note
    return out


def iter_values(
    applied: Applied, current: Mapping[ClaimKey, str]
) -> Iterator[tuple[str, Mapping[str, str]]]:
    """(current ref, corrected fields) of each corrected claim still in the ledger."""
    index = by_figure(current)
    for key, fields in applied.claim_values.items():
        ref = find(key, current, index)
        if ref is not None:
            yield ref, fields


def corrected(facts: ClaimFacts, fields: Mapping[str, str]) -> ClaimFacts:
    """A claim's facts with a fact-checker's measure or subject."""
    return replace(
        facts,
        measure=fields.get("measure", facts.measure),
        subject=fields.get("subject", facts.subject),
        # a corrected subject is the fact-checker's key, not a population of "people"
        population=None if "subject" in fields else facts.population,
    )
