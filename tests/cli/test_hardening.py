"""The command line refuses what would lose or destroy data, and prints nothing it should
not (issue 16, items 6, 8, 9, 11 and 13): an output is never written over an input, a
FIFO, a link or the ledger's own files; an analysis that fails is one line and the other
files go on; escape sequences and a database password never reach the terminal; an
in-memory ledger, a malformed date and a read-only folder are handled."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app
from claimledger.ledger import Ledger
from claimledger.ledger import store as ledger_store

GOOD = "The ministry said on Monday that 12 soldiers were killed near the border."


def run_cli(*args: str | Path, cwd: Path | None = None) -> Result:
    with contextlib.chdir(cwd or Path.cwd()):
        return CliRunner().invoke(app, [str(a) for a in args], env={"NO_COLOR": "1"})


def error_lines(result: Result) -> list[str]:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert run_cli("demo", "--db", db).exit_code == 0
    return db


# --- 8. export --out replaces only a regular file or makes a new one ---------------------


def _fifo(tmp_path: Path) -> Path:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    return fifo


def _link_to_a_file(tmp_path: Path) -> Path:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    return link


def _link_to_stdout(tmp_path: Path) -> Path:
    link = tmp_path / "stdout.jsonl"
    link.symlink_to("/dev/stdout")
    return link


@pytest.mark.parametrize("target", [_fifo, _link_to_a_file, _link_to_stdout])
def test_export_refuses_to_replace_what_is_not_a_regular_file(
    demo_db: Path, tmp_path: Path, target: Any
) -> None:
    out = target(tmp_path)
    before = os.lstat(out)
    result = run_cli("export", "--db", demo_db, "--out", out)
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert f"cannot write {out}" in line
    after = os.lstat(out)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    assert not list(tmp_path.glob(".*.tmp"))


def test_export_refuses_the_ledgers_own_files(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "l.sqlite"
    db.write_bytes(demo_db.read_bytes())
    for name in ("l.sqlite-wal", "l.sqlite-shm", "l.sqlite"):
        result = run_cli("export", "--db", db, "--out", tmp_path / name)
        assert result.exit_code == 2
        (line,) = error_lines(result)
        assert "the ledger itself or one of its files" in line


def test_export_still_replaces_a_regular_file(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.jsonl"
    out.write_text("old\n", encoding="utf-8")
    assert run_cli("export", "--db", demo_db, "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith('{"')


# --- 9. analyze --out is checked before the analysis --------------------------------------


def test_analyze_never_writes_over_its_input(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    result = run_cli("analyze", article, "--format", "json", "--out", article)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "is one of the articles to analyse" in line
    assert article.read_text(encoding="utf-8") == GOOD


def test_analyze_out_a_folder_is_one_line_before_any_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimledger.extract

    monkeypatch.setattr(claimledger.extract, "analyze", lambda *a, **k: pytest.fail("analysed"))
    article = tmp_path / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    result = run_cli("analyze", article, "--format", "json", "--out", tmp_path)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "is a folder" in line


def test_brat_outputs_with_the_same_name_are_refused_before_writing(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "brat"
    result = run_cli(
        "analyze", tmp_path / "x" / "report.txt", tmp_path / "y" / "report.txt",
        "--format", "brat", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "would both be written as report.txt" in line
    assert not out.exists()


# --- 6. one article whose analysis fails does not end the others' ---------------------------


def test_an_analysis_that_raises_is_one_line_and_the_other_files_are_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claimledger.extract

    real = claimledger.extract.analyze

    def tagger_bug(text: str, **kwargs: Any) -> Any:
        if "broken" in text:
            raise ValueError("max() arg is an empty sequence")
        return real(text, **kwargs)

    monkeypatch.setattr(claimledger.extract, "analyze", tagger_bug)
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text("This is broken. " + GOOD, encoding="utf-8")
    result = run_cli("analyze", "a.txt", "b.txt", "--format", "jsonl", cwd=tmp_path)
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "b.txt: the analysis failed (ValueError: max() arg is an empty sequence)" in line
    assert len(result.stdout.splitlines()) == 1


# --- 11. nothing raw reaches the terminal ---------------------------------------------------


def test_escape_sequences_in_a_file_name_are_not_printed_raw(tmp_path: Path) -> None:
    name = "evil\x1b]0;owned\x07\x1b[2J.txt"
    (tmp_path / name).write_text("", encoding="utf-8")
    result = run_cli("analyze", name, cwd=tmp_path)
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "is empty" in line


def test_escape_sequences_in_a_warc_uri_are_not_printed_raw(tmp_path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    crawl = tmp_path / "c.warc"
    with crawl.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://x.example/\x1b[31mred", "response", payload=io.BytesIO(b""),
            http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    result = run_cli("ingest", crawl, "--db", tmp_path / "l.sqlite")
    assert result.exit_code == 1
    assert error_lines(result)
    assert "\x1b" not in result.stderr


def test_a_database_password_is_never_printed(
    ledger_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "://" not in ledger_target:
        # a URL that cannot be reached: its error line
        url = "postgresql+psycopg://reader:hunter2-secret@127.0.0.1:1/none"
        result = run_cli("claims", "--db", url)
        assert result.exit_code == 1
        (line,) = error_lines(result)
        assert "hunter2" not in result.output and "***" in line
        return
    # the test server trusts every password: the summary and the banner must not show it
    url = ledger_target.replace("postgres@", "postgres:hunter2-secret@")
    article = tmp_path / "a.txt"
    article.write_text(GOOD, encoding="utf-8")
    ingested = run_cli("ingest", article, "--db", url)
    assert ingested.exit_code == 0, ingested.output
    assert "hunter2" not in ingested.output and "***" in ingested.stderr
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    served = run_cli("serve", "--db", url)
    assert served.exit_code == 0, served.output
    assert "hunter2" not in served.output and "***" in served.stderr


# --- 13. inputs a command cannot keep or read -------------------------------------------------


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
@pytest.mark.parametrize("command", ["ingest", "claims"])
def test_an_in_memory_ledger_is_refused(tmp_path: Path, url: str, command: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    args = ["ingest", "a.txt"] if command == "ingest" else ["claims"]
    result = run_cli(*args, "--db", url, cwd=tmp_path)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert "in-memory" in line and "give a file" in line


def test_a_ledger_in_a_read_only_folder_can_be_read(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    db = shared / "l.sqlite"
    db.write_bytes(demo_db.read_bytes())
    # chmod does not stop root, who runs CI: the folder is reported read-only as it would be
    writable = os.access
    monkeypatch.setattr(
        ledger_store.os,
        "access",
        lambda path, mode: False if Path(path) == shared else writable(path, mode),
    )
    result = run_cli("claims", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 8
    assert sorted(p.name for p in shared.iterdir()) == ["l.sqlite"]  # nothing made beside it
    with Ledger(db) as ledger:
        assert ledger.read_only


def test_html_nested_past_the_parsers_depth_says_so(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<div>" * 300 + f"<p>{GOOD}</p>" + "</div>" * 300, encoding="utf-8")
    result = run_cli("analyze", page)
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert "nested more than 256 elements deep" in line


@pytest.mark.parametrize("option", ["--gazetteer", "--lexicon"])
def test_a_20000_deep_toml_file_is_one_line(tmp_path: Path, option: str) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    # a fresh process: word lists are extended only before this process's first analysis
    done = subprocess.run(
        [sys.executable, "-m", "claimledger", "analyze", "a.txt", option, str(deep)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert "nested too deeply" in line
