"""Reconciliation in the ledger, on SQLite and PostgreSQL (``ledger_target``): the seed
article's acceptance checks, entities merged across articles, wire copies counted once,
staleness, and ratings that survive re-analysis."""

from __future__ import annotations

import datetime as dt
import threading
from importlib import resources
from pathlib import Path

import pytest

from claimledger.errors import LedgerError
from claimledger.extract import analyze
from claimledger.ledger import ClaimQuery, Ledger, Rating
from claimledger.records import Analysis

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")

# One statement, reported directly, carried again as a wire copy, and re-reported.
FIRST = (
    "KYIV (Wire) - Ukraine's commander-in-chief, Oleksandr Syrskyi, said on Monday that "
    "about 300 North Korean soldiers had been killed in the Kursk region. He said the "
    "troops had been sent to the front in November. Moscow has not commented on the claims."
)
COPY = "Syrskyi: 300 North Korean troops killed\n" + FIRST.replace("commented", "responded")
LATER = (
    "KYIV (Wire) - Syrskyi said on Tuesday, January 21, that 3,000 North Korean soldiers "
    "had been killed or wounded in the Kursk region since they arrived."
)
BY_ROLE = (
    "Ukraine's commander-in-chief said on Friday, January 24, that 3,800 North Korean "
    "soldiers had been killed or wounded in the fighting so far."
)


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(SEED.read_text("utf-8"), published=dt.date(2025, 2, 1))


def _pairs(ledger: Ledger, kind: str) -> set[frozenset[str]]:
    return {frozenset((r.a.claim, r.b.claim)) for r in ledger.relations(kind=kind)}


def test_the_seed_acceptance_checks(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        summary = ledger.reconcile()
        compatible = {
            frozenset((r.a.claim, r.b.claim)): r.reason for r in ledger.relations(kind="compatible")
        }
        # ≈4,000 killed (Zelensky) and ≈6,000 killed or wounded (Syrskyi)
        assert "killed ≤ killed_or_wounded" in compatible[frozenset(("c6", "c7"))]
        # the two 12,000 figures corroborate each other, from two independent roots
        assert frozenset(("c3", "c5")) in _pairs(ledger, "corroborates")
        deployed = ledger.figures(measure="deployed", subject="north korean")
        assert [(sorted(c.claim for c in f.claims), f.independent) for f in deployed] == [
            (["c3", "c5"], 2)
        ]
        # the three-week absence to Jan 31 against the kill reported on Jan 28
        conflicts = {frozenset((r.a.claim, r.b.claim)): r for r in ledger.conflicts()}
        assert frozenset(("c1", "c8")) in conflicts
        assert "inside the absence" in conflicts[frozenset(("c1", "c8"))].reason
        assert summary.relations["conflicts"] == len(conflicts)
        # never "4,000 killed" against "2 killed": an incident within a running total
        assert frozenset(("c6", "c8")) in compatible


def test_reconciling_again_with_nothing_new_does_nothing(
    ledger_target: str, seed: Analysis
) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        assert ledger.stale()
        first = ledger.reconcile()
        assert first.ran and not ledger.stale()
        again = ledger.reconcile()
        assert not again.ran and again.relations == first.relations
        ledger.store(analyze(LATER, published=dt.date(2025, 1, 22)))
        assert ledger.stale()
        # a query reconciles first: the new claim is related at once
        assert any(r.b.document != seed.document.id for r in ledger.relations()) or any(
            r.a.document != seed.document.id for r in ledger.relations()
        )
        assert not ledger.stale()


def test_catching_up_reconciles_without_counting(ledger_target: str, seed: Analysis) -> None:
    # what a live process calls after every article: the same reconcile, and only
    # whether it ran; the counts are read when asked for
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        assert ledger.catch_up() and not ledger.stale()
        assert not ledger.catch_up()
        counted = ledger.reconcile()
        assert not counted.ran
        assert sum(counted.relations.values()) == len(ledger.relations()) > 0
        assert counted.relations["corroborates"] == len(ledger.relations(kind="corroborates"))


def test_one_person_across_articles_and_a_wire_copy_counted_once(ledger_target: str) -> None:
    published = dt.date(2025, 1, 25)
    with Ledger(ledger_target) as ledger:
        for text in (FIRST, COPY, LATER, BY_ROLE):
            ledger.store(analyze(text, published=published))
        sources = {s.name: s for s in ledger.sources()}
        syrskyi = sources["Oleksandr Syrskyi"]
        assert set(syrskyi.aliases) >= {"Syrskyi"}
        assert syrskyi.documents == 4
        # the copy repeats the first report: one figure from two articles, one root
        [killed] = ledger.figures(measure="killed")
        assert len({c.document for c in killed.claims}) == 2
        assert (killed.independent, killed.roots) == (1, ("Oleksandr Syrskyi",))
        # the same person later: Jan 21 "3,000 killed or wounded" → Jan 24 "3,800"
        [update] = ledger.relations(kind="updates")
        assert (update.a.quantity.value, update.b.quantity.value) == (3000, 3800)
        assert "the same source (Oleksandr Syrskyi)" in update.reason
        assert ledger.conflicts() == []


def test_claims_carry_their_root_and_resolved_source(ledger_target: str) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(analyze(LATER, published=dt.date(2025, 1, 22)))
        ledger.store(analyze(FIRST, published=dt.date(2025, 1, 22)))
        rows = list(ledger.find_claims(ClaimQuery(measures=("killed_or_wounded",))))
        assert [(r.source, r.roots, r.source_kind) for r in rows] == [
            ("Oleksandr Syrskyi", ("Oleksandr Syrskyi",), "person")
        ]
        # "--source syrskyi" finds the claims of every name the person goes by
        assert len(list(ledger.find_claims(ClaimQuery(source="oleksandr")))) == 2


def test_ratings_survive_reanalysis_and_need_a_real_claim(
    ledger_target: str, seed: Analysis
) -> None:
    rating = Rating(
        document=seed.document.id,
        claim="c6",
        verdict="Unproven",
        value=3,
        reviewer="Example Fact Check",
        reviewed=dt.date(2025, 2, 3),
        url="https://factcheck.example/kursk",
    )
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        ledger.rate(rating)
        ledger.rate(rating)  # rating again replaces
        ledger.store(seed)  # analysing the article again keeps the rating
        assert ledger.ratings() == {(seed.document.id, "c6"): rating}
        with pytest.raises(LedgerError, match="no claim"):
            ledger.rate(Rating(seed.document.id, "c99", "False", 1, "X", dt.date(2025, 2, 3)))


def test_documents_claims_and_provenance_for_the_api(ledger_target: str, seed: Analysis) -> None:
    copy = analyze(COPY, published=dt.date(2025, 1, 21))
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        ledger.store(analyze(FIRST, published=dt.date(2025, 1, 21)))
        ledger.store(copy)
        listed = ledger.documents(limit=2)
        assert [d.published for d in listed] == [dt.date(2025, 2, 1), dt.date(2025, 1, 21)]
        assert ledger.count_documents() == 3
        assert ledger.count_documents(words="Syrskyi") == 3
        whole = ledger.document(copy.document.id)
        assert whole is not None and whole.document.duplicate_of is not None
        assert whole.document.text == copy.document.text
        assert whole.claims == copy.claims
        assert ledger.document("0" * 16) is None
        # paging walks the same order as the whole list
        everything = [(c.document, c.claim.id) for c in ledger.find_claims()]
        pages = [
            (c.document, c.claim.id)
            for offset in range(0, len(everything), 3)
            for c in ledger.find_claims(limit=3, offset=offset)
        ]
        assert pages == everything and ledger.count_claims() == len(everything)
        # until: the claims holding from that day or earlier; the seed's "2025-W04"
        # (January 20-26) starts before January 21, its January 28 kill after
        killed = ("killed",)
        assert ledger.count_claims(ClaimQuery(measures=killed, until=dt.date(2025, 1, 21))) == 4
        assert ledger.count_claims(ClaimQuery(measures=killed, until=dt.date(2025, 1, 19))) == 0
        graph = ledger.provenance(subject="north korean")
        named = {n.id: n.name for n in graph.nodes}
        edges = {(named[e.from_], named[e.to]) for e in graph.edges}
        assert ("Ukrainian Special Operations Forces", "Korean News Agency") in edges
        points = ledger.timeline(ClaimQuery(subject="north korean", measures=killed))
        assert [p.claim.quantity.value for p in points if p.document == seed.document.id] == [
            4000,
            2,
        ]
        assert any(p.conflicts for p in points)


def test_claim_groups_count_claims_by_subject_and_measure(
    ledger_target: str, seed: Analysis
) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        groups = {(g.subject, g.measure): g.claims for g in ledger.claim_groups()}
    assert groups[("north korean soldiers", "killed")] == 2
    assert groups[("russian soldiers", "deployed")] == 1
    assert sum(groups.values()) == len(seed.claims)


def test_relations_filter_by_measure_on_either_side(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        everything = ledger.relations()
        absent = ledger.relations(measure="absent")
        assert absent and len(absent) < len(everything)
        assert all("absent" in (r.a.measure, r.b.measure) for r in absent)
        assert ledger.count_relations(measure="absent") == len(absent)
        assert ledger.count_relations(subject="north korean soldiers", exact=True) == len(
            everything
        )
        assert ledger.count_relations(subject="north korean", exact=True) == 0


def test_two_ledgers_reconciling_at_once_both_finish(tmp_path: Path, seed: Analysis) -> None:
    path = tmp_path / "shared.sqlite"
    with Ledger(path) as ledger:
        ledger.store(seed)
    results: list[object] = []

    def reconcile() -> None:
        with Ledger(path) as ledger:
            results.append(ledger.reconcile())

    threads = [threading.Thread(target=reconcile) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ran = [r for r in results if getattr(r, "ran", False)]
    assert len(results) == 3 and len(ran) == 1  # the others found nothing left to do


def test_figures_page_in_sql_and_one_rating_is_looked_up(
    ledger_target: str, seed: Analysis
) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        everything = [f.id for f in ledger.figures()]
        pages = [
            f.id for o in range(0, len(everything), 2) for f in ledger.figures(limit=2, offset=o)
        ]
        assert pages == everything and ledger.count_figures() == len(everything)
        assert ledger.rating(seed.document.id, "c6") is None
        rating = Rating(seed.document.id, "c6", "Unproven", 3, "X", dt.date(2025, 2, 3))
        ledger.rate(rating)
        assert ledger.rating(seed.document.id, "c6") == rating


CITING = (
    "About 100 North Korean soldiers have been killed, a lawmaker said on Thursday, "
    "citing the National Intelligence Service."
)
DIRECT = (
    "South Korea's National Intelligence Service (NIS) said on Thursday, December 19, that "
    "about 100 North Korean soldiers had been killed."
)


def test_a_cited_party_is_the_root_not_the_speaker(ledger_target: str) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(analyze(CITING, published=dt.date(2024, 12, 20)))
        ledger.store(analyze(DIRECT, published=dt.date(2024, 12, 20)))
        [killed] = ledger.figures(measure="killed")
        # two articles, one origin: the lawmaker relays the NIS
        assert len(killed.claims) == 2
        assert killed.roots == ("National Intelligence Service of South Korea",)
        # the lawmaker's sentence: the cited party is its source, the lawmaker its via
        [relayed] = [c for c in ledger.find_claims() if c.statement.startswith("About 100")]
        assert relayed.roots == ("National Intelligence Service of South Korea",)
        assert relayed.source == "National Intelligence Service of South Korea"
