"""The benchmark's made-up world (evaluation/bench_vocabulary.toml) hangs together: every
name one list uses is defined in another, so an edit to the file cannot break a run
halfway through 10,000 articles."""

from __future__ import annotations

from claimledger.evaluation import articles
from claimledger.records import Measure


def test_every_reporter_of_a_series_is_a_source() -> None:
    for series in articles.SERIES:
        for key, factor in series.reporters:
            assert key in articles.SOURCES, f"{series.story}/{series.measure}: {key}"
            assert factor > 0
    assert set(articles.DRONE_SOURCES) <= set(articles.SOURCES)


def test_every_side_has_datelines_outlets_and_quotes() -> None:
    for key, source in articles.SOURCES.items():
        assert source.leads, key
        assert articles.DATELINES[source.side], key
        assert articles.HOME_OUTLETS[source.side], key
        assert articles.QUOTES[source.side], key


def test_every_measure_is_written_and_every_companion_is_a_series() -> None:
    measures = set(Measure.__args__)  # type: ignore[attr-defined]
    for series in articles.SERIES:
        assert series.measure in measures
        assert articles.PARTICIPLES[series.measure]
        assert series.story in articles.BACKGROUND
        assert series.story in articles.OBSERVATIONS
        if series.companion is not None:
            assert any(
                s.story == series.story and s.measure == series.companion for s in articles.SERIES
            )


def test_the_same_seed_gives_the_same_articles() -> None:
    first = [a.text for a in articles.generate_articles(50, seed=3)]
    again = [a.text for a in articles.generate_articles(50, seed=3)]
    other = [a.text for a in articles.generate_articles(50, seed=4)]
    assert first == again
    assert first != other
