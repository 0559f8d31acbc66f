"""The word lists as data: the shipped files load in their shapes, a user's file extends
them, and a bad file is one error naming the file and the list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import app
from claimledger.lexicon import Lexicon, LexiconError
from tests import paths


def _user_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_list_loads_in_its_shape() -> None:
    lexicon = Lexicon.load()
    assert "spokesperson" in lexicon.words("sources.person_roles")
    assert lexicon.certainties("hedges.words")["likely"] == "likely"
    assert lexicon.groups("cues.particle_cues") == {"point": ("out",)}
    assert {"kind", "certainty", "lemmas"} <= set(lexicon.rows("cues.verbs")[0])


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('[sources]\nperson_roles = ["ombudsman"]\n', "sources.person_roles", "ombudsman"),
        ('[hedges.words]\nconceivably = "possible"\n', "hedges.words", "conceivably"),
        ('[channels.platforms]\nmastodon = "Mastodon"\n', "channels.platforms", "mastodon"),
    ],
)
def test_a_user_file_adds_words_and_keeps_the_shipped_ones(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    shipped = Lexicon.load()
    extended = Lexicon.load([_user_file(tmp_path, text)])
    assert expected in extended.lists[key]
    before = shipped.lists[key]
    assert all(word in extended.lists[key] for word in before)


def test_a_user_row_is_appended(tmp_path: Path) -> None:
    text = '[[cues.verbs]]\nkind = "say"\ncertainty = "asserted"\nlemmas = ["opine"]\n'
    extended = Lexicon.load([_user_file(tmp_path, text)])
    assert extended.rows("cues.verbs")[-1]["lemmas"] == ["opine"]
    assert len(extended.rows("cues.verbs")) == len(Lexicon.load().rows("cues.verbs")) + 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sources]\nperson_rolez = ["x"]\n', "no word list 'sources.person_rolez'"),
        ('[nowhere]\nwords = ["x"]\n', "no word list 'nowhere.words'"),
        ('[sources]\nperson_roles = "ombudsman"\n', "must be an array of words"),
        ('[hedges]\nwords = ["maybe"]\n', "must be a table of words to strings"),
        ("sources = 3\n", "[sources] must be a table of word lists"),
        ("[sources\n", "is not valid TOML"),
    ],
)
def test_a_bad_user_file_is_one_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = _user_file(tmp_path, text)
    with pytest.raises(LexiconError) as caught:
        Lexicon.load([path])
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_user_file_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read word lists"):
        Lexicon.load([tmp_path / "missing.toml"])


def test_the_cli_analyses_with_a_users_hedge(tmp_path: Path) -> None:
    """ "conceivably" is no hedge in the shipped lists; a user's file makes it one, and the
    statement's certainty drops from asserted to possible."""
    article = tmp_path / "a.txt"
    article.write_text("The mayor said that 300 people had conceivably been evacuated.\n")
    words = _user_file(tmp_path, '[hedges.words]\nconceivably = "possible"\n')
    args = ["analyze", str(article), "--format", "json"]
    plain = CliRunner().invoke(app, args)
    # a fresh process, since the word lists are fixed once a process has used them
    extended = subprocess.run(
        [sys.executable, "-m", "claimledger", *args, "--lexicon", str(words)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["attributions"][0]["certainty"] == "asserted"
    assert json.loads(extended.stdout)["attributions"][0]["certainty"] == "possible"


def test_a_bad_lexicon_stops_the_cli_before_any_analysis(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The mayor said that 300 people had been evacuated.\n")
    words = _user_file(tmp_path, '[sources]\nperson_rolez = ["x"]\n')
    result = subprocess.run(
        [sys.executable, "-m", "claimledger", "analyze", str(article), "--lexicon", str(words)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no word list 'sources.person_rolez'" in result.stderr


def test_the_shipped_files_are_where_the_lexicon_reads_them() -> None:
    folder = paths.ROOT / "src" / "claimledger" / "data" / "lexicon"
    assert {p.stem for p in folder.glob("*.toml")} >= {"cues", "hedges", "channels", "sources"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[cues.verbs]]\nkind = "say"\ncertainty = "sure"\nlemmas = ["opine"]\n',
            "cues.verbs: certainty is 'sure'; use one of asserted",
        ),
        ('[[cues.verbs]]\nkind = "say"\ncertainty = "asserted"\n', "cues.verbs: lemmas must be"),
        (
            '[[cues.verbs]]\nkind = "say"\ncertainty = "asserted"\nlemmas = ["x"]\nweight = 2\n',
            "cues.verbs: unknown field weight",
        ),
        ('[numbers]\nscales = [{ word = "lakh", value = 1e5 }]\n', "value must be a whole number"),
        ('[numbers.bounds]\n"well over" = "above-ish"\n', "'well over' is 'above-ish'; use one of"),
        ('[hedges.words]\nsurely = "sure"\n', "'surely' is 'sure'; use one of asserted"),
        ('[time]\ncounts = [{ word = "a dozen", value = "12" }]\n', "value must be a whole number"),
        ('[time.seasons]\nmonsoon = "junee"\n', "'monsoon' is 'junee'; use one of january"),
        ('[time.parts]\nmidmost = "centre"\n', "'midmost' is 'centre'; use one of first"),
        ('[[measures.measure]]\nname = "maimed"\nverbs = ["maim"]\n', "name is 'maimed'"),
        ('[[measures.measure]]\nname = "killed"\nverbs = "slay"\n', "verbs must be an array"),
    ],
)
def test_a_bad_row_or_value_is_one_error_naming_its_file_when_it_is_read(
    tmp_path: Path, text: str, message: str
) -> None:
    """Checked as the file is read (so --lexicon stops the command before any analysis),
    not when a component first uses the list."""
    path = _user_file(tmp_path, text)
    with pytest.raises(LexiconError) as caught:
        Lexicon.load([path])
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_rows_optional_fields_are_filled(tmp_path: Path) -> None:
    text = '[[measures.measure]]\nname = "killed"\nverbs = ["massacre"]\n'
    (*_, row) = Lexicon.load([_user_file(tmp_path, text)]).rows("measures.measure")
    assert row == {"name": "killed", "verbs": ["massacre"], "nouns": [], "states": []}
