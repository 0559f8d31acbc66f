"""What ``claimledger ingest`` reads: article files, directories of them, and JSONL files
with one article per line. Articles are produced one at a time, so memory stays bounded
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
            files = sorted(
                f
                for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES | JSONL_SUFFIXES
            )
            if not files:
                yield InputError(f"{path}: no .txt, .html or .jsonl files in this directory")
            yield from iter_articles(files, max_bytes=max_bytes)
        elif path.suffix.lower() in JSONL_SUFFIXES:
            yield from _jsonl(path, max_bytes)
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
