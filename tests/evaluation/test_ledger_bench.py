"""The ledger benchmark (``make bench``): its article generator is deterministic and gives
what the benchmark promises, and a tiny run goes end to end and reports every number."""

from __future__ import annotations

import json
import time
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from claimledger.evaluation import ledger_bench
from claimledger.evaluation.articles import WIRES, generate_articles, write_articles
from claimledger.evaluation.ledger_bench import run_limited
from claimledger.ingest.inputs import Article, iter_articles


def test_the_same_seed_gives_the_same_articles() -> None:
    assert list(generate_articles(150, seed=7)) == list(generate_articles(150, seed=7))
    assert list(generate_articles(150, seed=7)) != list(generate_articles(150, seed=8))


@pytest.mark.parametrize("count", [1, 2, 19, 300])
def test_it_gives_exactly_the_requested_number_of_distinct_articles(count: int) -> None:
    articles = list(generate_articles(count))
    assert len(articles) == count
    assert len({a.text for a in articles}) == count
    assert len({a.url for a in articles}) == count


def test_articles_are_wire_sized_with_a_dateline_and_two_to_four_paragraphs() -> None:
    for article in generate_articles(300):
        words = len(article.text.split())
        assert 80 <= words <= 200, article.text
        dateline, *body = article.text.split("\n\n")
        assert dateline.endswith("."), dateline
        assert 2 <= len(body) <= 4, article.text


def test_about_five_percent_are_near_copies_of_an_earlier_wire_story() -> None:
    articles = list(generate_articles(1000))
    by_url = {a.url: (i, a) for i, a in enumerate(articles)}
    copies = [(i, a) for i, a in enumerate(articles) if a.copy_of is not None]
    assert 30 <= len(copies) <= 80
    for i, copy in copies:
        j, original = by_url[copy.copy_of]  # type: ignore[index]
        assert j < i
        assert original.outlet in WIRES and copy.outlet not in WIRES
        assert copy.text != original.text
        words = SequenceMatcher(None, original.text.split(), copy.text.split(), autojunk=False)
        edits = [op for op in words.get_opcodes() if op[0] != "equal"]
        assert len(edits) == 1, (original.text, copy.text)  # one word (or phrase) changed


def test_the_jsonl_is_what_ingest_reads(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    written = write_articles(path, generate_articles(40))
    read = list(iter_articles([path]))
    assert all(isinstance(a, Article) for a in read)
    assert len(read) == written.articles == 40
    first = read[0]
    assert isinstance(first, Article)
    assert first.outlet and first.loaded.published and first.loaded.url and first.loaded.title
    assert written.words == sum(len(json.loads(line)["text"].split()) for line in path.open())


def _slow() -> tuple[float, int, int]:
    time.sleep(30)
    return 30.0, 0, 1


def test_a_step_over_the_limit_is_stopped(tmp_path: Path) -> None:
    started = time.perf_counter()
    step = run_limited("slow", _slow, 0.4, tmp_path / "stacks.txt")
    assert step.status == "stopped"
    assert 0.4 <= step.seconds < 10 and time.perf_counter() - started < 10


def test_a_small_run_reports_every_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = tmp_path / "bench.md"
    code = ledger_bench.main(
        [
            *("--articles", "12", "--workers", "1", "--runs", "1"),
            *("--out", str(tmp_path / "bench"), "--markdown-out", str(markdown)),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert printed == markdown.read_text()
    for row in ("ingest: analyse and store", "`reconcile(force=True)`", "`conflicts()`"):
        assert row in printed
    assert "articles/s" in printed and "words/s" in printed
    assert "RUSAGE_SELF" in printed and "RUSAGE_CHILDREN" in printed
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    assert results["articles"] == 12
    assert results["failed"] == 0
    assert results["counts"]["documents"] == 12
    assert results["counts"]["claims"] > 12
    assert results["reconcile"]["status"] == "ok"
    assert [q["step"] for q in results["queries"]] == list(ledger_bench.QUERIES)
    assert all(q["status"] == "ok" and q["runs"] == 1 for q in results["queries"])
    for key in ("articles_per_s", "words_per_s", "peak_self_mib", "peak_workers_mib"):
        assert results[key] > 0
    assert {"near_duplicates_generated", "near_duplicates_found", "ledger_bytes"} <= set(results)
