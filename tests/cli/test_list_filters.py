"""The list filters of `claimledger claims`, `conflicts` and `export` on the acceptance
corpus (tests/corpus/story.jsonl): each option keeps what it says, they combine, the
formats carry the same rows, and each bad value is one line naming it, exit 2."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app
from claimledger.render.export import FLAT_COLUMNS, RELATION_COLUMNS
from tests import paths

YONHAP_DEC = "221f41f91b203bdc"  # Yonhap, 2024-12-20: killed, wounded, deployed


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ledger") / "story.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(paths.CORPUS), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return str(path)


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def listed(db: str, command: str, *options: str) -> list[dict[str, object]]:
    result = cli(command, "--db", db, "--format", "jsonl", *options)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def short(claim: dict[str, object]) -> str:
    """A claim as 'Outlet measure low'."""
    quantity = claim["quantity"]
    assert isinstance(quantity, dict)
    return f"{claim['outlet']} {claim['measure']} {quantity['low']:g}"


CLAIM_FILTERS = [
    ((), 17),
    (("--outlet", "reuters"), ["Reuters killed_or_wounded 3000", "Reuters killed_or_wounded 3420"]),
    (("--outlet", "KYIV", "--source", "syrskyi"), ["Kyiv Independent killed_or_wounded 3420"]),
    (("--outlet", "100%_"), []),  # LIKE wildcards are plain characters
    (("--until", "2024-12-20"), [
        "Kyiv Independent deployed 9900", "TASS deployed 450", "Yonhap killed 90",
        "Yonhap wounded 900", "Yonhap deployed 9900", "AFP killed 90",
    ]),
    # a claim is kept when the time it holds for meets the range: "absent" runs from
    # 2025-01-14 to 2025-02-03
    (("--since", "2025-01-20", "--until", "2025-01-31"),
     ["AFP deployed 12000", "Ukrinform absent 3"]),
    (("--certainty", "asserted"), 17),
    (("--certainty", "likely"), []),
    (("--document", YONHAP_DEC),
     ["Yonhap killed 90", "Yonhap wounded 900", "Yonhap deployed 9900"]),
    (("--measure", "killed", "--measure", "wounded"), [
        "Yonhap killed 90", "Yonhap wounded 900", "AFP killed 90", "Yonhap killed 270",
        "Yonhap wounded 2430",
    ]),
    # a figure's interval reaches the range: "no more than 500" (450-500) reaches 500
    (("--min", "500", "--max", "1000"), ["TASS deployed 450", "Yonhap wounded 900"]),
    (("--max", "2"), ["Yonhap captured 2", "Ukrinform captured 2", "Ukrinform captured 2"]),
    (("--min", "12000.5"), ["Kyiv Independent deployed 9900", "Yonhap deployed 9900"]),
    # every word of --search is in the statement: AFP's "about 100 ... killed" lacks "wounded"
    (("--search", "wounded killed", "--max", "1000"),
     ["Yonhap killed 90", "Yonhap wounded 900", "Yonhap killed 270"]),
    (("--search", "KILLED", "--outlet", "afp"), ["AFP killed 90"]),
    (("--search", '"killed" OR NEAR('), []),  # the words are never full-text syntax
    (("--subject", "NORTH korean", "--measure", "deployed", "--max", "500"),
     ["TASS deployed 450"]),
    (("--subject", "unicorns"), []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "expected"), CLAIM_FILTERS, ids=[" ".join(o) or "none" for o, _ in CLAIM_FILTERS]
)
def test_each_claim_filter_keeps_what_it_says(
    db: str, options: tuple[str, ...], expected: int | list[str]
) -> None:
    found = [short(c) for c in listed(db, "claims", *options)]
    if isinstance(expected, int):
        assert len(found) == expected
    else:
        assert found == expected


@pytest.mark.parametrize("options", [(), ("--outlet", "yonhap", "--min", "100")])
def test_table_csv_json_and_jsonl_list_the_same_claims(db: str, options: tuple[str, ...]) -> None:
    rows = listed(db, "claims", *options)
    refs = [f"{r['document']}/{r['id']}" for r in rows]
    as_json = cli("claims", "--db", db, "--format", "json", *options)
    assert [f"{r['document']}/{r['id']}" for r in json.loads(as_json.output)] == refs
    as_csv = cli("claims", "--db", db, "--format", "csv", *options)
    table = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert tuple(table[0]) == FLAT_COLUMNS if table else True
    assert [f"{r['document']}/{r['claim']}" for r in table] == refs
    shown = cli("claims", "--db", db, *options)
    assert f"{len(rows)} claim(s)" in shown.output


def test_an_export_is_the_filtered_view(db: str) -> None:
    result = cli("export", "--db", db, "--format", "csv", "--outlet", "yonhap", "--min", "100")
    assert result.exit_code == 0, result.output
    exported = [r for r in csv.DictReader(io.StringIO(result.stdout))]
    assert [(r["document"], r["claim"]) for r in exported] == [
        (r["document"], r["id"]) for r in listed(db, "claims", "--outlet", "yonhap", "--min", "100")
    ]


def short_relation(row: dict[str, object]) -> str:
    a, b = row["a"], row["b"]
    assert isinstance(a, dict) and isinstance(b, dict)
    return f"{row['kind']}: {short(a)} / {short(b)}"


TASS = [
    "conflicts: TASS deployed 450 / Yonhap deployed 9900",
    "conflicts: TASS deployed 450 / Harbour City Herald killed_or_wounded 3000",
    "conflicts: TASS deployed 450 / Yonhap wounded 900",
]
CONFLICT_FILTERS = [
    # ranked: the strongest conflict first (figures furthest apart, more roots behind them);
    # one line between two figures (Kyiv's ≈11,000 is in Yonhap's figure, Reuters' >3,000
    # in the Herald's copy's)
    (("--kind", "conflicts"), TASS),
    (("--outlet", "tass"), TASS),
    (("--min", "10000"), TASS[:1]),
    (("--measure", "killed"), ["updates: Yonhap killed 90 / Yonhap killed 270"]),
    # one claim of either figure matching every filter is enough (Reuters' 3,800 of
    # 2025-01-20); a Reuters claim of December beside a Kyiv Independent one of January
    # is not
    (("--since", "2025-01-01", "--kind", "updates", "--outlet", "reuters"), [
        "updates: Harbour City Herald killed_or_wounded 3000 / Reuters killed_or_wounded 3420",
    ]),
    (("--search", "captured"), []),
    (("--document", YONHAP_DEC, "--kind", "conflicts"), [TASS[0], TASS[2]]),
    (("--outlet", "tass", "--limit", "2"), TASS[:2]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "expected"),
    CONFLICT_FILTERS,
    ids=[" ".join(o) for o, _ in CONFLICT_FILTERS],
)
def test_the_conflicts_list_takes_the_claim_filters(
    db: str, options: tuple[str, ...], expected: list[str]
) -> None:
    assert [short_relation(r) for r in listed(db, "conflicts", *options)] == expected


def test_a_filtered_conflicts_list_counts_what_matches(db: str) -> None:
    result = cli("conflicts", "--db", db, "--outlet", "tass", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("3 relation(s): 3 conflicts, 0 updates; showing 2")


def test_conflicts_as_csv_and_json(db: str) -> None:
    as_csv = cli("conflicts", "--db", db, "--format", "csv", "--kind", "conflicts")
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert tuple(rows[0]) == RELATION_COLUMNS
    strengths = [float(r["strength"]) for r in rows]
    assert len(rows) == 3 and strengths == sorted(strengths, reverse=True) and strengths[-1] > 0
    as_json = json.loads(cli("conflicts", "--db", db, "--format", "json").output)
    assert [r["a"]["ref"] for r in as_json[:3]] == [r["a_ref"] for r in rows]


BAD_VALUES = [
    (("claims", "--measure", "exploded"), "'exploded' is not one of 'deployed', 'killed'"),
    (("claims", "--certainty", "sure"), "'sure' is not one of 'asserted', 'likely'"),
    (("claims", "--format", "xml"), "'xml' is not one of 'table', 'csv', 'json', 'jsonl'"),
    (("claims", "--since", "yesterday"), "--since 'yesterday' is not a date; write one day"),
    (("claims", "--until", "2025/01/31"), "--until '2025/01/31' is not a date"),
    (("claims", "--since", "2025-02-01", "--until", "2025-01-01"),
     "--since 2025-02-01 is after --until 2025-01-01"),
    (("claims", "--min", "many"), "'many' is not a valid float"),
    (("claims", "--max", "inf"), "--max inf is not a figure"),
    (("claims", "--min", "nan"), "--min nan is not a figure"),
    (("claims", "--min", "5", "--max", "1"), "--min 5 is over --max 1"),
    (("claims", "--document", "0000000000000000"),
     "--document '0000000000000000' is not a document in"),
    (("claims", "--search", " !? "), "--search ' !? ' has no words"),
    (("conflicts", "--measure", "exploded"), "'exploded' is not one of"),
    (("conflicts", "--until", "soon"), "--until 'soon' is not a date"),
    (("conflicts", "--format", "html"), "'html' is not one of 'table', 'csv', 'json', 'jsonl'"),
    (("export", "--certainty", "sure"), "'sure' is not one of"),
    (("export", "--min", "9", "--max", "3"), "--min 9 is over --max 3"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), BAD_VALUES, ids=[" ".join(a) for a, _ in BAD_VALUES])
def test_a_bad_value_is_one_line_naming_it(db: str, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(app, [*args, "--db", db])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line, line


def test_a_ledger_on_disk_is_never_written_by_a_list(db: str, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(db, copy)
    before = copy.read_bytes()
    for args in (("claims", "--outlet", "x"), ("conflicts", "--search", "killed")):
        assert cli(*args, "--db", str(copy)).exit_code == 0
    assert copy.read_bytes() == before


SOURCE_FILTERS = [
    (("--search", "intelligence"), [
        "National Intelligence Service of South Korea", "Main Intelligence Directorate of Ukraine",
    ]),
    (("--search", "NIS"), ["National Intelligence Service of South Korea"]),  # an alias
    (("--search", "syrskyi commander"), ["Oleksandr Syrskyi"]),
    (("--search", "intel"), []),  # whole words
    (("--kind", "outlet"), ["Reuters", "Yonhap"]),
    (("--kind", "person", "--search", "zelensky"), ["Volodymyr Zelensky"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("options", "expected"), SOURCE_FILTERS, ids=[" ".join(o) for o, _ in SOURCE_FILTERS]
)
def test_the_sources_list_filters_by_name_and_kind(
    db: str, options: tuple[str, ...], expected: list[str]
) -> None:
    assert [r["name"] for r in listed(db, "sources", *options)] == expected
    as_csv = cli("sources", "--db", db, "--format", "csv", *options)
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [r["name"] for r in rows] == expected
    as_json = json.loads(cli("sources", "--db", db, "--format", "json", *options).output)
    assert [r["name"] for r in as_json] == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kind", "equipment"), "'equipment' is not one of 'person', 'organization'"),
        (("--search", "--"), "--search '--' has no words"),
        (("--format", "xml"), "'xml' is not one of 'table', 'csv', 'json', 'jsonl'"),
    ],
)
def test_a_bad_sources_value_is_one_line(db: str, args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(app, ["sources", *args, "--db", db])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert message in line, line


def test_the_new_filters_answer_alike_on_sqlite_and_postgresql(ledger_target: str) -> None:
    """--search goes through each database's own full-text index; --outlet and the figure
    range through the same SQL on both."""
    ingested = CliRunner().invoke(app, ["ingest", str(paths.CORPUS), "--db", ledger_target])
    assert ingested.exit_code == 0, ingested.output
    for options, expected in [
        (("--search", "wounded killed", "--max", "1000"),
         ["Yonhap killed 90", "Yonhap wounded 900", "Yonhap killed 270"]),
        (("--outlet", "KYIV", "--source", "syrskyi"), ["Kyiv Independent killed_or_wounded 3420"]),
        (("--min", "500", "--max", "1000"), ["TASS deployed 450", "Yonhap wounded 900"]),
    ]:  # fmt: skip
        assert [short(c) for c in listed(ledger_target, "claims", *options)] == expected
