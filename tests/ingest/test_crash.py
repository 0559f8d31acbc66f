"""Crash safety: a real SIGKILL of an ingest mid-batch leaves a consistent ledger, and
running the ingest again completes it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger.ledger import Ledger

ARTICLES = 80


def _article(i: int) -> str:
    return (
        f"KYIV (Report {i}) - The army said on Monday that {i * 10 + 5} soldiers were "
        f"wounded near village number {i}, and officials said {i + 2} were captured. "
        f"A spokesman said the unit {i} had been deployed there since November."
    )


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_ingest_leaves_whole_documents_and_a_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"{i:03}.txt").write_text(_article(i), encoding="utf-8")
    db = tmp_path / "l.sqlite"
    command = [sys.executable, "-m", "claimledger", "ingest", str(folder), "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _documents(db) < 5 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    stored = _documents(db)
    assert 5 <= stored < ARTICLES  # killed mid-batch, not before or after

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    # every stored document is whole: its attributions, its claims and its search row
    rows = con.execute(
        "SELECT d.id,"
        " (SELECT count(*) FROM attributions a WHERE a.document_id = d.id),"
        " (SELECT count(*) FROM claims c WHERE c.document_id = d.id),"
        " (SELECT count(*) FROM documents_fts f WHERE f.document_id = d.id)"
        " FROM documents d"
    ).fetchall()
    con.close()
    assert len(rows) == stored
    assert all(
        attributions >= 1 and claims >= 2 and fts == 1 for _, attributions, claims, fts in rows
    )

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{ARTICLES - stored} new, {stored} already stored" in rerun.stderr
    with Ledger(db) as ledger:
        assert ledger.counts()["documents"] == ARTICLES
