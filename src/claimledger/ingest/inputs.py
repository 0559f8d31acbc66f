"""What ``claimledger ingest`` reads: article files, directories of them, JSONL files with
one article per line, JSON files of one article object or a list of them, RSS/Atom feeds
(each entry's content, or its summary) and WARC files (their HTML responses). Articles are
produced one at a time, so memory stays bounded whatever the size of the input; a bad file
or line is yielded as an ``InputError`` and the rest go on."""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.ingest.reader import (
    DEFAULT_MAX_BYTES,
    LoadedText,
    iso_date,
    load_text,
    read_document,
)

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
JSON_SUFFIXES = {".json"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_KEYS = {"text", "html", "url", "outlet", "published", "title"}

# The shapes of a .json file that are read, as the refusal of any other names them.
JSON_SHAPES = (
    'one article object {"text" or "html", "title", "published", "url", "outlet"}, or a '
    "list of them"
)


@dataclass(frozen=True)
class Article:
    """One article to analyse, with what its input said about it."""

    loaded: LoadedText
    outlet: str | None = None


@dataclass(frozen=True)
class GivenMetadata:
    """What the user says about the article files (.txt, .html) of an ingest: their
    publication day (which gives their relative dates a year), outlet and URL. Each value
    given wins over what an HTML page's own metadata says; JSONL lines, JSON articles,
    feed entries and WARC records keep their own."""

    published: datetime.date | None = None
    outlet: str | None = None
    url: str | None = None

    def __bool__(self) -> bool:
        return any(value is not None for value in (self.published, self.outlet, self.url))


def article_files_only(paths: Iterable[str | Path]) -> str | None:
    """Why metadata given for article files cannot apply to ``paths`` (the first input that
    carries its own: a JSONL, JSON, feed or WARC file), or None when it can."""
    for path in map(Path, paths):
        kind = _kind(path)
        if not path.is_dir() and kind not in ("article", None):
            return f"{path} is a {kind.upper() if kind != 'feed' else 'feed'} file"
    return None


def is_one_article_file(paths: Iterable[str | Path]) -> bool:
    """True when ``paths`` is one file that is one article (.txt, .html, or any other name
    read as text): a URL given on the command line can belong to it alone."""
    found = list(map(Path, paths))
    return len(found) == 1 and not found[0].is_dir() and _kind(found[0]) in ("article", None)


def iter_articles(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    given: GivenMetadata | None = None,
) -> Iterator[Article | InputError]:
    """Every article under ``paths``, in order: a directory's files sorted by path. Nothing
    is skipped without a word: a folder that cannot be listed, a broken link, or any
    failure while reading one input is an ``InputError`` for it, and the rest go on.
    ``given`` is applied to the article files (.txt, .html)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _directory(path, max_bytes, given)
            continue
        readers: dict[str | None, Callable[[Path, int], Iterator[Article | InputError]]] = {
            "jsonl": _jsonl,
            "json": _json,
            "feed": _feed,
            "warc": _warc,
        }
        one_file = partial(_one_file, given=given or GivenMetadata())
        yield from _isolated(path, readers.get(_kind(path), one_file), max_bytes)


def _one_file(
    path: Path, max_bytes: int, *, given: GivenMetadata
) -> Iterator[Article | InputError]:
    try:
        loaded = read_document(path, max_bytes=max_bytes)
    except InputError as exc:
        yield exc
        return
    yield Article(
        replace(
            loaded,
            published=given.published or loaded.published,
            url=given.url or loaded.url,
        ),
        outlet=given.outlet,
    )


def _isolated(
    path: Path, reader: Callable[[Path, int], Iterator[Article | InputError]], max_bytes: int
) -> Iterator[Article | InputError]:
    """``reader``'s articles; an unexpected failure ends this input with one error line,
    never the whole ingest (a reader library may raise anything on a damaged file)."""
    try:
        yield from reader(path, max_bytes)
    except Exception as exc:
        yield InputError(f"{path}: cannot be read ({_reason(exc)}); check the file")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _directory(
    folder: Path, max_bytes: int, given: GivenMetadata | None
) -> Iterator[Article | InputError]:
    """The inputs in ``folder`` and its subfolders, by path; an unreadable subfolder or a
    link to nothing is an error line, not silently left out."""
    problems: list[InputError] = []

    def unreadable(error: OSError) -> None:
        problems.append(
            InputError(
                f"{error.filename}: cannot be listed ({error.strerror}); check its permissions"
            )
        )

    files: list[Path] = []
    for root, folders, names in os.walk(folder, onerror=unreadable):
        folders.sort()
        for name in names:
            candidate = Path(root) / name
            if _kind(candidate) is None:
                continue
            if not candidate.exists():
                problems.append(
                    InputError(f"{candidate}: a link to nothing; fix or remove the link")
                )
                continue
            files.append(candidate)
    if not files and not problems:
        problems.append(
            InputError(
                f"{folder}: no .txt, .html, .jsonl, .json, feed or WARC files in this directory"
            )
        )
    yield from problems
    yield from iter_articles(sorted(files), max_bytes=max_bytes, given=given)


def _jsonl(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(f"{path}: cannot be read ({exc.strerror}); check the path")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            name = f"{path}:{number}"
            try:
                yield _article(raw, name, max_bytes)
            except InputError as exc:
                yield exc
            except Exception as exc:
                yield InputError(f"{name}: cannot be read ({_reason(exc)}); fix this line")


def _article(raw: bytes, name: str, max_bytes: int) -> Article:
    """One JSONL line: {"text" or "html": ..., "url", "outlet", "published", "title"}."""
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not a JSON object ({exc.msg}); write one per line") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8; save the file as UTF-8") from None
    except RecursionError:
        raise InputError(
            f"{name}: JSON nested too deeply; write one flat article object per line"
        ) from None
    if not isinstance(item, dict):
        raise InputError(f"{name}: not a JSON object; write one article object per line")
    return _article_object(item, name, max_bytes)


def _json(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """A .json file: one article object (the keys of a JSONL line), or a list of them, each
    named ``FILE#N``. Any other JSON is refused, never read as article text."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield InputError(
                f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit; write "
                "the articles one per line in a .jsonl file, or raise --max-bytes"
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"{path}: cannot be read ({exc.strerror}); check the path")
        return
    try:
        item = json.loads(data)
    except json.JSONDecodeError as exc:
        yield InputError(
            f"{path}: not valid JSON ({exc.msg}, line {exc.lineno}); a .json file holds "
            f"{JSON_SHAPES}"
        )
        return
    except UnicodeDecodeError:
        yield InputError(f"{path}: not UTF-8; save the file as UTF-8")
        return
    except RecursionError:
        yield InputError(f"{path}: JSON nested too deeply; a .json file holds {JSON_SHAPES}")
        return
    if isinstance(item, dict):
        if not {"text", "html"} & set(item):
            yield InputError(
                f"{path}: a JSON object without 'text' or 'html' is not an article; a .json "
                f"file holds {JSON_SHAPES}"
            )
            return
        try:
            yield _article_object(item, str(path), max_bytes)
        except InputError as exc:
            yield exc
        return
    if not isinstance(item, list) or not item:
        shape = "an empty list" if isinstance(item, list) else f"a JSON {type(item).__name__}"
        yield InputError(f"{path}: {shape}, not articles; a .json file holds {JSON_SHAPES}")
        return
    for number, entry in enumerate(item, start=1):
        name = f"{path}#{number}"
        if not isinstance(entry, dict):
            yield InputError(f"{name}: not an article object; a .json file holds {JSON_SHAPES}")
            continue
        try:
            yield _article_object(entry, name, max_bytes)
        except InputError as exc:
            yield exc


def _article_object(item: dict[str, Any], name: str, max_bytes: int) -> Article:
    """One article object, from a JSONL line or a .json file."""
    unknown = set(item) - JSONL_KEYS
    if unknown:
        raise InputError(f"{name}: unknown keys {sorted(unknown)}; use {sorted(JSONL_KEYS)}")
    body = item.get("html", item.get("text"))
    if not isinstance(body, str) or ("html" in item and "text" in item):
        raise InputError(f"{name}: give the article as one string, 'text' or 'html'")
    for key in ("url", "outlet", "published", "title"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise InputError(f"{name}: '{key}' must be a string")
    for key, value in item.items():
        if isinstance(value, str) and _has_surrogate(value):
            raise InputError(
                f"{name}: '{key}' has a lone surrogate escape (like \\ud800), which is not "
                "text; fix the line's \\u escapes"
            )
    published = None
    if item.get("published"):
        published = iso_date(item["published"])
        if published is None:
            raise InputError(
                f"{name}: published {item['published']!r} is not a date; use YYYY-MM-DD"
            )
    data = body.encode("utf-8")
    if "html" in item:
        loaded = load_text(data, name=name, max_bytes=max_bytes)
    else:
        # plain text is taken as it is, even if it starts with something like a tag
        checked = load_text(data, name=name, max_bytes=max_bytes)
        loaded = LoadedText(
            text=checked.text if checked.format == "text" else body,
            format="text",
            path=name,
            title=None,
            published=None,
            url=None,
        )
    return Article(
        LoadedText(
            text=loaded.text,
            format=loaded.format,
            path=name,
            title=item.get("title") or loaded.title,
            published=published or loaded.published,
            url=item.get("url") or loaded.url,
        ),
        outlet=item.get("outlet"),
    )


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix == ".warc" or path.name.lower().endswith(".warc.gz"):
        return "warc"
    return None


def _feed(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """RSS or Atom: one article per entry, from its content (or else its summary)."""
    import feedparser

    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"{path}: cannot be read ({exc.strerror}); check the path")
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        yield InputError(f"{path}: not an RSS or Atom feed with entries ({reason})")
        return
    outlet = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        name = f"{path}#{number}"
        contents = entry.get("content") or []
        body = contents[0].get("value") if contents else entry.get("summary")
        if not body:
            yield InputError(f"{name}: the entry has no content or summary")
            continue
        published = _entry_date(entry)
        if isinstance(published, str):
            yield InputError(
                f"{name}: the entry's date {published!r} is not a usable date (years 1 to "
                "9999); fix the feed's pubDate or updated"
            )
            continue
        try:
            html = body if "<" in body else f"<p>{_escape(body)}</p>"
            loaded = load_text(html.encode("utf-8"), name=name, max_bytes=max_bytes)
        except InputError as exc:
            yield exc
            continue
        yield Article(
            LoadedText(
                text=loaded.text,
                format="html",
                path=name,
                title=entry.get("title") or loaded.title,
                published=published or loaded.published,
                url=entry.get("link") or loaded.url,
            ),
            outlet=outlet,
        )


def _entry_date(entry: Any) -> datetime.date | str | None:
    """The entry's publication day; its date as written when that is out of range (year 0,
    year 10000, which feedparser reads as 2010), None when it has none."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    written = str(entry.get("published") or entry.get("updated") or "")
    long_numbers = [n for n in re.findall(r"\d+", written) if len(n) >= 4]
    if stamp is None:
        years = [int(n) for n in long_numbers if len(n) > 4 or n == "0000"]
        return written if years else None
    if any(int(n) != stamp.tm_year for n in long_numbers[:1]):
        return written
    try:
        return datetime.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    except ValueError:
        return written


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _warc(path: Path, max_bytes: int) -> Iterator[Article | InputError]:
    """A WARC file, streamed: one article per HTML response record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(f"{path}: cannot be read ({exc.strerror}); check the path")
        return
    with handle:
        if handle.read(5) not in {b"WARC/"} and not _gzip(path):
            yield InputError(f"{path}: not a WARC file (it must start with 'WARC/')")
            return
        handle.seek(0)
        size = os.fstat(handle.fileno()).st_size
        found = 0
        records = ArchiveIterator(handle)
        number = 0
        try:
            for number, record in enumerate(records, start=1):
                article = _warc_article(path, number, record, max_bytes)
                # drained here, so that a record cut short is seen: its length says more
                while record.raw_stream.read(1 << 16):
                    pass
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield _truncated(path, number)
                    return
                if article is None:
                    continue
                if isinstance(article, InputError):
                    yield article
                    continue
                found += 1
                yield article
        except ArchiveLoadFailed as exc:
            reason = str(exc).splitlines()[0] if str(exc) else "unreadable record"
            yield InputError(f"{path}: not a readable WARC file ({reason}); check the file")
            return
        except (EOFError, OSError, ValueError, AttributeError):
            # warcio meets the end of a cut file in the middle of a record's headers
            yield _truncated(path, number + 1)
            return
        if records.offset < size:
            # what is left after the last whole record is no record: the file was cut
            yield _truncated(path, number + 1)
            return
        if not found:
            yield InputError(f"{path}: no HTML responses in this WARC file")


def _warc_article(
    path: Path, number: int, record: Any, max_bytes: int
) -> Article | InputError | None:
    """The article in one WARC record, None for a record that holds none."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    kind = record.http_headers.get_header("Content-Type") or ""
    if "html" not in kind.lower():
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    name = f"{path}#{number}"
    data = record.content_stream().read(max_bytes + 1)
    try:
        loaded = load_text(data, name=f"{name} ({url})", max_bytes=max_bytes)
    except InputError as exc:
        return exc
    return Article(
        LoadedText(
            text=loaded.text,
            format="html",
            path=name,
            title=loaded.title,
            published=loaded.published,
            url=url or loaded.url,
        )
    )


def _truncated(path: Path, number: int) -> InputError:
    return InputError(
        f"{path}: cut short in record {number}; the records after it are lost. "
        "Download or copy the file again"
    )


def _gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"
