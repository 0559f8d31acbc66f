"""The ledger's query commands on the acceptance corpus: conflicts, figures, sources,
timeline, export and rate — what the user sees, and one line for each mistake."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app
from tests import paths

CORPUS = paths.CORPUS
RELATION_COUNTS = {"conflicts": 3, "updates": 3, "compatible": 11, "corroborates": 7}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ledger") / "story.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(CORPUS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "3 conflicts, 3 updates" in result.output
    return db


@pytest.fixture
def db(built: Path, tmp_path: Path) -> str:
    """A private copy, so a test that writes (rate) never changes another's input."""
    copy = tmp_path / "story.sqlite"
    shutil.copy(built, copy)
    return str(copy)


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def jsonl(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_conflicts_lists_conflicts_and_updates_with_reasons(db: str) -> None:
    result = cli("conflicts", "--db", db)
    assert result.exit_code == 0, result.output
    assert "6 relation(s): 3 conflicts, 3 updates\n" in result.output
    assert "CONFLICTS" in result.output and "UPDATES" in result.output
    assert "why: deployed at most 500 and ≈11,000 (9,900–12,100) do not overlap" in (
        result.output.replace("\n", " ").replace("  ", " ")
    )


@pytest.mark.parametrize(
    ("options", "kinds"),
    [
        ((), {"conflicts": 3, "updates": 3}),
        (("--kind", "updates"), {"updates": 3}),
        (("--kind", "all"), RELATION_COUNTS),
        (("--kind", "all", "--subject", "russian"), {}),
        (("--kind", "all", "--limit", "2"), {k: 2 for k in RELATION_COUNTS}),
    ],
)
def test_conflicts_filters(db: str, options: tuple[str, ...], kinds: dict[str, int]) -> None:
    rows = jsonl(cli("conflicts", "--db", db, "--format", "jsonl", *options))
    found: dict[str, int] = {}
    for row in rows:
        found[str(row["kind"])] = found.get(str(row["kind"]), 0) + 1
    assert found == kinds


def test_figures_count_independent_roots(db: str) -> None:
    rows = jsonl(cli("figures", "--db", db, "--measure", "deployed", "--format", "jsonl"))
    assert sorted((r["independent"], len(r["claims"])) for r in rows) == [(1, 1), (1, 1), (2, 2)]  # type: ignore[arg-type]
    table = cli("figures", "--db", db, "--measure", "killed")
    assert "1 independent root: National Intelligence Service of South Korea" in table.output


def test_sources_merge_names_across_articles(db: str) -> None:
    rows = {r["name"]: r for r in jsonl(cli("sources", "--db", db, "--format", "jsonl"))}
    syrskyi = rows["Oleksandr Syrskyi"]
    assert {"Syrskyi", "Ukraine's commander"} <= set(syrskyi["aliases"])  # type: ignore[arg-type]
    assert rows["Reuters"]["relayed"] == ["Oleksandr Syrskyi"]
    assert "Syrskyi" in cli("sources", "--db", db).output


def test_timeline_in_the_terminal_and_as_svg(db: str, tmp_path: Path) -> None:
    out = tmp_path / "killed.svg"
    result = cli(
        "timeline",
        "--db",
        db,
        "--subject",
        "north korean",
        "--measure",
        "killed",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "north korean: killed" in result.output
    assert "National Intelligence Service" in result.output
    assert ET.parse(out).getroot().tag.endswith("svg")


def test_export_csv_jsonl_and_parquet(db: str, tmp_path: Path) -> None:
    rows = jsonl(cli("export", "--db", db, "--measure", "killed"))
    assert len(rows) == 3 and all(r["roots"] for r in rows)
    table = cli("export", "--db", db, "--format", "csv")
    assert table.exit_code == 0
    records = [r for r in csv.DictReader(io.StringIO(table.output)) if r.get("claim")]
    assert len(records) == 17
    assert {r["measure"] for r in records} >= {"killed", "deployed", "captured"}
    parquet = tmp_path / "claims.parquet"
    assert cli("export", "--db", db, "--format", "parquet", "--out", str(parquet)).exit_code == 0
    import pyarrow.parquet as pq

    assert pq.read_table(parquet).num_rows == 17


def test_a_rated_claim_is_exported_as_claimreview(db: str, tmp_path: Path) -> None:
    [claim] = jsonl(cli("export", "--db", db, "--source", "russian", "--measure", "deployed"))
    ref = f"{claim['document']}/{claim['id']}"
    rated = cli(
        "rate", ref, "--db", db, "--verdict", "False", "--value", "1",
        "--reviewer", "Example Fact Check", "--url", "https://factcheck.example/1",
        "--date", "2024-12-18",
    )  # fmt: skip
    assert rated.exit_code == 0, rated.output
    out = tmp_path / "reviews.json"
    assert cli("export", "--db", db, "--format", "claimreview", "--out", str(out)).exit_code == 0
    [review] = json.loads(out.read_text(encoding="utf-8"))
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "False"
    assert review["itemReviewed"]["author"]["name"] == "Russian Ministry of Defence"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("conflicts", "--db", "{missing}"), "no ledger at"),
        (("export", "--db", "{db}", "--format", "parquet"), "give --out FILE.parquet"),
        (("rate", "nonsense", "--db", "{db}", "--verdict", "x", "--value", "1", "--reviewer", "x"),
         "not a claim reference"),
        (("rate", "abc/c1", "--db", "{db}", "--verdict", "x", "--value", "1", "--reviewer", "x"),
         "no claim abc/c1"),
        (("rate", "abc/c1", "--db", "{db}", "--verdict", "x", "--value", "9", "--reviewer", "x"),
         "not in the range"),
        (("timeline", "--db", "{db}", "--subject", "unicorns"), "no dated claims about 'unicorns'"),
        (("export", "--db", "{db}", "--out", "{db}"), "is the ledger itself"),
        (("export", "--db", "{db}", "--out", "{tmp}/no/such/x.csv"), "does not exist"),
        (("timeline", "--db", "{db}", "--subject", "north", "--out", "{tmp}/c.gif"), ".png"),
        (("timeline", "--db", "{db}", "--subject", "north", "--out", "{tmp}/no/c.svg"),
         "does not exist"),
        (("timeline", "--db", "{db}", "--subject", " "), "needs words"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line(
    db: str, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    filled = [a.format(db=db, missing=tmp_path / "nope.sqlite", tmp=tmp_path) for a in args]
    result = cli(*filled)
    assert result.exit_code in (1, 2)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("error: ") and message in lines[-1], result.output
    assert not (tmp_path / "nope.sqlite").exists()  # a query never creates a ledger
    assert Path(db).stat().st_size > 0  # and an export never overwrites it


READS = [
    ("claims",),
    ("conflicts",),
    ("figures",),
    ("sources",),
    ("timeline", "--subject", "north korean"),
    ("export", "--format", "csv"),
    ("rate", "abc/c1", "--verdict", "x", "--value", "1", "--reviewer", "x"),
]


@pytest.mark.parametrize("args", READS, ids=[args[0] for args in READS])
def test_a_command_that_reads_never_makes_a_ledger(tmp_path: Path, args: tuple[str, ...]) -> None:
    """A mistyped --db is one line and status 2, saying how a ledger is made."""
    typo = tmp_path / "TYPO.sqlite"
    result = CliRunner().invoke(app, [*args, "--db", str(typo)], prog_name="claimledger")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: no ledger at {str(typo)!r}; create one with 'claimledger ")
    assert f"ingest FILES --db {typo}'" in line and f"'claimledger {args[0]} --help'" in line
    assert not typo.exists()


def test_a_database_url_is_passed_through(db: str) -> None:
    rows = jsonl(cli("claims", "--db", f"sqlite:///{db}", "--format", "jsonl"))
    assert len(rows) == 17


def test_a_long_list_says_how_much_it_shows(db: str) -> None:
    result = cli("conflicts", "--db", db, "--kind", "all", "--limit", "1")
    assert result.exit_code == 0, result.output
    heading = result.output.splitlines()[0]
    assert heading.startswith("24 relation(s): 3 conflicts, 3 updates, 11 compatible")
    assert "showing 4 (--limit 1 of each kind; --limit 0 for all)" in " ".join(
        result.output.split()
    )


def test_terminal_escapes_in_article_text_are_not_printed() -> None:
    from rich.console import Console

    from claimledger.ledger.reads import ClaimSummary, FigureGroup, RelationRow
    from claimledger.records import Quantity
    from claimledger.render.report import relation_blocks

    day = dt.date(2025, 1, 28)
    side = ClaimSummary(
        ref="d/c1", document="d", claim="c1", subject="s", measure="killed",
        quantity=Quantity(low=2, high=2, approx=False, text="two", spans=(), value=2),
        certainty="asserted", statement=None,
        source="Evil\x1b]0;pwned\x07 Corp\x1b[2J",
        root=None, start=day, end=day, dated_by=None, scope=None,
        outlet="Out\x1b[31mlet",
        published=None, url=None, figure=FigureGroup(independent=1, roots=()),
    )  # fmt: skip
    console = Console(force_terminal=True, width=200, record=True)
    for block in relation_blocks(
        [RelationRow(kind="conflicts", subject="s", reason="r\x1b[2J", a=side, b=side)]
    ):
        console.print(block)
    shown = console.export_text(styles=False)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "Evil\ufffd]0;pwned\ufffd Corp" in shown
