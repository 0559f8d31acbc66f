"""The ``claimledger`` command as a user sees it: exit status, what goes to stdout and what
goes to stderr (one line per problem, naming the file, never a traceback).

The commands run in this process through click's runner, so the pipeline loads once for
the whole session; tests/cli/test_console_script.py runs the installed script itself.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimledger.cli import app
from tests import paths

SEED_ARTICLE = paths.SEED

GOOD_ARTICLE = (
    "Ukrainian officials said on Monday that 40 soldiers were captured. "
    '"We will hold the line," the commander told reporters.\n'
)
OTHER_ARTICLE = (
    "A spokesman for the regional administration said on Tuesday that 12 civilians were "
    "wounded.\r\n\r\n"
    '"The situation remains tense," the governor told local television.\r\n'
)


def run_cli(*args: str | Path, cwd: Path) -> Result:
    """Run ``claimledger ARGS`` in ``cwd`` as a user's shell would (no TTY, no colour), with
    stdout and stderr apart."""
    with contextlib.chdir(cwd):
        return CliRunner().invoke(
            app,
            [str(arg) for arg in args],
            prog_name="claimledger",
            env={"NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None},
        )


def error_lines(result: Result) -> list[str]:
    """The non-empty lines the command wrote to stderr."""
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_no_traceback(result: Result) -> None:
    """In this process a traceback would be an exception other than the exit itself."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output


def time_refs(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every attribution's ``stated`` and every claim's ``time``, labelled by owner id."""
    refs = [(a["id"], a["stated"]) for a in payload["attributions"] if a["stated"]]
    refs += [(c["id"], c["time"]) for c in payload["claims"] if c["time"]]
    return refs


# ---------------------------------------------------------------------------------------------
# Bad input: every unreadable file is one line on stderr that names it and says what is wrong.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    id: str
    name: str
    make: Callable[[Path], None] | None  # None: the path is never created
    problem: str  # words the error line must contain, case-insensitive


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


BAD_INPUTS = [
    BadInput("empty", "empty.txt", _bytes(b""), "is empty"),
    BadInput("whitespace-only", "blank.txt", _bytes(b"  \n\t\n   \r\n"), "only whitespace"),
    BadInput("binary-nul", "blob.dat", _bytes(b"abc\x00\x01\x02def said"), "binary"),
    BadInput("pdf", "report.pdf", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "pdf"),
    BadInput("latin-1", "latin1.txt", _bytes(b"caf\xe9 said"), "not valid utf-8"),
    BadInput("directory", "articles", lambda path: path.mkdir(), "is a directory"),
    BadInput("missing", "no-such-article.txt", None, "no such file"),
    BadInput("over-size-limit", "big.txt", _bytes(b"x" * 200), "100-byte limit"),
]
MAX_BYTES = "100"  # every bad input but the over-size one is smaller than this


def _make_bad_inputs(folder: Path) -> list[Path]:
    paths = []
    for case in BAD_INPUTS:
        path = folder / case.name
        if case.make is not None:
            case.make(path)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def bad_batch(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[Path], Result]:
    """All bad inputs in one ``analyze`` call."""
    folder = tmp_path_factory.mktemp("bad-batch")
    paths = _make_bad_inputs(folder)
    return paths, run_cli("analyze", *paths, "--max-bytes", MAX_BYTES, cwd=folder)


def test_a_batch_of_only_bad_files_fails_with_one_error_line_per_file(
    bad_batch: tuple[list[Path], Result],
) -> None:
    paths, result = bad_batch
    assert result.exit_code == 1
    assert_no_traceback(result)
    lines = error_lines(result)
    assert len(lines) == len(paths), result.stderr
    # Reported in the order the files were given, one per file.
    for line, path in zip(lines, paths, strict=True):
        assert str(path) in line
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.id for c in BAD_INPUTS])
def test_batch_error_line_names_the_file_and_the_problem(
    bad_batch: tuple[list[Path], Result], case: BadInput
) -> None:
    paths, result = bad_batch
    path = paths[BAD_INPUTS.index(case)]
    matching = [line for line in error_lines(result) if f"{path}:" in line]
    assert len(matching) == 1, result.stderr
    assert matching[0].startswith("error: ")
    assert case.problem in matching[0].lower()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.id for c in BAD_INPUTS])
def test_a_single_bad_file_exits_non_zero_with_exactly_one_line(
    tmp_path: Path, case: BadInput
) -> None:
    path = tmp_path / case.name
    if case.make is not None:
        case.make(path)
    result = run_cli("analyze", path, "--max-bytes", MAX_BYTES, cwd=tmp_path)
    assert result.exit_code != 0
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert str(path) in lines[0]
    assert case.problem in lines[0].lower()
    assert result.stdout == ""


def test_a_relative_path_is_named_as_the_user_wrote_it(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_cli("analyze", "empty.txt", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: empty.txt: is empty; give a file with article text"
    ]


def test_the_size_limit_is_a_limit_not_a_fixed_size(tmp_path: Path) -> None:
    """A file of exactly ``--max-bytes`` bytes is allowed; one byte more is refused."""
    at_limit = tmp_path / "at-limit.txt"
    at_limit.write_bytes(GOOD_ARTICLE.encode()[:100].ljust(100, b" "))
    over = tmp_path / "over.txt"
    over.write_bytes(b"a" * 101)
    result = run_cli(
        "analyze", at_limit, over, "--max-bytes", "100", "--format", "jsonl", cwd=tmp_path
    )
    assert result.exit_code == 1
    lines = error_lines(result)
    assert len(lines) == 1 and str(over) in lines[0], result.stderr
    assert "101 bytes" in lines[0]
    assert len(result.stdout.splitlines()) == 1


def test_a_file_name_with_square_brackets_is_reported_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "notes[draft].txt"
    path.write_bytes(b"")
    result = run_cli("analyze", path, cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {path}: is empty; give a file with article text"]


def test_a_missing_path_with_bracket_slash_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "drafts[" / "x].txt"
    result = run_cli("analyze", path, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {path}: no such file; check the path"]


# ---------------------------------------------------------------------------------------------
# A mixed run: good files are still analysed when others are bad.
# ---------------------------------------------------------------------------------------------


def test_good_file_is_still_analysed_when_others_in_the_call_are_bad(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02\x03 said")

    result = run_cli("analyze", empty, good, binary, "--format", "json", cwd=tmp_path)

    assert result.exit_code == 1
    assert_no_traceback(result)
    payload = json.loads(result.stdout)
    assert payload["document"]["path"] == str(good)
    assert len(payload["attributions"]) >= 1
    cues = {a["cue"]["text"] for a in payload["attributions"]}
    assert {"said", "told"} <= cues
    lines = error_lines(result)
    assert len(lines) == 2, result.stderr
    assert str(empty) in lines[0] and "is empty" in lines[0]
    assert str(binary) in lines[1] and "binary" in lines[1]
    assert str(good) not in result.stderr


# ---------------------------------------------------------------------------------------------
# Usage errors: exit status 2 and one line that says what to do.
# ---------------------------------------------------------------------------------------------


def test_published_that_is_not_a_date_says_how_to_write_it(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD_ARTICLE, encoding="utf-8")
    result = run_cli("analyze", good, "--published", "2025-13-45", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "--published" in lines[0]
    assert "2025-13-45" in lines[0]
    assert "YYYY-MM-DD" in lines[0]
    assert result.stdout == ""


@pytest.fixture(scope="module")
def unknown_format(tmp_path_factory: pytest.TempPathFactory) -> Result:
    folder = tmp_path_factory.mktemp("unknown-format")
    good = folder / "good.txt"
    good.write_text(GOOD_ARTICLE, encoding="utf-8")
    return run_cli("analyze", good, "--format", "xml", cwd=folder)


def test_unknown_format_is_a_usage_error_on_one_line(
    unknown_format: Result,
) -> None:
    assert unknown_format.exit_code == 2
    assert_no_traceback(unknown_format)
    lines = unknown_format.stderr.splitlines()
    assert len(lines) == 1, unknown_format.stderr
    assert "--format" in lines[0] and "xml" in lines[0]
    for choice in ("table", "json", "jsonl", "brat"):
        assert choice in lines[0]
    assert unknown_format.stdout == ""


def test_usage_error_line_is_punctuated_as_one_sentence(
    unknown_format: Result,
) -> None:
    assert ".;" not in unknown_format.stderr


def test_analyze_without_files_is_a_usage_error_on_one_line(tmp_path: Path) -> None:
    result = run_cli("analyze", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "FILES" in lines[0] and "claimledger analyze --help" in lines[0]


def test_help_exits_zero(tmp_path: Path) -> None:
    top = run_cli("--help", cwd=tmp_path)
    assert top.exit_code == 0, top.stderr
    assert "Usage: claimledger" in top.stdout
    assert "analyze" in top.stdout and "demo" in top.stdout

    sub = run_cli("analyze", "--help", cwd=tmp_path)
    assert sub.exit_code == 0, sub.stderr
    assert "Usage: claimledger analyze" in sub.stdout
    for option in ("--published", "--format", "--out", "--max-bytes"):
        assert option in sub.stdout


def test_bare_command_shows_help_not_an_error(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert_no_traceback(result)
    output = result.stdout + result.stderr
    assert "Usage: claimledger" in output
    assert "error:" not in output
    assert "see 'claimledger --help'" not in output


# ---------------------------------------------------------------------------------------------
# Output formats.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jsonl_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[Path], Result]:
    folder = tmp_path_factory.mktemp("jsonl")
    first = folder / "first.txt"
    first.write_text(GOOD_ARTICLE, encoding="utf-8")
    second = folder / "second.txt"
    # characters that str.splitlines() and some JSON Lines readers take for line breaks
    second.write_bytes((OTHER_ARTICLE + "\u2028Next line\x85and\u2029more.").encode("utf-8"))
    return [first, second], run_cli("analyze", first, second, "--format", "jsonl", cwd=folder)


def test_jsonl_writes_one_json_object_per_input_file(
    jsonl_run: tuple[list[Path], Result],
) -> None:
    paths, result = jsonl_run
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    payloads = [json.loads(line) for line in lines]
    for payload, path in zip(payloads, paths, strict=True):
        assert isinstance(payload, dict)
        assert "schema_version" in payload
        assert payload["document"]["path"] == str(path)
        assert len(payload["attributions"]) >= 1


def test_a_successful_multi_file_run_writes_nothing_to_stderr(
    jsonl_run: tuple[list[Path], Result],
) -> None:
    _, result = jsonl_run
    assert result.exit_code == 0
    assert result.stderr == ""


_T_LINE = re.compile(r"^(T\d+)\t(\w+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(\w+:T\d+(?: \w+:T\d+)*)$")


def test_brat_output_is_standoff_whose_offsets_slice_the_written_text(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(OTHER_ARTICLE.encode("utf-8"))
    out_dir = tmp_path / "annotations"

    result = run_cli(
        "analyze", SEED_ARTICLE, crlf, "--format", "brat", "--out", out_dir, cwd=tmp_path
    )

    assert result.exit_code == 0, result.stderr
    assert_no_traceback(result)
    assert result.stdout == ""
    for stem in (SEED_ARTICLE.stem, crlf.stem):
        txt_path = out_dir / f"{stem}.txt"
        ann_path = out_dir / f"{stem}.ann"
        assert txt_path.is_file() and ann_path.is_file()
        # Read bytes: offsets count characters of the file exactly as written.
        text = txt_path.read_bytes().decode("utf-8")
        assert "\r" not in text
        lines = ann_path.read_bytes().decode("utf-8").splitlines()

        labels: dict[str, str] = {}
        offsets: dict[str, str] = {}
        events = []
        for line in lines:
            if line.startswith("T"):
                match = _T_LINE.match(line)
                assert match, f"{ann_path.name}: malformed T line {line!r}"
                tid, label, spans, covered = match.groups()
                assert label in {"Source", "Cue", "Content", "Attribution"}, line
                pieces = []
                for pair in spans.split(";"):
                    start, end = map(int, pair.split())
                    assert 0 <= start < end <= len(text), line
                    pieces.append(text[start:end])
                assert " ".join(pieces).replace("\n", " ") == covered, line
                labels[tid], offsets[tid] = label, spans
            elif line.startswith("E"):
                match = _E_LINE.match(line)
                assert match, f"{ann_path.name}: malformed E line {line!r}"
                events.append(match.group(2).split())
            else:
                pytest.fail(f"{ann_path.name}: unexpected line {line!r}")

        assert events, f"{ann_path.name} has no attributions"
        for args in events:
            roles = [arg.split(":")[0] for arg in args]
            assert roles[0] == "Attribution"
            assert sorted(roles) in (
                ["Attribution", "Content", "Cue"],
                ["Attribution", "Content", "Cue", "Source"],
            ), args
            for arg in args:
                role, tid = arg.split(":")
                assert tid in labels, f"{arg} refers to a T line that does not exist"
                assert labels[tid] == role, arg
            by_role = dict(arg.split(":") for arg in args)
            # PolNeAR: the Attribution anchor sits on the cue.
            assert offsets[by_role["Attribution"]] == offsets[by_role["Cue"]]

    assert SEED_ARTICLE.read_text(encoding="utf-8") == (
        out_dir / f"{SEED_ARTICLE.stem}.txt"
    ).read_bytes().decode("utf-8")
    written = error_lines(result)
    assert len(written) == 2 and all(line.startswith("wrote ") for line in written)


# ---------------------------------------------------------------------------------------------
# Dates: no year is invented without --published.
# ---------------------------------------------------------------------------------------------


def _analyze_seed(tmp_path: Path, *extra: str) -> dict[str, Any]:
    result = run_cli("analyze", SEED_ARTICLE, "--format", "json", *extra, cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_without_published_no_year_is_assumed(tmp_path: Path) -> None:
    payload = _analyze_seed(tmp_path)
    assert payload["document"]["published"] is None
    refs = time_refs(payload)
    assert refs, "the seed article names dates; some must be found"
    for owner, ref in refs:
        for key in ("value", "start", "end"):
            assert not re.search(r"\d{4}", str(ref[key] or "")), (owner, ref)
        assert ref["year_known"] is False, (owner, ref)
    stated = {a["stated"]["value"] for a in payload["attributions"] if a["stated"]}
    assert {"--01-31", "--01-19", "--01-28"} <= stated


def test_with_published_dates_are_anchored_to_its_year(tmp_path: Path) -> None:
    payload = _analyze_seed(tmp_path, "--published", "2025-02-01")
    assert payload["document"]["published"] == "2025-02-01"
    stated = {a["stated"]["value"] for a in payload["attributions"] if a["stated"]}
    assert {"2025-01-31", "2025-01-19", "2025-01-28", "2025-W04"} <= stated
    for owner, ref in time_refs(payload):
        if ref["value"] is not None and ref["value"][:4].isdigit():
            assert ref["year_known"] is True, (owner, ref)


# ---------------------------------------------------------------------------------------------
# HTML input: only the article's main text is analysed.
# ---------------------------------------------------------------------------------------------

HTML_PARAGRAPHS = [
    "Ukrainian officials said on Monday that 40 soldiers were captured in the Kursk region "
    "during a night raid.",
    '"We will hold the line," the commander told reporters after the operation ended.',
    "A spokesman for the regional administration said that the situation in the area "
    "remained tense.",
]
HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Captured soldiers | Example News</title></head>
<body>
<nav><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/about">Our editor said that we are the best news site in town</a></li>
</ul></nav>
<article>
<h1>Soldiers captured near Kursk</h1>
<p>{HTML_PARAGRAPHS[0]}</p>
<p>{HTML_PARAGRAPHS[1]}</p>
<p>{HTML_PARAGRAPHS[2]}</p>
</article>
<footer><p>Copyright 2025 Example News. Our lawyers said that all rights are reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def test_html_page_is_analysed_from_its_article_text_only(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")

    result = run_cli("analyze", page, "--format", "json", cwd=tmp_path)

    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    document = payload["document"]
    assert document["format"] == "html"
    text = document["text"]
    assert "<p>" not in text and "<nav>" not in text
    assert "best news site" not in text and "Privacy policy" not in text
    attributions = payload["attributions"]
    assert len(attributions) >= 2
    for attribution in attributions:
        content = attribution["content"]["text"]
        assert any(content in paragraph for paragraph in HTML_PARAGRAPHS), content
        # Offsets index the extracted text the JSON carries.
        for part in ("source", "cue", "content"):
            span = attribution[part]
            if span is not None:
                sliced = " ".join(text[s:e] for s, e in span["spans"])
                assert sliced == span["text"], (part, span)
    contents = " ".join(a["content"]["text"] for a in attributions)
    assert "40 soldiers were captured" in contents
    assert "We will hold the line" in contents


# ---------------------------------------------------------------------------------------------
# demo: idempotent storage in the SQLite ledger.
# ---------------------------------------------------------------------------------------------


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        (count,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    return int(count)


def test_demo_twice_stores_the_document_once(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"

    first = run_cli("demo", "--db", db, cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    assert_no_traceback(first)
    assert db.is_file()
    first_text = " ".join(first.stdout.split())  # the report wraps at the terminal width
    assert " stored." in first_text and "already" not in first_text
    claims_after_first = _count(db, "claims")
    attributions_after_first = _count(db, "attributions")
    assert claims_after_first > 0

    second = run_cli("demo", "--db", db, cwd=tmp_path)
    assert second.exit_code == 0, second.stderr
    assert "already in the ledger" in " ".join(second.stdout.split())

    assert _count(db, "documents") == 1
    assert _count(db, "claims") == claims_after_first
    assert _count(db, "attributions") == attributions_after_first
    assert not (tmp_path / "claimledger-demo.sqlite").exists()


def test_eval_polnear_scores_each_publisher_apart(tmp_path: Path) -> None:
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    text = "Officials said that the bridge fell.\n"
    ann = (
        "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 35\tthat the bridge fell\n"
        "E1\tAttribution:T2 Cue:T2 Content:T3 Source:T1\n"
    )
    for name in ("nyt_2016-01-01_a", "nyt_2016-01-02_b", "politico_2016-01-01_c"):
        (split / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        (split / "attributions" / f"{name}_x.ann").write_text(ann, encoding="utf-8")
    result = run_cli("eval", "polnear", split, "--by-publisher", "--markdown", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "### PolNeAR dev — nyt" in result.stdout
    assert "### PolNeAR dev — politico" in result.stdout
    assert "· 2 documents" in result.stdout and "· 1 documents" in result.stdout
    assert "| claimledger | 1.000 | 1.000 | 1.000 |" in result.stdout


def test_an_unknown_profile_is_a_usage_error_on_one_line(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(GOOD_ARTICLE, encoding="utf-8")
    result = run_cli("analyze", article, "--profile", "precise", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    (line,) = result.stderr.splitlines()
    assert "--profile" in line and "fast" in line and "accurate" in line


def test_the_accurate_profile_refuses_worker_processes(tmp_path: Path) -> None:
    corpus = tmp_path / "dev"
    (corpus / "text").mkdir(parents=True)
    (corpus / "attributions").mkdir()
    result = run_cli(
        "eval", "polnear", corpus, "--profile", "accurate", "--workers", "2", cwd=tmp_path
    )
    assert result.exit_code == 2
    assert_no_traceback(result)
    (line,) = result.stderr.splitlines()
    assert "--workers" in line and "accurate" in line


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_an_out_file_that_cannot_be_written_is_one_line(tmp_path: Path, fmt: str) -> None:
    # checked before the analysis, not after it all is done
    article = tmp_path / "a.txt"
    article.write_text("The ministry said 12 people were killed.\n", encoding="utf-8")
    out = tmp_path / "missing-folder" / "a.json"
    result = run_cli("analyze", article, "--format", fmt, "--out", out, cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    (line,) = error_lines(result)
    assert f"--out '{out}'" in line and "does not exist" in line
    assert not out.parent.exists()
