"""Exports of the ledger's claims: JSON Lines, CSV, Parquet and schema.org ClaimReview.

Every writer takes the claim rows ``Ledger.find_claims`` yields
(:class:`~claimledger.ledger.reads.ClaimRow`: a claim with its document, source, outlet,
publication date, URL, title, statement, roots and source kind) and streams them: none
holds the whole ledger in memory, except ``claimreview``, which holds only the rated
claims.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from claimledger.errors import InputError
from claimledger.ledger.corrections import Correction
from claimledger.ledger.reads import (
    BEST_RATING,
    WORST_RATING,
    ClaimRow,
    ClaimSummary,
    Rating,
    RelationRow,
    SourceRow,
)
from claimledger.records import SCHEMA_VERSION

# The flat (one row per claim) view shared by CSV and Parquet, in column order, with each
# column's type: "str", "float", "bool" or "date" (a date in ``flat_row``: an ISO string
# in CSV, a date32 in Parquet).
_COLUMN_TYPES: tuple[tuple[str, str], ...] = (
    ("document", "str"),  # document id
    ("claim", "str"),  # claim id within the document: c1, c2, ...
    ("attribution", "str"),  # attribution id within the document, or empty
    ("subject", "str"),  # the subject's key: "north korean soldiers"
    ("subject_text", "str"),  # the subject as written
    ("measure", "str"),
    ("measure_text", "str"),
    ("low", "float"),
    ("high", "float"),  # empty: no upper bound
    ("value", "float"),
    ("bound", "str"),
    ("approx", "bool"),
    ("unit", "str"),
    ("fraction", "float"),
    ("base_value", "float"),  # the figure a fraction is taken of
    ("base_claim", "str"),  # the claim that stated it
    ("polarity", "str"),
    ("time", "str"),  # ISO 8601 at its granularity: 2025-01-31, 2025-W04, 2025-01
    ("time_text", "str"),
    ("time_start", "date"),
    ("time_end", "date"),
    ("certainty", "str"),
    ("source", "str"),
    ("roots", "str"),  # root-source names, joined with "; "
    ("outlet", "str"),
    ("published", "date"),
    ("url", "str"),
    ("title", "str"),
    ("figure_text", "str"),  # the quantity as written: "around 12,000"
    ("statement", "str"),  # the attribution's content
)

FLAT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _COLUMN_TYPES)

ROOTS_SEPARATOR = "; "

# A spreadsheet evaluates a cell that starts with one of these as a formula (OWASP "CSV
# Injection"; NUL is added by ASVS 5.0 V1.2.10). Text from articles is untrusted.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")

# JSON leaves these unescaped with ensure_ascii=False, but str.splitlines() and some JSON
# Lines readers break lines on them; escaped, every record stays on one physical line.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}

# Escaped in ClaimReview output so it can be pasted into <script type="application/ld+json">
# as is: article text containing "</script>" cannot close the element.
_HTML_SENSITIVE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass
class MissingURLs:
    """What an export wrote without a URL, counted as it writes: ``entries`` written,
    ``articles`` of them whose article has no URL, and (ClaimReview) ``reviews`` whose
    rating gives no fact-check URL."""

    entries: int = 0
    articles: int = 0
    reviews: int = 0
    either: int = 0  # entries lacking one URL or both

    def count(self, row: ClaimRow, rating: Rating | None = None) -> None:
        self.entries += 1
        self.articles += not row.url
        self.reviews += rating is not None and not rating.url
        self.either += not row.url or (rating is not None and not rating.url)

    def warning(self, fmt: str) -> str | None:
        """One line saying how many entries lack a URL and how to give one; None when
        none does."""
        if fmt == "claimreview":
            if not (self.reviews or self.articles):
                return None
            lacking = []
            if self.reviews:
                lacking.append(
                    f"{self.reviews} without the fact-check's URL (claimledger rate --url URL "
                    "--replace)"
                )
            if self.articles:
                lacking.append(
                    f"{self.articles} without the article's URL (claimledger ingest --url)"
                )
            return (
                f"{self.either} of {self.entries} ClaimReview entries "
                f"lack a URL: {'; '.join(lacking)}"
            )
        if not self.articles:
            return None
        return (
            f"{self.articles} of {self.entries} claims have no article URL (give it with "
            "'claimledger ingest --url', or the 'url' key of a JSONL line)"
        )


def flat_row(row: ClaimRow) -> dict[str, Any]:
    """One claim row as the ``FLAT_COLUMNS``: None where missing, numbers as floats, dates
    as dates, ``roots`` joined with ``"; "``."""
    claim = row.claim
    quantity = claim.quantity
    base = quantity.base
    time = claim.time
    return {
        "document": row.document,
        "claim": claim.id,
        "attribution": claim.attribution,
        "subject": claim.subject.key,
        "subject_text": claim.subject.text,
        "measure": claim.measure,
        "measure_text": claim.measure_text,
        "low": float(quantity.low),
        "high": _number(quantity.high),
        "value": _number(quantity.value),
        "bound": quantity.bound,
        "approx": bool(quantity.approx),
        "unit": quantity.unit,
        "fraction": _number(quantity.fraction),
        "base_value": None if base is None else float(base.value),
        "base_claim": None if base is None else base.claim,
        "polarity": claim.polarity,
        "time": None if time is None else time.value,
        "time_text": None if time is None else time.text,
        "time_start": None if time is None else time.start,
        "time_end": None if time is None else time.end,
        "certainty": claim.certainty,
        "source": row.source,
        "roots": ROOTS_SEPARATOR.join(row.roots),
        "outlet": row.outlet,
        "published": row.published,
        "url": row.url,
        "title": row.title,
        "figure_text": quantity.text,
        "statement": row.statement,
    }


def write_jsonl(
    rows: Iterable[ClaimRow], out: IO[str], *, missing: MissingURLs | None = None
) -> int:
    """Write each row as one line of JSON (its ``to_json()``: the full claim JSON with the
    row's keys added, UTF-8 text not escaped); return the number of rows. ``missing``
    counts the rows without a URL."""
    count = 0
    for row in _counted(rows, missing):
        out.write(json_line(row.to_json()))
        count += 1
    return count


def guard_cell(value: Any) -> Any:
    """A CSV cell value with formula injection defused: a string starting with
    ``= + - @``, tab, CR or NUL gets a leading apostrophe, which spreadsheets read as
    "this is text". Anything else (negative numbers included) is returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def _counted(rows: Iterable[ClaimRow], missing: MissingURLs | None) -> Iterator[ClaimRow]:
    for row in rows:
        if missing is not None:
            missing.count(row)
        yield row


def write_csv(rows: Iterable[ClaimRow], out: IO[str], *, missing: MissingURLs | None = None) -> int:
    """Write a header of ``FLAT_COLUMNS`` and one CSV row per claim (RFC 4180: CRLF line
    ends, so open ``out`` with ``newline=""``); return the number of rows. Empty cells are
    missing values, dates ISO 8601; text cells are guarded against formula injection
    (``guard_cell``). ``missing`` counts the rows without a URL."""
    writer = csv.writer(out)
    writer.writerow(FLAT_COLUMNS)
    count = 0
    for row in _counted(rows, missing):
        flat = flat_row(row)
        writer.writerow([guard_cell(flat[name]) for name in FLAT_COLUMNS])
        count += 1
    return count


# One row per relation: the relation, then each side's claim as "a_..." and "b_...".
RELATION_SIDE_COLUMNS: tuple[str, ...] = (
    "ref",  # document/claim
    "measure",
    "low",
    "high",  # empty: no upper bound
    "figure_text",  # the quantity as written
    "certainty",
    "source",
    "root",
    "start",  # the interval the claim holds for
    "end",
    "outlet",
    "published",
    "url",
    "statement",
)
RELATION_COLUMNS: tuple[str, ...] = (
    "kind",
    "subject",
    "strength",  # a conflict's rank: the strongest first
    "reason",
    "pairs",  # how many pairs of the two figures' claims relate so
    "a_figure",
    "b_figure",
    *(f"{side}_{name}" for side in ("a", "b") for name in RELATION_SIDE_COLUMNS),
)


def _side(claim: ClaimSummary) -> dict[str, Any]:
    quantity = claim.quantity
    return {
        "ref": claim.ref,
        "measure": claim.measure,
        "low": float(quantity.low),
        "high": _number(quantity.high),
        "figure_text": quantity.text,
        "certainty": claim.certainty,
        "source": claim.source,
        "root": claim.root,
        "start": claim.start,
        "end": claim.end,
        "outlet": claim.outlet,
        "published": claim.published,
        "url": claim.url,
        "statement": claim.statement,
    }


def write_relations_csv(rows: Iterable[RelationRow], out: IO[str]) -> int:
    """Write a header of ``RELATION_COLUMNS`` and one CSV row per relation, in the order
    given (conflicts: the strongest first), cells guarded as in ``write_csv``; return the
    number of rows."""
    writer = csv.writer(out)
    writer.writerow(RELATION_COLUMNS)
    count = 0
    for row in rows:
        flat: dict[str, Any] = {
            "kind": row.kind,
            "subject": row.subject,
            "strength": row.strength,
            "reason": row.reason,
            "pairs": row.pairs,
            "a_figure": row.a_figure,
            "b_figure": row.b_figure,
        }
        for side, claim in (("a", row.a), ("b", row.b)):
            flat.update({f"{side}_{name}": value for name, value in _side(claim).items()})
        writer.writerow([guard_cell(_cell(flat[name])) for name in RELATION_COLUMNS])
        count += 1
    return count


SOURCE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "aliases",  # joined with "; "
    "roles",  # joined with "; "
    "statements",  # attributions it is the source of
    "carried",  # attributions it carried as an intermediary
    "claims",  # claims it is the root of
    "documents",
    "relayed",  # the roots it carried statements of, joined with "; "
    "merged",  # why its names were merged
)


def write_sources_csv(rows: Iterable[SourceRow], out: IO[str]) -> int:
    """Write a header of ``SOURCE_COLUMNS`` and one CSV row per source, lists joined with
    ``"; "``, cells guarded as in ``write_csv``; return the number of rows."""
    writer = csv.writer(out)
    writer.writerow(SOURCE_COLUMNS)
    count = 0
    for row in rows:
        values = [getattr(row, name) for name in SOURCE_COLUMNS]
        writer.writerow(
            [
                guard_cell(_cell(ROOTS_SEPARATOR.join(v) if isinstance(v, tuple) else v))
                for v in values
            ]
        )
        count += 1
    return count


def _cell(value: Any) -> Any:
    return "" if value is None else value


def parquet_schema() -> Any:
    """The Arrow schema of the Parquet export: ``FLAT_COLUMNS`` as string, float64, bool
    and date32 columns, all nullable."""
    import pyarrow as pa

    types = {"str": pa.string(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    return pa.schema(
        [pa.field(name, types[kind]) for name, kind in _COLUMN_TYPES],
        metadata={"claimledger.schema_version": SCHEMA_VERSION},
    )


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A file written whole or not at all: the block writes to the path this yields, beside
    ``path``, and it replaces ``path`` when the block completes. A failure leaves no
    temporary file and keeps an earlier file; an OSError becomes an InputError naming
    ``path``.

    ``path`` must be a new name or a regular file: a rename would put a regular file in
    place of a FIFO, a device, or a link (to stdout, or anywhere), so these are refused
    before anything is written."""
    path = Path(path)
    _check_replaceable(path)
    # Not tempfile.mkstemp: its 0600 mode would stay on the finished file. Made with
    # O_EXCL, so a link or file planted under the temporary name is never written through.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    created = False
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        created = True
        yield temporary
        _check_replaceable(path)
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(
            f"cannot write {path}: {error.strerror or error}; check that the folder "
            "exists and is writable"
        ) from error
    finally:
        if created:
            temporary.unlink(missing_ok=True)


def _check_replaceable(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}; check the path") from error
    if stat.S_ISLNK(info.st_mode):
        raise InputError(
            f"cannot write {path}: it is a symbolic link; give the file it points to, or a "
            "new file name"
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"cannot write {path}: it is not a regular file (a folder, FIFO, socket or "
            "device); give a new file name"
        )


def write_parquet(
    rows: Iterable[ClaimRow],
    path: Path,
    *,
    batch_size: int = 10_000,
    missing: MissingURLs | None = None,
) -> int:
    """Write the claims to a Parquet file at ``path`` with ``parquet_schema()``, holding at
    most ``batch_size`` rows in memory; return the number of rows. No rows still gives a
    valid file with the schema. The file is written through ``atomic_output``, so a
    failed export leaves no partial file (and any old file intact). ``missing`` counts the
    rows without a URL."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    schema = parquet_schema()
    count = 0
    with atomic_output(path) as temporary, pq.ParquetWriter(temporary, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in _counted(rows, missing):
            batch.append(flat_row(row))
            if len(batch) >= batch_size:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def claimreview(
    rows: Iterable[ClaimRow], ratings: Mapping[tuple[str, str], Rating]
) -> list[dict[str, Any]]:
    """One schema.org ClaimReview (JSON-LD, with its own ``@context``) per row that has a
    rating under ``(document, claim id)``, in row order; unrated rows are skipped, as are
    ratings no row matches."""
    return list(_claimreviews(rows, ratings))


def write_claimreview(
    rows: Iterable[ClaimRow],
    ratings: Mapping[tuple[str, str], Rating],
    out: IO[str],
    *,
    missing: MissingURLs | None = None,
) -> int:
    """Write the ClaimReviews of the rated claims as a JSON array, ``<``, ``>`` and ``&``
    escaped so any element can go into a ``<script type="application/ld+json">`` as is;
    return how many were written (an empty array when none is rated). ``missing`` counts
    the reviews without the fact-check's URL and those whose article has none."""
    count = 0
    out.write("[")
    for review in _claimreviews(rows, ratings, missing):
        out.write(",\n" if count else "\n")
        text = json.dumps(review, ensure_ascii=False, indent=2)
        out.write(_escape_html(_escape("  " + text.replace("\n", "\n  "))))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _claimreviews(
    rows: Iterable[ClaimRow],
    ratings: Mapping[tuple[str, str], Rating],
    missing: MissingURLs | None = None,
) -> Iterator[dict[str, Any]]:
    for row in rows:
        rating = ratings.get((row.document, row.claim.id))
        if rating is not None:
            review = _review(row, rating)
            if missing is not None:
                missing.count(row, rating)
            yield review


def _review(row: ClaimRow, rating: Rating) -> dict[str, Any]:
    claim = row.claim
    claimed = row.statement or claim.quantity.text
    if not claimed:
        raise InputError(
            f"claim {claim.id} in document {row.document} has neither a statement "
            "nor a figure text to review"
        )
    item: dict[str, Any] = {"@type": "Claim", "identifier": f"{row.document}/{claim.id}"}
    if row.source:
        kind = "Person" if row.source_kind == "person" else "Organization"
        item["author"] = {"@type": kind, "name": row.source}
    published = row.published.isoformat() if row.published else None
    if published:
        # When the claim was made: the article's date is the latest it can have been.
        item["datePublished"] = published
    if row.url or row.title or row.outlet:
        appearance: dict[str, Any] = {"@type": "NewsArticle"}
        if row.url:
            appearance["url"] = row.url
        if row.title:
            appearance["headline"] = row.title
        if published:
            appearance["datePublished"] = published
        if row.outlet:
            appearance["publisher"] = {"@type": "Organization", "name": row.outlet}
        item["appearance"] = appearance
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
    if rating.url:
        review["url"] = rating.url
    review.update(
        claimReviewed=claimed,
        author={"@type": "Organization", "name": rating.reviewer},
        datePublished=rating.reviewed.isoformat(),
        reviewRating={
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": rating.verdict,
        },
        itemReviewed=item,
    )
    if rating.note:
        review["reviewBody"] = rating.note
    return review


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def _escape(text: str) -> str:
    for char, escaped in _LINE_BREAKS.items():
        text = text.replace(char, escaped)
    return text


def json_line(value: Any) -> str:
    """``value`` as one JSON Lines record: non-ASCII text kept as it is, the characters some
    readers break lines on (U+2028, U+2029, U+0085) escaped, and a newline at the end."""
    return _escape(json.dumps(value, ensure_ascii=False)) + "\n"


def _escape_html(text: str) -> str:
    for char, escaped in _HTML_SENSITIVE.items():
        text = text.replace(char, escaped)
    return text


def correction_json(correction: Correction) -> dict[str, Any]:
    """A fact-checker's correction as one JSON object (``claimledger correct list
    --format jsonl``, the API's /corrections): what was corrected, by what each claim is
    (document, figure span and words), and the note."""
    return {
        "id": correction.id,
        "action": correction.action,
        "names": list(correction.names),
        "claims": [c.to_json() for c in correction.claims],
        "value": correction.value,
        "note": correction.note,
        "reviewer": correction.reviewer,
        "created": correction.created.isoformat(),
        "description": correction.describe(),
    }


def write_corrections_jsonl(corrections: Iterable[Correction], out: IO[str]) -> int:
    """Every correction as a JSON line; how many."""
    n = 0
    for correction in corrections:
        out.write(json_line(correction_json(correction)))
        n += 1
    return n
