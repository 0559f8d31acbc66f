"""Analysis time against spaCy's parse alone by article length (``make bench``): one
article of 25, 100, 200 and 800 KB made of a split's texts one after another, each size
in a fresh process so that its peak memory is its own. Linear analysis keeps the ratio
flat and the memory proportional to the length.

    python -m claimledger.evaluation.length ../shared/polnear/dev --sizes 25 100 200 800
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path


def _article(split: Path, kilobytes: int) -> str:
    from claimledger.evaluation.polnear import load_split

    wanted = kilobytes * 1000
    parts: list[str] = []
    for article in load_split(split):
        parts.append(article.text)
        if sum(map(len, parts)) >= wanted:
            break
    text = "\n\n".join(parts)
    while len(text) < wanted:  # a small split: its texts again
        text += "\n\n" + text
    return text[:wanted]


def measure_one(split: Path, kilobytes: int, repeat: int = 1) -> dict[str, float]:
    """Parse and analysis seconds for one article of ``kilobytes`` (the best of
    ``repeat``), and this process's peak memory in MB (the models loaded first, outside
    the timing)."""
    from claimledger.extract import analyze
    from claimledger.nlp.pipeline import load_model, load_pipeline

    text = _article(split, kilobytes)
    bare = load_model()
    bare.max_length = max(bare.max_length, len(text) + 1)
    load_pipeline("fast").max_length = max(bare.max_length, len(text) + 1)
    analyze("Officials said 3 people died.")
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parse = analysis = float("inf")
    for _ in range(repeat):  # alternated, so a busy moment of the machine hits both
        started = time.perf_counter()
        bare(text)
        parse = min(parse, time.perf_counter() - started)
        started = time.perf_counter()
        analyze(text)
        analysis = min(analysis, time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "kilobytes": kilobytes,
        "parse": parse,
        "analysis": analysis,
        "peak_mb": peak,
        "models_mb": loaded,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 100, 200, 800])
    parser.add_argument("--repeat", type=int, default=1, help="best of N timings per size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child's size
    args = parser.parse_args(argv)
    if args.one is not None:
        measured = measure_one(args.split, args.one, args.repeat)
        sys.stdout.write(json.dumps(measured) + "\n")
        return 0
    rows = []
    for size in args.sizes:
        child = [sys.executable, "-m", "claimledger.evaluation.length", str(args.split)]
        done = subprocess.run(
            [*child, "--one", str(size), "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout.splitlines()[-1]))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"### Analysis time by article length — {args.split.name} texts, one article\n")
    runs = f"best of {args.repeat}" if args.repeat > 1 else "one run"
    print(f"{dt.date.today().isoformat()} · {machine} · {runs} per size, fresh process\n")
    print("| article | parse s | analysis s | × parse | peak MB | over the models, MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['kilobytes']} KB | {row['parse']:.2f} | {row['analysis']:.2f} | "
            f"{row['analysis'] / row['parse']:.2f} | {row['peak_mb']:.0f} | "
            f"{row['peak_mb'] - row['models_mb']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
