"""`ingest --cluster`: shards read exactly the articles a one-machine ingest reads, a
SQLite ledger is refused in one line, and an ingest without --cluster never loads Dask."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.errors import InputError
from claimledger.ingest.inputs import Article, iter_articles
from claimledger.ingest.shards import Shard, empty_warcs, plan_shards, read_shard

MAX_BYTES = 1_000_000


def _seen(items: list[Article | InputError]) -> list[tuple[str, str]]:
    """What a reader yields, as comparable pairs: (name, text) or ("error", line)."""
    return [
        ("error", str(i)) if isinstance(i, InputError) else (i.loaded.path or "", i.loaded.text)
        for i in items
    ]


def _through_shards(paths: list[Path], shard_bytes: int) -> list[tuple[str, str]]:
    plan = plan_shards(paths, shard_bytes)
    assert plan.problems == ()
    per_shard = [list(read_shard(shard, MAX_BYTES)) for shard in plan.shards]
    read = [sum(isinstance(i, Article) for i in items) for items in per_shard]
    last = [InputError(line) for line in empty_warcs(plan.shards, read)]
    return _seen([item for items in per_shard for item in items] + last)


def _sentence(n: int) -> str:
    return f"The ministry said {n} soldiers were wounded near the town on Monday."


jsonl_lines = st.lists(
    st.one_of(
        st.integers(0, 999).map(lambda n: json.dumps({"text": _sentence(n)})),
        st.just(""),  # blank lines count in the numbering
        st.just("{not json"),
        st.integers(0, 9).map(lambda n: json.dumps({"html": f"<p>{_sentence(n)}</p>"})),
    ),
    min_size=0,
    max_size=30,
)


@given(lines=jsonl_lines, shard_bytes=st.integers(1, 400), final_newline=st.booleans())
@settings(max_examples=60, deadline=None)
def test_jsonl_shards_read_every_line_once_under_its_own_number(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[str],
    shard_bytes: int,
    final_newline: bool,
) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "in.jsonl"
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
    whole = _seen(list(iter_articles([path], max_bytes=MAX_BYTES)))
    assert _through_shards([path], shard_bytes) == whole


def _warc(path: Path, records: list[str]) -> None:
    """A WARC of ``records``: "html" (an article page), "json" (a response that is not
    HTML) or "request" (not a response)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for n, kind in enumerate(records):
            if kind == "request":
                record = writer.create_warc_record(
                    f"https://a.example/{n}",
                    "request",
                    payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                )
            else:
                body = (
                    f"<html><body><article><p>{_sentence(n)}</p></article></body></html>"
                    if kind == "html"
                    else json.dumps({"n": n})
                )
                content_type = "text/html" if kind == "html" else "application/json"
                record = writer.create_warc_record(
                    f"https://a.example/{n}",
                    "response",
                    payload=io.BytesIO(body.encode()),
                    http_headers=StatusAndHeaders(
                        "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
                    ),
                )
            writer.write_record(record)


@given(
    records=st.lists(st.sampled_from(["html", "html", "json", "request"]), min_size=1, max_size=12),
    shard_bytes=st.integers(1, 3000),
)
@settings(max_examples=25, deadline=None)
def test_warc_shards_read_every_record_once_under_its_own_number(
    tmp_path_factory: pytest.TempPathFactory, records: list[str], shard_bytes: int
) -> None:
    path = tmp_path_factory.mktemp("warc") / "crawl.warc"
    _warc(path, records)
    whole = _seen(list(iter_articles([path], max_bytes=MAX_BYTES)))
    assert _through_shards([path], shard_bytes) == whole


def test_a_cut_warc_is_reported_by_the_shard_it_ends_in(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    _warc(path, ["html"] * 6)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    whole = _seen(list(iter_articles([path], max_bytes=MAX_BYTES)))
    assert whole[-1][0] == "error" and "cut short" in whole[-1][1]
    assert _through_shards([path], 500) == whole


@pytest.mark.parametrize(
    ("shard_bytes", "expected"),
    [
        # (shard size, the shards' labels): a large one reads whole files
        (10**9, ["{d}/a.jsonl", "{d}/b.jsonl", "{d}/x.txt and 1 more files"]),
        # one line a shard: each file's lines are numbered from its own first line
        (
            1,
            [
                "{d}/a.jsonl lines 1–1",
                "{d}/a.jsonl lines 2–end",
                "{d}/b.jsonl",
                "{d}/x.txt and 1 more files",
            ],
        ),
    ],
)
def test_a_folder_is_planned_file_by_file_in_path_order(
    tmp_path: Path, shard_bytes: int, expected: list[str]
) -> None:
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": _sentence(1)}) + "\n" + json.dumps({"text": _sentence(2)}) + "\n"
    )
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": _sentence(3)}) + "\n")
    (tmp_path / "x.txt").write_text(_sentence(4))
    (tmp_path / "y.html").write_text(f"<p>{_sentence(5)}</p>")
    (tmp_path / "notes.md").write_text("not an input")
    plan = plan_shards([tmp_path], shard_bytes)
    assert [s.label for s in plan.shards] == [e.format(d=tmp_path) for e in expected]


def test_an_empty_folder_and_a_missing_file_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    plan = plan_shards([tmp_path / "empty", tmp_path / "missing.jsonl"], 1000)
    assert plan.problems == (
        f"{tmp_path / 'empty'}: no .txt, .html, .jsonl, feed or WARC files in this directory",
    )
    (shard,) = plan.shards
    assert shard == Shard("jsonl", str(tmp_path / "missing.jsonl"))  # read whole, and reported
    (error,) = read_shard(shard, MAX_BYTES)
    assert isinstance(error, InputError) and "missing.jsonl" in str(error)


def test_a_compressed_warc_is_one_shard(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(
            writer.create_warc_record(
                "https://a.example/1",
                "response",
                payload=io.BytesIO(f"<html><body><p>{_sentence(1)}</p></body></html>".encode()),
                http_headers=StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
                ),
            )
        )
    plan = plan_shards([path], 1)
    assert [s.label for s in plan.shards] == [str(path)]
    assert _through_shards([path], 1) == _seen(list(iter_articles([path], max_bytes=MAX_BYTES)))


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimledger", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_sqlite_ledger_with_cluster_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_sentence(1))
    result = _cli("ingest", "a.txt", "--db", "l.sqlite", "--cluster", "local", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: --cluster needs a PostgreSQL ledger (--db postgresql+psycopg://user@host/db), "
        "not l.sqlite: a SQLite file cannot take writers on several machines"
    ]
    assert not (tmp_path / "l.sqlite").exists()


def test_workers_with_cluster_is_refused_in_one_line(tmp_path: Path) -> None:
    result = _cli(
        "ingest",
        "a.txt",
        "--db",
        "postgresql+psycopg://u@h/d",
        "--cluster",
        "local",
        "--workers",
        "2",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--cluster-workers" in result.stderr


def test_an_ingest_without_cluster_never_imports_dask(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_sentence(1))
    code = (
        "import sys\n"
        "from claimledger.cli import app\n"
        "try:\n"
        "    app(['ingest', 'a.txt', '--db', 'l.sqlite'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stderr
    assert result.stdout.strip() == "[]"
