"""Analysis time grows linearly with the article (issue 16, item 14): the page-layout pass
read ``Doc.text`` (rebuilt on every access) once per sentence, and the statement- and
claim-time lookups scanned every time expression per cue or claim; a 100 KB article took
12 times its parse. Four times the text must now take about four times as long."""

from __future__ import annotations

import time

import pytest

from claimledger.evaluation.articles import generate_articles
from claimledger.evaluation.length import WARM_UP
from claimledger.extract import analyze

pytestmark = pytest.mark.slow


def _text(chars: int) -> str:
    parts: list[str] = []
    for article in generate_articles(10_000, seed=5):
        parts.append(article.text)
        if sum(map(len, parts)) >= chars:
            break
    return "\n\n".join(parts)[:chars]


def _seconds(text: str) -> float:
    """CPU seconds: on a machine shared with other jobs the wall clock also counts the
    wait for a core, which can differ between the two runs."""
    started = time.process_time()
    analyze(text)
    return time.process_time() - started


def test_four_times_the_text_takes_about_four_times_as_long() -> None:
    analyze(WARM_UP)  # the model and the one-time costs (dateparser) outside the timing
    small, large = _text(20_000), _text(80_000)
    ratio = _seconds(large) / _seconds(small)
    # linear is 4; the quadratic passes made it about 15 at these sizes
    assert ratio < 7, f"80 KB took {ratio:.1f} times as long as 20 KB"
