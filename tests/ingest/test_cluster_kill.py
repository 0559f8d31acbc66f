"""`ingest --cluster` on a real Dask scheduler and two worker processes on 127.0.0.1, into
a throwaway PostgreSQL: one worker SIGKILLed mid-run, and still every article is stored
exactly once and the ledger passes its integrity checks."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.evaluation.articles import GeneratedArticle, generate_articles
from claimledger.ledger import Ledger
from tests.conftest import _new_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL"),
]

ARTICLES = 300
SHARD_BYTES = 16_000  # about 15 articles a shard: 20 shards or so


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _write_inputs(folder: Path) -> list[str]:
    """Two JSONL files and a WARC of HTML pages, 100 articles each; their urls."""
    folder.mkdir()
    articles = list(generate_articles(ARTICLES, seed=19))
    for n in range(2):
        part = articles[n * 100 : (n + 1) * 100]
        (folder / f"part-{n}.jsonl").write_text(
            "".join(json.dumps(a.to_json()) + "\n" for a in part), encoding="utf-8"
        )
    with (folder / "crawl.warc").open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for article in articles[200:]:
            writer.write_record(_response(writer, article))
    return [a.url for a in articles]


def _response(writer: WARCWriter, article: GeneratedArticle) -> object:
    paragraphs = "".join(f"<p>{p}</p>" for p in article.text.split("\n\n"))
    page = (
        f"<html><head><title>{article.title}</title></head><body><article>"
        f"{paragraphs}</article></body></html>"
    )
    return writer.create_warc_record(
        article.url,
        "response",
        payload=io.BytesIO(page.encode("utf-8")),
        http_headers=StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        ),
    )


class Processes:
    """Processes started for one test, each in its own session, all ended after it."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append(process)
        return process

    def end_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    started = Processes(tmp_path)
    try:
        yield started
    finally:
        started.end_all()


def _documents(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one())


def _wait_for(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    tmp_path: Path, postgres_server: str, processes: Processes
) -> None:
    urls = _write_inputs(tmp_path / "in")
    db = _new_database(postgres_server)
    Ledger(db).close()  # the schema, so that the test can count documents from the start
    address = f"tcp://127.0.0.1:{_free_port()}"
    host, port = address.removeprefix("tcp://").split(":")
    processes.start(
        "scheduler", "-m", "dask", "scheduler", "--host", host, "--port", port, "--no-dashboard"
    )
    workers = [
        processes.start(
            f"worker-{n}",
            "-m",
            "dask",
            "worker",
            address,
            "--nthreads",
            "1",
            "--no-nanny",
            "--no-dashboard",
            "--name",
            f"w{n}",
        )
        for n in range(2)
    ]
    ingest = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "claimledger",
            "ingest",
            str(tmp_path / "in"),
            "--db",
            db,
            "--cluster",
            address,
            "--cluster-workers",
            "2",
            "--shard-bytes",
            str(SHARD_BYTES),
            "--per-shard",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    processes.started.append(ingest)  # type: ignore[arg-type]
    engine = sa.create_engine(db)
    try:
        # mid-run: some stored, most not (a shard is about 15 articles)
        _wait_for(lambda: _documents(engine) >= 40 or ingest.poll() is not None, 300, "storing")
        assert ingest.poll() is None, ingest.communicate()[1]
        os.kill(workers[0].pid, signal.SIGKILL)
        stored_at_kill = _documents(engine)
        assert workers[0].wait(timeout=30) == -signal.SIGKILL
        assert stored_at_kill < ARTICLES - 40

        _, stderr = ingest.communicate(timeout=600)
        assert ingest.returncode == 0, stderr
        summary = stderr.strip().splitlines()[-1]
        assert ", 0 failed, in " in summary, stderr
        assert "Dask dashboard:" in stderr
        # every article exactly once, whether the killed worker stored it or its shard's rerun
        with engine.connect() as conn:
            stored = [row[0] for row in conn.execute(sa.text("SELECT url FROM documents"))]
            assert sorted(stored) == sorted(urls)
            _assert_integrity(conn)
    finally:
        engine.dispose()
    with Ledger(db) as ledger:
        assert not ledger.stale()  # reconciled once, at the end
        assert ledger.counts()["documents"] == ARTICLES


def _assert_integrity(conn: sa.Connection) -> None:
    """No row without its document, every document whole (it has what every generated
    article has: entities, an attribution and a claim), no link to a missing document."""
    for table in ("entities", "attributions", "claims", "near_duplicates"):
        orphans = conn.execute(
            sa.text(
                f"SELECT count(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)"
            )
        ).scalar_one()
        assert orphans == 0, table
    dangling = conn.execute(
        sa.text(
            "SELECT count(*) FROM near_duplicates WHERE duplicate_of NOT IN "
            "(SELECT id FROM documents)"
        )
    ).scalar_one()
    assert dangling == 0
    incomplete = conn.execute(
        sa.text(
            "SELECT count(*) FROM documents d WHERE"
            " NOT EXISTS (SELECT 1 FROM entities e WHERE e.document_id = d.id)"
            " OR NOT EXISTS (SELECT 1 FROM attributions a WHERE a.document_id = d.id)"
            " OR NOT EXISTS (SELECT 1 FROM claims c WHERE c.document_id = d.id)"
        )
    ).scalar_one()
    assert incomplete == 0


def test_a_local_cluster_ingests_and_says_per_shard(tmp_path: Path, postgres_server: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    articles = list(generate_articles(6, seed=3))
    (folder / "a.jsonl").write_text(
        "".join(json.dumps(a.to_json()) + "\n" for a in articles) + "{not json\n",
        encoding="utf-8",
    )
    db = _new_database(postgres_server)
    command = [
        sys.executable,
        "-m",
        "claimledger",
        "ingest",
        str(folder / "a.jsonl"),
        "--db",
        db,
        "--cluster",
        "local",
        "--cluster-workers",
        "1",
        "--shard-bytes",
        "1500",
        "--per-shard",
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 1, first.stderr  # the bad line
    lines = first.stderr.strip().splitlines()
    assert f"error: {folder / 'a.jsonl'}:7: not a JSON object" in first.stderr
    assert any(line.startswith(f"{folder / 'a.jsonl'} lines 1–") for line in lines)
    assert lines[-1].startswith("6 new, 0 already stored (replaced), ")
    assert ", 1 failed, in " in lines[-1]
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.stderr.strip().splitlines()[-1].startswith("0 new, 6 already stored (replaced)")
    with Ledger(db) as ledger:
        assert ledger.counts()["documents"] == 6
