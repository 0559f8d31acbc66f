"""The ledger's records: what a read returns is typed and frozen, its JSON is exactly the
JSON that was stored, and the claim filters travel as one query object."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest

from claimledger.codec import from_json, to_plain
from claimledger.errors import LedgerError
from claimledger.extract import analyze
from claimledger.ledger import ClaimQuery, Ledger
from claimledger.ledger.reads import (
    Provenance,
    ProvenanceEdge,
    ProvenanceNode,
    StoredClaim,
)
from claimledger.records import Attribution, Claim, Entity
from tests import paths


@pytest.fixture(scope="module")
def seed() -> Any:
    return analyze(paths.SEED.read_text("utf-8"), published=dt.date(2025, 2, 1))


def test_every_analysis_record_reads_back_to_the_same_json(seed: Any) -> None:
    data = seed.to_json()
    for record, key in ((Entity, "entities"), (Attribution, "attributions"), (Claim, "claims")):
        for stored in data[key]:
            # through the text the ledger stores, and back: not a byte changes
            again = from_json(record, json.loads(json.dumps(stored)))
            assert json.dumps(to_plain(again)) == json.dumps(stored)
    claims = [from_json(Claim, c) for c in data["claims"]]
    assert claims == list(seed.claims)
    assert [StoredClaim(c, "d").to_json() for c in claims] == [
        {**c, "document": "d"} for c in data["claims"]
    ]


def test_whole_figures_stay_whole_and_fractions_stay_fractions(seed: Any) -> None:
    stored = seed.to_json()["claims"]
    text = json.dumps([StoredClaim(from_json(Claim, c), "d").to_json() for c in stored])
    assert text == json.dumps([{**c, "document": "d"} for c in stored])
    assert '"low": 10800,' in text or '"low": 10800}' in text  # not 10800.0


def test_a_claim_stored_by_an_earlier_minor_version_takes_the_defaults(seed: Any) -> None:
    older = {k: v for k, v in seed.to_json()["claims"][0].items() if k != "place"}
    assert from_json(Claim, older).place is None
    with pytest.raises(LedgerError, match="has no 'measure'"):
        from_json(Claim, {k: v for k, v in older.items() if k != "measure"})


def test_records_are_frozen(seed: Any) -> None:
    row = from_json(Claim, seed.to_json()["claims"][0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.measure = "killed"  # type: ignore[misc]


def test_a_json_key_a_python_name_cannot_be() -> None:
    graph = Provenance(
        nodes=(ProvenanceNode(id="a", name="A", kind="person", statements=1),),
        edges=(ProvenanceEdge(from_="a", to="b", statements=1),),
    )
    assert graph.to_json() == {
        "nodes": [{"id": "a", "name": "A", "kind": "person", "statements": 1}],
        "edges": [{"from": "a", "to": "b", "statements": 1}],
    }


def test_one_query_finds_counts_and_charts_the_same_claims(tmp_path: Any, seed: Any) -> None:
    query = ClaimQuery(subject="north korean", measures=("killed", "deployed"))
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.store(seed)
        found = list(ledger.find_claims(query))
        assert len(found) == ledger.count_claims(query) == 4
        assert {r.claim.measure for r in found} == {"killed", "deployed"}
        charted = {p.ref for p in ledger.timeline(query)}
        assert charted <= {f"{r.document}/{r.claim.id}" for r in found}
        one = ledger.claim(seed.document.id, "c6")
        assert one is not None and one.claim == seed.claims[5] and one.rating is None
        assert ledger.claim(seed.document.id, "c99") is None


def test_reading_the_ledger_loads_neither_spacy_nor_datasketch() -> None:
    code = (
        "import sys, claimledger.ledger, claimledger.render.export\n"
        "print(sorted(m for m in ('spacy', 'datasketch', 'scipy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
