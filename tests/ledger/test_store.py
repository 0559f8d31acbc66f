"""The ledger, on a real SQLite file and a real PostgreSQL database (``ledger_target``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from claimledger.errors import LedgerError
from claimledger.extract import analyze
from claimledger.ledger import ClaimQuery, Ledger, neardup, rebuild
from claimledger.ledger import store as store_module
from claimledger.ledger import tables as t
from claimledger.ledger import writes as writes_module
from claimledger.ledger.neardup import minhash_of
from claimledger.records import Analysis

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")

WIRE = (
    "KYIV (Wire) - Ukraine's military said on Monday that about 300 North Korean soldiers "
    "were killed in the Kursk region last week, and that 40 more were captured. The "
    "general staff said the troops had been sent to the front in November. A spokesman "
    "for the army said Russian forces had lost 1,200 soldiers in the same battles, "
    "according to figures it did not detail. Moscow has not commented on the claims."
)
# The same wire story as another site carried it: a new headline line, one word changed.
WIRE_COPY = "Ukraine says 300 North Korean troops killed\n" + WIRE.replace("detail", "publish")
OTHER = (
    "Russia's defence ministry said on Tuesday that its forces had captured two villages "
    "in the Donetsk region and that Ukrainian losses exceeded 500 soldiers over the week."
)


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(SEED.read_text("utf-8"), published=dt.date(2025, 2, 1))


def test_storing_twice_replaces_and_never_duplicates(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        assert ledger.store(seed) is True
        first = ledger.counts()
        assert ledger.store(seed) is False
        assert ledger.counts() == first
    assert first == {
        "documents": 1,
        "entities": len(seed.entities),
        "attributions": len(seed.attributions),
        "claims": len(seed.claims),
    }


def test_claims_read_back_as_json(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        claims = list(ledger.claims())
    assert [c.claim for c in claims] == list(seed.claims)
    assert [c.to_json() for c in claims] == [
        {**c, "document": seed.document.id} for c in seed.to_json()["claims"]
    ]


def test_a_ledger_reopens_with_its_contents(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
    with Ledger(ledger_target) as again:
        assert again.counts()["claims"] == len(seed.claims)


def test_a_failure_mid_store_leaves_the_previous_version_intact(
    ledger_target: str, seed: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        before = ledger.counts()
        real_dumps = writes_module.json.dumps

        def failing_dumps(obj: object, **kw: object) -> str:
            if isinstance(obj, dict) and "measure" in obj:
                raise RuntimeError("disk full while writing claims")
            return real_dumps(obj)

        monkeypatch.setattr(writes_module.json, "dumps", failing_dumps)
        with pytest.raises(RuntimeError):
            ledger.store(seed)
        monkeypatch.undo()
        assert ledger.counts() == before
        assert ledger.search_documents("Syrskyi") == [seed.document.id]


def test_a_wire_copy_is_linked_to_the_first_report(ledger_target: str) -> None:
    wire, copy, other = (analyze(text) for text in (WIRE, WIRE_COPY, OTHER))
    with Ledger(ledger_target) as ledger:
        assert ledger.store_analysis(wire).duplicate_of is None
        stored = ledger.store_analysis(copy)
        assert ledger.store_analysis(other).duplicate_of is None
        assert stored.duplicate_of == wire.document.id
        assert stored.similarity is not None and stored.similarity >= 0.7
        assert ledger.duplicates() == [(copy.document.id, wire.document.id, stored.similarity)]
        # storing the copy again changes nothing
        ledger.store(copy)
        assert len(ledger.duplicates()) == 1
    # a new process (a fresh index built from the stored signatures) still links copies
    with Ledger(ledger_target) as again:
        third = analyze(WIRE_COPY.replace("Monday", "Monday evening"))
        assert again.store_analysis(third).duplicate_of == wire.document.id


def test_a_bulletin_in_the_same_template_with_other_figures_is_not_a_copy(
    ledger_target: str,
) -> None:
    monday = analyze(WIRE)
    tuesday = analyze(WIRE.replace("300", "350").replace("40 more", "45 more"))
    with Ledger(ledger_target) as ledger:
        ledger.store(monday)
        stored = ledger.store_analysis(tuesday)
    assert stored.duplicate_of is None  # similar words, different report


def test_minhash_is_the_same_in_every_run() -> None:
    a, b = minhash_of(WIRE), minhash_of(WIRE)
    assert list(a.hashvalues) == list(b.hashvalues)
    assert minhash_of(WIRE).jaccard(minhash_of(OTHER)) < 0.2
    # the permutations shared by every signature are those its seed draws, so signatures
    # stored before (each drew its own) compare with those made now
    from datasketch import MinHash

    drawn = MinHash(num_perm=neardup.NUM_PERM, seed=1, scheme="affine32")
    drawn.update_batch([s.encode("utf-8") for s in neardup.shingles(WIRE)])
    assert list(drawn.hashvalues) == list(a.hashvalues)
    stored = neardup._signature(neardup.signature_bytes(drawn))
    assert list(stored.hashvalues) == list(a.hashvalues)
    assert (stored.permutations == drawn.permutations).all()


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("Syrskyi", True),
        ("syrskyi kursk", True),
        ('"Syrskyi" OR 1=1; DROP TABLE documents; --', False),
        ("Syrskyi* (", True),  # FTS syntax characters are not read as syntax
        ("Syrskyi NEAR", False),  # every word must be there, and NEAR is a word here
        ("", False),
    ],
)
def test_full_text_search_takes_plain_words(
    ledger_target: str, seed: Analysis, words: str, found: bool
) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        assert ledger.search_documents(words) == ([seed.document.id] if found else [])
        assert ledger.counts()["documents"] == 1


def test_claims_are_searchable_by_what_was_said(ledger_target: str, seed: Analysis) -> None:
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        found = ledger.search_claims("wounded killed")
    assert found == [(seed.document.id, "c7")]


def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger, ledger.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_file_that_is_not_a_ledger_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database, just text " * 200)
    with pytest.raises(LedgerError) as info:
        Ledger(path)
    assert "notes.sqlite" in str(info.value) and "\n" not in str(info.value)


def test_a_ledger_from_before_migrations_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, text TEXT)")
    db.execute("INSERT INTO documents VALUES ('x', 'kept')")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="earlier development version"):
        Ledger(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT text FROM documents").fetchall() == [("kept",)]
    db.close()


@pytest.mark.parametrize("url", ["mysql://nobody@127.0.0.1/x", "nonsense://"])
def test_an_unusable_database_url_is_refused_in_one_line(url: str) -> None:
    with pytest.raises(LedgerError) as info:
        Ledger(url)
    assert "\n" not in str(info.value)


def test_storing_the_original_again_keeps_its_copies_linked(ledger_target: str) -> None:
    wire, copy = analyze(WIRE), analyze(WIRE_COPY)
    with Ledger(ledger_target) as ledger:
        ledger.store(wire)
        ledger.store(copy)
        again = ledger.store_analysis(wire)
        assert (again.new, again.duplicate_of) == (False, None)
        assert [(a, b) for a, b, _ in ledger.duplicates()] == [(copy.document.id, wire.document.id)]


def test_finding_claims_orders_and_filters_alike_on_both_databases(
    ledger_target: str, seed: Analysis
) -> None:
    wire = analyze(WIRE, published=dt.date(2025, 1, 13))
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        ledger.store(wire)
        soldiers = ClaimQuery(subject="soldiers")
        found = [(c.document, c.claim.id) for c in ledger.find_claims(soldiers)]
        killed = list(ledger.find_claims(ClaimQuery(measures=("killed",), source="zelensky")))
        since = list(ledger.find_claims(ClaimQuery(since=dt.date(2025, 1, 20))))
    assert found[0][0] == wire.document.id  # dated 2025-W01/W02, before the seed's claims
    assert [c.claim.id for c in killed] == ["c6"]
    assert since and all(c.document == seed.document.id for c in since)


def derived_rows(conn: Connection) -> list[list[tuple[object, ...]]]:
    return [
        sorted(map(tuple, conn.execute(sa.select(table)))) for table in (t.relations, t.figures)
    ]


def test_a_ledger_that_stored_reasons_keeps_its_relations_once_upgraded(
    ledger_target: str, seed: Analysis
) -> None:
    # revision 0008 drops the stored reasons (worked out again when read) and, on SQLite,
    # makes the figures' and relations' ids the tables' rowids: the rows stay, and the
    # ledger needs no reconcile
    with Ledger(ledger_target) as ledger:
        ledger.store(seed)
        listed = ledger.relations()
        with ledger.engine.begin() as conn:
            stored = derived_rows(conn)
            state = dict(conn.execute(sa.select(t.ledger_state)).all())
            config = store_module._migrations()
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
            # as the version before left it: reasons stored, the ledger reconciled
            conn.execute(sa.text("UPDATE relations SET reason = 'stored'"))
            for key in ("reconciled", "facts"):
                conn.execute(t.ledger_state.insert(), {"key": key, "value": state[key]})
    with Ledger(ledger_target) as ledger:
        with ledger.engine.connect() as conn:
            assert "reason" not in {c["name"] for c in sa.inspect(conn).get_columns("relations")}
            assert not rebuild.is_stale(conn)
            assert derived_rows(conn) == stored
            if ledger.dialect == "sqlite":
                indexes = {r[0] for r in conn.execute(sa.text("SELECT name FROM sqlite_master"))}
                assert not {"sqlite_autoindex_relations_1", "sqlite_autoindex_figures_1"} & indexes
        assert ledger.relations() == listed
    assert listed and all(r.reason and r.reason != "stored" for r in listed)
