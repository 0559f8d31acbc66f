"""Fuzzing, bounded in time: hypothesis-made article text, HTML, JSONL lines and feed
entries through ``claimledger analyze``, ``claimledger ingest`` and the HTTP API. Whatever
comes in, nothing raises a traceback or a 500, each bad input is exactly one error line
(or one 4xx), and the ledger passes its integrity checks after (issue 16)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.api import Settings, create_app
from claimledger.cli import app
from claimledger.ledger import Ledger

pytestmark = pytest.mark.slow

# Each property runs a bounded number of examples with no per-example deadline (the first
# loads spaCy); together well under a minute on two cores.
BOUNDED = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SENTENCE = "The ministry said on Monday that 12 soldiers were killed near the border."
TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Text with what breaks parsers: controls, NUL, lone surrogates are left to the JSON
# layer, bidi overrides, quotes, digits and the words extraction looks for.
words = st.sampled_from(
    ["said", "killed", "12", "3,000", "according to", "“", "”", '"', "Monday", "\u202e", "\x1b[2J"]
)
article_text = st.lists(st.one_of(st.text(max_size=40), words), max_size=30).map(" ".join)
tags = st.sampled_from(["p", "div", "article", "script", "style", "h1", "table", "td", "a"])


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(tags)
        attributes = " ".join(
            f'a{i}="{escape(draw(st.text(max_size=5)))}"' for i in range(draw(st.integers(0, 3)))
        )
        closed = draw(st.booleans())
        body = escape(draw(article_text))
        parts.append(f"<{tag} {attributes}>{body}" + (f"</{tag}>" if closed else ""))
    return draw(st.sampled_from(["", "<html><body>", "<!doctype html>"])) + "".join(parts)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@st.composite
def jsonl_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["article", "html", "odd", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=60)).replace(b"\n", b" ")
    if kind == "odd":
        return json.dumps(draw(json_values)).encode()
    item: dict[str, Any] = {"text" if kind == "article" else "html": draw(article_text)}
    for key in ("url", "outlet", "title", "published"):
        if draw(st.booleans()):
            item[key] = draw(st.one_of(st.text(max_size=12), st.dates().map(str), st.integers()))
    return json.dumps(item).encode()


@st.composite
def feeds(draw: st.DrawFn) -> str:
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        date = draw(
            st.one_of(
                st.dates().map(lambda d: d.strftime("%a, %d %b %Y 10:00:00 GMT")),
                st.text(max_size=12),
                st.sampled_from(["Mon, 13 Jan 0000 10:00:00 GMT", "10000-01-13T10:00:00Z"]),
            )
        )
        entries.append(
            f"<item><title>{escape(draw(st.text(max_size=10)))}</title>"
            f"<pubDate>{escape(date)}</pubDate>"
            f"<description>{escape(draw(article_text))}</description></item>"
        )
    channel = f"<channel><title>F</title>{''.join(entries)}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


def _clean(text: str) -> str:
    # what a file on disk can hold: no lone surrogates
    return text.encode("utf-8", "replace").decode("utf-8")


def _run(*args: str | Path, cwd: Path) -> Result:
    with contextlib.chdir(cwd):
        return CliRunner().invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})


def _assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output


def _error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def _integrity(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = con.execute(
            "SELECT count(*) FROM claims WHERE document_id NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        con.close()
    with Ledger(db) as ledger:
        assert not ledger.stale()  # the ingest reconciled whatever failed


@given(texts=st.lists(st.one_of(article_text, html_pages()), min_size=1, max_size=4))
@BOUNDED
def test_analyze_gives_an_analysis_or_one_error_line_per_file(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("analyze")
    names = []
    for number, text in enumerate(texts):
        name = f"{number}.{'html' if text.startswith('<') else 'txt'}"
        (folder / name).write_text(_clean(text), encoding="utf-8")
        names.append(name)
    result = _run("analyze", *names, "--format", "jsonl", cwd=folder)
    _assert_no_traceback(result)
    # JSON Lines are separated by "\n" only: an article's U+0085 or U+2028 stays in its line
    analysed = len([line for line in result.stdout.split("\n") if line])
    errors = _error_lines(result)
    assert analysed + len(errors) == len(names), (result.stdout, errors)
    assert result.exit_code == (1 if errors else 0)


@given(lines=st.lists(jsonl_lines(), min_size=1, max_size=6), feed=feeds())
@BOUNDED
def test_ingest_stores_or_reports_every_line_and_entry(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], feed: str
) -> None:
    folder = tmp_path_factory.mktemp("ingest")
    (folder / "in.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (folder / "in.rss").write_text(_clean(feed), encoding="utf-8")
    db = folder / "l.sqlite"
    result = _run("ingest", "in.jsonl", "in.rss", "--db", db, cwd=folder)
    _assert_no_traceback(result)
    errors = _error_lines(result)
    summary = result.stderr.splitlines()[-1]
    assert f"{len(errors)} failed" in summary, result.stderr
    assert result.exit_code == (1 if errors else 0)
    _integrity(db)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    db = tmp_path_factory.mktemp("api") / "l.sqlite"
    Ledger(db).close()
    with TestClient(create_app(Settings(db=str(db), token=TOKEN))) as client:
        yield client, db


bodies = st.one_of(
    article_text.map(lambda t: {"text": t}),
    html_pages().map(lambda h: {"html": h}),
    st.dictionaries(
        st.sampled_from(["text", "html", "title", "outlet", "url", "published", "x"]),
        json_values,
        max_size=4,
    ),
)


@given(body=bodies, store=st.booleans())
@BOUNDED
def test_the_api_answers_every_article_without_a_500(
    api: tuple[TestClient, Path], body: dict[str, Any], store: bool
) -> None:
    client, _ = api
    path = "/api/v1/documents" if store else "/api/v1/analyze"
    response = client.post(path, content=json.dumps(body), headers={**AUTH, **_json()})
    assert response.status_code in {200, 201, 413, 415, 422}, response.text
    if response.status_code >= 400:
        assert response.json()["detail"]  # one problem, saying what was wrong


def _json() -> dict[str, str]:
    return {"content-type": "application/json"}


def test_the_api_ledger_is_whole_after_the_fuzzing(api: tuple[TestClient, Path]) -> None:
    client, db = api
    assert client.get("/api/v1/health").status_code == 200
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
