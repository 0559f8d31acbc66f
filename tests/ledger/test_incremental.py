"""Incremental reconcile: storing or deleting an article re-derives only the subjects its
claims are in, and the derived tables are exactly what a full rebuild makes of the same
stored documents, whatever the articles, their order, the deletions and the corrections.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.extract import analyze
from claimledger.ledger import Ledger, reasons, rebuild, warm
from claimledger.ledger import tables as t
from claimledger.ledger.corrections import Correction
from claimledger.ledger.local import InPlace
from claimledger.ledger.reconcile import ClaimFacts, Relation, reconcile
from claimledger.records import Analysis
from tests import paths

DERIVED = (t.ledger_entities, t.entity_links, t.claim_facts, t.figures, t.relations)


def reports(count: int | None = None) -> list[Analysis]:
    """The acceptance corpus's reports of one story (the first ``count``), analysed."""
    found = []
    for line in paths.CORPUS.read_text(encoding="utf-8").splitlines()[:count]:
        article = json.loads(line)
        found.append(
            analyze(
                article["text"],
                published=dt.date.fromisoformat(article["published"]),
                url=article["url"],
                outlet=article["outlet"],
            )
        )
    return found


@pytest.fixture(scope="module")
def pool() -> list[Analysis]:
    """The acceptance corpus's twelve reports of one story, the seed article and three
    undated quick-start articles of another story: many subjects, figures that agree and
    disagree across articles, a wire copy, undated claims."""
    found = reports()
    found.append(analyze(paths.SEED.read_text(encoding="utf-8"), published=dt.date(2025, 2, 1)))
    quickstart = paths.ROOT / "docs" / "quickstart"
    for name in ("ferry-capsizes.txt", "toll-rises.txt", "survivors-dispute.txt"):
        found.append(analyze((quickstart / name).read_text(encoding="utf-8")))
    return found


def derived(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    """Every derived table's rows, sorted."""
    with ledger.engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(sa.select(table))), key=repr)
            for table in DERIVED
        }


def agrees_with_a_full_rebuild(ledger: Ledger) -> None:
    incremental = derived(ledger)
    ledger.reconcile(full=True)
    assert derived(ledger) == incremental


# ledgers built from the module's pool, one per example: slow, and the fixture is shared
LEDGERS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def history(data: st.DataObject, pool: list[Analysis]) -> tuple[list[int], list[int]]:
    """Some of the pool's articles in a random order, and up to three of them deleted."""
    order = data.draw(st.permutations(range(len(pool))))
    stored = order[: data.draw(st.integers(2, len(pool)))]
    return stored, data.draw(st.lists(st.sampled_from(stored), max_size=3, unique=True))


@settings(LEDGERS, max_examples=12)
@given(data=st.data())
def test_incremental_reconcile_equals_a_full_rebuild(
    pool: list[Analysis], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    stored, deleted = history(data, pool)
    dismiss_at = data.draw(st.integers(0, len(stored)))
    path = tmp_path_factory.mktemp("incremental") / "ledger.sqlite"
    with Ledger(path) as ledger:
        for step, index in enumerate(stored):
            ledger.store(pool[index])
            ledger.reconcile()
            if step == dismiss_at and (conflicts := ledger.conflicts()):
                # a fact-checker's correction: the next reconcile is a full one
                first = conflicts[0]
                ledger.correct(
                    Correction(
                        "dismiss",
                        claims=(ledger.claim_key(first.a.ref), ledger.claim_key(first.b.ref)),
                    )
                )
                ledger.reconcile()
        for index in deleted:
            assert ledger.delete(pool[index].document.id)
            ledger.reconcile()
        if deleted:  # and one back again
            ledger.store(pool[deleted[0]])
            ledger.reconcile()
        agrees_with_a_full_rebuild(ledger)


def test_a_relation_read_back_gives_the_reason_its_reconcile_found(
    pool: list[Analysis], tmp_path: Path
) -> None:
    # relations are stored without their reasons: each is made again from the stored
    # facts of the pair of claims that shows it, and must be what the rules said of the
    # pair when they related it
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool:
            ledger.store(analysis)
        listed = ledger.relations()
        with ledger.engine.connect() as conn:
            everything = conn.execute(
                sa.select(t.claim_facts.c.document_id, t.claim_facts.c.claim_id)
            ).all()
            facts = reasons.stored_facts(conn, [f"{doc}/{claim}" for doc, claim in everything])
    assert len(facts) == len(everything)
    related = reconcile(facts.values()).relations
    assert {r.kind for r in related} == {"conflicts", "updates", "compatible", "corroborates"}
    assert {(r.a.ref, r.b.ref, r.kind): r.reason for r in listed} == {
        (r.a, r.b, r.kind): r.reason for r in related
    }
    assert all(r.reason for r in listed)


def test_storing_one_article_re_derives_only_its_subjects(
    pool: list[Analysis], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool[:-1]:
            ledger.store(analysis)
        ledger.reconcile()
        seen: list[str] = []
        whole, in_place = rebuild.reconcile_subject, rebuild.rederive_in_place

        def spy(group: Any, *args: Any) -> Any:
            seen.append(group[0].subject)
            return whole(group, *args)

        def spy_in_place(group: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(group[0].subject)
            return in_place(group, *args, **kwargs)

        # a subject is re-derived whole, or in place where it only gains claims
        monkeypatch.setattr(rebuild, "reconcile_subject", spy)
        monkeypatch.setattr(rebuild, "rederive_in_place", spy_in_place)
        ledger.store(pool[-1])  # an undated article of another story
        ledger.reconcile()
        with ledger.engine.connect() as conn:
            subjects = set(conn.execute(sa.select(t.claim_facts.c.subject).distinct()).scalars())
            own = set(
                conn.execute(
                    sa.select(t.claim_facts.c.subject).where(
                        t.claim_facts.c.document_id == pool[-1].document.id
                    )
                ).scalars()
            )
        # the new article's subjects, once each, and no other (it shares no source with
        # the rest, so no other claim's facts changed)
        assert sorted(seen) == sorted(own) and len(own) < len(subjects)
        monkeypatch.undo()
        agrees_with_a_full_rebuild(ledger)


def test_a_subject_not_re_derived_in_place_is_derived_whole_as_a_rebuild_does(
    pool: list[Analysis], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # where a subject that only gained claims cannot be re-derived in place (its subject
    # is no count), it is derived whole from its claims in their order: one read from the
    # tables, and one this process kept from its last derivation in place
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool[:3]:
            ledger.store(analysis)
            ledger.reconcile()
        with ledger.engine.connect() as conn:
            assert warm.of(conn).subjects  # kept by this process
        monkeypatch.setattr(rebuild, "rederive_in_place", lambda *args, **kwargs: None)
        for analysis in pool[3:6]:
            ledger.store(analysis)
            ledger.reconcile()
        monkeypatch.undo()
        agrees_with_a_full_rebuild(ledger)


def test_deleting_an_article_takes_its_claims_out_of_figures_and_conflicts(
    pool: list[Analysis], tmp_path: Path
) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool[:12]:
            ledger.store(analysis)
        ledger.reconcile()
        before = ledger.conflicts()
        assert before
        gone = before[0].b.document
        assert ledger.delete(gone)
        assert not ledger.delete(gone)  # only once
        ledger.reconcile()
        assert all(gone not in (r.a.document, r.b.document) for r in ledger.relations())
        assert all(gone not in {c.document for c in f.claims} for f in ledger.figures())
        agrees_with_a_full_rebuild(ledger)


def test_an_article_of_another_subject_can_change_a_claims_root(tmp_path: Path) -> None:
    # "Colonel Kovalenko" alone is a person of his own until an article names the one
    # Kovalenko in full: then the first article's claim (about soldiers) takes his root,
    # although the new article's claim is about tanks
    first = analyze(
        "Colonel Kovalenko told reporters on Monday that 300 Russian soldiers had been "
        "killed near Bakhmut since January.",
        published=dt.date(2025, 3, 4),
    )
    named = analyze(
        "Andriy Kovalenko, a Ukrainian commander, said on Tuesday that 40 Russian tanks had "
        "been destroyed in the past week.",
        published=dt.date(2025, 3, 5),
    )
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.store(first)
        ledger.reconcile()
        ledger.store(named)
        ledger.reconcile()
        with ledger.engine.connect() as conn:
            roots = dict(
                conn.execute(sa.select(t.claim_facts.c.subject, t.claim_facts.c.root_name)).all()
            )
        assert roots == {
            "russian soldiers": "Andriy Kovalenko",
            "russian tanks": "Andriy Kovalenko",
        }
        agrees_with_a_full_rebuild(ledger)


def test_subjects_derived_in_worker_processes_are_the_same(
    pool: list[Analysis], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool:
            ledger.store(analysis)
        with ledger.engine.begin() as conn:
            rebuild.reconcile_ledger(conn, full=True, workers=1)
        alone = derived(ledger)
        monkeypatch.setattr(rebuild, "PARALLEL_CLAIMS", 2)
        phases: dict[str, float] = {}
        with ledger.engine.begin() as conn:
            rebuild.reconcile_ledger(conn, full=True, workers=2, phases=phases)
        assert phases["subjects re-derived"] > 2
        assert derived(ledger) == alone


@pytest.mark.parametrize(
    ("given", "expected"), [("3", 3), ("1", 1), ("0", 1), ("many", 1), ("", 1), (" 2 ", 2)]
)
def test_the_reconcile_workers_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, given: str, expected: int
) -> None:
    monkeypatch.setenv("CLAIMLEDGER_RECONCILE_WORKERS", given)
    assert rebuild.reconcile_workers() == expected


# An article changes the facts of claims in articles it shares no entity with, through
# the ledger-wide lookups (the body a spokesperson speaks for) and through near-copies
# (a copy's unattributed claims are its original's report): the incremental reconcile
# must reach those articles too.
WIRE = (
    "KYIV, March 4 (Reuters) - At least 300 Russian soldiers have been killed near Bakhmut "
    "since January, and fighting continued on Tuesday along the whole front line, where "
    "both armies have dug in for a long campaign."
)


@pytest.mark.parametrize(
    ("first", "second", "changes"),
    [
        pytest.param(
            "Stéphane Dujarric, a spokesperson for the United Nations, said on Monday that "
            "300 people had been killed in the floods.",
            "The United Nations said on Tuesday that 40 schools had been destroyed in the "
            "past week.",
            "stored",
            id="a spokesperson's body named by a later article",
        ),
        pytest.param(WIRE, WIRE.replace("Tuesday", "Wednesday"), "original deleted", id="a copy"),
        pytest.param(WIRE, WIRE.replace("Tuesday", "Wednesday"), "original again", id="re-store"),
    ],
)
def test_an_article_reaches_the_claims_whose_facts_it_changes(
    tmp_path: Path, first: str, second: str, changes: str
) -> None:
    a = analyze(first, published=dt.date(2025, 3, 4), outlet="Reuters")
    b = analyze(second, published=dt.date(2025, 3, 5), outlet="Kyiv Post")
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger.store(a)
        if changes != "stored":
            ledger.store(b)
        ledger.reconcile()
        with ledger.engine.connect() as conn:
            before = dict(roots(conn))
        if changes == "stored":
            ledger.store(b)
        elif changes == "original deleted":
            assert ledger.delete(a.document.id)
        else:
            ledger.store(analyze(first, published=dt.date(2025, 3, 4), outlet="AP"))
        ledger.reconcile()
        with ledger.engine.connect() as conn:
            after = dict(roots(conn))
        # the claims of the article not stored or deleted now have another root, or
        # another root's name
        kept = b.document.id if changes != "stored" else a.document.id
        assert after[kept] != before[kept]
        agrees_with_a_full_rebuild(ledger)


def roots(conn: sa.Connection) -> dict[str, tuple[str, str]]:
    f = t.claim_facts
    return {
        r.document_id: (r.root, r.root_name)
        for r in conn.execute(sa.select(f.c.document_id, f.c.root, f.c.root_name))
    }


def test_subjects_that_only_gain_claims_are_re_derived_in_place(
    pool: list[Analysis], tmp_path: Path
) -> None:
    # the corpus's reports of one story, stored one at a time: most reconciles only add
    # claims to subjects, which are re-derived in place, and the tables are a full
    # rebuild's
    in_place = whole = 0
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool[:12]:
            ledger.store(analysis)
            phases: dict[str, float] = {}
            with ledger.engine.begin() as conn:
                rebuild.reconcile_ledger(conn, phases=phases)
            in_place += int(phases.get("subjects re-derived in place", 0))
            whole += int(
                phases["subjects re-derived"] - phases.get("subjects re-derived in place", 0)
            )
        agrees_with_a_full_rebuild(ledger)
    assert in_place > whole > 0


def logged(ledger: Ledger) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The change log's entries (without their times) and the marks, sorted."""
    log, marks = t.change_log, t.change_marks
    with ledger.engine.connect() as conn:
        entries = conn.execute(sa.select(log.c.kind, log.c.subject, log.c.measure, log.c.detail))
        return sorted(map(tuple, entries), key=repr), sorted(
            map(tuple, conn.execute(sa.select(marks))), key=repr
        )


@settings(LEDGERS, max_examples=6)
@given(data=st.data())
def test_the_change_log_of_an_incremental_reconcile_is_a_full_ones(
    pool: list[Analysis], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    # one ledger reconciled incrementally (its change log compares only the documents and
    # subjects each reconcile touched), one rebuilt in full each time (compares all):
    # after every store and delete they have logged the same changes and hold the same
    # marks
    stored, deleted = history(data, pool)
    folder = tmp_path_factory.mktemp("changes")
    with Ledger(folder / "incremental.sqlite") as ledger, Ledger(folder / "full.sqlite") as full:
        steps = [("store", i) for i in stored] + [("delete", i) for i in deleted]
        steps += [("store", deleted[0])] if deleted else []
        for step, index in steps:
            for each in (ledger, full):
                if step == "store":
                    each.store(pool[index])
                else:
                    assert each.delete(pool[index].document.id)
            ledger.reconcile()
            full.reconcile(full=True)
            assert logged(ledger) == logged(full)


def stored_subject(
    conn: sa.Connection, subject: str
) -> tuple[list[ClaimFacts], dict[str, str], dict[str, int]]:
    """A subject's claims as the last reconcile stored them, with their digests and
    figures."""
    digests: dict[str, str] = {}
    figures: dict[str, int] = {}
    named = {
        row.document_id: frozenset(json.loads(row.named))
        for row in conn.execute(sa.select(t.document_countries))
    }
    group = list(rebuild._stored_facts(conn, {subject}, set(), named, {}, digests, figures))
    return group, digests, figures


def test_a_subject_written_in_place_names_the_figures_a_changed_relation_joins(
    pool: list[Analysis], tmp_path: Path
) -> None:
    # the change log compares only the figures an in-place write touched: a line between
    # two figures that changed neither (a new claim pushed a pair out of a queue) is one
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool[:12]:
            ledger.store(analysis)
        ledger.reconcile()
        with ledger.engine.begin() as conn:
            line = conn.execute(
                sa.select(t.relations.c.subject, t.relations.c.a_figure, t.relations.c.b_figure)
                .where(t.relations.c.a_figure != t.relations.c.b_figure)
                .order_by(t.relations.c.id)
            ).first()
            assert line is not None
            group, digests, was = stored_subject(conn, line.subject)

            def written(lines_again: set[frozenset[int]]) -> frozenset[int]:
                found = InPlace(
                    subject=line.subject,
                    figures=(),
                    dropped=frozenset(),
                    figure_of=was,
                    again=(),
                    lines_again=frozenset(lines_again),
                    joins_again=frozenset(),
                    facts={c.ref: c for c in group},
                )
                return rebuild._write_in_place(conn, found, was, (), digests)

            assert not written(set())  # nothing changed
            # the line derived again, and gone
            assert written({frozenset(line[1:])}) == set(line[1:])
            assert not any(
                frozenset((r.a_figure, r.b_figure)) == frozenset(line[1:])
                for r in rebuild._stored_relations(conn, line.subject)
            )


def test_a_member_that_joins_its_figure_by_another_claim_is_written_in_place(
    pool: list[Analysis], tmp_path: Path
) -> None:
    # a member's corroboration of its figure is kept on its claim: derived again in place
    # (a new claim pushed its pair out of a queue), the claim it joins by is written over
    # the stored one, and its figure is named as touched, only if it changed
    f = t.claim_facts
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for analysis in pool[:12]:
            ledger.store(analysis)
        ledger.reconcile()
        with ledger.engine.begin() as conn:
            large = (
                sa.select(f.c.figure).group_by(f.c.figure).having(sa.func.count() >= 3)
            ).scalar_subquery()
            row = conn.execute(
                sa.select(f)
                .where(f.c.joins_claim.is_not(None), f.c.figure.in_(large))
                .order_by(f.c.document_id, f.c.claim_id)
            ).first()
            assert row is not None
            group, digests, was = stored_subject(conn, row.subject)
            facts = {c.ref: c for c in group}
            member, by = (
                f"{row.document_id}/{row.claim_id}",
                f"{row.joins_document}/{row.joins_claim}",
            )
            other = next(
                ref for ref, x in was.items() if x == row.figure and ref not in (member, by)
            )

            def written(partner: str | None) -> frozenset[int]:
                again = ()
                if partner is not None:
                    joined = Relation(
                        partner,
                        member,
                        "corroborates",
                        "",
                        a_figure=row.figure,
                        b_figure=row.figure,
                    )
                    again = (joined,)
                found = InPlace(
                    subject=row.subject,
                    figures=(),
                    dropped=frozenset(),
                    figure_of=was,
                    again=again,
                    lines_again=frozenset(),
                    joins_again=frozenset({member}),
                    facts=facts,
                )
                return rebuild._write_in_place(conn, found, was, (), digests)

            def stored() -> str | None:
                return rebuild._stored_joins(conn, [facts[member]])[member]

            assert not written(by) and stored() == by  # derived again as it was
            assert written(other) == {row.figure} and stored() == other
            assert written(None) == {row.figure} and stored() is None
