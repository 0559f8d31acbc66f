"""The README's quick start, run as written: its ten articles ingested with their dates and
outlets, and every `$ claimledger ...` command shown with its output printing exactly
that output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import app
from tests import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")
QUICK_START = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
ARTICLES = re.search(r"<<'END'\n(.*?)\nEND\n", QUICK_START, re.DOTALL)
# each "$ .venv/bin/claimledger ..." line of a text block, with the lines it printed
SHOWN = re.findall(
    r"^\$ \.venv/bin/claimledger ([^\n]*)\n((?:(?!\$ |```)[^\n]*\n)*)", QUICK_START, re.M
)


def cut(text: str, pipe: str) -> str:
    """What ``| cut -d, -f1,2,...`` leaves of CSV lines (no quoted commas in them)."""
    fields = [int(n) - 1 for n in re.search(r"-f([\d,]+)", pipe).group(1).split(",")]  # type: ignore[union-attr]
    return "\n".join(",".join(line.split(",")[i] for i in fields) for line in text.splitlines())


def test_the_quick_start_prints_what_the_readme_shows(tmp_path: Path) -> None:
    assert ARTICLES is not None and len(SHOWN) >= 3
    db = str(tmp_path / "quick.sqlite")
    runner = CliRunner()
    for line in ARTICLES.group(1).splitlines():
        file, published, outlet = line.split(maxsplit=2)
        article = paths.ROOT / "docs" / "quickstart" / file
        options = ["--db", db, "--published", published, "--outlet", outlet]
        result = runner.invoke(app, ["ingest", str(article), *options])
        assert result.exit_code == 0, result.output
    assert "Ledger quick.sqlite: 10 document(s), 22 claims, 6 conflicts, 1 updates" in (
        result.output.replace(db, "quick.sqlite")
    )
    for line, printed in SHOWN:
        command, _, pipe = line.partition(" | ")
        command = command.split(" > ")[0]
        args = [a if a != "quick.sqlite" else db for a in shlex.split(command)]
        result = runner.invoke(app, args, env={"COLUMNS": "200"}, prog_name="claimledger")
        output = "\n".join(line.rstrip() for line in result.output.splitlines())
        if pipe:
            output = cut(output, pipe)
        if not printed.strip():
            assert result.exit_code == 0, result.output
            continue
        assert output.strip() == printed.strip(), command


@pytest.mark.parametrize("file", sorted((paths.ROOT / "docs" / "quickstart").glob("*.txt")))
def test_every_quick_start_article_is_in_the_readme(file: Path) -> None:
    assert ARTICLES is not None and file.name in ARTICLES.group(1)
