"""`claimledger ingest`: files, directories and JSONL into the ledger, idempotent, with
one line per bad input."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import app
from claimledger.ledger import Ledger

SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")
WIRE = (
    "KYIV (Wire) - Ukraine's military said on Monday that about 300 North Korean soldiers "
    "were killed in the Kursk region last week, and that 40 more were captured. The "
    "general staff said the troops had been sent to the front in November."
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
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
    wire = [c for c in claims if c["measure"] == "killed" and c["quantity"]["value"] == 300]
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
    assert code == 1 and "no .txt, .html or .jsonl files" in output
