"""Analysis time against spaCy's parse alone by article length (``make bench``): one
article of 25, 100, 200 and 800 KB made of a split's texts one after another, each size
in a fresh process so that its peak memory is its own. Linear analysis keeps the ratio
flat and the memory proportional to the length.

Times are the process's CPU seconds as well as wall-clock seconds, and the ratio is taken
on CPU time: on a machine shared with other jobs the wall clock also counts the time this
process waited for a core, which says nothing about the code (the 2-core machines these
numbers come from often run several jobs). The child runs its BLAS on one thread, so CPU
time is the time one core spends, as the wall clock would be on an idle machine.

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

# Run once by both sides before the timing, so that neither counts what a process pays
# once whatever the article's length: the first date makes dateparser compile its
# regular expressions (about 0.1 to 0.3 s, a tenth of a 25 KB parse), the first figure
# and cue load their word lists.
WARM_UP = (
    "KYIV, March 12, 2024 — At least 31 people were killed and 120 wounded in strikes on "
    "Monday, the regional governor said yesterday, according to the state news agency. "
    "Officials said last week that about one-third of the 12,000 soldiers had died."
)
_BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


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
    for run in (bare, analyze):  # one-time costs (lazy word lists, dateparser's regexes)
        run(WARM_UP)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = dict.fromkeys(("parse", "analysis", "parse_wall", "analysis_wall"), float("inf"))
    for _ in range(repeat):  # alternated, so a busy moment of the machine hits both
        for name, run in (("parse", bare), ("analysis", analyze)):
            wall, cpu = time.perf_counter(), time.process_time()
            run(text)
            best[name] = min(best[name], time.process_time() - cpu)
            best[f"{name}_wall"] = min(best[f"{name}_wall"], time.perf_counter() - wall)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "kilobytes": kilobytes,
        **best,
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
            env={**os.environ, **dict.fromkeys(_BLAS_THREADS, "1")},
        )
        rows.append(json.loads(done.stdout.splitlines()[-1]))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"### Analysis time by article length — {args.split.name} texts, one article\n")
    runs = f"best of {args.repeat}" if args.repeat > 1 else "one run"
    print(f"{dt.date.today().isoformat()} · {machine} · {runs} per size, fresh process\n")
    print(
        "| article | parse CPU s | analysis CPU s | × parse | wall s (parse / analysis) "
        "| peak MB | over the models, MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['kilobytes']} KB | {row['parse']:.2f} | {row['analysis']:.2f} | "
            f"{row['analysis'] / row['parse']:.2f} | "
            f"{row['parse_wall']:.2f} / {row['analysis_wall']:.2f} | {row['peak_mb']:.0f} | "
            f"{row['peak_mb'] - row['models_mb']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
