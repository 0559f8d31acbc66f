"""Reading one input file into the exact text that is analysed: size, binary and encoding
checks, newline normalisation, and main-text extraction from HTML pages.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from dataclasses import dataclass
from typing import Literal

from claimledger.errors import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_HTML_ATTRIBUTES",
    "MAX_HTML_DEPTH",
    "LoadedText",
    "load_text",
    "read_document",
    "strict_date",
]

DEFAULT_MAX_BYTES: int = 5_000_000

# The work one page may cause. lxml (libxml2) checks each attribute of an element against
# the ones before it, so one element with 40,000 attributes (580 KB) takes 11 s to parse,
# and 1.2 MB of them 168 s; a real page has a few dozen per element. libxml2 stops at 256
# levels of nesting and gives back a truncated tree, which trafilatura reads as no text.
MAX_HTML_ATTRIBUTES = 1000
MAX_HTML_DEPTH = 256

_SNIFF_BYTES = 8192
_HTML_SNIFF_CHARS = 2048
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
_UTF8_BOM = b"\xef\xbb\xbf"

_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.odt/.epub)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)

# UTF-16 text is full of NUL bytes, so without this check it would be reported as
# binary, which sends the user looking for the wrong fix.
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# An opening tag, and one attribute in it (name, and maybe a value in quotes or bare). No
# part crosses a '<', so each try ends at the next one and a scan stays linear.
_OPEN_TAG = re.compile(r"<[A-Za-z][^\s/><]*(?:[^>\"'<]|\"[^\"<]*\"|'[^'<]*')*>")
_ATTRIBUTE = re.compile(r"""[\s"'/]+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")

# A day as a person writes it on the command line: YYYY-MM-DD and nothing else, not the
# other forms date.fromisoformat takes ("20250201", "2025-W05-1", "2025-032").
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Files of JSON that are not one of the shapes ``claimledger ingest`` reads (ingest/inputs.py):
# read as text, their markup would be analysed as an article.
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".geojson")

_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:html|body|p)[\s>/]", re.IGNORECASE)


@dataclass(frozen=True)
class LoadedText:
    """One input document, ready for analysis; every offset refers to ``text``."""

    text: str
    format: Literal["text", "html"]
    path: str
    title: str | None
    published: datetime.date | None
    url: str | None


def read_document(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> LoadedText:
    """Read and check the file at ``path``; raise ``InputError`` if it cannot be analysed."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file; check the path") from None
    except PermissionError:
        raise InputError(
            f"{name}: permission denied; check the file's permissions (and its folder's)"
        ) from None
    except OSError as err:
        raise InputError(f"{name}: cannot be opened ({err.strerror}); check the path") from None

    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name}: is a directory; give the article files inside it")
    if name.lower().endswith(_JSON_SUFFIXES):
        raise InputError(
            f"{name}: is JSON, not article text; give a .txt or .html file, or store JSON "
            "articles with 'claimledger ingest' (see 'claimledger ingest --help' for the "
            "shapes it reads)"
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{name}: is not a regular file; give a plain-text (.txt) or HTML file")
    # Checked before reading so that a huge file is never pulled into memory.
    _check_size(name, info.st_size, max_bytes)

    try:
        with open(name, "rb") as handle:
            # One byte past the limit is enough to notice a file that grew after stat.
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(
            f"{name}: permission denied; check that the file is readable (chmod +r)"
        ) from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; give the article files inside it") from None
    except OSError as err:
        raise InputError(f"{name}: cannot be read ({err.strerror}); check the file") from None
    return load_text(data, name=name, max_bytes=max_bytes)


def load_text(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedText:
    """Check and decode ``data`` (the contents of ``name``) exactly as ``read_document`` does."""
    _check_size(name, len(data), max_bytes)
    if not data:
        raise InputError(f"{name}: is empty; give a file with article text")
    _check_not_binary(name, data)
    text = _decode_utf8(name, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: is empty (only whitespace); give a file with article text")

    if _looks_like_html(name, text):
        return _load_html(name, text)
    return LoadedText(text=text, format="text", path=name, title=None, published=None, url=None)


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            f"{name}: file is {size:,} bytes, over the {max_bytes:,}-byte limit; "
            "give a smaller file or raise the limit with --max-bytes"
        )


def _check_not_binary(name: str, data: bytes) -> None:
    if data.startswith(_UTF16_BOMS):
        raise InputError(
            f"{name}: looks like UTF-16 text, not UTF-8; convert it first, "
            f"e.g. iconv -f utf-16 -t utf-8 {name} > out.txt"
        )
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(
                f"{name}: looks like a binary file ({kind}), not text or HTML; "
                "give a plain-text (.txt) or HTML file"
            )
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(
            f"{name}: looks like a binary file (NUL bytes), not text or HTML; "
            "give a plain-text (.txt) or HTML file"
        )
    # Past the sniffed start too: PostgreSQL cannot store a NUL, and text never has one.
    found = data.find(b"\x00")
    if found >= 0:
        raise InputError(
            f"{name}: has a NUL byte at byte offset {found}, which text never has; "
            "remove it (e.g. tr -d '\\000' < file > clean) or give the plain text"
        )


def _decode_utf8(name: str, data: bytes) -> str:
    skipped = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        return data[skipped:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = skipped + err.start
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{data[offset]:02X} at byte offset {offset}); "
            f"convert it first, e.g. iconv -f <enc> -t utf-8 {name} > out.txt "
            "(<enc> is often windows-1252 or latin1)"
        ) from None


def _looks_like_html(name: str, text: str) -> bool:
    if name.lower().endswith(_HTML_EXTENSIONS):
        return True
    head = text[:_HTML_SNIFF_CHARS].lstrip()
    if _HTML_START.match(head):
        return True
    # Plain text may mention a tag in passing; only a file that opens with markup counts.
    return head.startswith("<") and _HTML_TAG.search(head) is not None


def _load_html(name: str, html: str) -> LoadedText:
    # imported here: the ledger's commands and the API's reads never parse HTML, and
    # trafilatura with lxml takes a noticeable part of a second to import
    import trafilatura

    # trafilatura rejects markup without an <html> element as "not HTML" when it parses to
    # a single block, so a bare fragment (e.g. one <p>) is wrapped into a document first.
    if not re.search(r"<html[\s>]", html[:_HTML_SNIFF_CHARS], re.IGNORECASE):
        html = f"<html><body>{html}</body></html>"
    _check_attributes(name, html)

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        _check_depth(name, html)
        raise InputError(
            f"{name}: no article text found in the HTML; save the article page itself, "
            "or copy its text into a .txt file"
        )

    # extensive=False skips htmldate's free-text scan, which reads prose dates in the article
    # body ("15 March 2024") and so would report an event's date as the publication date.
    # Numeric dates in the body (2024-03-15) can still be picked up when markup has none.
    meta = trafilatura.extract_metadata(html, extensive=False)
    return LoadedText(
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        format="html",
        path=name,
        title=_clean(meta.title),
        published=iso_date(meta.date),
        url=_clean(meta.url),
    )


def _check_attributes(name: str, html: str) -> None:
    """Refuse an element with more attributes than ``MAX_HTML_ATTRIBUTES`` before lxml
    spends quadratic time on it; linear in the page's length."""
    for tag in _OPEN_TAG.finditer(html):
        # a tag too short to hold that many attributes is not counted at all
        if tag.end() - tag.start() < 2 * MAX_HTML_ATTRIBUTES:
            continue
        count = sum(1 for _ in _ATTRIBUTE.finditer(html, tag.start() + 1, tag.end() - 1))
        if count > MAX_HTML_ATTRIBUTES:
            raise InputError(
                f"{name}: an element at character {tag.start()} has {count:,} attributes, "
                f"over the limit of {MAX_HTML_ATTRIBUTES:,}; this is not an article page"
            )


def _check_depth(name: str, html: str) -> None:
    """Say so when no text was found because the page nests deeper than libxml2 reads."""
    from lxml import etree

    parser = etree.HTMLParser()
    etree.fromstring(html, parser)
    if any("Excessive depth" in error.message for error in parser.error_log):
        raise InputError(
            f"{name}: the HTML is nested more than {MAX_HTML_DEPTH} elements deep, past what "
            "the HTML parser reads; save the article page itself, or copy its text into a "
            ".txt file"
        )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def iso_date(value: str | None) -> datetime.date | None:
    """A date, or a date and time, in ISO 8601 and nothing more ('2025-02-01garbage' is
    not a date); None for no value."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def strict_date(value: str) -> datetime.date | None:
    """The day ``value`` names when it is exactly one date written YYYY-MM-DD (spaces
    around it allowed), None for anything else: another ISO form, a date and time, two
    dates, or a day that does not exist (2025-02-30)."""
    value = value.strip()
    if not _DAY.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
