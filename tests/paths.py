"""Where the tests' fixtures live, so a test file can move without its paths breaking."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
CORPUS = TESTS / "corpus" / "story.jsonl"
SEED = ROOT / "src" / "claimledger" / "data" / "kursk-north-korean-troops.txt"
SCREENSHOTS = ROOT / "docs" / "screenshots"
