"""What ``claimledger ingest`` reads: article files, directories of them, JSONL files with
one article per line, RSS/Atom feeds (each entry's content, or its summary) and WARC files
(their HTML responses). Articles are produced one at a time, so memory stays bounded
whatever the size of the input; a bad file or line is yielded as an ``InputError`` and the
rest go on."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from claimledger.errors import InputError
from claimledger.ingest.reader import DEFAULT_MAX_BYTES, LoadedText, load_text, read_document

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
JSONL_KEYS = {"text", "html", "url", "outlet", "published", "title"}


@dataclass(frozen=True)
class Article:
    """One article to analyse, with what its input said about it."""

    loaded: LoadedText
    outlet: str | None = None


def iter_articles(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | InputError]:
    """Every article under ``paths``, in order: a directory's files sorted by path."""
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and _kind(f) is not None)
            if not files:
                yield InputError(
                    f"{path}: no .txt, .html, .jsonl, feed or WARC files in this directory"
                )
            yield from iter_articles(files, max_bytes=max_bytes)
        elif _kind(path) == "jsonl":
            yield from _jsonl(path, max_bytes)
        elif _kind(path) == "feed":
            yield from _feed(path, max_bytes)
        elif _kind(path) == "warc":
            yield from _warc(path, max_bytes)
        else:
            try:
                yield Article(read_document(path, max_bytes=max_bytes))
            except InputError as exc:
                yield exc


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
            try:
                yield _article(raw, f"{path}:{number}", max_bytes)
            except InputError as exc:
                yield exc


def _article(raw: bytes, name: str, max_bytes: int) -> Article:
    """One JSONL line: {"text" or "html": ..., "url", "outlet", "published", "title"}."""
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}: not a JSON object ({exc.msg}); write one per line") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8; save the file as UTF-8") from None
    if not isinstance(item, dict):
        raise InputError(f"{name}: not a JSON object; write one article object per line")
    unknown = set(item) - JSONL_KEYS
    if unknown:
        raise InputError(f"{name}: unknown keys {sorted(unknown)}; use {sorted(JSONL_KEYS)}")
    body = item.get("html", item.get("text"))
    if not isinstance(body, str) or ("html" in item and "text" in item):
        raise InputError(f"{name}: give the article as one string, 'text' or 'html'")
    for key in ("url", "outlet", "published", "title"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise InputError(f"{name}: '{key}' must be a string")
    published = None
    if item.get("published"):
        try:
            published = datetime.date.fromisoformat(item["published"][:10])
        except ValueError:
            raise InputError(
                f"{name}: published {item['published']!r} is not a date; use YYYY-MM-DD"
            ) from None
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


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in ARTICLE_SUFFIXES:
        return "article"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
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
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = datetime.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
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
        found = 0
        try:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                kind = record.http_headers.get_header("Content-Type") or ""
                if "html" not in kind.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                name = f"{path}#{number}"
                data = record.content_stream().read(max_bytes + 1)
                try:
                    loaded = load_text(data, name=f"{name} ({url})", max_bytes=max_bytes)
                except InputError as exc:
                    yield exc
                    continue
                found += 1
                yield Article(
                    LoadedText(
                        text=loaded.text,
                        format="html",
                        path=name,
                        title=loaded.title,
                        published=loaded.published,
                        url=url or loaded.url,
                    )
                )
        except ArchiveLoadFailed as exc:
            reason = str(exc).splitlines()[0] if str(exc) else "unreadable record"
            yield InputError(f"{path}: not a readable WARC file ({reason}); check the file")
            return
        if not found:
            yield InputError(f"{path}: no HTML responses in this WARC file")


def _gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"
