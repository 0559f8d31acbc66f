"""Why two claims relate, worked out when it is read. A stored relation names the pair of
claims that shows it and its kind, not its reason: the reason is what
:func:`claimledger.ledger.reconcile.relate` says of those two claims, a function of their
facts as the last reconcile stored them (``claim_facts`` beside the claims' own columns),
so it is made again from them, word for word, when a relation is listed. Stored, the
reasons were more than half of the ``relations`` table.

The stored facts are read here for the incremental reconcile too
(:mod:`claimledger.ledger.rebuild`), which relates the claims it does not derive again
from them: one reading of a stored claim for both.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from claimledger.ledger import tables as t
from claimledger.ledger.reconcile import ClaimFacts, claim_facts, relate
from claimledger.ledger.warm import Stored

_CHUNK = 500


def facts_query() -> sa.Select[Any]:
    """The stored facts of claims (the rows :func:`read_facts` reads): ``claim_facts``
    joined to the claims' own columns."""
    f, c = t.claim_facts, t.claims
    return sa.select(
        f.c.document_id,
        f.c.claim_id,
        c.c.seq,
        f.c.digest,
        f.c.figure,
        f.c.subject,
        f.c.measure,
        c.c.low,
        c.c.high,
        c.c.value,
        c.c.bound,
        c.c.unit,
        c.c.polarity,
        f.c.start,
        f.c.end,
        f.c.dated_by,
        f.c.root,
        f.c.root_name,
        f.c.source,
        c.c.text,
        f.c.words,
        f.c.scope,
        f.c.place,
        f.c.modality,
        f.c.rate,
        f.c.population,
    ).join(c, (c.c.document_id == f.c.document_id) & (c.c.id == f.c.claim_id))


_NO_COUNTRY: frozenset[str] = frozenset()


def read_facts(row: Sequence[Any], countries: Mapping[str, frozenset[str]]) -> Stored:
    """A row of :func:`facts_query` as the claim it stores, its article naming
    ``countries[document]``."""
    # the columns from ``subject`` to ``population``, as ClaimFacts orders its fields but
    # for the statement (the text, else the figure's words) and the countries
    doc, claim, seq, digest, figure, *held = tuple(row)
    text, words = held[14:16]
    facts = claim_facts(
        (
            doc,
            claim,
            *held[:14],
            text or words,
            words,
            *held[16:20],
            countries.get(doc, _NO_COUNTRY),
            held[20],
        )
    )
    return Stored(facts, seq, digest, figure)


def stored_facts(conn: Connection, refs: Iterable[str]) -> dict[str, ClaimFacts]:
    """The stored facts of the claims ``refs`` ("DOCUMENT/CLAIM") still in the ledger."""
    wanted = sorted({tuple(ref.split("/", 1)) for ref in refs if "/" in ref})
    countries = document_countries(conn, {doc for doc, _ in wanted})
    f = t.claim_facts
    found: dict[str, ClaimFacts] = {}
    for i in range(0, len(wanted), _CHUNK):
        query = facts_query().where(
            t.claims_in(f.c.document_id, f.c.claim_id, wanted[i : i + _CHUNK])
        )
        for row in conn.execute(query):
            facts = read_facts(row, countries).facts
            found[facts.ref] = facts
    return found


def document_countries(conn: Connection, documents: Collection[str]) -> dict[str, frozenset[str]]:
    """The countries each of ``documents`` names, as the last reconcile read them."""
    dc = t.document_countries
    chosen = sorted(documents)
    found: dict[str, frozenset[str]] = {}
    for i in range(0, len(chosen), _CHUNK):
        query = sa.select(dc.c.document_id, dc.c.named).where(
            dc.c.document_id.in_(chosen[i : i + _CHUNK])
        )
        for doc, named in conn.execute(query):
            found[doc] = frozenset(json.loads(named))
    return found


def reason(a: ClaimFacts, b: ClaimFacts) -> str:
    """Why the two claims relate as they do ("" if they do not)."""
    found = relate(a, b)
    return "" if found is None else found.reason


def reasons(conn: Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The reason of each pair of claims (references) a stored relation names, from the
    claims' stored facts; a pair with a claim no longer stored is left out."""
    wanted = list(dict.fromkeys(pairs))
    facts = stored_facts(conn, (ref for pair in wanted for ref in pair))
    return {(a, b): reason(facts[a], facts[b]) for a, b in wanted if a in facts and b in facts}
