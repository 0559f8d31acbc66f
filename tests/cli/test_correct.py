"""`claimledger correct`: a fact-checker's corrections from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("correct") / "demo.sqlite"
    result = cli("demo", "--db", str(path))
    assert result.exit_code == 0, result.output
    return str(path)


def _document(db: str) -> str:
    result = cli("claims", "--db", db, "--format", "jsonl")
    return str(json.loads(result.output.splitlines()[0])["document"])


def test_corrections_are_stored_listed_applied_and_removed(db: str) -> None:
    document = _document(db)
    merged = cli("correct", "merge-sources", "Zelensky", "Oleksandr Syrskyi", "--db", db,
                 "--note", "one office", "--reviewer", "Example")  # fmt: skip
    assert merged.exit_code == 0, merged.output
    assert "correction 1: merge sources 'Zelensky' and 'Oleksandr Syrskyi'" in merged.output
    dismissed = cli("correct", "dismiss", f"{document}/c8", f"{document}/c1", "--db", db,
                    "--note", "another sector")  # fmt: skip
    assert dismissed.exit_code == 0, dismissed.output
    listed = cli("correct", "list", "--db", db)
    assert "merge sources" in listed.output and "(another sector)" in listed.output
    rows = [
        json.loads(line)
        for line in cli("correct", "list", "--db", db, "--format", "jsonl").output.splitlines()
    ]
    assert [r["action"] for r in rows] == ["merge_sources", "dismiss"]
    assert rows[1]["claims"][0]["document"] == document
    conflicts = cli("conflicts", "--db", db, "--format", "jsonl").output
    pairs = {
        frozenset((r["a"]["claim"], r["b"]["claim"]))
        for r in map(json.loads, conflicts.splitlines())
    }
    assert frozenset(("c1", "c8")) not in pairs
    assert cli("correct", "remove", str(rows[1]["id"]), "--db", db).exit_code == 0
    conflicts = cli("conflicts", "--db", db, "--format", "jsonl").output
    pairs = {
        frozenset((r["a"]["claim"], r["b"]["claim"]))
        for r in map(json.loads, conflicts.splitlines())
    }
    assert frozenset(("c1", "c8")) in pairs


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("measure", "nope", "killed"), "not a claim reference"),
        (("measure", "abc/c99", "killed"), "no claim abc/c99"),
        (("remove", "77"), "no correction 77"),
    ],
)
def test_a_wrong_correction_is_one_line(db: str, args: tuple[str, ...], message: str) -> None:
    result = cli("correct", *args, "--db", db)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_the_help_shows_the_group(tmp_path: Path) -> None:
    result = cli("correct", "--help")
    assert result.exit_code == 0 and "merge-sources" in result.output
