"""A load test a maintainer can run (``make loadtest``): one ``claimledger serve`` on
127.0.0.1 over a fresh ledger, and a bounded mix of reads, writes and analyses from
concurrent clients; p50/p95 per endpoint, and a failure if any answer is a 5xx.

    python -m claimledger.evaluation.loadtest --requests 600 --concurrency 8 --seconds 120

Loopback only: the server is started here, on a free port of 127.0.0.1, and stopped at
the end; nothing else is contacted. Bounded in count (``--requests``) and time
(``--seconds``: requests not started by then are not sent).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from claimledger.evaluation.articles import generate_articles

API = "/api/v1"

# What a client does, by weight: mostly reads (API and pages), some writes, a few
# analyses (the costliest request an anonymous client can make).
MIX: tuple[tuple[str, int], ...] = (
    ("GET /api/v1/health", 10),
    ("GET /api/v1/documents", 10),
    ("GET /api/v1/claims", 15),
    ("GET /api/v1/relations", 8),
    ("GET /api/v1/figures", 8),
    ("GET /api/v1/entities", 5),
    ("GET /", 6),
    ("GET /claims", 6),
    ("GET /static/style.css", 4),
    ("POST /api/v1/documents", 12),
    ("POST /api/v1/claims/{claim}/rating", 6),
    ("POST /api/v1/analyze", 10),
)


@dataclass(frozen=True)
class Outcome:
    endpoint: str
    status: int
    seconds: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(db: Path, token: str, concurrency: int) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    # Every client may have an analysis waiting: the queue is sized to the clients, so a
    # 503 here is a failure, not the queue doing its job.
    env.update({"CLAIMLEDGER_TOKEN": token, "CLAIMLEDGER_ANALYSIS_QUEUE": str(concurrency)})
    command = [sys.executable, "-m", "claimledger", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}{API}/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


async def _client(
    client: httpx.AsyncClient,
    plan: asyncio.Queue[str],
    articles: Iterator[str],
    claims: list[str],
    outcomes: list[Outcome],
    stop_at: float,
    token: str,
) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < stop_at:
        try:
            endpoint = plan.get_nowait()
        except asyncio.QueueEmpty:
            return
        method, path = endpoint.split(" ", 1)
        started = time.monotonic()
        if endpoint == "POST /api/v1/documents":
            response = await client.post(path, json={"text": next(articles)}, headers=auth)
        elif endpoint == "POST /api/v1/analyze":
            response = await client.post(path, json={"text": next(articles)})
        elif method == "POST":
            claim = random.choice(claims)
            rating = {"verdict": "Unproven", "value": 3, "reviewer": "Load test"}
            response = await client.post(path.replace("{claim}", claim), json=rating, headers=auth)
        else:
            response = await client.get(path)
        outcomes.append(Outcome(endpoint, response.status_code, time.monotonic() - started))


async def _run(base: str, requests: int, concurrency: int, seconds: float, token: str) -> Any:
    rng = random.Random(1)
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    plan: asyncio.Queue[str] = asyncio.Queue()
    for name in rng.choices(names, weights, k=requests):
        plan.put_nowait(name)
    texts = (a.text for a in generate_articles(requests, seed=7))
    outcomes: list[Outcome] = []
    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        listed = (await client.get(f"{API}/claims", params={"limit": 100})).json()["items"]
        claims = [f"{c['document']}/{c['id']}" for c in listed]
        # the server loads its language model on the first analysis: not timed
        (await client.post(f"{API}/analyze", json={"text": next(texts)})).raise_for_status()
        started = time.monotonic()
        await asyncio.gather(
            *(
                _client(client, plan, texts, claims, outcomes, started + seconds, token)
                for _ in range(concurrency)
            )
        )
        elapsed = time.monotonic() - started
    return outcomes, elapsed


def _seed_ledger(db: Path, articles: int) -> None:
    """A ledger to read from the start: ``articles`` generated articles, reconciled."""
    from claimledger.extract import analyze
    from claimledger.ledger import Ledger

    with Ledger(db) as ledger:
        for article in generate_articles(articles, seed=3):
            ledger.store(
                analyze(
                    article.text,
                    published=article.published,
                    url=article.url,
                    outlet=article.outlet,
                    title=article.title,
                )
            )
        ledger.catch_up()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(outcomes: list[Outcome], elapsed: float, concurrency: int) -> str:
    """A Markdown table: per endpoint, requests, p50, p95 and max in ms, and statuses."""
    by_endpoint: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_endpoint[outcome.endpoint].append(outcome)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"### {dt.date.today().isoformat()} · {machine} · {len(outcomes)} requests from "
        f"{concurrency} concurrent clients in {elapsed:.1f} s",
        "",
        "| endpoint | requests | p50 ms | p95 ms | max ms | statuses |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, _ in MIX:
        done = by_endpoint.get(name, [])
        if not done:
            continue
        times = [o.seconds * 1000 for o in done]
        statuses = ", ".join(
            f"{s}: {n}" for s, n in sorted(Counter(o.status for o in done).items())
        )
        lines.append(
            f"| {name} | {len(done)} | {statistics.median(times):.0f} | "
            f"{_percentile(times, 0.95):.0f} | {max(times):.0f} | {statuses} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600, help="requests in all")
    parser.add_argument("--concurrency", type=int, default=8, help="clients at once")
    parser.add_argument("--seconds", type=float, default=120, help="stop starting requests after")
    parser.add_argument("--seed-articles", type=int, default=50, help="articles stored first")
    args = parser.parse_args(argv)
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="claimledger-load-") as folder:
        db = Path(folder) / "ledger.sqlite"
        _seed_ledger(db, args.seed_articles)
        with _server(db, token, args.concurrency) as base:
            outcomes, elapsed = asyncio.run(
                _run(base, args.requests, args.concurrency, args.seconds, token)
            )
    sys.stdout.write(report(outcomes, elapsed, args.concurrency))
    failures = [o for o in outcomes if o.status >= 500]
    if failures:
        sys.stderr.write(f"{len(failures)} answer(s) were 5xx\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
