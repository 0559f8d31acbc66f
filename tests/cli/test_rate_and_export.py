"""`claimledger rate` keeps an earlier rating unless told --replace; `export` says in one
warning line how many of its entries lack a URL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app
from claimledger.ledger import Ledger

STORY = (
    "The port authority said on Monday that 35 containers were destroyed in the fire. "
    "Firefighters said that 4 crew members were evacuated.\n"
)


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def db(tmp_path: Path) -> str:
    article = tmp_path / "fire.txt"
    article.write_text(STORY, encoding="utf-8")
    path = str(tmp_path / "l.sqlite")
    result = cli("ingest", str(article), "--db", path, "--published", "2025-03-03")
    assert result.exit_code == 0, result.output
    return path


def first_claim(db: str) -> str:
    with Ledger(db) as ledger:
        row = next(iter(ledger.find_claims()))
    return f"{row.document}/{row.claim.id}"


def rate(db: str, ref: str, verdict: str, *extra: str) -> Result:
    return CliRunner().invoke(
        app,
        ["rate", ref, "--db", db, "--verdict", verdict, "--value", "2", "--reviewer", "Desk",
         "--date", "2025-03-05", *extra],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("second", "code", "said", "kept"),
    [
        ((), 2, "is already rated 'Misleading' (2/5) by Desk on 2025-03-05; add --replace",
         "Misleading"),
        (("--replace",), 0, "rating replaced", "False"),
    ],
)  # fmt: skip
def test_a_second_rating_needs_replace(
    db: str, second: tuple[str, ...], code: int, said: str, kept: str
) -> None:
    ref = first_claim(db)
    first = rate(db, ref, "Misleading")
    assert first.exit_code == 0 and first.stderr.startswith(f"rated {ref}: Misleading")
    again = rate(db, ref, "False", *second)
    assert again.exit_code == code
    (line,) = again.stderr.splitlines()
    assert said in line, line
    document, _, claim = ref.partition("/")
    with Ledger(db) as ledger:
        rating = ledger.rating(document, claim)
    assert rating is not None and rating.verdict == kept
    assert rating.reviewed == dt.date(2025, 3, 5)


def test_replace_on_an_unrated_claim_just_rates_it(db: str) -> None:
    result = rate(db, first_claim(db), "Unproven", "--replace")
    assert result.exit_code == 0 and result.stderr.startswith("rated ")


@pytest.mark.parametrize(
    ("fmt", "rate_with", "warning"),
    [
        ("csv", None, "warning: 2 of 2 claims have no article URL (give it with 'claimledger "
         "ingest --url'"),
        ("jsonl", None, "warning: 2 of 2 claims have no article URL"),
        ("claimreview", (), "warning: 1 of 1 ClaimReview entries lack a URL: 1 without the "
         "fact-check's URL (claimledger rate --url URL --replace); 1 without the article's"),
        ("claimreview", ("--url", "https://desk.example/1"),
         "warning: 1 of 1 ClaimReview entries lack a URL: 1 without the article's URL"),
    ],
)  # fmt: skip
def test_an_export_warns_on_entries_without_a_url(
    db: str, fmt: str, rate_with: tuple[str, ...] | None, warning: str
) -> None:
    if rate_with is not None:
        assert rate(db, first_claim(db), "False", *rate_with).exit_code == 0
    result = cli("export", "--db", db, "--format", fmt)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[1].startswith(warning), lines


def test_an_export_with_every_url_has_no_warning(tmp_path: Path) -> None:
    article = tmp_path / "fire.txt"
    article.write_text(STORY, encoding="utf-8")
    db = str(tmp_path / "l.sqlite")
    url = "https://port.example/fire"
    assert cli("ingest", str(article), "--db", db, "--url", url).exit_code == 0
    assert rate(db, first_claim(db), "False", "--url", "https://desk.example/1").exit_code == 0
    for fmt in ("csv", "jsonl", "claimreview"):
        result = cli("export", "--db", db, "--format", fmt)
        assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
