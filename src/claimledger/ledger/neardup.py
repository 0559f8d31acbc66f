"""Near-duplicates: the MinHash signature of a document's word shingles, the LSH index of
every stored signature, and the earlier document a new one is a near-copy of, so the same
wire report carried by ten sites is one source, not ten.

datasketch (and the scipy it loads, 0.3 s) is imported only when a document is stored or
the index built: the ledger's reads never need it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from claimledger.ledger import tables as t

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

# Near-duplicates: 3-word shingles, 128 permutations, linked at estimated Jaccard ≥ 0.7
# (a wire story with a new headline and a changed word scores about 0.85).
SHINGLE_WORDS = 3
NUM_PERM = 128
DUPLICATE_THRESHOLD = 0.7
_SEED = 1  # MinHash permutations must be the same in every process and every run
_SCHEME = "affine32"  # datasketch 2's hashing scheme, named so stored signatures stay valid
_WORD = re.compile(r"\w+")
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")


@functools.cache
def _permutations() -> Any:
    """The seeded permutations every signature shares: a MinHash draws them again from
    its seed when not given them, which was most of the time building the index of a
    large ledger took (17 s at 100,000 documents)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


def shingles(text: str) -> set[str]:
    """A text's word 3-shingles, lower-cased."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {
        " ".join(words[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }


def minhash_of(text: str) -> MinHash:
    """The MinHash of a text's word 3-shingles (lower-cased), seeded for repeatability."""
    from datasketch import MinHash

    signature = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_permutations(), scheme=_SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles(text)])
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    """A signature as stored in ``documents.minhash``."""
    import numpy as np

    return np.asarray(signature.hashvalues, dtype=np.uint64).tobytes()


def _signature(data: bytes) -> MinHash:
    import numpy as np
    from datasketch import MinHash

    return MinHash(
        num_perm=NUM_PERM,
        seed=_SEED,
        hashvalues=np.frombuffer(data, dtype=np.uint64),
        permutations=_permutations(),
        scheme=_SCHEME,
    )


def figures_in(text: str) -> frozenset[str]:
    """The numbers a text states, written without separators: "12,000" is "12000"."""
    return frozenset(m.replace(",", "") for m in _FIGURE.findall(text))


def build_index(engine: Engine) -> MinHashLSH:
    """The LSH index of every stored document's signature."""
    return refresh_index(engine, None)


def refresh_index(engine: Engine, lsh: MinHashLSH | None) -> MinHashLSH:
    """``lsh`` (a new index if None) with the signature of every stored document it does
    not hold yet (those another process stored since it was built), and without those
    deleted since."""
    from datasketch import MinHashLSH

    if lsh is None:
        lsh = MinHashLSH(threshold=DUPLICATE_THRESHOLD, num_perm=NUM_PERM)
    signed = t.documents.c.minhash.is_not(None)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(t.documents.c.id).where(signed)).scalars().all()
        missing = [doc_id for doc_id in stored if doc_id not in lsh.keys]
        for gone in set(lsh.keys) - set(stored):  # deleted by another process
            lsh.remove(gone)
        for start in range(0, len(missing), 500):
            batch = missing[start : start + 500]
            for doc_id, data in conn.execute(
                sa.select(t.documents.c.id, t.documents.c.minhash).where(
                    t.documents.c.id.in_(batch)
                )
            ):
                lsh.insert(doc_id, _signature(data))
    return lsh


def change_count(conn: Connection) -> int:
    """How many times documents were stored in the ledger, by any process."""
    value = conn.execute(
        sa.select(t.ledger_state.c.value).where(t.ledger_state.c.key == "changes")
    ).scalar()
    return int(value or 0)


def nearest_copy(
    conn: Connection,
    doc_id: str,
    signature: MinHash,
    lsh: MinHashLSH,
    first_seen: dt.datetime,
    figures: frozenset[str],
) -> tuple[str, float] | None:
    """The earliest-stored document, stored before this one, that this one is a
    near-copy of, if any: similar word shingles and the same figures (two daily
    bulletins in one template, 57 and 233 drones, are two reports, not one)."""
    candidates = [c for c in lsh.query(signature) if c != doc_id]
    if not candidates:
        return None
    rows = conn.execute(
        sa.select(
            t.documents.c.id,
            t.documents.c.minhash,
            t.documents.c.analysed_at,
            t.documents.c.text,
        )
        .where(t.documents.c.id.in_(candidates))
        .order_by(t.documents.c.analysed_at, t.documents.c.id)
    ).all()
    for other, data, seen, text in rows:
        if t.aware(seen) > t.aware(first_seen):
            break  # a later document may copy this one, not the reverse
        similarity = float(signature.jaccard(_signature(data)))
        if similarity >= DUPLICATE_THRESHOLD and figures_in(text) == figures:
            # link to the root of a chain of copies, not to another copy
            root = conn.execute(
                sa.select(t.near_duplicates.c.duplicate_of).where(
                    t.near_duplicates.c.document_id == other
                )
            ).scalar()
            if root == doc_id:
                continue
            return (root or other, round(similarity, 4))
    return None
