"""Tests for claimledger.ingest.reader: input checks, decoding and HTML main-text extraction."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.errors import InputError
from claimledger.ingest import DEFAULT_MAX_BYTES, LoadedText, load_text, read_document
from claimledger.ingest import reader as reader_module

ARTICLE_PARAGRAPHS = [
    "Ukrainian officials said on Friday that about 12,000 soldiers had been deployed to the "
    "Kursk region, according to a statement from the defence ministry.",
    "The figure could not be independently verified. A spokesman for the ministry told "
    "reporters that the deployment began in late January and was continuing.",
    "Analysts at the Institute for the Study of War said the numbers were consistent with "
    "earlier satellite imagery, though they cautioned that estimates varied widely.",
]

ARTICLE_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Troops reported near Kursk | Example News</title>
<meta property="article:published_time" content="2025-02-01">
<link rel="canonical" href="https://news.example.com/world/kursk-troops">
</head>
<body>
<nav><ul>
<li><a href="/">Home</a></li><li><a href="/world">World news</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe today</a></li>
</ul></nav>
<article>
<h1>Troops reported near Kursk</h1>
<p>{ARTICLE_PARAGRAPHS[0]}</p>
<p>{ARTICLE_PARAGRAPHS[1]}</p>
<p>{ARTICLE_PARAGRAPHS[2]}</p>
</article>
<footer>
<p>Copyright 2025 Example News. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/contact">Contact us</a>
</footer>
</body>
</html>
"""


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    target = tmp_path / name
    target.write_bytes(data)
    return target


def _assert_one_line(err: InputError, *words: str) -> None:
    message = str(err)
    assert "\n" not in message and "\r" not in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


# --- failures ------------------------------------------------------------------------------

BAD_CONTENT = [
    pytest.param("empty.txt", b"", ["is empty"], id="empty"),
    pytest.param("blank.txt", b"  \n\t\r\n  ", ["is empty"], id="whitespace-only"),
    pytest.param("bom-blank.txt", b"\xef\xbb\xbf\n\n", ["is empty"], id="bom-then-whitespace"),
    pytest.param("notes.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", ["binary", "PDF"], id="pdf"),
    pytest.param("notes.docx", b"PK\x03\x04\x14\x00\x06\x00", ["binary", "ZIP"], id="zip"),
    pytest.param("notes.txt.gz", b"\x1f\x8b\x08\x00\x00\x00", ["binary", "gzip"], id="gzip"),
    pytest.param("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary", "PNG"], id="png"),
    pytest.param("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", ["binary", "JPEG"], id="jpeg"),
    pytest.param("data.bin", b"hello\x00world", ["binary", "NUL"], id="nul-byte"),
    pytest.param("utf16.txt", "hello".encode("utf-16"), ["UTF-16", "iconv"], id="utf16"),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD_CONTENT)
def test_bad_content_is_rejected(tmp_path: Path, name: str, data: bytes, words: list[str]) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        read_document(path)
    _assert_one_line(info.value, str(path), *words)
    # The in-memory entry point applies the same checks.
    with pytest.raises(InputError) as info:
        load_text(data, name=name)
    _assert_one_line(info.value, name, *words)


def test_binary_marker_is_binary_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.pdf", b"%PDF-1.4 binary stuff")
    with pytest.raises(InputError) as info:
        read_document(path)
    assert "not text or HTML" in str(info.value)
    assert "plain-text (.txt) or HTML file" in str(info.value)


def test_nul_at_end_of_sniff_window_is_binary() -> None:
    with pytest.raises(InputError) as info:
        load_text(b"a" * 8191 + b"\x00", name="x.txt")
    _assert_one_line(info.value, "x.txt", "binary")


@pytest.mark.parametrize(
    ("data", "offset", "byte"),
    [
        pytest.param("caf\u00e9".encode("latin-1"), 3, "0xE9", id="latin1"),
        pytest.param(b"\xef\xbb\xbfab\x92cd", 5, "0x92", id="after-bom-offset-counts-bom"),
        pytest.param(b"ok\xe2\x82", 2, "0xE2", id="truncated-sequence"),
    ],
)
def test_invalid_utf8_names_offset_and_iconv(
    tmp_path: Path, data: bytes, offset: int, byte: str
) -> None:
    path = _write(tmp_path, "legacy.txt", data)
    with pytest.raises(InputError) as info:
        read_document(path)
    _assert_one_line(
        info.value, str(path), "UTF-8", f"byte offset {offset}", byte, "iconv -f", "-t utf-8"
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        read_document(path)
    _assert_one_line(info.value, str(path), "no such file", "check the path")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_document(tmp_path)
    _assert_one_line(info.value, str(tmp_path), "is a directory", "files inside it")


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="root (and Windows) can read files without read permission",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "secret.txt", b"some text\n")
    path.chmod(0)
    try:
        with pytest.raises(InputError) as info:
            read_document(path)
    finally:
        path.chmod(0o644)
    _assert_one_line(info.value, str(path), "permission denied")


def test_unreadable_file_when_open_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same case as above, but also runs as root, where chmod 0 does not stop reads.
    path = _write(tmp_path, "locked.txt", b"some text\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader_module, "open", refuse, raising=False)
    with pytest.raises(InputError) as info:
        read_document(path)
    _assert_one_line(info.value, str(path), "permission denied", "readable")


def test_too_large_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "big.txt", b"x" * 2_000)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("an over-size file must not be opened")

    monkeypatch.setattr(reader_module, "open", no_open, raising=False)
    with pytest.raises(InputError) as info:
        read_document(path, max_bytes=1_000)
    _assert_one_line(info.value, str(path), "2,000 bytes", "1,000-byte limit", "--max-bytes")


def test_too_large_in_memory() -> None:
    with pytest.raises(InputError) as info:
        load_text(b"x" * 11, name="mem.txt", max_bytes=10)
    _assert_one_line(info.value, "mem.txt", "11 bytes", "10-byte limit", "--max-bytes")


def test_default_limit() -> None:
    assert DEFAULT_MAX_BYTES == 5_000_000


def test_exactly_at_limit_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, "edge.txt", b"y" * 100)
    assert read_document(path, max_bytes=100).text == "y" * 100


def test_html_without_article_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "empty.html", b"<!doctype html><html><head><title>x</title></head></html>"
    )
    with pytest.raises(InputError) as info:
        read_document(path)
    _assert_one_line(info.value, str(path), "no article text found in the HTML")


# --- plain text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"one\r\ntwo\r\n", "one\ntwo\n", id="crlf"),
        pytest.param(b"one\rtwo\r", "one\ntwo\n", id="cr"),
        pytest.param(b"one\r\n\r\ntwo\rthree\n", "one\n\ntwo\nthree\n", id="mixed"),
        pytest.param(b"\xef\xbb\xbfhello\n", "hello\n", id="bom-removed"),
        pytest.param(b"\xef\xbb\xbfa\r\nb", "a\nb", id="bom-and-crlf"),
        pytest.param(
            "  Kyiv said \u201c12,000\u201d troops \u2014 caf\u00e9\t\n\n".encode(),
            "  Kyiv said \u201c12,000\u201d troops \u2014 caf\u00e9\t\n\n",
            id="unicode-and-spacing-kept",
        ),
        pytest.param(b"a < b and 2 > 1\n", "a < b and 2 > 1\n", id="angle-brackets-not-html"),
        pytest.param(b"Use <p> tags for paragraphs.", "Use <p> tags for paragraphs.", id="tag-mid"),
    ],
)
def test_plain_text_round_trip(tmp_path: Path, data: bytes, expected: str) -> None:
    path = _write(tmp_path, "article.txt", data)
    loaded = read_document(path)
    assert loaded == LoadedText(
        text=expected, format="text", path=str(path), title=None, published=None, url=None
    )


def test_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "rel.txt", b"text\n")
    monkeypatch.chdir(tmp_path)
    assert read_document("rel.txt").path == "rel.txt"
    assert read_document(Path("rel.txt")).path == "rel.txt"


# --- HTML ----------------------------------------------------------------------------------


def test_html_article_extraction(tmp_path: Path) -> None:
    path = _write(tmp_path, "article.html", ARTICLE_HTML.encode())
    loaded = read_document(path)
    assert loaded.format == "html"
    assert loaded.path == str(path)
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in loaded.text
    for boilerplate in ("Home", "Subscribe today", "Copyright", "Privacy policy", "Contact us"):
        assert boilerplate not in loaded.text
    assert loaded.title is not None and "Troops reported near Kursk" in loaded.title
    assert loaded.published == datetime.date(2025, 2, 1)
    assert loaded.url == "https://news.example.com/world/kursk-troops"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("page.txt", ARTICLE_HTML, id="doctype-sniffed"),
        pytest.param("page", ARTICLE_HTML.replace("<!DOCTYPE html>\n", "  \n"), id="html-tag"),
        pytest.param("page.HTM", "\r\n".join(ARTICLE_HTML.splitlines()), id="upper-ext-crlf"),
        pytest.param(
            "fragment.txt",
            "".join(f"<p>{p}</p>\n" for p in ARTICLE_PARAGRAPHS),
            id="p-fragment-sniffed",
        ),
        pytest.param("one.xhtml", f"<div><p>{ARTICLE_PARAGRAPHS[0]}</p></div>", id="xhtml-ext"),
    ],
)
def test_html_detection(name: str, data: str) -> None:
    loaded = load_text(data.encode(), name=name)
    assert loaded.format == "html"
    assert ARTICLE_PARAGRAPHS[0] in loaded.text
    assert "<p>" not in loaded.text
    assert "\r" not in loaded.text


def test_html_bare_fragment_has_no_metadata() -> None:
    loaded = load_text(f"<p>{ARTICLE_PARAGRAPHS[0]}</p>".encode(), name="frag.html")
    assert loaded.text == ARTICLE_PARAGRAPHS[0]
    assert (loaded.title, loaded.published, loaded.url) == (None, None, None)


def test_html_prose_date_in_body_is_not_taken_as_published() -> None:
    html = (
        "<html><head><title>Ceasefire talks</title></head><body><article>"
        f"<p>On 15 March 2024 the talks began. {ARTICLE_PARAGRAPHS[1]}</p>"
        f"<p>{ARTICLE_PARAGRAPHS[2]}</p></article></body></html>"
    )
    loaded = load_text(html.encode(), name="talks.html")
    assert loaded.published is None
    assert loaded.title == "Ceasefire talks"


# --- property ------------------------------------------------------------------------------

_TEXTS = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00<"),
    min_size=1,
    max_size=200,
).filter(
    # Blank text is an error, a leading U+FEFF is read as a BOM, and these ASCII prefixes are
    # binary magic numbers: all covered by their own tests.
    lambda s: s.strip() != "" and not s.startswith(("\ufeff", "%PDF-", "PK\x03\x04"))
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS)
def test_any_utf8_text_round_trips(text: str) -> None:
    loaded = load_text(text.encode("utf-8"), name="prop.txt")
    assert loaded.format == "text"
    assert loaded.text == text.replace("\r\n", "\n").replace("\r", "\n")
