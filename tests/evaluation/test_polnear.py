"""The PolNeAR scorer: brat parsing and the metrics, on hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.errors import InputError
from claimledger.evaluation.metrics import Scores, TokenIndex, greedy_match, jaccard, score_document
from claimledger.evaluation.polnear import load_split, parse_ann
from claimledger.extract import analyze
from claimledger.render.brat import BratAttribution, to_brat

TEXT = "Officials said that the bridge fell. The mayor told reporters the roads were closed."
#       0         1         2         3         4         5         6         7         8


def spans(text: str, part: str) -> tuple[tuple[int, int], ...]:
    start = TEXT.index(part)
    return ((start, start + len(part)),)


ANN = """T1\tSource 0 9\tOfficials
T2\tCue 10 14\tsaid
T3\tContent 15 35\tthat the bridge fell
T4\tAttribution 10 14\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 47 51\ttold
T6\tContent 61 70\tthe roads
T7\tContent2 71 82\twere closed
T8\tAttribution 47 51\ttold
E2\tAttribution-no-source:T8 Cue:T5 Content:T6 Content2:T7
T9\tDiscard 0 9\tOfficials
"""


def test_parse_ann_reads_events_and_merges_content2() -> None:
    first, second = parse_ann(ANN)
    assert first == BratAttribution(((0, 9),), ((10, 14),), ((15, 35),))
    assert second.source is None
    assert second.content == ((61, 70), (71, 82))


def test_token_index_counts_a_token_touched_by_any_character() -> None:
    index = TokenIndex("ab cd, ef")
    assert index.tokens(((1, 2),)) == {0}
    assert index.tokens(((2, 4),)) == {1}
    assert index.tokens(((0, 9),)) == {0, 1, 2}
    assert index.tokens(None) == frozenset()


def test_perfect_prediction_scores_one() -> None:
    gold = parse_ann(ANN)
    scores = Scores()
    score_document(scores, TEXT, gold, gold)
    assert scores.attributions.f1 == scores.strict.f1 == 1.0
    assert all(c.f1 == 1.0 for c in scores.tokens.values())
    assert scores.source_accuracy == 1.0


def test_half_overlapping_content_matches_but_not_strictly() -> None:
    gold = [
        BratAttribution(
            spans(TEXT, "Officials"), spans(TEXT, "said"), spans(TEXT, "that the bridge fell")
        )
    ]
    pred = [
        BratAttribution(
            spans(TEXT, "Officials"), spans(TEXT, "said"), spans(TEXT, "the bridge fell")
        )
    ]
    scores = Scores()
    score_document(scores, TEXT, gold, pred)
    assert scores.attributions.f1 == 1.0  # Jaccard 3/4
    assert scores.strict.f1 == 0.0
    assert scores.tokens["content"].recall == 0.75


def test_a_wrong_source_counts_against_source_accuracy_only() -> None:
    gold = [
        BratAttribution(
            spans(TEXT, "Officials"), spans(TEXT, "said"), spans(TEXT, "that the bridge fell")
        )
    ]
    pred = [
        BratAttribution(
            spans(TEXT, "The mayor"), spans(TEXT, "said"), spans(TEXT, "that the bridge fell")
        )
    ]
    scores = Scores()
    score_document(scores, TEXT, gold, pred)
    assert scores.attributions.f1 == 1.0 and scores.source_accuracy == 0.0


def test_greedy_matching_is_one_to_one_best_first() -> None:
    g = [frozenset({1, 2, 3, 4}), frozenset({3, 4, 5, 6})]
    p = [frozenset({2, 3, 4, 5})]
    assert greedy_match(g, p) == [(0, 0)]


@given(st.frozensets(st.integers(0, 30)), st.frozensets(st.integers(0, 30)))
def test_jaccard_is_symmetric_and_bounded(a: frozenset[int], b: frozenset[int]) -> None:
    assert jaccard(a, b) == jaccard(b, a)
    assert 0.0 <= jaccard(a, b) <= 1.0


def test_our_brat_output_reads_back_as_what_is_scored(tmp_path: Path) -> None:
    result = analyze("According to Reuters, the minister said that the talks had failed.")
    ann = to_brat(result)
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(result.document.text)
    (tmp_path / "attributions" / "a_zz.ann").write_text(ann)
    (tmp_path / "attributions" / "a_aa.ann").write_text("")  # first annotator in sorted order
    (article,) = load_split(tmp_path)
    assert article.gold == ()
    (tmp_path / "attributions" / "a_aa.ann").unlink()
    (article,) = load_split(tmp_path)
    assert len(article.gold) == 2 and parse_ann(ann) == list(article.gold)


def test_a_folder_that_is_not_a_split_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a PolNeAR split"):
        load_split(tmp_path)


def test_a_span_text_with_a_newline_does_not_break_parsing() -> None:
    ann = (
        "T1\tContent 0 20\tfirst line\nsecond line\n"
        "T2\tCue 21 25\tsaid\nE1\tAttribution:T2 Cue:T2 Content:T1\n"
    )
    (a,) = parse_ann(ann)
    assert a.content == ((0, 20),)
