"""Shared fixtures. ``ledger_target`` runs a ledger test on both databases: a SQLite file,
and a PostgreSQL database on a throwaway server this fixture starts (initdb and pg_ctl
from Debian's postgresql package). Where PostgreSQL is not installed the PostgreSQL half
is skipped, unless CLAIMLEDGER_REQUIRE_POSTGRES=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimledger.evaluation.pgserver import PostgresMissing, throwaway_postgres

_counter = itertools.count()


# Whole files a developer may leave out locally with `make test-fast` (pytest -m "not slow
# and not browser"); `make test` and CI run them. A single slow test is marked where it
# is defined. The marks are registered in pyproject.toml.
SKIPPABLE = {
    "web/test_browser.py": "browser",  # headless Chromium
    "ingest/test_crash.py": "slow",  # kills a real ingest and runs it again
    "evaluation/test_ledger_bench.py": "slow",  # the ledger benchmark at small scale
    "api/test_schemathesis.py": "slow",  # property-based requests to every endpoint
    "nlp/test_roletagger.py": "slow",  # loads the accurate profile's MiniLM tagger (torch)
}


TESTS = Path(__file__).parent
assert all((TESTS / name).is_file() for name in SKIPPABLE), "a SKIPPABLE file has moved"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(TESTS):
            mark = SKIPPABLE.get(item.path.relative_to(TESTS).as_posix())
            if mark is not None:
                item.add_marker(mark)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A URL (without database name) of a PostgreSQL server started for this session."""
    try:
        with throwaway_postgres() as server:
            yield server
    except PostgresMissing as error:
        if os.environ.get("CLAIMLEDGER_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(error))
        pytest.skip(str(error))


def _new_database(server: str) -> str:
    import psycopg
    from psycopg import sql

    name = f"ledger_{os.getpid()}_{next(_counter)}"
    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's ledger lives: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.sqlite")
    server: str = request.getfixturevalue("postgres_server")
    return _new_database(server)
