"""The news-dev runner writes what ``claimledger analyze --format json`` writes, per article."""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.evaluation.news import analyse_articles


def test_each_article_gets_its_text_and_the_commands_json(tmp_path: Path) -> None:
    news = tmp_path / "news"
    (news / "articles").mkdir(parents=True)
    article = {
        "id": "x001",
        "text": "The ministry said on Monday that 12 people had been killed.",
        "published": "2025-02-03",
    }
    (news / "articles" / "x001.json").write_text(json.dumps(article), encoding="utf-8")
    keep = tmp_path / "keep"
    assert analyse_articles(news, keep) == 0
    assert (keep / "x001.txt").read_text(encoding="utf-8") == article["text"]
    output = json.loads((keep / "x001.json").read_text(encoding="utf-8"))
    assert output["document"]["published"] == "2025-02-03"
    assert output["document"]["path"] == str(keep / "x001.txt")
    assert [c["quantity"]["value"] for c in output["claims"]] == [12]
