"""The scale benchmark (``make bench-scale``): the same real-length generated articles
(500 to 900 words each) ingested into PostgreSQL by the one-machine process pool and by a
local Dask cluster, with articles/s, words/s and the scheduler's overhead per shard; then
a generated WARC of HTML pages ingested on the cluster with the peak memory of every
process sampled. Sizes are parameters: the full run is 5,000 articles and a 1 GiB WARC.

A PostgreSQL server is started for the run (initdb and pg_ctl, as the tests do) unless
``--postgres URL`` names one."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import json
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from claimledger.evaluation import pgserver
from claimledger.evaluation.articles import GeneratedArticle, generate_articles
from claimledger.evaluation.ledger_bench import machine

LENGTH = (500, 900)  # words of one generated article
GDELT_ARTICLES_PER_S = 8.4  # GDELT's published volume over 2016, the yardstick


# --- real-length articles ------------------------------------------------------------------


def long_articles(
    count: int, seed: int = 0, words: tuple[int, int] = LENGTH
) -> Iterator[GeneratedArticle]:
    """``count`` articles of ``words`` words, each a roundup of the benchmark's wire
    stories (evaluation/articles.py): the first story's dateline, title and outlet, then
    the following stories' paragraphs, whole, until the drawn length is reached."""
    rng = random.Random(seed)
    stories = generate_articles(count * 12, seed)
    for _ in range(count):
        target = rng.randint(*words)
        lead = next(stories)
        paragraphs = lead.text.split("\n\n")
        total = len(lead.text.split())
        while total < target:
            story = next(stories)
            for paragraph in story.text.split("\n\n")[1:]:  # its own dateline left out
                size = len(paragraph.split())
                if total + size > words[1]:
                    if total >= words[0]:
                        target = total  # long enough; no paragraph would fit
                        break
                    continue
                paragraphs.append(paragraph)
                total += size
                if total >= target:
                    break
        yield GeneratedArticle(
            text="\n\n".join(paragraphs),
            url=lead.url,
            outlet=lead.outlet,
            published=lead.published,
            title=lead.title,
        )


def write_jsonl_files(folder: Path, articles: Iterator[GeneratedArticle], files: int) -> int:
    """The articles dealt round-robin into ``files`` JSONL files; their words."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = [(folder / f"part-{n:03}.jsonl").open("w", encoding="utf-8") for n in range(files)]
    words = 0
    try:
        for number, article in enumerate(articles):
            line = json.dumps(article.to_json(), ensure_ascii=False)
            handles[number % files].write(line + "\n")
            words += len(article.text.split())
    finally:
        for handle in handles:
            handle.close()
    return words


def page(article: GeneratedArticle, rng: random.Random, kilobytes: int) -> bytes:
    """A news site's page around the article: head with styles and scripts, navigation,
    related links, footer; padded with script to about ``kilobytes``."""
    e = html.escape
    nav = "".join(
        f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(rng.randint(20, 40))
    )
    related = "".join(
        f'<li><a href="/story/{rng.randint(1, 10**6)}">Related story {n}: more on the war</a></li>'
        for n in range(12)
    )
    body = "".join(f"<p>{e(p)}</p>" for p in article.text.split("\n\n"))
    head = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(article.title)}"
        f"</title><meta property='article:published_time' "
        f"content='{article.published.isoformat()}'><meta property='og:site_name' "
        f"content='{e(article.outlet)}'><style>body{{font-family:serif}}"
        f".nav li{{display:inline}}</style>"
    )
    page_ = (
        f"{head}</head><body><header><ul class='nav'>{nav}</ul></header><main><article>"
        f"<h1>{e(article.title)}</h1><time datetime='{article.published.isoformat()}'>"
        f"{article.published.isoformat()}</time>{body}</article></main><aside><ul>{related}"
        f"</ul></aside><footer><p>&copy; {e(article.outlet)}</p></footer>"
    )
    padding = max(0, kilobytes * 1024 - len(page_.encode()) - 40)
    script = "var analytics=" + json.dumps("x" * padding) + ";"
    return (page_ + f"<script>{script}</script></body></html>").encode("utf-8")


def write_warc(path: Path, megabytes: int, *, seed: int = 1, page_kb: int = 48) -> tuple[int, int]:
    """An uncompressed WARC of HTML responses of about ``megabytes`` MiB; (articles, words)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(seed)
    articles, words = 0, 0
    wanted = megabytes * 1024 * 1024
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for article in long_articles(10**9, seed):
            if handle.tell() >= wanted:
                break
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"{article.url}?n={articles}",
                "response",
                payload=_bytes_io(page(article, rng, page_kb)),
                http_headers=headers,
            )
            writer.write_record(record)
            articles += 1
            words += len(article.text.split())
    return articles, words


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


# --- a PostgreSQL server for the run -------------------------------------------------------


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A server URL (without database) on 127.0.0.1, removed afterwards; commits not
    waiting for the disk and room for every worker's connections."""
    try:
        with pgserver.throwaway_postgres(
            ("synchronous_commit=off", "max_connections=200"), prefix="claimledger-scale-pg-"
        ) as server:
            yield server
    except pgserver.PostgresMissing as error:
        raise SystemExit(str(error)) from None


def new_database(server: str, name: str) -> str:
    import psycopg
    from psycopg import sql

    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{plain}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server}/{name}"


# --- memory of a process tree --------------------------------------------------------------


class PeakMemory:
    """Samples the resident memory of this process and all its descendants (the cluster's
    nanny and worker processes) every ``interval`` seconds; peaks by role, in MiB."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.client = 0.0
        self.largest_child = 0.0
        self.total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                own = me.memory_info().rss / 2**20
                children = []
                for child in me.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        children.append(child.memory_info().rss / 2**20)
            except psutil.Error:
                continue
            self.client = max(self.client, own)
            self.largest_child = max(self.largest_child, max(children, default=0.0))
            self.total = max(self.total, own + sum(children))
            self._stop.wait(self.interval)


# --- the runs ------------------------------------------------------------------------------


@dataclass
class Run:
    what: str
    articles: int
    words: int
    seconds: float
    failed: int
    startup_s: float = 0.0  # starting the cluster (workers loading the pipeline)
    shards: int = 0
    overhead_per_shard_ms: float = 0.0
    peak_client_mib: float = 0.0
    peak_worker_mib: float = 0.0
    peak_total_mib: float = 0.0

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


@dataclass
class ScaleResult:
    date: str
    machine: str
    workers: int
    runs: list[Run] = field(default_factory=list)
    empty_task_ms: float = 0.0  # one no-op task through the scheduler and back
    warc_bytes: int = 0


def pool_run(paths: list[Path], db: str, workers: int, words: int) -> Run:
    from claimledger.ingest.run import ingest
    from claimledger.ledger import Ledger

    with Ledger(db) as ledger, PeakMemory() as memory:
        started = time.perf_counter()
        tally = ingest(paths, ledger, workers=workers)
        seconds = time.perf_counter() - started
    return Run(
        what=f"process pool, {workers} workers",
        articles=tally.new + tally.replaced,
        words=words,
        seconds=seconds,
        failed=len(tally.failed),
        peak_client_mib=memory.client,
        peak_worker_mib=memory.largest_child,
        peak_total_mib=memory.total,
    )


def cluster_run(
    what: str, paths: list[Path], db: str, workers: int, shard_bytes: int
) -> tuple[Run, float]:
    """One ingest on a fresh local cluster; the run and the no-op task round trip (ms)."""
    from distributed import get_task_stream

    from claimledger.ingest.cluster import connect, ingest_on_cluster
    from claimledger.ingest.reader import DEFAULT_MAX_BYTES

    with PeakMemory() as memory:
        started = time.perf_counter()
        with connect("local", workers) as client:
            client.run(_load_pipeline)  # what the plugin does first, timed as start-up
            startup = time.perf_counter() - started
            began = time.perf_counter()
            with get_task_stream(client=client) as stream:
                tally = ingest_on_cluster(
                    paths, db, client, max_bytes=DEFAULT_MAX_BYTES, shard_bytes=shard_bytes
                )
            seconds = time.perf_counter() - began
            empty = _empty_task_ms(client)
    shards = len(tally.shards)
    return (
        Run(
            what=what,
            articles=sum(r.articles for r in tally.shards),
            words=tally.words,
            seconds=seconds,
            failed=len(tally.failed),
            startup_s=startup,
            shards=shards,
            overhead_per_shard_ms=_gap_ms(stream.data),
            peak_client_mib=memory.client,
            peak_worker_mib=memory.largest_child,
            peak_total_mib=memory.total,
        ),
        empty,
    )


def reading_run(path: Path, shard_bytes: int) -> Run:
    """Every shard of ``path`` planned and read in this process (HTML to text, no
    analysis): the reader's own memory on a WARC too large to analyse in the time."""
    from claimledger.ingest.reader import DEFAULT_MAX_BYTES
    from claimledger.ingest.shards import plan_shards, read_shard

    articles, words, failed = 0, 0, 0
    with PeakMemory() as memory:
        started = time.perf_counter()
        plan = plan_shards([path], shard_bytes)
        for shard in plan.shards:
            for item in read_shard(shard, DEFAULT_MAX_BYTES):
                if isinstance(item, Exception):
                    failed += 1
                    continue
                articles += 1
                words += len(item.loaded.text.split())
        seconds = time.perf_counter() - started
    return Run(
        what=f"WARC {path.stat().st_size / 2**20:,.0f} MiB read in shards, not analysed",
        articles=articles,
        words=words,
        seconds=seconds,
        failed=failed,
        shards=len(plan.shards),
        peak_client_mib=memory.client,
        peak_total_mib=memory.total,
    )


def _gap_ms(tasks: list[dict[str, Any]]) -> float:
    """The scheduler's overhead per shard: the mean time a worker stood idle between the
    end of one shard task and the start of its next (the result reported, the next task
    assigned and sent), from the scheduler's task stream."""
    by_worker: dict[str, list[tuple[float, float]]] = {}
    for task in tasks:
        if not str(task.get("key", "")).startswith("ingest_shard"):
            continue
        for part in task.get("startstops", ()):
            if part.get("action") == "compute":
                by_worker.setdefault(task["worker"], []).append((part["start"], part["stop"]))
    gaps = [
        later[0] - earlier[1]
        for spans in by_worker.values()
        for earlier, later in zip(sorted(spans), sorted(spans)[1:], strict=False)
    ]
    return 1000 * sum(gaps) / len(gaps) if gaps else 0.0


def _load_pipeline() -> None:
    from claimledger.nlp.pipeline import load_pipeline

    load_pipeline("fast")


def _noop(n: int) -> int:
    return n


def _empty_task_ms(client: Any, tasks: int = 200) -> float:
    started = time.perf_counter()
    client.gather(client.map(_noop, range(tasks), pure=False))
    return 1000 * (time.perf_counter() - started) / tasks


def run_benchmark(
    articles: int,
    warc_mb: list[int],
    out: Path,
    server: str,
    *,
    workers: int = 2,
    files: int = 10,
    shard_bytes: int = 4 * 2**20,
    warc_shard_bytes: int = 16 * 2**20,
    page_kb: int = 256,
    read_warc_mb: tuple[int, ...] = (),
    log: Any = print,
) -> ScaleResult:
    result = ScaleResult(date=dt.date.today().isoformat(), machine=machine(), workers=workers)
    folder = out / "articles"
    shutil.rmtree(folder, ignore_errors=True)
    words = write_jsonl_files(folder, long_articles(articles, seed=0), files)
    paths = sorted(folder.glob("*.jsonl"))
    log(f"wrote {articles:,} articles ({words:,} words) in {files} JSONL files")
    if articles:
        run = pool_run(paths, new_database(server, "scale_pool"), workers, words)
        result.runs.append(run)
        log(_line(run))
        run, result.empty_task_ms = cluster_run(
            f"--cluster local, {workers} workers",
            paths,
            new_database(server, "scale_cluster"),
            workers,
            shard_bytes,
        )
        result.runs.append(run)
        log(_line(run))
    for size in warc_mb:
        warc = out / "crawl.warc"
        count, _ = write_warc(warc, size, page_kb=page_kb)
        result.warc_bytes = warc.stat().st_size
        log(f"wrote {warc}: {result.warc_bytes / 2**20:,.0f} MiB, {count:,} HTML pages")
        run, _ = cluster_run(
            f"WARC {result.warc_bytes / 2**20:,.0f} MiB on --cluster local, {workers} workers",
            [warc],
            new_database(server, f"scale_warc_{size}"),
            workers,
            warc_shard_bytes,
        )
        result.runs.append(run)
        log(_line(run))
        warc.unlink()
    for size in read_warc_mb:
        warc = out / "read.warc"
        count, _ = write_warc(warc, size, page_kb=page_kb)
        log(f"wrote {warc}: {warc.stat().st_size / 2**20:,.0f} MiB, {count:,} HTML pages")
        run = reading_run(warc, warc_shard_bytes)
        result.runs.append(run)
        log(_line(run))
        warc.unlink()
    return result


def _line(run: Run) -> str:
    return (
        f"{run.what}: {run.articles:,} articles in {run.seconds:.1f} s, "
        f"{run.articles_per_s:.2f} articles/s, {run.words_per_s:,.0f} words/s, "
        f"{run.failed} failed; peak RSS {run.peak_total_mib:,.0f} MiB in all"
    )


def markdown(result: ScaleResult) -> str:
    rows = [
        "| run | articles | seconds | articles/s | words/s | + start-up s | shards | "
        "overhead per shard | peak RSS (MiB): client / largest worker / all |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in result.runs:
        overhead = f"{r.overhead_per_shard_ms:,.0f} ms" if r.shards else "–"
        rows.append(
            f"| {r.what} | {r.articles:,} | {r.seconds:.1f} | {r.articles_per_s:.2f} | "
            f"{r.words_per_s:,.0f} | {r.startup_s:.1f} | {r.shards or '–'} | {overhead} | "
            f"{r.peak_client_mib:,.0f} / {r.peak_worker_mib:,.0f} / {r.peak_total_mib:,.0f} |"
        )
    ingests = [r for r in result.runs if r.what.startswith(("process pool", "--cluster"))]
    per_core = max((r.articles_per_s for r in ingests), default=0.0) / result.workers
    lines = [
        f"{result.date} · {result.machine}",
        "",
        *rows,
        "",
        "The process pool's seconds include its workers' start (loading the pipeline); the "
        "cluster's do not: its start-up (the LocalCluster and the pipeline in each worker) "
        "is the next column.",
        f"One no-op task through the scheduler and back: {result.empty_task_ms:.1f} ms.",
    ]
    if per_core:
        needed = GDELT_ARTICLES_PER_S / per_core
        lines.append(
            f"Per core: {per_core:.2f} articles/s; GDELT's 2016 volume "
            f"({GDELT_ARTICLES_PER_S} articles/s) needs about {needed:.0f} such cores."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000, help="real-length articles")
    parser.add_argument(
        "--warc-mb", type=int, nargs="*", default=[1024], help="sizes of the WARCs (none: no WARC)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--files", type=int, default=10, help="JSONL files the articles fill")
    parser.add_argument("--shard-mb", type=float, default=4.0, help="JSONL shard size")
    parser.add_argument("--warc-shard-mb", type=float, default=16.0, help="WARC shard size")
    parser.add_argument("--page-kb", type=int, default=256, help="size of one WARC page")
    parser.add_argument(
        "--read-warc-mb",
        type=int,
        nargs="*",
        default=[],
        help="sizes of WARCs only read (planned and HTML to text, not analysed)",
    )
    parser.add_argument("--postgres", help="a server URL to use (default: start one)")
    parser.add_argument("--out", type=Path, help="keep the generated files here")
    parser.add_argument("--markdown-out", type=Path)
    args = parser.parse_args(argv)
    # a stopped run still stops its PostgreSQL server and removes its files
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    out = args.out or Path(tempfile.mkdtemp(prefix="claimledger-scale-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        with (
            contextlib.nullcontext(args.postgres) if args.postgres else throwaway_postgres()
        ) as server:
            result = run_benchmark(
                args.articles,
                args.warc_mb,
                out,
                server,
                workers=args.workers,
                files=args.files,
                shard_bytes=int(args.shard_mb * 2**20),
                warc_shard_bytes=int(args.warc_shard_mb * 2**20),
                read_warc_mb=tuple(args.read_warc_mb),
                page_kb=args.page_kb,
                log=lambda line: print(line, file=sys.stderr, flush=True),
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
