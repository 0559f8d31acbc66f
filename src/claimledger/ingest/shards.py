"""Input shards: the units of work of an ingest on a cluster. A shard is one file, or a
slice of a large JSONL or uncompressed WARC file (whole lines or whole records, cut at
about ``shard_bytes``), or a group of small article files; planning one reads only line
ends and WARC record headers, and reading one yields exactly the articles (and error
lines) that :func:`claimledger.ingest.inputs.iter_articles` yields for that part of the
input, under the same names ("file.jsonl:12", "crawl.warc#7"). No Dask here."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.ingest.inputs import (
    Article,
    _article,
    _gzip,
    _kind,
    _reason,
    _truncated,
    _warc_article,
    iter_articles,
)

DEFAULT_SHARD_BYTES = 64 * 1024 * 1024
# Small article files travel as one shard per this many (each is one article).
FILES_PER_SHARD = 200


@dataclass(frozen=True)
class Shard:
    """One unit of work: ``count`` records (JSONL lines or WARC records) of ``path`` from
    byte ``start``, the first of them numbered ``first``; ``count`` None reads to the end.
    A shard of kind "files" holds whole inputs read as they are (``files``)."""

    kind: str  # "jsonl", "warc" or "files"
    path: str = ""
    start: int = 0
    first: int = 1
    count: int | None = None
    files: tuple[str, ...] = ()
    size: int = 0  # bytes, as planned

    @property
    def label(self) -> str:
        """How the summary names this shard."""
        if self.kind == "files":
            if len(self.files) == 1:
                return self.files[0]
            return f"{self.files[0]} and {len(self.files) - 1} more files"
        unit = "lines" if self.kind == "jsonl" else "records"
        if self.count is None and self.first == 1:
            return self.path
        last = "end" if self.count is None else str(self.first + self.count - 1)
        return f"{self.path} {unit} {self.first}–{last}"


@dataclass(frozen=True)
class Plan:
    """The shards of an ingest, and one line for each input that cannot be planned."""

    shards: tuple[Shard, ...]
    problems: tuple[str, ...]


def plan_shards(paths: Iterable[str | Path], shard_bytes: int = DEFAULT_SHARD_BYTES) -> Plan:
    """Split ``paths`` (files and folders, in order; a folder's files by path) into shards
    of about ``shard_bytes``. A .warc.gz file is one shard (its records can only be found
    by decompressing it; a crawl's files are shard-sized already)."""
    shards: list[Shard] = []
    problems: list[str] = []
    loose: list[tuple[str, int]] = []  # article and feed files waiting to fill a shard

    def flush() -> None:
        for start in range(0, len(loose), FILES_PER_SHARD):
            group = loose[start : start + FILES_PER_SHARD]
            shards.append(
                Shard("files", files=tuple(f for f, _ in group), size=sum(s for _, s in group))
            )
        loose.clear()

    for path in _files(map(Path, paths), problems):
        kind = _kind(path)
        if kind not in ("jsonl", "warc") or (kind == "warc" and _compressed(path)):
            loose.append((str(path), _size(path)))
            if kind == "warc" or len(loose) >= FILES_PER_SHARD:
                flush()
            continue
        flush()
        try:
            cuts = (
                _jsonl_cuts(path, shard_bytes) if kind == "jsonl" else _warc_cuts(path, shard_bytes)
            )
        except (OSError, ValueError):
            cuts = [(0, 1, None, _size(path))]  # read whole: the reader says what is wrong
        shards.extend(
            Shard(kind, str(path), start, first, count, size=size)
            for start, first, count, size in cuts
        )
    flush()
    return Plan(tuple(shards), tuple(problems))


def _files(paths: Iterable[Path], problems: list[str]) -> Iterator[Path]:
    """Each input file: a folder's readable files of known kinds, by path; a folder with
    none is a problem line, as in a one-machine ingest."""
    for path in paths:
        if not path.is_dir():
            yield path  # a missing file is read, and reported, by the worker
            continue
        found: list[Path] = []

        def unreadable(error: OSError) -> None:
            problems.append(
                f"{error.filename}: cannot be listed ({error.strerror}); check its permissions"
            )

        for root, folders, names in os.walk(path, onerror=unreadable):
            folders.sort()
            found.extend(
                Path(root) / name for name in names if _kind(Path(root) / name) is not None
            )
        if not found:
            problems.append(f"{path}: no .txt, .html, .jsonl, feed or WARC files in this directory")
        yield from sorted(found)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _compressed(path: Path) -> bool:
    try:
        return _gzip(path)
    except OSError:
        return True  # unreadable: one shard, whose reader reports it


Cut = tuple[int, int, int | None, int]  # start byte, first number, count (None: to the end), bytes


def _jsonl_cuts(path: Path, shard_bytes: int) -> list[Cut]:
    """Whole lines, about ``shard_bytes`` at a time, numbered as the JSONL reader numbers
    them (blank lines included)."""
    cuts: list[Cut] = []
    start, first, count, offset = 0, 1, 0, 0
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if count == 0:
                start, first = offset, number
            offset += len(line)
            count += 1
            if offset - start >= shard_bytes:
                cuts.append((start, first, count, offset - start))
                count = 0
    if count or not cuts:
        cuts.append((start, first, None, offset - start))
    elif cuts:
        last = cuts[-1]
        cuts[-1] = (last[0], last[1], None, last[3])
    return cuts


def _warc_cuts(path: Path, shard_bytes: int) -> list[Cut]:
    """Whole records of an uncompressed WARC, about ``shard_bytes`` at a time, found from
    their headers' Content-Length without reading their content. A header that cannot be
    read ends the planning there: the last shard reads on to the end, and its reader
    reports what is wrong at the record where it is."""
    cuts: list[Cut] = []
    start, first, count, offset = 0, 1, 0, 0
    size = path.stat().st_size
    with path.open("rb") as handle:
        number = 0
        while offset < size:
            length = _record_length(handle, offset)
            if length is None:
                break
            number += 1
            if count == 0:
                start, first = offset, number
            offset += length
            count += 1
            if offset - start >= shard_bytes and offset < size:
                cuts.append((start, first, count, offset - start))
                count = 0
    if count:
        cuts.append((start, first, None, size - start))  # with any unreadable tail
    elif offset < size or not cuts:
        cuts.append((offset, number + 1, None, size - offset))  # unreadable from here
    return cuts


def _record_length(handle: Any, offset: int) -> int | None:
    """The length of the WARC record at ``offset`` (headers, content and the blank lines
    after it), None where no well-formed record header starts there."""
    handle.seek(offset)
    first = handle.readline(1024)
    if not first.startswith(b"WARC/"):
        return None
    header = len(first)
    content_length: int | None = None
    for _ in range(1000):
        line = handle.readline(65536)
        if not line:
            return None
        header += len(line)
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                content_length = int(value.strip())
            except ValueError:
                return None
    else:
        return None
    if content_length is None or content_length < 0:
        return None
    handle.seek(offset + header + content_length)
    tail = handle.read(4)
    if tail != b"\r\n\r\n":
        return None
    return header + content_length + 4


def empty_warcs(shards: Sequence[Shard], read: Sequence[int]) -> list[str]:
    """The line a whole-file reading gives a WARC with no HTML responses, for each WARC
    read in slices (no slice can tell) whose slices read no article (``read``: the
    articles each shard read)."""
    found: dict[str, int] = {}
    for shard, count in zip(shards, read, strict=True):
        if shard.kind == "warc" and not (shard.start == 0 and shard.count is None):
            found[shard.path] = found.get(shard.path, 0) + count
    return [f"{path}: no HTML responses in this WARC file" for path, n in found.items() if not n]


def read_shard(shard: Shard, max_bytes: int) -> Iterator[Article | InputError]:
    """The articles of one shard, and an error line for each part that cannot be read."""
    if shard.kind == "files":
        yield from iter_articles(shard.files, max_bytes=max_bytes)
        return
    path = Path(shard.path)
    if shard.start == 0 and shard.count is None:
        yield from iter_articles([path], max_bytes=max_bytes)
        return
    try:
        if shard.kind == "jsonl":
            yield from _jsonl_slice(path, shard, max_bytes)
        else:
            yield from _warc_slice(path, shard, max_bytes)
    except OSError as exc:
        yield InputError(f"{path}: cannot be read ({exc.strerror}); check the path")


def _jsonl_slice(path: Path, shard: Shard, max_bytes: int) -> Iterator[Article | InputError]:
    with path.open("rb") as handle:
        handle.seek(shard.start)
        number = shard.first
        while shard.count is None or number < shard.first + shard.count:
            raw = handle.readline()
            if not raw:
                break
            name = f"{path}:{number}"
            number += 1
            if not raw.strip():
                continue
            try:
                yield _article(raw, name, max_bytes)
            except InputError as exc:
                yield exc
            except Exception as exc:
                yield InputError(f"{name}: cannot be read ({_reason(exc)}); fix this line")


def _warc_slice(path: Path, shard: Shard, max_bytes: int) -> Iterator[Article | InputError]:
    """The records of one slice, read as the whole-file WARC reader reads them."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as handle:
        handle.seek(shard.start)
        size = os.fstat(handle.fileno()).st_size
        records = ArchiveIterator(handle)
        number = shard.first - 1
        try:
            for number, record in enumerate(records, start=shard.first):
                article = _warc_article(path, number, record, max_bytes)
                while record.raw_stream.read(1 << 16):
                    pass
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield _truncated(path, number)
                    return
                if article is not None:
                    yield article
                if shard.count is not None and number >= shard.first + shard.count - 1:
                    return
        except ArchiveLoadFailed as exc:
            reason = str(exc).splitlines()[0] if str(exc) else "unreadable record"
            yield InputError(f"{path}: not a readable WARC file ({reason}); check the file")
            return
        except (EOFError, OSError, ValueError, AttributeError):
            yield _truncated(path, number + 1)
            return
        if records.offset < size:  # warcio counts from where the file was opened at
            yield _truncated(path, number + 1)
