"""`claimledger ingest --published/--outlet/--url`: what a user says about plain article
files is stored with them, and gives their relative dates a year; each misuse is one
line, exit 2, and no ledger made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from claimledger.cli import app
from claimledger.ingest.reader import strict_date
from claimledger.ledger import Ledger

# Articles written for these tests, in the style of wire copy, each with a relative date.
SHELLING = (
    "ZAPORIZHZHIA (Wire) - The regional governor said on Tuesday that 14 civilians were "
    "killed in shelling last week. Officials said 60 homes were damaged.\n"
)
FLOODS = (
    "The emergency ministry said on Wednesday that 2,300 people were evacuated from "
    "villages along the river on January 30.\n"
)
PAGE = (
    "<html><head><title>Evacuations continue</title>"
    '<meta property="article:published_time" content="2024-06-01"></head><body><article>'
    f"<p>{FLOODS}</p></article></body></html>"
)


def ingest(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["ingest", *args, "--db", str(tmp_path / "l.sqlite")])


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shelling.txt").write_text(SHELLING, encoding="utf-8")
    (folder / "floods.txt").write_text(FLOODS, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    return folder


def stored(tmp_path: Path) -> dict[str, tuple[dt.date | None, str | None, str | None]]:
    """Each stored document's (published, outlet, url), by its file's name."""
    with Ledger(str(tmp_path / "l.sqlite")) as ledger:
        return {Path(d.path or "").name: (d.published, d.outlet, d.url) for d in ledger.documents()}


FEB_4 = dt.date(2025, 2, 4)


@pytest.mark.parametrize(
    ("names", "options", "expected"),
    [
        (
            ("shelling.txt", "floods.txt"),
            ("--published", "2025-02-04", "--outlet", "Example Wire"),
            {
                "shelling.txt": (FEB_4, "Example Wire", None),
                "floods.txt": (FEB_4, "Example Wire", None),
            },
        ),
        (
            ("shelling.txt",),
            ("--url", "https://wire.example/shelling", "--published", " 2025-02-04 "),
            {"shelling.txt": (FEB_4, None, "https://wire.example/shelling")},
        ),
        # the page's own date (2024-06-01) gives way to the one the user gives
        (("page.html",), ("--published", "2025-02-04"), {"page.html": (FEB_4, None, None)}),
        (("page.html",), (), {"page.html": (dt.date(2024, 6, 1), None, None)}),
        (("shelling.txt",), (), {"shelling.txt": (None, None, None)}),
    ],
)
def test_what_the_user_says_is_stored_with_the_article(
    files: Path,
    tmp_path: Path,
    names: tuple[str, ...],
    options: tuple[str, ...],
    expected: dict[str, tuple[dt.date | None, str | None, str | None]],
) -> None:
    result = ingest(tmp_path, *(str(files / n) for n in names), *options)
    assert result.exit_code == 0, result.output
    assert stored(tmp_path) == expected


def test_the_options_apply_to_the_article_files_of_a_folder(files: Path, tmp_path: Path) -> None:
    (files / "feed.jsonl").unlink()
    result = ingest(tmp_path, str(files), "--published", "2025-02-04", "--outlet", "Wire")
    assert result.exit_code == 0, result.output
    assert {v[:2] for v in stored(tmp_path).values()} == {(FEB_4, "Wire")}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # 'last week' before Tuesday 2025-02-04 is the week of 2025-01-27
        (("--published", "2025-02-04"), (dt.date(2025, 1, 27), dt.date(2025, 2, 2), True)),
        # without a publication date it has no year, and no days
        ((), (None, None, False)),
    ],
)
def test_a_publication_date_gives_relative_dates_a_year(
    files: Path, tmp_path: Path, options: tuple[str, ...], expected: object
) -> None:
    result = ingest(tmp_path, str(files / "shelling.txt"), *options)
    assert result.exit_code == 0, result.output
    with Ledger(str(tmp_path / "l.sqlite")) as ledger:
        (claim,) = [c for c in ledger.find_claims() if c.claim.measure == "killed"]
    time = claim.claim.time
    assert time is not None and time.text == "last week"
    assert (time.start, time.end, time.year_known) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("{in}/shelling.txt", "--published", "2025-13-01"),
         "--published '2025-13-01' is not a date"),
        (("{in}/shelling.txt", "--published", "2025-02-30"), "is not a date"),
        (("{in}/shelling.txt", "--published", "20250204"), "write one day as YYYY-MM-DD"),
        (("{in}/shelling.txt", "--published", "2025-W06-2"), "is not a date"),
        (("{in}/shelling.txt", "--published", "2025-02-04T10:00"), "is not a date"),
        (("{in}/shelling.txt", "--published", "2025-02-04 2025-02-05"), "is not a date"),
        (("{in}/shelling.txt", "--published", "04/02/2025"), "is not a date"),
        (("{in}/shelling.txt", "--published", "last week"), "is not a date"),
        (("{in}/shelling.txt", "{in}/floods.txt", "--url", "https://x.example"),
         "--url is the URL of one article, but 2 input(s) were given"),
        (("{in}", "--url", "https://x.example"), "1 input(s) were given (a folder)"),
        (("{in}/feed.jsonl", "--outlet", "Wire"),
         "--outlet describes .txt and .html files, but {in}/feed.jsonl is a JSONL file"),
        (("{in}/shelling.txt", "{in}/feed.jsonl", "--published", "2025-02-04"),
         "feed.jsonl is a JSONL file, which gives its own"),
        (("{in}/shelling.txt", "--outlet", " "), "--outlet ' ' must be one line of text"),
        (("{in}/shelling.txt", "--url", "https://x.example/\nSet-Cookie"), "must be one line"),
    ],
)  # fmt: skip
def test_a_misuse_is_one_line_and_stores_nothing(
    files: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = ingest(tmp_path, *(a.format(**{"in": files}) for a in args))
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith("error: ") and message.format(**{"in": files}) in line, line
    assert not (tmp_path / "l.sqlite").exists()


@given(st.dates())
def test_every_day_written_yyyy_mm_dd_is_read_back(day: dt.date) -> None:
    assert strict_date(day.isoformat()) == day


@given(st.text(max_size=24))
def test_nothing_but_one_yyyy_mm_dd_day_is_a_date(text: str) -> None:
    day = strict_date(text)
    if day is not None:
        assert text.strip() == day.isoformat()
