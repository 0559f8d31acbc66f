"""The installed ``claimledger`` script end to end, in a real subprocess as a user's shell
runs it: the entry point, exit statuses and one-line stderr. Everything else about the
commands is tested in this process through click's runner (tests/cli/test_analyze.py and
the others), where the pipeline loads once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "claimledger"
ARTICLE = (
    "Ukrainian officials said on Monday that 40 soldiers were captured. "
    '"We will hold the line," the commander told reporters.\n'
)


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``claimledger ARGS`` in ``cwd`` the way a user's shell would (no TTY, no colour)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [str(CLI), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_the_demo_stores_its_ledger_and_claims_reads_it(tmp_path: Path) -> None:
    demo = run_cli("demo", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert demo.stderr == ""
    assert " stored." in " ".join(demo.stdout.split())
    assert (tmp_path / "claimledger-demo.sqlite").is_file()

    claims = run_cli("claims", "--db", "claimledger-demo.sqlite", "--format", "jsonl", cwd=tmp_path)
    assert claims.returncode == 0, claims.stderr
    assert claims.stderr == ""
    found = [json.loads(line) for line in claims.stdout.splitlines()]
    assert found and {claim["document"] for claim in found} == {"493db561d9636d49"}


def test_a_mistyped_ledger_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = run_cli("claims", "--db", "TYPO.sqlite", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: no ledger at 'TYPO.sqlite'")
    assert "claimledger ingest FILES --db TYPO.sqlite" in line
    assert not (tmp_path / "TYPO.sqlite").exists()


def test_an_unknown_option_value_is_one_line_and_status_2(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("analyze", article, "--format", "xml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "--format" in line and "xml" in line


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claimledger", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "claimledger, version " in result.stdout


@pytest.mark.slow
def test_the_accurate_profile_runs_quietly_from_the_command_line(tmp_path: Path) -> None:
    """A fresh process: the tagger's first load prints no chatter from transformers."""
    pytest.importorskip("torch")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("analyze", article, "--profile", "accurate", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no model-loading chatter from transformers
    payload = json.loads(result.stdout)
    assert [a["cue"]["text"] for a in payload["attributions"]] == ["said", "told"]
