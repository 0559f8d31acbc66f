"""Golden files: the full output for the seed article, pinned. Regenerate deliberately with
``make golden`` and review the diff."""

from __future__ import annotations

import datetime as dt
import json
import os
from importlib import resources

import pytest

from claimledger.extract import analyze
from claimledger.records import Analysis
from claimledger.render.brat import to_brat
from tests import paths

GOLDEN = paths.GOLDEN
UPDATE = os.environ.get("CLAIMLEDGER_UPDATE_GOLDEN") == "1"
SEED = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(
        SEED.read_text("utf-8"), published=dt.date(2025, 2, 1), path="kursk-north-korean-troops.txt"
    )


@pytest.fixture(scope="module")
def seed_undated() -> Analysis:
    return analyze(SEED.read_text("utf-8"), path="kursk-north-korean-troops.txt")


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} is missing; run `make golden` and review it")
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs; see `make golden`"


def _json(analysis: Analysis) -> str:
    return json.dumps(analysis.to_json(include_text=False), ensure_ascii=False, indent=2) + "\n"


def test_seed_json_is_pinned(seed: Analysis) -> None:
    _check("kursk.json", _json(seed))


def test_seed_json_without_publication_date_is_pinned(seed_undated: Analysis) -> None:
    _check("kursk-undated.json", _json(seed_undated))


def test_seed_brat_is_pinned(seed: Analysis) -> None:
    _check("kursk.ann", to_brat(seed))
