"""The spaCy-free core: records, the gazetteer, the word lists, the ledger, reconcile, the
API and the renderers load without spaCy, so ledger commands and API reads start fast."""

from __future__ import annotations

import subprocess
import sys

import pytest

SPACY_FREE = [
    "claimledger",
    "claimledger.records",
    "claimledger.gazetteer",
    "claimledger.lexicon",
    "claimledger.ledger",
    "claimledger.ledger.reconcile",
    "claimledger.render.report",
    "claimledger.render.timeline",
    "claimledger.api",
    "claimledger.web",
    "claimledger.server",
    "claimledger.cli",
]


@pytest.mark.parametrize("module", SPACY_FREE)
def test_importing_leaves_spacy_out(module: str) -> None:
    code = f"import sys, {module}; print('spacy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False", f"importing {module} loads spaCy"


def test_starting_the_api_leaves_spacy_out(tmp_path: object) -> None:
    code = (
        "import sys, tempfile, pathlib\n"
        "from fastapi.testclient import TestClient\n"
        "from claimledger.api import Settings\n"
        "from claimledger.server import build_app\n"
        "db = pathlib.Path(tempfile.mkdtemp()) / 'l.sqlite'\n"
        "with TestClient(build_app(Settings(db=str(db)))) as client:\n"
        "    assert client.get('/api/v1/claims').status_code == 200\n"
        "    assert client.get('/claims').status_code == 200\n"
        "print('spacy' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", "serving reads loads spaCy"
