"""The ledger at scale (``make bench``): generate N wire-style articles about a few
developing stories, ingest them into a fresh SQLite ledger, reconcile it, and time the
store's queries. Reports articles/s, words/s, peak memory, query times and row counts.

    python -m claimledger.evaluation.ledger_bench --articles 10000 --workers 2 --out bench/

The articles are made up, deterministically from ``--seed``, by
:mod:`claimledger.evaluation.articles`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import faulthandler
import json
import multiprocessing
import os
import platform
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimledger.evaluation.articles import (
    DAYS,
    START,
    generate_articles,
    write_articles,
)
from claimledger.ledger import ClaimQuery, Ledger

# --- the benchmark -------------------------------------------------------------------------

# The queries timed, by the name the report shows; each returns how many rows it gave.
SINCE = START + dt.timedelta(days=DAYS - 60)
QUERIES: dict[str, Callable[[Ledger], int]] = {
    "claims()": lambda ledger: _count(ledger.claims()),
    "find_claims()": lambda ledger: _count(ledger.find_claims()),
    "find_claims(subject='north korean')": lambda ledger: _count(
        ledger.find_claims(ClaimQuery(subject="north korean"))
    ),
    "find_claims(source='Zelensky')": lambda ledger: _count(
        ledger.find_claims(ClaimQuery(source="Zelensky"))
    ),
    f"find_claims(since={SINCE.isoformat()})": lambda ledger: _count(
        ledger.find_claims(ClaimQuery(since=SINCE))
    ),
    "find_claims(limit=50, offset=10000) (a page)": lambda ledger: _count(
        ledger.find_claims(limit=50, offset=10_000)
    ),
    "conflicts()": lambda ledger: len(ledger.conflicts()),
    "conflicts(limit=100) (the CLI's first page)": lambda ledger: len(ledger.conflicts(limit=100)),
    "count_relations(kind='conflicts')": lambda ledger: ledger.count_relations(kind="conflicts"),
    "figures(measure='killed')": lambda ledger: len(ledger.figures(measure="killed")),
    "figures(limit=50) (a page)": lambda ledger: len(ledger.figures(limit=50)),
    "claim_groups()": lambda ledger: len(ledger.claim_groups()),
    "sources()": lambda ledger: len(ledger.sources()),
}
# Queries that read the stored rows only; the rest reconcile first when the ledger is stale.
WITHOUT_RECONCILE = {"claims()"}


@dataclass(frozen=True)
class StepTiming:
    """One timed step, run in a child process so that a pathological one can be stopped:
    ``status`` is "ok", "stopped" (over the time limit) or what went wrong."""

    step: str
    seconds: float  # the median of the timed runs; for a stopped step, how long it ran
    runs: int
    rows: int
    peak_mib: float  # the child's peak resident memory (it starts as a copy of this process)
    status: str = "ok"
    stack: tuple[str, ...] = ()  # for a stopped step: where it was, innermost frames first


@dataclass
class BenchResult:
    """Everything the benchmark reports; also written as results.json."""

    date: str
    machine: str
    articles: int
    words: int
    workers: int
    failed: int
    ingest_s: float
    articles_per_s: float
    words_per_s: float
    peak_self_mib: float  # RUSAGE_SELF after ingest: generating, analysing (1 worker), storing
    peak_workers_mib: float  # RUSAGE_CHILDREN after ingest: the largest ingest worker
    reconcile: StepTiming
    queries: list[StepTiming]
    relations: dict[str, int]
    counts: dict[str, int]
    near_duplicates_generated: int
    near_duplicates_found: int
    near_duplicates_matching: int  # found links that join a generated copy to its original
    ledger_bytes: int


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (RUSAGE_SELF) or of its largest waited-for
    child (RUSAGE_CHILDREN), in MiB. Linux reports KiB, macOS bytes."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine() -> str:
    """Architecture, cores, CPU model, memory and Python, as far as this OS tells (read
    from /proc: ``platform.processor()`` would fork ``uname``, and a fork of a large
    process counts as a large child in RUSAGE_CHILDREN)."""
    cpu, memory = "", ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(ln.split(":", 1)[1].strip() for ln in info.splitlines() if "model name" in ln)
        cpu = f" ({cpu})"
        meminfo = Path("/proc/meminfo").read_text().split()
        memory = f", {int(meminfo[meminfo.index('MemTotal:') + 1]) / 1024**2:.0f} GiB RAM"
    except (OSError, ValueError, IndexError, StopIteration):
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{cpu}{memory}, "
        f"Python {platform.python_version()}"
    )


def time_query(work: Callable[[], int], *, runs: int = 5) -> tuple[float, int]:
    """(median seconds of ``runs`` timed runs after one warm-up, rows)."""
    rows = work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def run_limited(
    step: str, work: Callable[[], tuple[float, int, int]], limit: float, stacks: Path
) -> StepTiming:
    """Run ``work`` (returning seconds, rows, runs) in a forked child. Past ``limit``
    seconds the child is stopped; four stack samples taken on the way (faulthandler, into
    ``stacks``) say where it spent its time."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    stacks.unlink(missing_ok=True)

    def child() -> None:
        with stacks.open("w") as dump:
            faulthandler.register(signal.SIGUSR1, file=dump, all_threads=False)
            _cap_memory()
            try:
                seconds, rows, runs = work()
                send.send(("ok", seconds, rows, runs, peak_rss_mib()))
            except MemoryError:
                send.send(("out of memory", 0.0, 0, 0, peak_rss_mib()))
            except Exception as exc:
                send.send((f"failed: {type(exc).__name__}: {exc}", 0.0, 0, 0, peak_rss_mib()))

    process = context.Process(target=child, name=f"bench {step}")
    started = time.perf_counter()
    process.start()
    send.close()
    pid = process.pid
    assert pid is not None
    samples = 0
    while not receive.poll(0.2):
        elapsed = time.perf_counter() - started
        if not process.is_alive():
            process.join()
            return StepTiming(step, elapsed, 0, 0, 0.0, f"died (exit code {process.exitcode})")
        if samples < 4 and elapsed >= limit * (samples + 1) / 4:
            os.kill(pid, signal.SIGUSR1)
            samples += 1
        if samples == 4 and elapsed >= limit + 1:
            process.kill()
            process.join()
            return StepTiming(step, elapsed, 0, 0, 0.0, "stopped", _frames(stacks))
    status, seconds, rows, runs, peak = receive.recv()
    process.join()
    return StepTiming(step, seconds, runs, rows, peak, status)


def _cap_memory() -> None:
    """Keep a child to 80 % of the machine's memory, so a runaway step ends in a
    MemoryError rather than in the kernel killing whatever is largest."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (int(pages * 0.8), resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass


def _frames(stacks: Path) -> tuple[str, ...]:
    """The innermost claimledger frame of each stack sample, with its caller:
    "relate (reconcile.py:449) < <listcomp> (reconcile.py:709)"."""
    found = []
    try:
        text = stacks.read_text()
    except OSError:
        return ()
    for sample in text.split("(most recent call first):")[1:]:
        ours = []
        for line in sample.splitlines():
            line = line.strip()
            if line.startswith('File "') and "claimledger" in line and __file__ not in line:
                path, _, rest = line[len('File "') :].partition('", line ')
                number, _, function = rest.partition(" in ")
                ours.append(f"{function} ({Path(path).name}:{number})")
        if ours:
            found.append(" < ".join(ours[:3]))
    return tuple(found)


def run_benchmark(
    count: int,
    out: Path,
    *,
    workers: int = 2,
    seed: int = 0,
    profile: str = "fast",
    runs: int = 5,
    limit: float = 120.0,
    console: Any = None,
) -> BenchResult:
    """Generate ``count`` articles into ``out``, ingest them into ``out/ledger.sqlite``
    (replaced if there), reconcile it and time the queries, each step stopped past
    ``limit`` seconds."""
    from rich.console import Console

    from claimledger.ingest.run import ingest

    console = console or Console(stderr=True)
    log = _Log(console)
    out.mkdir(parents=True, exist_ok=True)
    articles_path = out / "articles.jsonl"
    db = out / "ledger.sqlite"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    generated = write_articles(articles_path, generate_articles(count, seed))
    log(f"wrote {generated.articles:,} articles ({generated.words:,} words) to {articles_path}")

    with Ledger(db) as ledger, _progress(console, "ingesting", generated.articles) as advance:
        started = time.perf_counter()
        tally = ingest(
            [articles_path],
            ledger,
            workers=workers,
            profile=profile,
            progress=lambda _stored, _line: advance(),
        )
        ingest_s = time.perf_counter() - started
    peak_self, peak_workers = peak_rss_mib(), peak_rss_mib(resource.RUSAGE_CHILDREN)
    log(
        f"ingested in {ingest_s:.1f} s; peak memory {peak_self:.0f} MiB, workers {peak_workers:.0f}"
    )

    def reconcile() -> tuple[float, int, int]:
        with Ledger(db) as ledger:
            start = time.perf_counter()
            summary = ledger.reconcile(force=True)
            seconds = time.perf_counter() - start
        (out / "reconcile.json").write_text(json.dumps(summary.to_json()))
        return seconds, sum(summary.relations.values()), 1

    with console.status("reconciling"):
        reconciled = run_limited("reconcile(force=True)", reconcile, limit, out / "stacks.txt")
    log(
        f"reconcile: {reconciled.status}, {reconciled.seconds:.1f} s, {reconciled.rows:,} relations"
    )
    relations: dict[str, int] = {}
    derived: dict[str, int] = {}
    if reconciled.status == "ok":
        summary = json.loads((out / "reconcile.json").read_text())
        relations = summary["relations"]
        derived = {"ledger entities": summary["entities"], "figures": summary["figures"]}

    timings = []
    for name, query in QUERIES.items():
        if reconciled.status != "ok" and name not in WITHOUT_RECONCILE:
            timings.append(
                StepTiming(name, 0.0, 0, 0, 0.0, "not run: the ledger is not reconciled")
            )
            continue

        def timed(query: Callable[[Ledger], int] = query) -> tuple[float, int, int]:
            with Ledger(db) as ledger:
                seconds, rows = time_query(lambda: query(ledger), runs=runs)
            return seconds, rows, runs

        with console.status(f"timing {name}"):
            timing = run_limited(name, timed, limit, out / "stacks.txt")
        timings.append(timing)
        log(f"{name}: {timing.status}, {timing.seconds:.3f} s, {timing.rows:,} rows")

    with Ledger(db) as ledger:
        counts = ledger.counts() | derived
        found = len(ledger.duplicates())
        matching = _matching_copies(ledger, generated.copies)
    size = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    return BenchResult(
        date=dt.date.today().isoformat(),
        machine=machine(),
        articles=generated.articles,
        words=generated.words,
        workers=workers,
        failed=len(tally.failed),
        ingest_s=ingest_s,
        articles_per_s=generated.articles / ingest_s,
        words_per_s=generated.words / ingest_s,
        peak_self_mib=peak_self,
        peak_workers_mib=peak_workers,
        reconcile=reconciled,
        queries=timings,
        relations=relations,
        counts=counts,
        near_duplicates_generated=len(generated.copies),
        near_duplicates_found=found,
        near_duplicates_matching=matching,
        ledger_bytes=size,
    )


@contextmanager
def _progress(console: Any, what: str, total: int) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal; elsewhere (a log file) a line every 5 %."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    log = _Log(console)
    done = 0
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(what, total=total)

        def advance() -> None:
            nonlocal done
            done += 1
            bar.advance(task)
            if not console.is_terminal and done % max(1, total // 20) == 0:
                log(f"{what} {done:,}/{total:,} ({done / log.elapsed():.1f}/s)")

        yield advance


def _count(rows: Iterable[object]) -> int:
    return sum(1 for _ in rows)


def _matching_copies(ledger: Ledger, copies: dict[str, str]) -> int:
    """Near-duplicate links that join a generated copy to its own original."""
    url = {d.id: d.url for d in ledger.documents()}
    return sum(1 for a, b, _ in ledger.duplicates() if copies.get(url[a] or "") == url[b])


class _Log:
    """Lines on the console with the seconds since the start: what a background run's log
    shows."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def __call__(self, message: str) -> None:
        self.console.print(f"[{self.elapsed():7.1f} s] {message}", highlight=False, markup=False)


def markdown(result: BenchResult) -> str:
    """The report: ingest and memory, reconcile and queries, and what the ledger holds."""
    r = result
    claims = r.counts.get("claims", 0)
    lines = [
        f"### Ledger at {r.articles:,} articles ({r.words:,} words, generated)",
        "",
        f"{r.date} · {r.machine} · ingest with {r.workers} worker process(es) · queries: "
        "median of the timed runs after one warm-up",
        "",
        "| step | seconds | rate | peak memory (MiB) |",
        "| --- | --- | --- | --- |",
        f"| ingest: analyse and store | {r.ingest_s:,.1f} | {r.articles_per_s:,.1f} articles/s, "
        f"{r.words_per_s:,.0f} words/s | {r.peak_self_mib:,.0f} this process (RUSAGE_SELF), "
        f"{r.peak_workers_mib:,.0f} largest worker (RUSAGE_CHILDREN) |",
        _step_row(r.reconcile, f"{claims:,} claims → {r.reconcile.rows:,} relations"),
        *(_step_row(q, f"{q.rows:,} rows") for q in r.queries),
        "",
        "| ledger | count |",
        "| --- | --- |",
        *(f"| {k} | {v:,} |" for k, v in r.counts.items()),
        f"| claims per document | {claims / max(r.counts.get('documents', 0), 1):.2f} |",
        *(f"| relations: {k} | {v:,} |" for k, v in r.relations.items()),
        f"| near-duplicates generated / linked / linked to their own original | "
        f"{r.near_duplicates_generated:,} / {r.near_duplicates_found:,} / "
        f"{r.near_duplicates_matching:,} |",
        f"| inputs that failed | {r.failed:,} |",
        f"| file size (database and WAL) | {r.ledger_bytes / 1024**2:,.1f} MiB |",
    ]
    stopped = [s for s in (r.reconcile, *r.queries) if s.stack]
    for step in stopped:
        lines += ["", f"`{step.step}` was stopped after {step.seconds:,.0f} s; stack samples:", ""]
        lines += [f"- {frame}" for frame in step.stack]
    return "\n".join(lines) + "\n"


def _step_row(step: StepTiming, what: str) -> str:
    """A table row for a step timed in a child process (its peak includes this process's
    memory at the fork)."""
    if step.status == "ok":
        runs = "1 run" if step.runs == 1 else f"median of {step.runs}"
        return f"| `{step.step}` | {step.seconds:,.3f} | {what} ({runs}) | {step.peak_mib:,.0f} |"
    seconds = f"> {step.seconds:,.0f}" if step.status == "stopped" else "–"
    return f"| `{step.step}` | {seconds} | {step.status} | – |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000, help="how many to generate")
    parser.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--seed", type=int, default=0, help="the same seed, the same articles")
    parser.add_argument("--profile", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query, after a warm-up")
    parser.add_argument(
        "--limit",
        type=float,
        default=120.0,
        help="stop the reconcile or a query that runs longer than this many seconds",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="keep the articles, ledger and results.json here (default: a temporary directory)",
    )
    parser.add_argument("--markdown-out", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.workers < 1 or args.runs < 1:
        parser.error("--articles, --workers and --runs must be at least 1")
    out = args.out or Path(tempfile.mkdtemp(prefix="claimledger-bench-"))
    try:
        result = run_benchmark(
            args.articles,
            out,
            workers=args.workers,
            seed=args.seed,
            profile=args.profile,
            runs=args.runs,
            limit=args.limit,
        )
        (out / "results.json").write_text(json.dumps(asdict(result), indent=2) + "\n")
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    report = markdown(result)
    sys.stdout.write(report)
    if args.markdown_out is not None:
        args.markdown_out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
