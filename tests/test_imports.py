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


def test_importing_leaves_spacy_out() -> None:
    """One fresh interpreter imports the modules in turn and names the first that brings
    spaCy in (the ones before it did not, so it is the culprit)."""
    code = (
        "import importlib, sys\n"
        f"for name in {SPACY_FREE!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'spacy' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", f"importing {result.stdout.strip()} loads spaCy"


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


@pytest.mark.slow
def test_every_module_imports_first() -> None:
    """Each module of the package can be the first one imported (no import cycle that
    only works in one order): one interpreter imports each in turn after forgetting every
    claimledger module, and names those that fail. (``__main__`` runs the CLI and
    ``migrations/env.py`` is alembic's script: neither is imported by anything.)"""
    code = (
        "import importlib, pkgutil, sys, claimledger\n"
        "names = [m.name for m in pkgutil.walk_packages(claimledger.__path__, 'claimledger.')\n"
        "         if m.name.split('.')[-1] not in ('__main__', 'env')]\n"
        "failed = []\n"
        "for name in names:\n"
        "    for loaded in [n for n in sys.modules if n.split('.')[0] == 'claimledger']:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        failed.append(f'{name}: {error}')\n"
        "print(len(names))\n"
        "print('\\n'.join(failed))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    count, *failed = result.stdout.strip().split("\n")
    assert int(count) > 50
    assert [line for line in failed if line] == []
