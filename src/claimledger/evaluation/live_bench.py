"""The live ledger (``make bench-live``): on a ledger of N generated articles, the full
rebuild's time, the derived tables' size against the article text, relations and
conflicts per claim; then the time to store one more article and reconcile it
(incrementally), median and p95 over ``--more`` articles, with where that time goes.

    python -m claimledger.evaluation.live_bench --articles 10000 100000 --more 20

Building a ledger (analysing N articles) takes most of the time at 100,000 (about an
hour on 2 cores); the built ledger (stored records, never reconciled) is kept in
``--cache`` and reused by later runs, each of which works on a copy.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from claimledger.evaluation.articles import generate_articles, write_articles
from claimledger.evaluation.ledger_bench import machine, peak_rss_mib

DERIVED_TABLES = ("ledger_entities", "entity_links", "claim_facts", "figures", "relations")
CHANGE_TABLES = ("change_log", "change_marks")


@dataclass
class SizeResult:
    articles: int
    claims: int = 0
    text_bytes: int = 0
    derived_bytes: dict[str, int] = field(default_factory=dict)  # table (with indexes)
    change_bytes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)  # pairs of claims behind them
    figures: int = 0
    full_s: float = 0.0
    full_cpu_s: float = 0.0
    full_phases: dict[str, float] = field(default_factory=dict)
    record_full_s: float = 0.0
    store_s: list[float] = field(default_factory=list)
    reconcile_s: list[float] = field(default_factory=list)
    record_s: list[float] = field(default_factory=list)
    analyse_s: list[float] = field(default_factory=list)
    phases: list[dict[str, float]] = field(default_factory=list)
    peak_mib: float = 0.0


def base_ledger(count: int, cache: Path, workers: int, log: Any) -> Path:
    """The cached ledger of ``count`` generated articles (seed 0), stored, not reconciled;
    built (analysed and stored) if missing."""
    from claimledger.ingest.run import ingest
    from claimledger.ledger import Ledger

    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"ledger-{count}.sqlite"
    if db.exists():
        return db
    articles = cache / f"articles-{count}.jsonl"
    written = write_articles(articles, generate_articles(count, 0))
    log(f"building {db}: {written.articles:,} articles, {written.words:,} words")
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    with Ledger(partial) as ledger:
        tally = ingest([articles], ledger, workers=workers)
    log(f"built in {time.perf_counter() - started:,.0f} s ({len(tally.failed)} failed)")
    partial.rename(db)
    return db


def _bytes(path: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Each table's bytes on disk with its indexes (SQLite's dbstat)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        indexes = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='index'"))
        sizes: dict[str, int] = {}
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = indexes.get(name, name)
            if table in tables:
                sizes[table] = sizes.get(table, 0) + int(size)
    return sizes


def run_size(
    count: int, cache: Path, out: Path, *, more: int, workers: int, log: Any
) -> SizeResult:
    """One ledger size: the full rebuild, the sizes, then ``more`` articles stored and
    reconciled one at a time."""
    from claimledger.extract import analyze
    from claimledger.ledger import Ledger, rebuild

    base = base_ledger(count, cache, workers, log)
    work = out / f"ledger-{count}.sqlite"
    shutil.copyfile(base, work)
    result = SizeResult(articles=count)
    with Ledger(work) as ledger:
        log(f"{count:,}: full rebuild")
        with ledger.engine.begin() as conn:
            started, cpu = time.perf_counter(), time.process_time()
            rebuild.reconcile_ledger(conn, full=True, phases=result.full_phases, record=True)
            result.record_full_s = result.full_phases.pop("change log")
            result.full_s = time.perf_counter() - started - result.record_full_s
            result.full_cpu_s = time.process_time() - cpu
        log(
            f"{count:,}: full rebuild {result.full_s:,.1f} s "
            f"(+ change log {result.record_full_s:.1f} s)"
        )
        counts = ledger.counts()
        result.claims = counts["claims"]
    with contextlib.closing(sqlite3.connect(work)) as conn:
        result.text_bytes = int(
            conn.execute("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM documents").fetchone()[0]
        )
        for kind, rows, pairs in conn.execute(
            "SELECT kind, COUNT(*), SUM(pairs) FROM relations GROUP BY kind ORDER BY kind"
        ):
            result.relations[kind] = int(rows)
            result.pairs[kind] = int(pairs)
        # each member's corroboration of its figure, kept on its claim's facts
        (joins,) = conn.execute(
            "SELECT COUNT(*) FROM claim_facts WHERE joins_claim IS NOT NULL"
        ).fetchone()
        for held in (result.relations, result.pairs):
            held["corroborates"] = held.get("corroborates", 0) + int(joins)
        result.figures = int(conn.execute("SELECT COUNT(*) FROM figures").fetchone()[0])
    result.derived_bytes = _bytes(work, DERIVED_TABLES)
    result.change_bytes = _bytes(work, CHANGE_TABLES)

    later = list(generate_articles(more, seed=count + 1))
    with Ledger(work) as ledger:
        for n, article in enumerate(later, 1):
            started = time.perf_counter()
            analysis = analyze(
                article.text,
                published=article.published,
                url=article.url,
                outlet=article.outlet,
                title=article.title,
            )
            result.analyse_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            ledger.store_analysis(analysis)
            result.store_s.append(time.perf_counter() - started)
            phases: dict[str, float] = {}
            with ledger.engine.begin() as conn:
                started = time.perf_counter()
                rebuild.reconcile_ledger(conn, phases=phases, record=True)
                result.record_s.append(phases.pop("change log"))
                result.reconcile_s.append(time.perf_counter() - started - result.record_s[-1])
            result.phases.append(phases)
            total = result.store_s[-1] + result.reconcile_s[-1] + result.record_s[-1]
            log(f"{count:,}: one more ({n}/{more}): {total:.2f} s")
    result.peak_mib = peak_rss_mib()
    return result


def _p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def markdown(results: list[SizeResult], more: int) -> str:
    lines = [
        f"### {dt.date.today().isoformat()} · {machine()}",
        "",
        "| ledger | claims | text | derived tables | × text | relations (pairs of claims "
        "behind them) | conflicts per claim | full rebuild (CPU) | change log, first |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        derived = sum(r.derived_bytes.values())
        rows = sum(r.relations.values())
        pairs = sum(r.pairs.values())
        lines.append(
            f"| {r.articles:,} articles | {r.claims:,} | {r.text_bytes / 2**20:,.1f} MiB | "
            f"{derived / 2**20:,.1f} MiB | {derived / max(r.text_bytes, 1):.2f} | "
            f"{rows:,} ({pairs:,}) | {r.relations.get('conflicts', 0) / max(r.claims, 1):.3f} | "
            f"{r.full_s:,.1f} s ({r.full_cpu_s:,.1f} s) | {r.record_full_s:,.1f} s |"
        )
    lines += [
        "",
        f"One more article, stored and reconciled ({more} articles, each analysed first, "
        "untimed here):",
        "",
        "| ledger | store | reconcile | change log | total, median | total, p95 | ÷ full rebuild |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        totals = [a + b + c for a, b, c in zip(r.store_s, r.reconcile_s, r.record_s, strict=True)]
        median = statistics.median(totals) if totals else 0.0
        lines.append(
            f"| {r.articles:,} | {statistics.median(r.store_s):.3f} s | "
            f"{statistics.median(r.reconcile_s):.3f} s | {statistics.median(r.record_s):.3f} s | "
            f"{median:.3f} s | {_p(totals, 95):.3f} s | "
            f"{median / max(r.full_s + r.record_full_s, 1e-9):.4f} |"
        )
    lines += ["", "Where an incremental reconcile's time goes (median seconds):", ""]
    names = sorted({k for r in results for p in r.phases for k in p})
    lines.append("| ledger | " + " | ".join(names) + " |")
    lines.append("| --- |" + " --- |" * len(names))
    for r in results:
        cells = [f"{statistics.median([p.get(k, 0.0) for p in r.phases]):,.3f}" for k in names]
        lines.append(f"| {r.articles:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--more", type=int, default=20, help="articles stored one at a time")
    parser.add_argument("--workers", type=int, default=2, help="to build a missing ledger")
    parser.add_argument("--cache", type=Path, default=Path("bench/ledgers"))
    parser.add_argument("--out", type=Path, help="keep the working copies and results here")
    parser.add_argument("--markdown-out", type=Path)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="claimledger-live-"))
    out.mkdir(parents=True, exist_ok=True)

    def log(line: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)

    results = []
    try:
        for count in args.articles:
            results.append(
                run_size(count, args.cache, out, more=args.more, workers=args.workers, log=log)
            )
            (out / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
            (out / f"ledger-{count}.sqlite").unlink(missing_ok=True)  # gigabytes at 100,000
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    report = markdown(results, args.more)
    sys.stdout.write(report)
    if args.markdown_out is not None:
        args.markdown_out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
