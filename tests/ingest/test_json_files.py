"""`.json` files: one article object or a list of them is read (the keys of a JSONL line);
any other JSON is refused in one line, never stored as article text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import app
from claimledger.ledger import Ledger

STORY = (
    "The health ministry said on Friday that 85 people were treated in hospital after "
    "the blast, and that 12 remained in intensive care."
)
ARTICLE = {
    "text": STORY,
    "title": "Dozens treated after blast",
    "published": "2025-03-07",
    "url": "https://news.example/blast",
    "outlet": "Example News",
}


def _ingest(tmp_path: Path, content: str, *extra: str) -> tuple[int, str, list[str]]:
    path = tmp_path / "articles.json"
    path.write_text(content, encoding="utf-8")
    db = tmp_path / "l.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(path), "--db", str(db), *extra])
    texts: list[str] = []
    if db.exists():
        with Ledger(str(db)) as ledger:
            texts = [
                found.document.text
                for d in ledger.documents()
                if (found := ledger.document(d.id)) is not None
            ]
    return result.exit_code, result.output, texts


@pytest.mark.parametrize(
    ("content", "documents"),
    [
        (ARTICLE, 1),
        ([ARTICLE], 1),
        ([ARTICLE, {**ARTICLE, "text": STORY.replace("85", "90"), "url": None}], 2),
        ({"html": f"<html><body><p>{STORY}</p></body></html>"}, 1),
    ],
)
def test_an_article_object_or_a_list_of_them_is_read(
    tmp_path: Path, content: object, documents: int
) -> None:
    code, output, texts = _ingest(tmp_path, json.dumps(content))
    assert code == 0, output
    assert len(texts) == documents and all(t.startswith("The health ministry") for t in texts)


def test_the_articles_metadata_is_stored(tmp_path: Path) -> None:
    code, output, _ = _ingest(tmp_path, json.dumps([ARTICLE]))
    assert code == 0, output
    with Ledger(str(tmp_path / "l.sqlite")) as ledger:
        (document,) = ledger.documents()
    assert (document.title, str(document.published), document.url, document.outlet) == (
        "Dozens treated after blast",
        "2025-03-07",
        "https://news.example/blast",
        "Example News",
    )
    assert document.path is not None and document.path.endswith("articles.json#1")


SHAPES = "a .json file holds one article object"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema_version": "1", "document": {"text": "x"}}',
         "articles.json: a JSON object without 'text' or 'html' is not an article; " + SHAPES),
        ("[]", "articles.json: an empty list, not articles; " + SHAPES),
        ('"just a string"', "articles.json: a JSON str, not articles"),
        ("42", "articles.json: a JSON int, not articles"),
        ("[1, 2]", "articles.json#1: not an article object; " + SHAPES),
        ('{"text": "x"', "articles.json: not valid JSON"),
        ('{"text": 5}', "give the article as one string, 'text' or 'html'"),
        ('{"text": "' + STORY + '", "author": "x"}', "unknown keys ['author']"),
        ('{"text": "' + STORY + '", "published": "Friday"}', "published 'Friday' is not a date"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)  # fmt: skip
def test_any_other_json_is_refused_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    code, output, texts = _ingest(tmp_path, content)
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == (2 if content == "[1, 2]" else 1), output
    assert message in errors[0], errors[0]
    assert texts == []  # raw JSON is never stored as article text


def test_a_json_file_over_the_size_limit_points_to_jsonl(tmp_path: Path) -> None:
    code, output, _ = _ingest(tmp_path, json.dumps([ARTICLE] * 20), "--max-bytes", "1000")
    assert code == 1 and "over the 1,000-byte limit; write the articles one per line" in output


def test_a_json_file_in_a_folder_is_read_too(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(ARTICLE), encoding="utf-8")
    (folder / "b.json").write_text('{"results": []}', encoding="utf-8")
    db = str(tmp_path / "l.sqlite")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 1
    assert "b.json: a JSON object without 'text' or 'html'" in result.output
    assert "1 new" in result.output


def test_analyze_refuses_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(ARTICLE), encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(path)])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert "one.json: is JSON, not article text" in line and "claimledger ingest" in line
