"""The acceptance corpus (tests/corpus/story.jsonl, described in tests/corpus/README.md):
twelve wire reports of one developing story, ingested and reconciled. The golden file
pins the wire copy found, the entities merged across articles, every figure with its
independent roots, and every relation with its reason. Regenerate with ``make golden``
and review the diff."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from claimledger.ingest.run import ingest
from claimledger.ledger import Ledger
from claimledger.ledger.reads import ClaimSummary
from tests import paths

CORPUS = paths.CORPUS
GOLDEN = paths.GOLDEN / "corpus-reconciliation.json"
UPDATE = os.environ.get("CLAIMLEDGER_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def corpus_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    ledger = Ledger(tmp_path_factory.mktemp("corpus") / "ledger.sqlite")
    tally = ingest([CORPUS], ledger, workers=1)
    assert (tally.new, tally.failed) == (12, [])
    ledger.reconcile()
    return ledger


def _names(ledger: Ledger) -> dict[str, str]:
    """Document id -> the article's short name (the last part of its URL)."""
    with ledger.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, url FROM documents").all()
    return {doc: url.rstrip("/").rsplit("/", 1)[-1] for doc, url in rows}


def _summary(ledger: Ledger) -> dict[str, Any]:
    names = _names(ledger)

    def ref(claim: ClaimSummary) -> str:
        return f"{names[claim.document]}/{claim.claim}"

    return {
        "near_duplicates": [[names[a], names[b]] for a, b, _ in ledger.duplicates()],
        "sources": [
            {"name": s.name, "aliases": list(s.aliases), "documents": s.documents}
            for s in ledger.sources()
            if s.documents > 1 or s.aliases
        ],
        "figures": [
            {
                "measure": f.measure,
                "claims": sorted(ref(c) for c in f.claims),
                "independent": f.independent,
                "roots": list(f.roots),
            }
            for f in ledger.figures()
        ],
        "relations": sorted(
            (
                {"kind": r.kind, "a": ref(r.a), "b": ref(r.b), "reason": r.reason}
                for r in ledger.relations()
            ),
            key=lambda r: (r["kind"], r["a"], r["b"]),
        ),
    }


def test_the_corpus_reconciliation_is_pinned(corpus_ledger: Ledger) -> None:
    actual = json.dumps(_summary(corpus_ledger), ensure_ascii=False, indent=2) + "\n"
    if UPDATE:
        GOLDEN.write_text(actual, encoding="utf-8")
    assert GOLDEN.exists(), f"{GOLDEN} is missing; run `make golden` and review it"
    assert actual == GOLDEN.read_text(encoding="utf-8"), "see `make golden` and the diff"


def test_the_corpus_acceptance_points(corpus_ledger: Ledger) -> None:
    summary = _summary(corpus_ledger)
    kinds = {(r["a"].split("/")[0], r["b"].split("/")[0], r["kind"]) for r in summary["relations"]}
    # one wire copy carried twice, linked to the original
    assert summary["near_duplicates"] == [
        ["harbourherald-zelensky-3000-copy", "reuters-zelensky-3000"]
    ]
    # the genuine contradiction: Moscow's "at most 500" against the figure of Kyiv's
    # ≈11,000 (with Seoul's, three days later): one line between the two figures
    figure_of = {c: tuple(f["claims"]) for f in summary["figures"] for c in f["claims"]}
    kyiv = figure_of["kyivindependent-hur-11000/c1"]
    lines = {
        frozenset((figure_of[r["a"]], figure_of[r["b"]]))
        for r in summary["relations"]
        if r["kind"] == "conflicts"
    }
    assert frozenset((kyiv, figure_of["tass-ru-mod-500/c1"])) in lines
    assert kyiv == ("kyivindependent-hur-11000/c1", "yonhap-nis-100/c3")
    # a source later updated: the NIS's ≈100 killed, then ≈300
    assert ("yonhap-nis-100", "yonhap-nis-300", "updates") in kinds
    # a compatible pair of different measures: ≈300 killed, ≈3,800 killed or wounded
    assert ("yonhap-nis-300", "reuters-syrskyi-3800", "compatible") in kinds
    # the wire copy and the re-report do not add roots; Zelensky's 12,000 a month later
    # is another moment's figure
    independent = {(f["measure"], f["independent"]) for f in summary["figures"]}
    assert ("deployed", 2) in independent
    killed = [f for f in summary["figures"] if f["measure"] == "killed"]
    assert all(f["independent"] == 1 for f in killed)
    # one person across articles, by name, surname and role
    syrskyi = next(s for s in summary["sources"] if s["name"] == "Oleksandr Syrskyi")
    assert "Syrskyi" in syrskyi["aliases"]
