"""`claimledger ingest`: files, directories and JSONL into the ledger, idempotent, with
one line per bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import app
from claimledger.gazetteer import load_gazetteer
from claimledger.ledger import Ledger
from claimledger.lexicon import Lexicon

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")
WIRE = (
    "KYIV (Wire) - Ukraine's military said on Monday that about 300 North Korean soldiers "
    "were killed in the Kursk region last week, and that 40 more were captured. The "
    "general staff said the troops had been sent to the front in November."
)


def _write_corpus(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    shutil.copy(str(SEED), folder / "sub" / "kursk.txt")
    lines = [
        {"text": WIRE, "outlet": "Wire", "published": "2025-01-13", "url": "https://a.example/1"},
        {
            "html": f"<html><body><p>Ukraine says troops killed. {WIRE}</p></body></html>",
            "outlet": "Site B",
            "published": "2025-01-13",
        },
    ]
    body = "".join(json.dumps(line) + "\n" for line in lines) + "{not json\n\n"
    (folder / "feed.jsonl").write_text(body, encoding="utf-8")
    (folder / "notes.md").write_text("not an article format", encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _write_corpus(tmp_path / "in")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The corpus ingested once, for the tests that only read the ledger."""
    folder = tmp_path_factory.mktemp("ingested")
    db = str(folder / "l.sqlite")
    _ingest(_write_corpus(folder / "in"), db)
    return db


def _ingest(corpus: Path, db: str, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", db, *extra])
    return result.exit_code, result.output


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_folder_is_ingested_once_whatever_the_runs(
    corpus: Path, tmp_path: Path, workers: str
) -> None:
    db = str(tmp_path / "l.sqlite")
    code, output = _ingest(corpus, db, "--workers", workers)
    assert code == 1  # the bad JSONL line
    assert output.count("error:") == 1 and "feed.jsonl:3: not a JSON object" in output
    assert "3 new, 0 already stored (replaced), 1 near-copies" in output
    code, output = _ingest(corpus, db, "--workers", workers)
    assert "0 new, 3 already stored (replaced), 1 near-copies" in output
    with Ledger(db) as ledger:
        assert ledger.counts()["documents"] == 3
        (link,) = ledger.duplicates()
        claims = list(ledger.claims())
    assert link[2] >= 0.7
    wire = [c for c in claims if c.claim.measure == "killed" and c.claim.quantity.value == 300]
    assert len(wire) == 2  # the wire story and its copy: linked, not merged


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"body": "x"}, "unknown keys ['body']"),
        ({"text": "x", "html": "<p>x</p>"}, "'text' or 'html'"),
        ({"text": "Officials said 3 soldiers died.", "published": "last week"}, "not a date"),
        ({"text": "   "}, "is empty"),
        (["a list"], "not a JSON object"),
    ],
)
def test_a_bad_jsonl_line_is_one_error_line(tmp_path: Path, line: object, message: str) -> None:
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, output = _ingest(feed, str(tmp_path / "l.sqlite"))
    assert code == 1
    assert "f.jsonl:1: " in output and message in output
    assert output.count("\n") == 2  # the error and the summary


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, output = _ingest(tmp_path / "empty", str(tmp_path / "l.sqlite"))
    assert code == 1 and "no .txt, .html, .jsonl, .json, feed or WARC files" in output


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Frontline Wire</title>
<item><title>Troops killed</title><link>https://wire.example/1</link>
<pubDate>Mon, 13 Jan 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The army said 300 soldiers were killed near Kursk.&lt;/p&gt;
</description></item>
<item><title>Prisoners</title><link>https://wire.example/2</link>
<pubDate>Tue, 14 Jan 2025 10:00:00 GMT</pubDate>
<description>Officials said 40 soldiers were captured &amp; held.</description></item>
<item><title>Empty</title><link>https://wire.example/3</link></item>
</channel></rss>"""


def test_a_feed_gives_one_article_per_entry(tmp_path: Path) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_text(RSS, encoding="utf-8")
    db = str(tmp_path / "l.sqlite")
    code, output = _ingest(feed, db)
    assert code == 1 and "wire.rss#3: the entry has no content or summary" in output
    with Ledger(db) as ledger:
        claims = {(c.claim.measure, c.claim.quantity.value) for c in ledger.claims()}
        assert claims == {("killed", 300), ("captured", 40)}
        assert ledger.counts()["documents"] == 2
        with ledger.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT url, outlet, published FROM documents ORDER BY url"
            ).fetchall()
    assert [tuple(map(str, r)) for r in rows] == [
        ("https://wire.example/1", "Frontline Wire", "2025-01-13"),
        ("https://wire.example/2", "Frontline Wire", "2025-01-14"),
    ]


def test_a_warc_gives_one_article_per_html_response(tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        pages = [
            ("https://a.example/war", "text/html", f"<html><body><p>{WIRE}</p></body></html>"),
            ("https://a.example/logo.png", "image/png", "PNG"),
        ]
        for url, kind, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.0")
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body.encode()), http_headers=headers
            )
            writer.write_record(record)
    db = str(tmp_path / "l.sqlite")
    code, output = _ingest(path, db)
    assert code == 0, output
    with Ledger(db) as ledger:
        assert ledger.counts()["documents"] == 1
        assert {c.claim.quantity.value for c in ledger.claims()} == {300, 40}


def test_a_file_that_is_not_a_warc_is_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(b"not a warc at all\n" * 10)
    code, output = _ingest(path, str(tmp_path / "l.sqlite"))
    assert code == 1 and "bad.warc: not a WARC file" in output


def test_claims_are_listed_with_filters(ingested: str) -> None:
    db = ingested

    def listed(*options: str) -> list[dict[str, object]]:
        result = CliRunner().invoke(app, ["claims", "--db", db, "--format", "jsonl", *options])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.output.splitlines()]

    everything = listed()
    assert len(everything) == 12
    killed = listed("--subject", "North Korean", "--measure", "killed")
    assert sorted(c["quantity"]["value"] for c in killed) == [2, 300, 300, 4000]
    zelensky = listed("--source", "zelensky")
    assert {c["id"] for c in zelensky} == {"c4", "c5", "c6"}
    assert all(c["source"] == "Zelensky" for c in zelensky)
    recent = listed("--since", "2025-01-01", "--measure", "captured")
    assert [(c["outlet"], c["quantity"]["value"]) for c in recent] == [("Wire", 40), ("Site B", 40)]
    assert listed("--subject", "100%_") == []  # LIKE wildcards are plain characters


def test_claims_table_and_bad_date(ingested: str) -> None:
    db = ingested
    table = CliRunner().invoke(app, ["claims", "--db", db, "--measure", "captured"])
    assert table.exit_code == 0 and "2 claim(s)" in table.output
    bad = CliRunner().invoke(app, ["claims", "--db", db, "--since", "yesterday"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1


HEDGED = "The mayor said that 300 people had conceivably been evacuated.\n"
NAMED = "NGE reported that 20 soldiers were killed.\n"
USER_WORDS = '[hedges.words]\nconceivably = "possible"\n'
USER_NAMES = '[[entity]]\nname = "Novaya Gazeta Europe"\nkind = "outlet"\naliases = ["NGE"]\n'
# a fresh process, since word lists are fixed once a process has used them; the start
# method of worker processes is set before the command runs
INGEST = (
    "import multiprocessing, sys; multiprocessing.set_start_method(sys.argv[1]); "
    "from claimledger.cli import app; app(sys.argv[2:], prog_name='claimledger')"
)


def test_ingest_analyses_with_the_users_names(tmp_path: Path) -> None:
    assert load_gazetteer().lookup("NGE") is None
    article = tmp_path / "named.txt"
    article.write_text(NAMED, encoding="utf-8")
    names = tmp_path / "names.toml"
    names.write_text(USER_NAMES, encoding="utf-8")
    db = str(tmp_path / "l.sqlite")
    code, output = _ingest(article, db, "--gazetteer", str(names))
    assert code == 0, output
    with Ledger(db) as ledger:
        (claim,) = ledger.find_claims()
    assert claim.source == "Novaya Gazeta Europe"


@pytest.mark.parametrize("start", ["fork", pytest.param("spawn", marks=pytest.mark.slow)])
def test_ingest_workers_analyse_with_the_users_word_lists_and_names(
    tmp_path: Path, start: str
) -> None:
    """--lexicon and --gazetteer reach the worker processes: forked ones inherit the
    extended lists, spawned ones read the files again. (In this process, the lists are
    extended as for analyze: tests/test_lexicon.py.)"""
    assert "conceivably" not in Lexicon.load().mapping("hedges.words")
    assert load_gazetteer().lookup("NGE") is None
    article = tmp_path / "article.txt"  # one article: one worker starts a pipeline
    article.write_text(HEDGED + NAMED, encoding="utf-8")
    words = tmp_path / "words.toml"
    words.write_text(USER_WORDS, encoding="utf-8")
    names = tmp_path / "names.toml"
    names.write_text(USER_NAMES, encoding="utf-8")
    db = tmp_path / "l.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", INGEST, start, "ingest", str(article), "--db", str(db),
         "--workers", "2", "--lexicon", str(words), "--gazetteer", str(names)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Ledger(str(db)) as ledger:
        claims = {c.claim.quantity.value: c for c in ledger.find_claims()}
    assert claims[300].claim.certainty == "possible"
    assert claims[20].source == "Novaya Gazeta Europe"


# The library as a program calls it: the word lists extended, then ingest() with spawned
# workers, told nothing of the files.
LIBRARY_INGEST = (
    "import multiprocessing, sys; from pathlib import Path; "
    "multiprocessing.set_start_method('spawn'); "
    "from claimledger import lexicon; from claimledger.ingest.run import ingest; "
    "from claimledger.ledger import Ledger; "
    "lexicon.extend(Path(sys.argv[1])); ledger = Ledger(sys.argv[3]); "
    "tally = ingest([sys.argv[2]], ledger, workers=2); ledger.close(); "
    "sys.exit(1 if tally.failed or tally.new != 1 else 0)"
)


@pytest.mark.slow
def test_spawned_workers_read_the_word_lists_this_process_was_extended_with(
    tmp_path: Path,
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(HEDGED, encoding="utf-8")
    words = tmp_path / "words.toml"
    words.write_text(USER_WORDS, encoding="utf-8")
    db = tmp_path / "l.sqlite"
    done = subprocess.run(
        [sys.executable, "-c", LIBRARY_INGEST, str(words), str(article), str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with Ledger(str(db)) as ledger:
        (claim,) = ledger.find_claims()
    assert claim.claim.certainty == "possible"


def test_a_bad_gazetteer_stops_ingest_before_the_ledger_is_made(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[entity]]\nname = "X"\nkind = "planet"\n', encoding="utf-8")
    feed = tmp_path / "a.txt"
    feed.write_text(NAMED, encoding="utf-8")
    db = tmp_path / "l.sqlite"
    code, output = _ingest(feed, str(db), "--gazetteer", str(bad))
    assert code == 1
    assert output.count("\n") == 1 and "bad.toml: entity 1 (X)" in output
    assert not db.exists()
