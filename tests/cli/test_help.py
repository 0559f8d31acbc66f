"""The command's help as documentation: every command and subcommand ends its help with
examples to copy, and an option shared by several commands says the same everywhere."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from claimledger.cli import app


def _command_paths(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _command_paths(command, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(_command_paths(app))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = app
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def test_every_command_is_walked() -> None:
    assert {"analyze", "claims", "ingest", "serve"} <= {path[0] for path in COMMANDS if path}
    assert ("eval", "polnear") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(("claimledger", *p)) for p in COMMANDS])
def test_every_help_ends_with_examples(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="claimledger")
    assert result.exit_code == 0, result.output
    description = result.stdout.split("\nOptions:", 1)[0]
    assert "Examples:" in description, result.stdout
    block = description.split("Examples:", 1)[1].strip("\n")
    assert "\n\n" not in block, f"the examples are not the help's last paragraph:\n{block}"
    lines = [line.strip() for line in block.splitlines()]
    assert any(line.startswith("claimledger ") for line in lines), block


# The same word for another thing: 'changes --since' is when the ledger learned of a
# change (a time, or "2h" ago), not the day a claim holds from.
NOT_SHARED = {(("changes",), "--since")}


def _helps(option: str) -> set[str]:
    return {
        param.help or ""
        for path in COMMANDS
        for param in _command(path).params
        if isinstance(param, click.Option)
        and option in param.opts
        and (path, option) not in NOT_SHARED
    }


@pytest.mark.parametrize(
    "option",
    ["--profile", "--gazetteer", "--lexicon", "--max-bytes", "--subject", "--source", "--since"],
)
def test_a_shared_option_has_one_help_text(option: str) -> None:
    assert len(_helps(option)) == 1


def test_db_says_whether_the_ledger_must_exist() -> None:
    """Two texts: the ledger a command reads (it must exist) and the one it stores in."""
    helps = _helps("--db")
    assert len(helps) == 2
    assert any("made if missing" in text for text in helps)
