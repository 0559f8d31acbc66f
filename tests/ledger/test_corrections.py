"""A fact-checker's corrections in a real ledger (SQLite and PostgreSQL): stored, applied
on every reconcile, and kept on the same claims when an article is analysed again and
its claims are numbered afresh."""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import resources

import pytest

from claimledger.errors import LedgerError
from claimledger.extract import analyze
from claimledger.ledger import Ledger
from claimledger.ledger.corrections import ClaimKey, Correction, CorrectionError
from claimledger.records import Analysis

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(SEED.read_text("utf-8"), published=dt.date(2025, 2, 1))


def _renumbered(analysis: Analysis) -> Analysis:
    """The same analysis with its claims numbered from c101: what a new extractor that
    finds one more figure early in the text would do to every later claim's number."""
    ids = {c.id: f"c{100 + int(c.id[1:])}" for c in analysis.claims}
    return dataclasses.replace(
        analysis, claims=tuple(dataclasses.replace(c, id=ids[c.id]) for c in analysis.claims)
    )


def _conflicts(ledger: Ledger) -> set[frozenset[str]]:
    return {frozenset((r.a.claim, r.b.claim)) for r in ledger.conflicts()}


def test_corrections_apply_and_survive_reanalysis(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        document = seed.document.id
        assert frozenset(("c1", "c8")) in _conflicts(ledger)
        kill, absence = ledger.claim_key(f"{document}/c8"), ledger.claim_key(f"{document}/c1")
        assert isinstance(kill, ClaimKey) and kill.figure
        dismissed = ledger.correct(
            Correction("dismiss", claims=(kill, absence), note="another sector", reviewer="Ex")
        )
        ledger.correct(
            Correction("set_measure", claims=(ledger.claim_key(f"{document}/c4"),), value="killed")
        )
        ledger.correct(Correction("merge_sources", names=("Zelensky", "Oleksandr Syrskyi")))
        assert frozenset(("c1", "c8")) not in _conflicts(ledger)
        killed = {c.claim for f in ledger.figures(measure="killed") for c in f.claims}
        assert "c4" in killed  # its measure corrected to killed
        # analysed again, its claims numbered afresh: the corrections stay on the same claims
        ledger.store(_renumbered(seed))
        assert frozenset(("c101", "c108")) not in _conflicts(ledger)
        assert [c.action for c in ledger.corrections()] == [
            "dismiss",
            "set_measure",
            "merge_sources",
        ]
        sources = {s.name: s for s in ledger.sources()}
        assert "Oleksandr Syrskyi" in sources and "Zelensky" not in sources
        ledger.uncorrect(dismissed)
        assert frozenset(("c101", "c108")) in _conflicts(ledger)


def test_a_correction_says_what_is_wrong(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        with pytest.raises(LedgerError, match="no claim"):
            ledger.claim_key(f"{seed.document.id}/c99")
        with pytest.raises(CorrectionError, match="takes 2 names"):
            ledger.correct(Correction("merge_sources", names=("one",)))
        with pytest.raises(CorrectionError, match="needs the corrected value"):
            ledger.correct(
                Correction("set_measure", claims=(ledger.claim_key(f"{seed.document.id}/c1"),))
            )
        with pytest.raises(LedgerError, match="no correction 42"):
            ledger.uncorrect(42)


def test_a_rating_follows_its_claim_when_claims_are_numbered_afresh(
    ledger_target: str, seed: Analysis
) -> None:
    from claimledger.ledger import Rating

    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        document = seed.document.id
        ledger.rate(
            Rating(
                document=document,
                claim="c6",
                verdict="Unproven",
                value=3,
                reviewer="Example",
                reviewed=dt.date(2025, 2, 3),
            )
        )
        figure = ledger.claim_key(f"{document}/c6").figure
        ledger.store(_renumbered(seed))
        assert ledger.rating(document, "c6") is None
        moved = ledger.rating(document, "c106")
        assert moved is not None and moved.verdict == "Unproven"
        assert ledger.claim_key(f"{document}/c106").figure == figure
