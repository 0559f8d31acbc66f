"""Speed of extraction against spaCy's parse alone, on the same documents in one run
(``make bench``). Ratios, not absolute times, are what compare across runs.

    python -m claimledger.evaluation.speed ../shared/polnear/dev [--workers 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from claimledger.evaluation.polnear import load_split
from claimledger.extract import analyze_doc
from claimledger.nlp import PROFILES
from claimledger.nlp.pipeline import load_model, load_pipeline
from claimledger.records import Document, document_id


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _extract_all(texts: list[str], profile: str = "fast") -> int:
    nlp = load_pipeline(profile)
    count = 0
    for text, doc in zip(texts, nlp.pipe(texts), strict=True):
        count += len(analyze_doc(doc, Document(id=document_id(text), text=text)).attributions)
    return count


def _in_workers(
    fn: Callable[[list[str], str], int], texts: list[str], workers: int, profile: str
) -> int:
    chunks = [texts[i::workers] for i in range(workers)]
    # torch's thread pools do not survive a fork: the accurate profile's workers start
    # afresh (their start-up is in the timing, as it would be for a user).
    context = multiprocessing.get_context("spawn" if profile == "accurate" else "fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return sum(pool.map(fn, chunks, [profile] * workers))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    parser.add_argument("--profile", choices=PROFILES, default="fast")
    args = parser.parse_args(argv)
    texts = [a.text for a in load_split(args.split)]
    words = sum(len(t.split()) for t in texts)
    # Model loading is start-up cost, not per-document cost: load both before timing.
    bare = load_model()
    load_pipeline(args.profile)
    parse = min(_timed(lambda: sum(len(d) for d in bare.pipe(texts))) for _ in range(args.repeat))
    ours = min(_timed(lambda: _extract_all(texts, args.profile)) for _ in range(args.repeat))
    parallel = min(
        _timed(lambda: _in_workers(_extract_all, texts, args.workers, args.profile))
        for _ in range(args.repeat)
    )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    profile = "" if args.profile == "fast" else f", {args.profile} profile"
    print(
        f"### Extraction speed — {args.split.name} ({len(texts)} documents, "
        f"{words:,} words{profile})\n"
    )
    print(f"{dt.date.today().isoformat()} · {machine} · best of {args.repeat}\n")
    print("| run | seconds | words/s | × parse alone |")
    print("| --- | --- | --- | --- |")
    print(f"| spaCy parse alone (1 process) | {parse:.2f} | {words / parse:,.0f} | 1.00 |")
    print(
        f"| claimledger extraction (1 process) | {ours:.2f} | {words / ours:,.0f} "
        f"| {ours / parse:.2f} |"
    )
    print(
        f"| claimledger extraction ({args.workers} processes, incl. start-up) | "
        f"{parallel:.2f} | {words / parallel:,.0f} | {parallel / parse:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
