"""Every input is isolated and nothing is lost silently (issue 16, items 6, 7 and 12): an
input that cannot be read or analysed is one error line, the rest are stored and
reconciled, and the exit status says some failed; a cut-short WARC, an unreadable folder
or a link to nothing is said, never skipped."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app
from claimledger.ingest import run as ingest_run
from claimledger.ingest.inputs import Article, iter_articles
from claimledger.ledger import Ledger

GOOD = (
    "KYIV (Wire) - The ministry said on Monday that 12 soldiers were killed near the border, "
    "and officials said 3 were wounded."
)


def _ingest(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["ingest", *[str(a) for a in args]])


def _errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def _assert_one_line_each(result: Result, *needles: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    errors = _errors(result)
    assert len(errors) == len(needles), errors
    for needle, line in zip(needles, errors, strict=True):
        assert needle in line, (needle, line)


def _documents(db: Path) -> int:
    with Ledger(db) as ledger:
        return ledger.counts()["documents"]


def _feed(date: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>One</title><pubDate>{date}</pubDate>"
        f"<description>{GOOD}</description></item>"
        f"<item><title>Two</title><description>Police said 4 people died.</description></item>"
        "</channel></rss>"
    )


# One bad line or entry among good ones, and what its error line says.
BAD_LINES: list[tuple[str, str]] = [
    ('{"text": "\\ud800 lone surrogate"}', "lone surrogate"),
    ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
    ('{"text": "' + GOOD + '", "published": "2025-02-01garbage"}', "is not a date"),
    ('{"html": "<p>' + GOOD + "x" * 9000 + '\\u0000</p>"}', "NUL"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES, ids=[m for _, m in BAD_LINES])
def test_a_bad_jsonl_line_is_one_line_and_the_rest_is_stored(
    tmp_path: Path, bad: str, message: str
) -> None:
    feed = tmp_path / "feed.jsonl"
    good = [json.dumps({"text": GOOD.replace("12", str(n))}) for n in (12, 13)]
    feed.write_text(f"{good[0]}\n{bad}\n{good[1]}\n", encoding="utf-8")
    db = tmp_path / "l.sqlite"
    result = _ingest(feed, "--db", db)
    assert result.exit_code == 1
    _assert_one_line_each(result, "feed.jsonl:2: ")
    assert message in _errors(result)[0]
    assert _documents(db) == 2
    assert "2 new" in result.stderr and "1 failed" in result.stderr  # and reconciled


@pytest.mark.parametrize("year", ["0000", "10000"])
def test_a_feed_date_out_of_range_is_one_line(tmp_path: Path, year: str) -> None:
    feed = tmp_path / "wire.rss"
    feed.write_text(_feed(f"{year}-01-13T10:00:00Z"), encoding="utf-8")
    db = tmp_path / "l.sqlite"
    result = _ingest(feed, "--db", db)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _documents(db) == 1  # the other entry


def _warc(records: int, *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for i in range(records):
        body = f"<html><body><p>{GOOD.replace('12', str(20 + i))}</p></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://example.org/{i}", "response", payload=io.BytesIO(body), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_cut_short_warc_says_so(tmp_path: Path, suffix: str, keep: float) -> None:
    data = _warc(5, gz=suffix.endswith("gz"))
    crawl = tmp_path / f"crawl{suffix}"
    crawl.write_bytes(data[: int(len(data) * keep)])
    db = tmp_path / "l.sqlite"
    result = _ingest(crawl, "--db", db)
    assert result.exit_code == 1
    _assert_one_line_each(result, "cut short in record")
    assert 1 <= _documents(db) < 5


def test_a_whole_warc_is_not_said_to_be_cut(tmp_path: Path) -> None:
    crawl = tmp_path / "crawl.warc.gz"
    crawl.write_bytes(_warc(3, gz=True))
    result = _ingest(crawl, "--db", tmp_path / "l.sqlite")
    assert result.exit_code == 0, result.output


def test_a_link_to_nothing_in_a_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    db = tmp_path / "l.sqlite"
    result = _ingest(folder, "--db", db)
    assert result.exit_code == 1
    _assert_one_line_each(result, "gone.txt: a link to nothing")
    assert _documents(db) == 1


def test_an_unreadable_subfolder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "b.txt").write_text(GOOD, encoding="utf-8")
    (folder / "a.txt").write_text(GOOD.replace("12", "14"), encoding="utf-8")
    # chmod 000 does not stop root, who runs CI: the folder's listing fails as it would
    scandir = os.scandir

    def refuse(path: Any) -> Any:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    found = list(iter_articles([folder]))
    errors = [str(item) for item in found if not isinstance(item, Article)]
    assert errors == [
        f"{folder / 'locked'}: cannot be listed (Permission denied); check its permissions"
    ]
    assert sum(isinstance(item, Article) for item in found) == 1


def test_an_analysis_that_fails_unexpectedly_is_one_line_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as the accurate profile's tagger did on a cue with no tokens
    analyse = ingest_run.analyse_article

    def sometimes_broken(article: Article, *args: Any) -> Any:
        if "broken" in article.loaded.text:
            raise ValueError("max() arg is an empty sequence")
        return analyse(article, *args)

    monkeypatch.setattr(ingest_run, "analyse_article", sometimes_broken)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text("This one is broken. " + GOOD, encoding="utf-8")
    (folder / "c.txt").write_text(GOOD.replace("12", "15"), encoding="utf-8")
    db = tmp_path / "l.sqlite"
    result = _ingest(folder, "--db", db)
    assert result.exit_code == 1
    _assert_one_line_each(result, "b.txt: the analysis failed (ValueError: max() arg")
    assert _documents(db) == 2


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the patch")
def test_a_worker_that_dies_costs_its_article_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    analyse = ingest_run.analyse_article

    def dies_on_one(article: Article, *args: Any) -> Any:
        if "KILL" in article.loaded.text:
            os._exit(9)  # as the OOM killer ends a worker
        return analyse(article, *args)

    monkeypatch.setattr(ingest_run, "analyse_article", dies_on_one)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(6):
        text = GOOD.replace("12", str(30 + n)) + (" KILL" if n == 2 else "")
        (folder / f"{n}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "l.sqlite"
    result = _ingest(folder, "--db", db, "--workers", "2")
    assert result.exit_code == 1
    errors = _errors(result)
    assert any("2.txt: the worker analysing it died" in line for line in errors), errors
    assert "Traceback" not in result.output
    # the article being analysed beside it may go down with the pool; no other is lost
    assert _documents(db) >= 4


def test_a_read_only_ledger_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    Ledger(db).close()
    article = tmp_path / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    result = _ingest(article, "--db", f"sqlite:///file:{db}?mode=ro&uri=true")
    assert result.exit_code == 1
    _assert_one_line_each(result, "cannot write to the ledger (attempt to write a readonly")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(p) for p in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
def test_workers_end_when_their_ingest_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(40):
        (folder / f"{n:02}.txt").write_text(GOOD.replace("12", str(100 + n)), encoding="utf-8")
    command = [sys.executable, "-m", "claimledger", "ingest", str(folder), "--db",
               str(tmp_path / "l.sqlite"), "--workers", "2"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = _children(process.pid)
            time.sleep(0.1)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1)  # they are started and waiting for work
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "worker processes outlived their ingest"
