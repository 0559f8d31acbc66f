"""The live-ledger benchmark (``make bench-live``): a tiny run goes end to end, reports
every number it promises, and leaves only its results behind (the working ledger is
gigabytes at 100,000 articles)."""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.evaluation import live_bench


def test_a_tiny_run_reports_its_numbers_and_leaves_only_its_results(tmp_path: Path) -> None:
    out, report = tmp_path / "out", tmp_path / "report.md"
    argv = ["--articles", "30", "--more", "2", "--workers", "1"]
    argv += ["--cache", str(tmp_path / "cache"), "--out", str(out), "--markdown-out", str(report)]
    assert live_bench.main(argv) == 0
    # no working ledger, and no write-ahead log or shared-memory file of one left open
    assert sorted(p.name for p in out.iterdir()) == ["results.json"]
    (result,) = json.loads((out / "results.json").read_text())
    assert result["articles"] == 30 and result["claims"] > 0
    assert len(result["reconcile_s"]) == len(result["phases"]) == 2
    assert set(result["derived_bytes"]) == set(live_bench.DERIVED_TABLES)
    assert result["text_bytes"] > 0 and result["full_s"] > 0
    # the relations a reader is shown, the members' corroborations of their figures too
    assert result["relations"].get("corroborates", 0) > 0
    assert "| 30 articles |" in report.read_text(encoding="utf-8")
