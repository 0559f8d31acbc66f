"""Real news with gold claims (``make eval-news``): analyse every article of a news-dev
style folder (``articles/*.json``: id, text, published ...) exactly as
``claimledger analyze FILE --format json [--published DATE]`` does, but in one process, and
keep each article's text and output as ``ID.txt`` and ``ID.json``, which the shared scorer
re-scores with ``news_eval.py NEWS_DIR CLI --keep DIR --cached``.

    python -m claimledger.evaluation.news ../shared/news-dev --keep .cache/news-dev

Running the command line once per article would load spaCy sixty times; the outputs are
the command's own (click's runner calls it), so the scores are the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console
from rich.progress import Progress

from claimledger.cli import app


def analyse_articles(news: Path, keep: Path) -> int:
    """Write ``ID.txt`` and ``ID.json`` for every article of ``news``; how many failed."""
    keep.mkdir(parents=True, exist_ok=True)
    articles = sorted((news / "articles").glob("*.json"))
    if not articles:
        raise SystemExit(f"{news}: no articles/*.json; give a news-dev style folder")
    runner = CliRunner()
    failed = 0
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("analysing", total=len(articles))
        for path in articles:
            article = json.loads(path.read_text(encoding="utf-8"))
            text_file = keep / f"{article['id']}.txt"
            text_file.write_text(article["text"], encoding="utf-8")
            args = ["analyze", str(text_file), "--format", "json"]
            if article.get("published"):
                args += ["--published", article["published"]]
            result = runner.invoke(app, args)
            if result.exit_code != 0:
                failed += 1
                console.print(f"{article['id']}: exit {result.exit_code}", highlight=False)
            (keep / f"{article['id']}.json").write_text(result.stdout, encoding="utf-8")
            bar.advance(task)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("news", type=Path, help="a news-dev style folder")
    parser.add_argument("--keep", type=Path, required=True, help="where to write the outputs")
    args = parser.parse_args(argv)
    return 1 if analyse_articles(args.news, args.keep) else 0


if __name__ == "__main__":
    sys.exit(main())
