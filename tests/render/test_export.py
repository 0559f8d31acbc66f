"""The ledger's exports: JSON Lines, CSV (formula injection guarded), Parquet, ClaimReview."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.codec import from_json
from claimledger.errors import InputError
from claimledger.ledger.reads import ClaimRow, Rating, RelationRow
from claimledger.render.export import (
    FLAT_COLUMNS,
    RELATION_COLUMNS,
    MissingURLs,
    atomic_output,
    claimreview,
    flat_row,
    guard_cell,
    write_claimreview,
    write_csv,
    write_jsonl,
    write_parquet,
    write_relations_csv,
)


def _time(value: str, start: str, end: str, text: str) -> dict[str, Any]:
    return {
        "text": text,
        "spans": [[0, len(text)]],
        "value": value,
        "start": start,
        "end": end,
        "granularity": "day",
        "year_known": True,
        "inherited": False,
    }


# c3 of the seed article, as Ledger.find_claims yields it (its JSON), plus the lead's
# added keys.
SEED_JSON: dict[str, Any] = {
    "id": "c3",
    "attribution": "a3",
    "subject": {"text": "North Korean soldiers", "key": "north korean soldiers", "spans": []},
    "measure": "deployed",
    "measure_text": "deployed",
    "quantity": {
        "low": 10800,
        "high": 13200,
        "approx": True,
        "text": "around 12,000",
        "spans": [[743, 756]],
        "unit": "count",
        "fraction": None,
        "base": None,
        "value": 12000,
        "bound": "approx",
    },
    "polarity": "positive",
    "time": _time("2025-01-31", "2025-01-31", "2025-01-31", "on January 31"),
    "certainty": "likely",
    "spans": [[743, 756]],
    "place": None,
    "modality": "reported",
    "rate": None,
    "document": "0123456789abcdef",
    "source": "Oleksandr Kindratenko",
    "source_kind": "person",
    "outlet": "Kyiv Post",
    "published": "2025-02-01",
    "url": "https://news.example/kursk",
    "title": "North Korean troops in Kursk",
    "statement": "“North Korean forces have not been present …”",
    "roots": ["Oleksandr Kindratenko", "CNN"],
}

# No time, no upper bound ("more than 500"), a fraction with a base, none of the optional
# values, a decreasing change given as a negative figure.
OPEN_JSON: dict[str, Any] = {
    "id": "c7",
    "attribution": None,
    "subject": {"text": "soldiers", "key": "soldiers", "spans": [[10, 18]]},
    "measure": "killed",
    "measure_text": "killed",
    "quantity": {
        "low": -500,
        "high": None,
        "approx": False,
        "text": "more than 500",
        "spans": [[0, 13]],
        "unit": "count",
        "fraction": 0.333333,
        "base": {"value": 1500.5, "text": "1,500", "spans": [[30, 35]], "claim": "c5"},
        "value": -500,
        "bound": "above",
    },
    "polarity": "negative",
    "time": None,
    "certainty": "possible",
    "spans": [[0, 13], [10, 18]],
    "place": None,
    "modality": "reported",
    "rate": None,
    "document": "fedcba9876543210",
    "source": None,
    "outlet": None,
    "published": None,
    "url": None,
    "title": None,
    "statement": None,
    "roots": [],
    "source_kind": None,
}

# Hostile article text in every text field a reader controls.
HOSTILE_JSON: dict[str, Any] = {
    **SEED_JSON,
    "id": "c1",
    "document": "badbadbadbadbad0",
    "subject": {"text": "-2+3", "key": "@sum(a1)", "spans": []},
    "quantity": {**SEED_JSON["quantity"], "text": "+12,000"},
    "source": '=HYPERLINK("http://evil.example","click")',
    "source_kind": "organization",
    "title": "<script>alert(1)</script> & more",
    "statement": "\tcmd|' /C calc'!A0 \u2028 next",
    "outlet": "\rCR outlet",
    "roots": [],
}

SEED = from_json(ClaimRow, SEED_JSON)
OPEN = from_json(ClaimRow, OPEN_JSON)
HOSTILE = from_json(ClaimRow, HOSTILE_JSON)
ROWS: list[ClaimRow] = [SEED, OPEN, HOSTILE]


def _rating(**changes: Any) -> Rating:
    fields: dict[str, Any] = {
        "document": SEED.document,
        "claim": "c3",
        "verdict": "Mostly true",
        "value": 4,
        "reviewer": "Example Checks",
        "reviewed": dt.date(2025, 2, 3),
        "url": "https://checks.example/kursk",
    }
    fields.update(changes)
    return Rating(**fields)


# ---- flat rows ----------------------------------------------------------------------------


def test_flat_row_maps_every_column() -> None:
    assert flat_row(SEED) == {
        "document": "0123456789abcdef",
        "claim": "c3",
        "attribution": "a3",
        "subject": "north korean soldiers",
        "subject_text": "North Korean soldiers",
        "measure": "deployed",
        "measure_text": "deployed",
        "low": 10800.0,
        "high": 13200.0,
        "value": 12000.0,
        "bound": "approx",
        "approx": True,
        "unit": "count",
        "fraction": None,
        "base_value": None,
        "base_claim": None,
        "polarity": "positive",
        "time": "2025-01-31",
        "time_text": "on January 31",
        "time_start": dt.date(2025, 1, 31),
        "time_end": dt.date(2025, 1, 31),
        "certainty": "likely",
        "source": "Oleksandr Kindratenko",
        "roots": "Oleksandr Kindratenko; CNN",
        "outlet": "Kyiv Post",
        "published": dt.date(2025, 2, 1),
        "url": "https://news.example/kursk",
        "title": "North Korean troops in Kursk",
        "figure_text": "around 12,000",
        "statement": "“North Korean forces have not been present …”",
    }
    assert tuple(flat_row(SEED)) == FLAT_COLUMNS


def test_flat_row_missing_and_null_values_are_none() -> None:
    flat = flat_row(OPEN)
    assert flat["high"] is None
    assert flat["low"] == -500.0 and isinstance(flat["low"], float)
    assert (flat["fraction"], flat["base_value"], flat["base_claim"]) == (0.333333, 1500.5, "c5")
    for name in ("time", "time_text", "time_start", "time_end", "published", "source"):
        assert flat[name] is None, name
    for name in ("url", "title", "statement", "attribution"):
        assert flat[name] is None, name
    assert flat["roots"] == ""  # no roots: an empty cell


def test_a_row_read_back_takes_dates_as_well_as_iso_strings() -> None:
    row = from_json(ClaimRow, {**OPEN_JSON, "published": dt.date(2025, 2, 1)})
    assert flat_row(row)["published"] == dt.date(2025, 2, 1)


def test_a_row_read_back_rejects_a_malformed_date() -> None:
    with pytest.raises(InputError, match="published 'yesterday' is not a YYYY-MM-DD date"):
        from_json(ClaimRow, {**OPEN_JSON, "published": "yesterday"})


# ---- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_round_trips_every_row() -> None:
    out = io.StringIO()
    assert write_jsonl(iter(ROWS), out) == 3
    text = out.getvalue()
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert [json.loads(line) for line in lines] == [SEED_JSON, OPEN_JSON, HOSTILE_JSON]
    assert "North Korean forces" in text and "“" in text  # UTF-8, not \u escapes


def test_jsonl_keeps_each_record_on_one_line_for_every_line_splitter() -> None:
    out = io.StringIO()
    write_jsonl([HOSTILE], out)
    assert len(out.getvalue().splitlines()) == 1  # U+2028 in the statement is escaped
    assert json.loads(out.getvalue()) == HOSTILE_JSON


def test_jsonl_of_no_rows_is_empty() -> None:
    out = io.StringIO()
    assert write_jsonl([], out) == 0
    assert out.getvalue() == ""


# ---- CSV ----------------------------------------------------------------------------------


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_header_is_the_flat_columns_and_rows_follow() -> None:
    out = io.StringIO(newline="")
    assert write_csv(iter(ROWS), out) == 3
    text = out.getvalue()
    assert next(csv.reader(io.StringIO(text, newline=""))) == list(FLAT_COLUMNS)
    seed, open_, _ = _read_csv(text)
    assert (seed["low"], seed["high"], seed["value"]) == ("10800.0", "13200.0", "12000.0")
    assert (seed["published"], seed["time_start"]) == ("2025-02-01", "2025-01-31")
    assert seed["approx"] == "True"
    assert seed["statement"] == SEED.statement
    assert seed["roots"] == "Oleksandr Kindratenko; CNN"
    assert open_["high"] == "" and open_["time_start"] == "" and open_["published"] == ""


def test_csv_negative_numbers_stay_numbers() -> None:
    out = io.StringIO(newline="")
    write_csv([OPEN], out)
    (row,) = _read_csv(out.getvalue())
    assert row["low"] == "-500.0" and float(row["value"]) == -500.0


@pytest.mark.parametrize(
    ("column", "written"),
    [
        ("source", '\'=HYPERLINK("http://evil.example","click")'),
        ("subject", "'@sum(a1)"),
        ("subject_text", "'-2+3"),
        ("figure_text", "'+12,000"),
        ("statement", "'\tcmd|' /C calc'!A0 \u2028 next"),
        ("outlet", "'\rCR outlet"),
        ("title", "<script>alert(1)</script> & more"),  # not a formula: left as it is
    ],
)
def test_csv_guards_cells_that_a_spreadsheet_would_run(column: str, written: str) -> None:
    out = io.StringIO(newline="")
    write_csv([HOSTILE], out)
    (row,) = _read_csv(out.getvalue())
    assert row[column] == written


def test_csv_of_no_rows_is_the_header() -> None:
    out = io.StringIO(newline="")
    assert write_csv([], out) == 0
    assert out.getvalue() == ",".join(FLAT_COLUMNS) + "\r\n"


@given(st.text())
def test_csv_round_trips_any_text_modulo_the_guard(text: str) -> None:
    row = {**OPEN_JSON, "statement": text, "subject": {"text": text, "key": "k", "spans": []}}
    out = io.StringIO(newline="")
    write_csv([from_json(ClaimRow, row)], out)
    (read,) = _read_csv(out.getvalue())
    assert read["statement"] == read["subject_text"] == guard_cell(text)
    guarded = text[:1] in {"=", "+", "-", "@", "\t", "\r", "\0"}
    assert read["statement"] == ("'" + text if guarded else text)


# ---- Parquet ------------------------------------------------------------------------------


def test_parquet_reads_back_with_the_same_values_and_types(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    assert write_parquet(iter(ROWS), path, batch_size=2) == 3  # two batches
    table = pq.read_table(path)
    assert table.column_names == list(FLAT_COLUMNS)
    schema = table.schema
    assert schema.field("low").type == pa.float64()
    assert schema.field("approx").type == pa.bool_()
    assert schema.field("published").type == pa.date32()
    assert schema.field("time_start").type == pa.date32()
    assert schema.field("statement").type == pa.string()
    got = table.to_pylist()
    assert got == [flat_row(row) for row in ROWS]
    assert got[0]["published"] == dt.date(2025, 2, 1)
    assert got[1]["high"] is None and got[1]["low"] == -500.0
    assert pq.ParquetFile(path).metadata.num_row_groups == 2


def test_parquet_of_no_rows_is_a_valid_file_with_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    assert write_parquet(iter([]), path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0
    assert table.column_names == list(FLAT_COLUMNS)
    assert table.schema.field("published").type == pa.date32()


def test_parquet_failure_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.parquet"
    path.write_bytes(b"old")

    def rows() -> Iterator[ClaimRow]:
        yield SEED
        yield from_json(ClaimRow, {**OPEN_JSON, "published": "soon"})  # fails mid-export

    with pytest.raises(InputError, match="not a YYYY-MM-DD date"):
        write_parquet(rows(), path, batch_size=1)
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.parquet"]


def test_parquet_into_a_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_parquet([SEED], tmp_path / "missing" / "claims.parquet")


# ---- writing a file whole -----------------------------------------------------------------


def test_an_atomic_output_replaces_the_file_when_complete(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("old", encoding="utf-8")
    with atomic_output(path) as temporary:
        assert temporary.parent == tmp_path and temporary != path
        temporary.write_text("new", encoding="utf-8")
        assert path.read_text(encoding="utf-8") == "old"  # not yet
    assert path.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_a_failed_atomic_output_keeps_the_earlier_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match="mid-export"), atomic_output(path) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise ValueError("mid-export")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_an_atomic_output_that_cannot_be_written_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "claims.csv"
    with pytest.raises(InputError, match=r"cannot write .*claims\.csv"), atomic_output(path) as t:
        t.write_text("x", encoding="utf-8")
    assert not path.parent.exists()


# ---- ClaimReview --------------------------------------------------------------------------


def test_claimreview_has_the_fields_google_requires() -> None:
    (review,) = claimreview(ROWS, {(SEED.document, "c3"): _rating(note="Close enough.")})
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example/kursk",
        "claimReviewed": SEED.statement,
        "author": {"@type": "Organization", "name": "Example Checks"},
        "datePublished": "2025-02-03",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 4,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Mostly true",
        },
        "itemReviewed": {
            "@type": "Claim",
            "identifier": "0123456789abcdef/c3",
            "author": {"@type": "Person", "name": "Oleksandr Kindratenko"},
            "datePublished": "2025-02-01",
            "appearance": {
                "@type": "NewsArticle",
                "url": "https://news.example/kursk",
                "headline": "North Korean troops in Kursk",
                "datePublished": "2025-02-01",
                "publisher": {"@type": "Organization", "name": "Kyiv Post"},
            },
        },
        "reviewBody": "Close enough.",
    }


def test_claimreview_skips_unrated_claims_and_unmatched_ratings() -> None:
    ratings = {
        (OPEN.document, "c7"): _rating(document=OPEN.document, claim="c7", value=1),
        ("no-such-document", "c1"): _rating(document="no-such-document", claim="c1"),
    }
    (review,) = claimreview(ROWS, ratings)
    assert review["reviewRating"]["ratingValue"] == 1
    # No statement: the figure is what is reviewed. No source, article or URL: left out.
    assert review["claimReviewed"] == "more than 500"
    assert review["itemReviewed"] == {"@type": "Claim", "identifier": "fedcba9876543210/c7"}
    assert claimreview(ROWS, {}) == []


def test_claimreview_author_is_an_organization_unless_the_source_is_a_person() -> None:
    rating = _rating(document=HOSTILE.document, claim="c1")
    (review,) = claimreview([HOSTILE], {(HOSTILE.document, "c1"): rating})
    assert review["itemReviewed"]["author"]["@type"] == "Organization"
    row = replace(SEED, source_kind=None)
    (review,) = claimreview([row], {(SEED.document, "c3"): _rating()})
    assert review["itemReviewed"]["author"]["@type"] == "Organization"


def test_write_claimreview_is_a_json_array_safe_inside_a_script_element() -> None:
    ratings = {
        (SEED.document, "c3"): _rating(),
        (HOSTILE.document, "c1"): _rating(document=HOSTILE.document, claim="c1"),
    }
    out = io.StringIO()
    assert write_claimreview(ROWS, ratings, out) == 2
    text = out.getvalue()
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    reviews = json.loads(text)
    assert reviews == claimreview(ROWS, ratings)
    assert reviews[1]["itemReviewed"]["appearance"]["headline"] == HOSTILE.title


def test_write_claimreview_with_nothing_rated_is_an_empty_array() -> None:
    out = io.StringIO()
    assert write_claimreview(ROWS, {}, out) == 0
    assert json.loads(out.getvalue()) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": 0}, "value 0 is not within 1..5"),
        ({"value": 6}, "value 6 is not within 1..5"),
        ({"value": True}, "value must be a whole number 1..5"),
        ({"value": 2.5}, "value must be a whole number 1..5"),
        ({"verdict": "  "}, "the verdict is empty"),
        ({"reviewer": ""}, "the reviewer is empty"),
        ({"reviewed": "2025-02-03"}, "reviewed must be a date"),
    ],
)
def test_a_bad_rating_is_rejected_in_one_line(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message) as raised:
        _rating(**changes)
    assert "\n" not in str(raised.value)
    assert "claim c3 in document 0123456789abcdef" in str(raised.value)


# ---- entries without a URL ----------------------------------------------------------------

NO_URL = replace(SEED, url=None)


def _written(fmt: str, rows: list[ClaimRow], ratings: dict[tuple[str, str], Rating]) -> Any:
    missing = MissingURLs()
    out = io.StringIO()
    if fmt == "jsonl":
        write_jsonl(rows, out, missing=missing)
    elif fmt == "csv":
        write_csv(rows, out, missing=missing)
    else:
        write_claimreview(rows, ratings, out, missing=missing)
    return missing.warning(fmt)


@pytest.mark.parametrize(
    ("fmt", "rows", "rating", "warning"),
    [
        ("jsonl", [SEED], None, None),
        ("csv", [SEED, OPEN], None, "1 of 2 claims have no article URL"),
        ("jsonl", [OPEN, NO_URL, SEED], None, "2 of 3 claims have no article URL"),
        ("claimreview", [SEED], _rating(), None),
        (
            "claimreview",
            [SEED],
            _rating(url=None),
            "1 of 1 ClaimReview entries lack a URL: 1 without the fact-check's URL "
            "(claimledger rate --url URL --replace)",
        ),
        (
            "claimreview",
            [NO_URL, OPEN],  # OPEN is not rated: not an entry
            _rating(url=None),
            "1 of 1 ClaimReview entries lack a URL: 1 without the fact-check's URL "
            "(claimledger rate --url URL --replace); 1 without the article's URL "
            "(claimledger ingest --url)",
        ),
        ("claimreview", [NO_URL], _rating(), "1 of 1 ClaimReview entries lack a URL: 1 without"),
        ("claimreview", [OPEN], None, None),  # nothing rated, nothing written
    ],
)
def test_an_export_counts_its_entries_without_a_url(
    fmt: str, rows: list[ClaimRow], rating: Rating | None, warning: str | None
) -> None:
    ratings = {(SEED.document, "c3"): rating} if rating else {}
    found = _written(fmt, rows, ratings)
    if warning is None:
        assert found is None
    else:
        assert found is not None and found.startswith(warning) and "\n" not in found


def test_relations_csv_has_one_row_per_relation_each_side_flat() -> None:
    summary = {
        "document": SEED.document,
        "claim": "c3",
        "ref": f"{SEED.document}/c3",
        "subject": "north korean soldiers",
        "measure": "deployed",
        "quantity": SEED_JSON["quantity"],
        "certainty": "likely",
        "statement": "=cmd",
        "source": "Kindratenko",
        "root": "Kindratenko",
        "start": "2025-01-31",
        "end": "2025-01-31",
        "dated_by": "claim",
        "scope": None,
        "outlet": "Kyiv Post",
        "published": "2025-02-01",
        "url": None,
        "figure": {"independent": 1, "roots": ["Kindratenko"]},
    }
    relation = from_json(
        RelationRow,
        {
            "kind": "conflicts",
            "subject": "north korean soldiers",
            "reason": "they do not overlap",
            "a": summary,
            "b": {**summary, "claim": "c4", "ref": f"{SEED.document}/c4"},
            "strength": 2.5,
        },
    )
    out = io.StringIO()
    assert write_relations_csv([relation], out) == 1
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(header) == RELATION_COLUMNS
    flat = dict(zip(header, row, strict=True))
    assert flat["strength"] == "2.5" and flat["b_ref"].endswith("/c4")
    assert flat["a_low"] == "10800.0" and flat["a_url"] == "" and flat["a_start"] == "2025-01-31"
    assert flat["a_statement"] == "'=cmd"  # guarded like the claims' CSV
