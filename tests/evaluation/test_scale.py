"""The scale benchmark's inputs: real-length articles, news-site pages whose main text is
the article, a WARC the planner cuts into whole records, and the overhead it reports."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from claimledger.evaluation.scale import (
    LENGTH,
    Run,
    ScaleResult,
    _gap_ms,
    long_articles,
    markdown,
    page,
    write_warc,
)
from claimledger.ingest.reader import load_text
from claimledger.ingest.shards import plan_shards, read_shard


def test_articles_are_real_length_distinct_and_the_same_for_a_seed() -> None:
    articles = list(long_articles(40, seed=5))
    lengths = [len(a.text.split()) for a in articles]
    assert all(LENGTH[0] <= n <= LENGTH[1] for n in lengths), lengths
    assert len({a.text for a in articles}) == 40
    assert len({a.url for a in articles}) == 40
    assert [a.text for a in long_articles(40, seed=5)] == [a.text for a in articles]


def test_a_page_is_about_its_size_and_its_main_text_is_the_article() -> None:
    (article,) = long_articles(1, seed=2)
    data = page(article, random.Random(0), kilobytes=64)
    assert 63 * 1024 <= len(data) <= 66 * 1024
    loaded = load_text(data, name="page.html")
    # every paragraph of the article, and none of the navigation or related links
    for paragraph in article.text.split("\n\n"):
        assert paragraph in loaded.text
    assert "Related story" not in loaded.text and "Section 3" not in loaded.text


def test_a_generated_warc_is_cut_into_whole_records_that_read_every_page(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crawl.warc"
    pages, _ = write_warc(path, megabytes=1, page_kb=64)
    assert path.stat().st_size >= 2**20
    plan = plan_shards([path], shard_bytes=200_000)
    assert len(plan.shards) > 3
    read = [item for shard in plan.shards for item in read_shard(shard, 10**6)]
    assert [i.loaded.path for i in read] == [f"{path}#{n}" for n in range(1, pages + 1)]


@pytest.mark.parametrize(
    ("spans", "expected_ms"),
    [
        # worker a idles 10 ms and 30 ms between its three shards; b runs one: no gap
        ({"a": [(0.0, 1.0), (1.01, 2.0), (2.03, 3.0)], "b": [(0.0, 2.5)]}, 20.0),
        ({"a": [(0.0, 1.0)]}, 0.0),
    ],
)
def test_the_overhead_per_shard_is_the_mean_idle_gap_between_a_workers_shards(
    spans: dict[str, list[tuple[float, float]]], expected_ms: float
) -> None:
    stream = [
        {
            "key": f"ingest_shard-{worker}{n}",
            "worker": worker,
            "startstops": [{"action": "compute", "start": start, "stop": stop}],
        }
        for worker, pairs in spans.items()
        for n, (start, stop) in enumerate(reversed(pairs))  # in any order
    ]
    stream.append({"key": "_noop-1", "worker": "a", "startstops": []})
    assert _gap_ms(stream) == pytest.approx(expected_ms)


def test_the_report_projects_from_the_per_core_rate() -> None:
    result = ScaleResult(date="2026-12-07", machine="test machine", workers=2)
    result.runs = [
        Run("process pool, 2 workers", articles=100, words=70_000, seconds=50.0, failed=0),
        Run(
            "--cluster local, 2 workers",
            articles=100,
            words=70_000,
            seconds=40.0,
            failed=0,
            shards=10,
            overhead_per_shard_ms=12.0,
        ),
    ]
    report = markdown(result)
    assert "| --cluster local, 2 workers | 100 | 40.0 | 2.50 | 1,750 |" in report
    # the better of the two, per core: 1.25 articles/s; 8.4 / 1.25 = 6.7 cores
    assert "Per core: 1.25 articles/s" in report and "about 7 such cores" in report
