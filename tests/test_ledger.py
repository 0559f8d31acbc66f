"""The embedded ledger: a real SQLite file in a temp dir."""

from __future__ import annotations

import datetime as dt
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from claimledger.errors import LedgerError
from claimledger.extract import analyze
from claimledger.ledger import Ledger
from claimledger.ledger import store as store_module
from claimledger.records import Analysis

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(SEED.read_text("utf-8"), published=dt.date(2025, 2, 1))


def test_storing_twice_replaces_and_never_duplicates(tmp_path: Path, seed: Analysis) -> None:
    with Ledger(tmp_path / "l.sqlite") as ledger:
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


def test_claims_read_back_as_json(tmp_path: Path, seed: Analysis) -> None:
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.store(seed)
        claims = list(ledger.claims())
    assert [c["id"] for c in claims] == [c.id for c in seed.claims]
    assert all(c["document"] == seed.document.id for c in claims)


def test_a_failure_mid_store_leaves_the_previous_version_intact(
    tmp_path: Path, seed: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.sqlite"
    with Ledger(path) as ledger:
        ledger.store(seed)
        before = ledger.counts()
        real_dumps = store_module.json.dumps

        def failing_dumps(obj: object, **kw: object) -> str:
            if isinstance(obj, dict) and "measure" in obj:
                raise RuntimeError("disk full while writing claims")
            return real_dumps(obj)

        monkeypatch.setattr(store_module.json, "dumps", failing_dumps)
        with pytest.raises(RuntimeError):
            ledger.store(seed)
        monkeypatch.undo()
        assert ledger.counts() == before


def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    Ledger(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_file_that_is_not_a_ledger_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"this is not a database, just text " * 200)
    with pytest.raises(LedgerError) as info:
        Ledger(path)
    assert "notes.sqlite" in str(info.value) and "\n" not in str(info.value)
