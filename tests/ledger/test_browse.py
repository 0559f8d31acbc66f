"""The lists' filters (claimledger.ledger.browse): what a query string may hold, what a bad
value says, facet counts, paging, sentences, and the downloads of exactly the filtered
rows, on the acceptance corpus."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.ingest.run import ingest
from claimledger.ledger import Ledger, browse
from claimledger.ledger.browse import BrowseError, ClaimFilters, ConflictFilters
from tests import paths
from tests.conftest import _new_database

BAD_VALUES = [
    # (query, the parameter named, words of the message)
    ({"measure": "exploded"}, "measure", "not one of deployed, killed"),
    ({"certainty": "sure"}, "certainty", "not one of"),
    ({"since": "January"}, "since", "YYYY-MM-DD"),
    ({"until": "2025-02-30"}, "until", "YYYY-MM-DD"),
    ({"month": "2025-13"}, "month", "YYYY-MM"),
    ({"min": "lots"}, "min", "not a number"),
    ({"max": "inf"}, "max", "not a finite number"),
    ({"min": "10", "max": "5"}, "min", "above max=5"),
    ({"since": "2025-02-01", "until": "2025-01-01"}, "since", "after until=2025-01-01"),
    ({"sort": "colour"}, "sort", "sort by one of time"),
    ({"subject": "x" * 501}, "subject", "longer than 500"),
]


@pytest.mark.parametrize(("params", "name", "words"), BAD_VALUES)
def test_a_bad_claim_filter_names_its_value(params: dict[str, str], name: str, words: str) -> None:
    with pytest.raises(BrowseError) as caught:
        ClaimFilters.parse(params)
    assert caught.value.name == name
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"{name}=")


@pytest.mark.parametrize("page", ["0", "-1", "two", "1.5", "1000001"])
def test_a_page_is_a_whole_number_from_one(page: str) -> None:
    with pytest.raises(BrowseError, match="not a page number"):
        browse.page_number({"page": page})


def test_filters_give_one_url_per_view() -> None:
    filters = ClaimFilters.parse(
        {"measure": "killed", "subject": " North Korean ", "min": "1,000", "sort": "time"}
    )
    assert filters.params() == {"subject": "north korean", "measure": "killed", "min": "1000"}
    assert ClaimFilters.parse(filters.params()) == filters
    assert ConflictFilters.parse({}).params() == {}
    assert not ConflictFilters.parse({"sort": "strength"}).active()
    new = ConflictFilters.parse({"new": "1", "new_since": "2026-12-07T10:12:03.5+02:00"})
    assert new.params() == {"new": "1", "new_since": "2026-12-07T08:12:03.500Z"}
    assert ConflictFilters.parse(new.params()) == new
    assert ConflictFilters.parse({"new": "0"}).params() == {}


def test_conflicts_new_since_a_time_by_the_change_log(ledger_target: str) -> None:
    """The conflicts found at or after a time, by their two figures; none before the
    change log knows of any; a conflict whose figure gains a claim is no new one."""
    from tests.web.test_new_since import ASSOCIATION, FIRST_SIX, VILLAGES, ingest_quickstart

    with Ledger(ledger_target) as ledger:
        assert not browse.new_conflicts(ledger, dt.datetime.now(dt.UTC)).tracked
        ingest_quickstart(ledger, *FIRST_SIX)
        before = dt.datetime.now(dt.UTC)
        ingest_quickstart(ledger, ASSOCIATION)  # its 64 joins the survivors' figure
        assert browse.new_conflicts(ledger, before).found == {}
        ingest_quickstart(ledger, VILLAGES)
        new = browse.new_conflicts(ledger, before)
        assert new.known and new.rules_changed is None
        assert len(new.found) == 3
        assert all(before <= at <= dt.datetime.now(dt.UTC) for at in new.found.values())
        rows = browse.find_conflicts(ledger, ConflictFilters(new=True, new_since=before))
        assert {browse.conflict_figures(r) for r in rows} == set(new.found)
        assert all("efeed4a9991aa89f" in (r.a.document, r.b.document) for r in rows)
        assert browse.find_conflicts(ledger, ConflictFilters(new=True)) == []
        assert not browse.new_conflicts(ledger, None).known


@given(st.dictionaries(st.sampled_from(["q", "subject", "min", "max", "month", "page"]), st.text()))
def test_parsing_any_query_either_works_or_names_the_value(params: dict[str, str]) -> None:
    try:
        filters = ClaimFilters.parse(params)
        browse.page_number(params)
    except BrowseError as error:
        assert error.name in params
    else:
        assert ClaimFilters.parse(filters.params()) == filters


@given(
    st.dictionaries(
        st.sampled_from(["new", "new_since", "claim"]),
        st.text() | st.sampled_from(["1", "0", "on", "2h", "2026-12-07T08:12:03.5+02:00"]),
    )
)
def test_any_conflict_query_either_works_or_names_the_value(params: dict[str, str]) -> None:
    try:
        filters = ConflictFilters.parse(params)
    except BrowseError as error:
        assert error.name in params
    else:
        assert ConflictFilters.parse(filters.params()) == filters


def test_a_page_past_the_last_is_an_error() -> None:
    assert browse.page_of(list(range(5)), 1, 2).rows == [0, 1]
    assert browse.page_of(list(range(5)), 3, 2).rows == [4]
    assert browse.page_of([], 1, 2).pages == 1
    with pytest.raises(BrowseError, match=r"beyond the last page \(3\)"):
        browse.page_of(list(range(5)), 4, 2)


SENTENCES = [
    # (text, the figure's words, its sentence)
    ("He said 300 died. Then more.", "300", "He said 300 died."),
    (
        "First one. The U.S. said 12,000 were sent. Next.",
        "12,000",
        "The U.S. said 12,000 were sent.",
    ),
    ("Kyiv, May 2.\n\nAbout 1.5 million fled, it said.", "1.5", "About 1.5 million fled, it said."),
    ('"We lost 40," he said. Later.', "40", '"We lost 40," he said.'),
    ("no end 7", "7", "no end 7"),
]


@pytest.mark.parametrize(("text", "words", "sentence"), SENTENCES)
def test_a_figure_is_shown_by_its_sentence(text: str, words: str, sentence: str) -> None:
    start = text.index(words)
    assert browse.sentence_at(text, start, start + len(words)) == sentence


def test_facets_count_the_filtered_values_and_keep_the_chosen_one() -> None:
    found = browse.facet("measure", "measure", ["a", "b", "b", None, "c"] + ["z"] * 0, "c")
    assert [(v.value, v.count, v.selected) for v in found.values] == [
        ("b", 2, False),
        ("a", 1, False),
        ("c", 1, True),
    ]
    many = browse.facet("x", "x", [str(i) for i in range(20)] + ["19"], "9")
    assert len(many.values) == browse.FACET_VALUES + 1 and many.more == 11
    assert many.values[0].value == "19"


# --- on the acceptance corpus -------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Ledger]:
    """The acceptance corpus ingested into a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("browse") / "ledger.sqlite")
    else:
        target = _new_database(request.getfixturevalue("postgres_server"))
    ledger = Ledger(target)
    tally = ingest([paths.CORPUS], ledger, workers=1)
    assert tally.failed == []
    ledger.reconcile()
    yield ledger
    ledger.close()


CLAIM_VIEWS = [
    # (query, how many claims)
    ({}, 17),
    ({"measure": "deployed"}, 4),
    ({"subject": "north korean soldiers", "measure": "killed"}, 3),
    ({"outlet": "Reuters"}, 2),
    ({"month": "2024-12"}, 8),
    ({"min": "3000", "max": "5000"}, 4),
    ({"min": "12000"}, 1),
    ({"q": "engineers"}, 1),
    ({"certainty": "asserted", "measure": "captured"}, 3),
]


@pytest.mark.parametrize(("params", "count"), CLAIM_VIEWS)
def test_claim_views(corpus: Ledger, params: dict[str, str], count: int) -> None:
    rows = browse.find_claims(corpus, ClaimFilters.parse(params))
    assert len(rows) == count, [(r.claim.measure, r.claim.quantity.text, r.outlet) for r in rows]


def test_facet_counts_add_up_to_the_view(corpus: Ledger) -> None:
    filters = ClaimFilters.parse({"subject": "north korean soldiers"})
    rows = browse.find_claims(corpus, filters)
    for found in browse.claim_facets(rows, filters):
        if found.name != "source" and found.more == 0:
            assert sum(v.count for v in found.values) == len(rows), found.name
    measure = next(f for f in browse.claim_facets(rows, filters) if f.name == "measure")
    # following a facet's value gives as many rows as it counted
    for value in measure.values:
        narrowed = ClaimFilters.parse({**filters.params(), "measure": value.value})
        assert len(browse.find_claims(corpus, narrowed)) == value.count


def test_the_genuine_conflict_ranks_first(corpus: Ledger) -> None:
    rows = browse.find_conflicts(corpus, ConflictFilters.parse({}))
    assert rows, "the corpus has conflicts"
    top = rows[0]
    assert {top.a.measure, top.b.measure} == {"deployed"}
    assert "Russian Ministry of Defence" in (top.a.root, top.b.root)
    assert [r.strength for r in rows] == sorted((r.strength for r in rows), reverse=True)
    weakest = browse.find_conflicts(corpus, ConflictFilters.parse({"sort": "-strength"}))
    assert weakest == rows[::-1]


def test_downloads_hold_exactly_the_filtered_rows(corpus: Ledger) -> None:
    filters = ClaimFilters.parse({"measure": "deployed"})
    rows = browse.find_claims(corpus, filters)
    table = list(csv.DictReader(io.StringIO(browse.claims_csv(rows))))
    assert [(r["document"], r["claim"]) for r in table] == [(r.document, r.claim.id) for r in rows]
    data = json.loads(browse.to_json_text((r.to_json() for r in rows), total=len(rows)))
    assert data["total"] == len(data["rows"]) == 4
    conflicts = browse.find_conflicts(corpus, ConflictFilters.parse({}))
    lines = list(csv.DictReader(io.StringIO(browse.conflicts_csv(conflicts))))
    assert [int(x["rank"]) for x in lines] == list(range(1, len(conflicts) + 1))
    assert lines[0]["a_claim"] == conflicts[0].a.ref


def test_json_is_safe_to_paste_into_html() -> None:
    text = browse.to_json_text([{"t": "</script><b>&"}])
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["rows"][0]["t"] == "</script><b>&"


def test_an_untitled_article_is_named_by_outlet_and_date_or_first_words() -> None:
    from claimledger.records import Document
    from claimledger.web.present import document_name, figure

    def doc(**kw: object) -> Document:
        base: dict[str, object] = {"id": "d1", "text": "", "title": None}
        return Document(**{**base, **kw})  # type: ignore[arg-type]

    assert document_name(doc(title="A title", outlet="Reuters")) == "A title"
    assert (
        document_name(doc(outlet="Reuters", published=dt.date(2024, 12, 22)))
        == "Reuters, 2024-12-22"
    )
    text = "Russia's Defence Ministry said on Monday that no more than 500 servicemen were there."
    assert (
        document_name(doc(text=text))
        == "Russia's Defence Ministry said on Monday that no more than…"
    )
    assert document_name(doc(path="in/feed.jsonl:14")) == "feed.jsonl, line 14"
    from claimledger.records import Quantity

    third = Quantity(low=11000 / 3, high=11000 / 3, approx=False, text="one-third",
                     spans=((0, 9),), value=11000 / 3)  # fmt: skip
    assert figure(third) == "3,667"


def test_badges_count_each_claims_conflicts(corpus: Ledger) -> None:
    rows = browse.find_conflicts(corpus, ConflictFilters.parse({}))
    refs = browse.conflict_refs(corpus)
    assert sum(refs.values()) == 2 * len(rows)
    # every conflict of the corpus has the ministry's "no more than 500" on one side
    assert max(refs.values()) == len(rows)
    groups = browse.conflict_groups(corpus)
    deployed = sum(1 for r in rows if "deployed" in (r.a.measure, r.b.measure))
    assert groups[("north korean soldiers", "deployed")] == deployed


def test_a_claims_sentence_and_an_articles_opening(corpus: Ledger) -> None:
    (row,) = browse.find_claims(corpus, ClaimFilters.parse({"q": "engineers"}))
    start, end = row.claim.quantity.spans[0]
    found = browse.claim_sentences(corpus, [(row.document, start, end)])
    assert found[(row.document, start)] == (
        "Russia's Defence Ministry said on Monday that no more than 500 North Korean "
        "servicemen were deployed in the Kursk region, and that all of them were engineers "
        "and instructors serving far from the front line."
    )
    assert browse.openings(corpus, [row.document], chars=20) == {
        row.document: "Moscow, December 17."
    }
