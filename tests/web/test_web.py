"""The web UI's pages through FastAPI's TestClient on a real ledger: every page answers,
filters and sorting work, spans become nested marks, and hostile article text comes out
escaped everywhere it is shown."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from claimledger import web
from claimledger.extract import analyze
from claimledger.ledger import Ledger
from claimledger.ledger.reads import Provenance, ProvenanceEdge, ProvenanceNode
from claimledger.ledger.reconcile import RELATION_KINDS
from claimledger.records import Source, TimeRef
from claimledger.render.report import format_source, format_time
from claimledger.web.graph import layers, provenance_svg
from claimledger.web.highlight import Highlight, highlight_text
from claimledger.web.present import FILTERS
from claimledger.web.views import MAX_ANALYZE_CHARS
from tests import paths

SEED = paths.SEED
SEED_ID = "493db561d9636d49"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (
    f"The {SCRIPT} Ministry said on January 20 that 300 drones were shot down.\n"
    f"The {IMG} Agency reported on January 21 that 10 drones were destroyed near the {SCRIPT}"
    " depot."
)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    ledger = Ledger(tmp_path_factory.mktemp("web") / "ledger.sqlite")
    ledger.store(
        analyze(
            SEED.read_text("utf-8"),
            published=dt.date(2025, 2, 1),
            path="demo/kursk-north-korean-troops.txt",
        )
    )
    ledger.store(
        analyze(HOSTILE, published=dt.date(2025, 2, 1), title=f"{SCRIPT} report", outlet=IMG)
    )
    ledger.reconcile()
    yield ledger
    ledger.close()


@pytest.fixture(scope="module")
def hostile_id() -> str:
    return analyze(HOSTILE).document.id


@pytest.fixture(scope="module")
def client(ledger: Ledger) -> TestClient:
    app = FastAPI()
    app.state.ledger = ledger
    web.install(app)
    return TestClient(app)


PAGES = [
    "/",
    "/?q=Syrskyi",
    f"/documents/{SEED_ID}",
    "/claims",
    "/claims?sort=-figure",
    "/groups",
    "/groups?subject=north+korean+soldiers",
    "/groups?subject=north+korean+soldiers&measure=killed",
    "/sources",
    "/analyze",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert (
        response.headers["content-security-policy"]
        == web.SECURITY_HEADERS["Content-Security-Policy"]
    )
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    _assert_no_markup_injected(response.text)


def test_static_files_are_served(client: TestClient) -> None:
    assert "mark.source" in client.get("/static/style.css").text
    assert "card-popover" in client.get("/static/app.js").text
    assert client.get("/static/nothing.js").status_code == 404


def test_nothing_is_loaded_from_elsewhere(client: TestClient) -> None:
    for path in PAGES:
        html = client.get(path).text
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html), path
    css = client.get("/static/style.css").text
    assert "url(" not in css and "@import" not in css


def test_unknown_document_is_a_404_page(client: TestClient) -> None:
    response = client.get("/documents/0000000000000000")
    assert response.status_code == 404
    assert "No article with id 0000000000000000" in response.text
    assert response.headers["content-security-policy"]


def test_article_view_marks_sources_cues_and_contents(client: TestClient) -> None:
    html = client.get(f"/documents/{SEED_ID}").text
    assert (
        '<mark class="source" data-attribution="a9" tabindex="0">'
        "Commander-in-Chief of the Ukrainian Armed Forces, Oleksandr Syrskyi</mark>"
    ) in html
    assert (
        '<mark class="via" data-attribution="a9" tabindex="0">the Kyiv Independent</mark>' in html
    )
    assert re.search(
        r'<mark class="cue" data-attribution="a9" tabindex="0"[^>]*>stated</mark>', html
    )
    assert '<mark class="content" data-attribution="a9" tabindex="0">that ' in html
    # the figure is nested in the content and is the claims table's evidence anchor
    assert 'id="claim-c7" data-label="c7">approximately half</mark>' in html
    # the card is in the page without JavaScript
    card = html[html.index('id="attribution-a9"') :]
    card = card[: card.index("</article>")]
    assert "Kyiv Independent" in card
    assert "≈6,000 (approximately half of 12,000)" in card
    assert "2025-01-19" in card
    assert "/groups?subject=north+korean+soldiers" in card
    assert html.count("<mark") == html.count("</mark>")


HIGHLIGHT_CASES = [
    # (text, highlights as (start, end, kind, attribution), expected HTML)
    ("a b", [], "a b"),
    (
        "<b>",
        [(0, 3, "content", "a1")],
        '<mark class="content" data-attribution="a1" tabindex="0">&lt;b&gt;</mark>',
    ),
    (
        "said 5 men",
        [(0, 10, "content", "a1"), (5, 6, "figure", "a1")],
        '<mark class="content" data-attribution="a1" tabindex="0">said '
        '<mark class="figure" data-attribution="a1" tabindex="0">5</mark> men</mark>',
    ),
    (
        "abcdef",
        [(0, 4, "source", "a1"), (2, 6, "content", "a2")],
        '<mark class="source" data-attribution="a1" tabindex="0">ab'
        '<mark class="content" data-attribution="a2" tabindex="0">cd</mark></mark>'
        '<mark class="content more" data-attribution="a2">ef</mark>',
    ),
    ("abc", [(2, 9, "cue", "a1"), (1, 1, "cue", "a1")], "abc"),
]


@pytest.mark.parametrize(("text", "spans", "expected"), HIGHLIGHT_CASES)
def test_highlight_nests_and_escapes(
    text: str, spans: list[tuple[int, int, str, str]], expected: str
) -> None:
    assert str(highlight_text(text, [Highlight(*s) for s in spans])) == expected


def test_claims_filters(client: TestClient) -> None:
    def rows(query: str) -> list[str]:
        html = client.get("/claims" + query).text
        return re.findall(r'href="/documents/[0-9a-f]+#claim-(c\d+)"', html)

    assert sorted(rows("?subject=north+korean&measure=killed")) == ["c6", "c8"]
    assert rows("?source=Syrskyi") == ["c7"]
    assert rows("?certainty=likely") == ["c2"]
    # c1's absence (2025-01-11…2025-01-31) overlaps the window, c6's week does not
    assert sorted(rows("?since=2025-01-27&until=2025-01-29&subject=north")) == ["c1", "c8"]
    assert rows(f"?document={SEED_ID}&measure=deployed&subject=russian") == ["c4"]
    assert rows("?subject=no+such+thing") == []
    bad = client.get("/claims?since=January")
    assert bad.status_code == 400
    assert "write it as YYYY-MM-DD" in bad.text


def test_claims_sort(client: TestClient) -> None:
    def figures(query: str) -> list[str]:
        html = client.get("/claims?subject=north+korean" + query).text
        return re.findall(r'<td data-label="figure" class="figure-cell">([^<]+)</td>', html)

    ascending = figures("&sort=figure")
    assert ascending[0] == "2"
    assert ascending[-2:] == ["12,000", "≈12,000"] or ascending[-2:] == ["≈12,000", "12,000"]
    assert figures("&sort=-figure")[-1] == "2"
    assert figures("&measure=killed&sort=-figure") == ["4,000 (one-third of 12,000)", "2"]
    html = client.get("/claims?subject=north+korean&sort=-figure").text
    assert 'aria-sort="descending"' in html
    # the sort header toggles, and keeps the filters
    assert 'href="?subject=north+korean&amp;sort=figure"' in html
    by_source = client.get("/claims?subject=north+korean&sort=source").text
    names = re.findall(
        r'<td data-label="figure" class="figure-cell">[^<]+</td>\s*<td data-label="source">([^<]+)',
        by_source,
    )
    assert names == sorted(names, key=str.lower)
    assert client.get("/claims?sort=nonsense").status_code == 400


def test_group_view_has_the_timeline_figures_and_reasons(client: TestClient) -> None:
    html = client.get("/groups?subject=north+korean+soldiers").text
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    # one chart per measure, each point labelled for a screen reader and linked to its claim
    assert html.count('class="measure-chart"') == len(
        set(re.findall(r'<td data-label="measure">([^<]+)</td>', html))
    )
    assert "4,000 (one-third of 12,000) killed · Zelensky" in svg
    assert "≈6,000 (approximately half of 12,000) killed or wounded · Oleksandr Syrskyi" in svg
    assert "2 roots" in svg
    assert f'href="/documents/{SEED_ID}#claim-c6"' in svg
    assert "style=" not in svg and "<style" not in svg  # drawn under a strict CSP
    assert "killed ≤ killed_or_wounded: 4,000 killed" in html
    empty = client.get("/groups?subject=nothing+like+this")
    assert empty.status_code == 200 and "No dated counts" in empty.text


def test_a_group_lists_its_relations_in_the_order_of_every_list(client: TestClient) -> None:
    html = client.get("/groups?subject=north+korean+soldiers").text
    shown = list(dict.fromkeys(re.findall(r'<li class="relation (\w+)">', html)))
    assert {"compatible", "corroborates"} <= set(shown)
    assert shown == [kind for kind in RELATION_KINDS if kind in shown]


def test_a_page_shows_times_and_sources_as_the_terminal_does() -> None:
    since = TimeRef("since January 5", (), "2025-01-05", dt.date(2025, 1, 5),
                    dt.date(2025, 1, 31), "day", True)  # fmt: skip
    quarter = TimeRef("in the first quarter", (), "2025-01/2025-03", dt.date(2025, 1, 1),
                      dt.date(2025, 3, 31), "month", True, inherited=True)  # fmt: skip
    for time in (since, quarter):
        assert FILTERS["timeref"](time) == format_time(time, notes=False)
    assert FILTERS["timeref"](since) == "2025-01-05…2025-01-31"
    assert FILTERS["timeref"](quarter) == "2025-01/2025-03"  # "(same statement)": a note
    source = Source("He", (), "Zelensky", "E1", "person", "President", "Ukraine", "He")
    assert FILTERS["source_name"](source) + " " + FILTERS["source_detail"](source) == (
        format_source(source)
    )
    assert FILTERS["source_detail"](source) == "← “He” (President, Ukraine)"


def test_sources_view_counts_and_graph(client: TestClient) -> None:
    html = client.get("/sources").text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert ">Kyiv Independent</text>" in html
    assert "Korean News Agency" in html


def test_graph_layers_follow_the_longest_path() -> None:
    nodes = tuple(ProvenanceNode(id=x, name=x, kind="person", statements=1) for x in "ABCD")
    edges = (
        ProvenanceEdge(from_="A", to="B", statements=2),
        ProvenanceEdge(from_="B", to="C", statements=1),
        ProvenanceEdge(from_="A", to="C", statements=1),
        ProvenanceEdge(from_="C", to="A", statements=1),  # a cycle must not hang
    )
    found = layers(nodes, edges)
    assert found["D"] == 0 and found["B"] < found["C"]
    assert "2×" in provenance_svg(Provenance(nodes=nodes, edges=edges))
    assert provenance_svg(Provenance(nodes=(), edges=())) == ""


def test_analyze_shows_the_article_view_without_storing(client: TestClient, ledger: Ledger) -> None:
    before = ledger.count_documents()
    response = client.post(
        "/analyze",
        data={
            "text": "Defence Minister Rustem Umerov said on Monday that 1,500 soldiers were"
            " wounded.",
            "published": "2025-02-01",
        },
    )
    assert response.status_code == 200
    assert "not stored" in response.text
    assert re.search(
        r'<mark class="source" data-attribution="a1"[^>]*>[^<]*Umerov</mark>', response.text
    )
    assert "1,500" in response.text
    assert ledger.count_documents() == before


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"text": "  "}, 422, "Paste the text"),
        ({"text": "He said so.", "published": "yesterday"}, 422, "YYYY-MM-DD"),
        ({"text": "x" * (MAX_ANALYZE_CHARS + 1)}, 413, "longer than"),
    ],
)
def test_analyze_refuses_bad_input(
    client: TestClient, data: dict[str, str], status: int, message: str
) -> None:
    response = client.post("/analyze", data=data)
    assert response.status_code == status
    assert message in response.text


# --- hostile text ---------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every element a browser would build from the page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _assert_no_markup_injected(html: str) -> None:
    """No script but the app's own, no event handler attribute, no <img>."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    scripts = [attrs for tag, attrs in parser.found if tag == "script"]
    assert scripts == [{"src": "/static/app.js", "defer": None}], scripts
    handlers = [(tag, a) for tag, attrs in parser.found for a in attrs if a.startswith("on")]
    assert handlers == [], handlers
    assert [tag for tag, _ in parser.found if tag in ("img", "iframe", "object", "embed")] == []
    assert SCRIPT not in html and IMG not in html


def _hostile_pages(hostile_id: str) -> list[str]:
    return [
        "/",
        f"/documents/{hostile_id}",
        "/claims",
        "/claims?source=agency",
        "/sources",
        "/groups",
        "/groups?subject=drones",
        f"/groups?subject={SCRIPT}",
        f"/claims?subject={IMG}",
        f"/?q={SCRIPT}",
    ]


def test_hostile_text_is_escaped_in_every_view(client: TestClient, hostile_id: str) -> None:
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    escaped_img = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"
    seen = {"script": 0, "img": 0}
    for path in _hostile_pages(hostile_id):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_markup_injected(response.text)
        seen["script"] += escaped_script in response.text
        seen["img"] += escaped_img in response.text
    # the hostile strings do reach the pages, escaped
    assert seen["script"] >= 5 and seen["img"] >= 4, seen
    article = client.get(f"/documents/{hostile_id}").text
    text = article[article.index('id="article-text"') :]
    text = re.sub(r"</?mark[^>]*>", "", text[: text.index("</div>")])
    assert f"The {escaped_script} Ministry said" in text
    sources = client.get("/sources").text
    graph = sources[sources.index("<svg") : sources.index("</svg>")]
    assert "&lt;img src=x onerror=alert(1)&gt;" in graph  # a node label, as SVG text


def test_hostile_text_is_escaped_in_the_timeline(client: TestClient) -> None:
    html = client.get("/groups?subject=drones").text
    assert "<svg" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    # the sources' names are drawn on the chart: hostile ones reach it as text, escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
    assert "<img" not in svg and "<script" not in svg


def test_hostile_pasted_text_is_escaped(client: TestClient) -> None:
    response = client.post("/analyze", data={"text": HOSTILE + f"\n</textarea>{SCRIPT}"})
    assert response.status_code == 200
    _assert_no_markup_injected(response.text)
    assert "&lt;/textarea&gt;" in response.text


BAD_QUERIES = [
    # (path, the value the 400 page names)
    ("/claims?measure=exploded", "'exploded'"),
    ("/claims?page=99", "beyond the last page (1)"),
    ("/claims?min=lots", "'lots'"),
    ("/claims?month=May", "write it as YYYY-MM"),
    ("/?page=99", "beyond the last page (1)"),
    ("/?page=999999999999999999999", "not a page number"),
    ("/claims?page=99999999999999999999", "not a page number"),
    ("/conflicts?measure=exploded", "'exploded'"),
    ("/conflicts?sort=loudest", "'loudest'"),
    ("/conflicts?new_since=soon", "'soon'"),
    ("/conflicts?new=maybe", "'maybe'"),
    ("/conflicts.json?new=1&new_since=0001-01-01T00:00%2B14:00", "not a time"),
    ("/sources?kind=alien", "'alien'"),
    ("/groups?subject=drones&measure=exploded", "'exploded'"),
    ("/claims.csv?measure=exploded", "'exploded'"),
]


@pytest.mark.parametrize(("path", "named"), BAD_QUERIES)
def test_a_bad_query_value_is_a_400_page_naming_it(
    client: TestClient, path: str, named: str
) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert named.replace("'", "&#39;") in response.text
    assert response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/no/such/page", "/documents", "/claims/x/y/z"])
def test_an_unknown_path_is_an_html_404_page(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert f"There is no page at {path}" in response.text


def test_downloads_hold_the_filtered_rows(client: TestClient) -> None:
    page = client.get("/claims?subject=north+korean&measure=killed").text
    assert 'href="/claims.csv?subject=north+korean&amp;measure=killed"' in page
    csv_text = client.get("/claims.csv?subject=north+korean&measure=killed").text
    assert csv_text.startswith("document,claim,")
    assert len(csv_text.strip().splitlines()) == 3  # a header and c6, c8
    data = client.get("/claims.json?subject=north+korean&measure=killed").json()
    assert sorted(r["id"] for r in data["rows"]) == ["c6", "c8"]
    assert data["filters"] == {"subject": "north korean", "measure": "killed"}
    sources = client.get("/sources.json?q=syrskyi").json()
    assert [r["name"] for r in sources["rows"]] == ["Oleksandr Syrskyi"]


def test_claims_show_their_sentence_and_facets(client: TestClient) -> None:
    html = client.get("/claims?subject=north+korean").text
    assert f'<a href="/documents/{SEED_ID}#claim-c6" title="the sentence in the article">' in html
    assert "one-third of them" in html or "4,000" in html
    facets = html[html.index('aria-label="Facets"') :]
    assert re.search(r'href="\?subject=north\+korean&amp;measure=killed">killed</a>', facets)


def test_corrections_need_the_token(client: TestClient) -> None:
    # this app has no settings, so no token: writes are refused, nothing is stored
    response = client.post(
        "/corrections",
        data={"action": "dismiss", "claim_a": f"{SEED_ID}/c8", "claim_b": f"{SEED_ID}/c1"},
    )
    assert response.status_code == 403
    assert "CLAIMLEDGER_TOKEN" in response.text
    assert "No corrections yet" in client.get("/corrections").text


def test_a_large_group_charts_a_sample_that_keeps_every_conflict() -> None:
    from claimledger.web.views import _chart_sample

    points = [SimpleNamespace(ref=f"d/c{i}", conflicts=i % 50 == 0) for i in range(1_000)]
    sample = _chart_sample(points, 100)
    assert len(sample) == 100
    assert [p.ref for p in sample] == sorted((p.ref for p in sample), key=lambda r: int(r[3:]))
    assert all(p in sample for p in points if p.conflicts)  # all 20 of them
    assert _chart_sample(points[:50], 100) == points[:50]


# --- corrections behind the write token ---------------------------------------------------

TOKEN = "web-test-token"


@pytest.fixture
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The UI over a ledger of the seed article, with a write token set."""
    ledger = Ledger(tmp_path_factory.mktemp("writable") / "ledger.sqlite")
    ledger.store(
        analyze(
            SEED.read_text("utf-8"),
            published=dt.date(2025, 2, 1),
            path="demo/kursk-north-korean-troops.txt",
        )
    )
    ledger.reconcile()
    app = FastAPI()
    app.state.ledger = ledger
    app.state.settings = SimpleNamespace(token=TOKEN)
    web.install(app)
    yield TestClient(app, base_url="http://testserver")
    ledger.close()


def _conflicts(client: TestClient) -> int:
    found = re.search(r'<span class="count-heading">(\d+)</span>', client.get("/conflicts").text)
    assert found
    return int(found.group(1))


DISMISS = {
    "action": "dismiss",
    "claim_a": f"{SEED_ID}/c8",
    "claim_b": f"{SEED_ID}/c1",
    "note": "another sector of the front",
    "reviewer": "Example Fact Check",
    "next": "/conflicts",
}

REFUSED = [
    # (form changes, headers, status, words of the page)
    ({"token": ""}, {}, 401, "token is missing"),
    ({"token": "wrong"}, {}, 401, "not the server&#39;s write token"),
    ({"token": TOKEN}, {"origin": "https://elsewhere.example"}, 403, "this site&#39;s pages"),
    ({"token": TOKEN}, {"origin": "null"}, 403, "this site&#39;s pages"),
    ({"token": TOKEN, "action": "explode"}, {}, 400, "&#39;explode&#39;"),
    ({"token": TOKEN, "claim_b": f"{SEED_ID}/c99"}, {}, 404, "c99"),
    ({"token": TOKEN, "note": "x" * 2_001}, {}, 400, "longer than 2,000"),
]


@pytest.mark.parametrize(("changes", "headers", "status", "words"), REFUSED)
def test_a_refused_correction_changes_nothing(
    writable: TestClient, changes: dict[str, str], headers: dict[str, str], status: int, words: str
) -> None:
    before = _conflicts(writable)
    response = writable.post("/corrections", data={**DISMISS, **changes}, headers=headers)
    assert response.status_code == status
    assert words in response.text
    assert _conflicts(writable) == before
    assert "No corrections yet" in writable.get("/corrections").text


def test_a_dismissed_conflict_leaves_the_page_and_comes_back(writable: TestClient) -> None:
    before = _conflicts(writable)
    response = writable.post(
        "/corrections",
        data={**DISMISS, "token": TOKEN},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/conflicts"
    assert _conflicts(writable) == before - 1
    page = writable.get("/conflicts").text
    assert "another sector of the front" in page and "Example Fact Check" in page
    # each dismissed claim links to its sentence
    assert f'href="/documents/{SEED_ID}#claim-c8">“two” in its article</a>' in page
    exported = writable.get("/conflicts.json").json()
    pairs = [{r["a"]["ref"], r["b"]["ref"]} for r in exported["rows"]]
    assert {f"{SEED_ID}/c8", f"{SEED_ID}/c1"} not in pairs
    listed = writable.get("/corrections").text
    assert f'href="/documents/{SEED_ID}#claim-c8"' in listed
    correction_id = re.search(r'action="/corrections/(\d+)/remove"', listed)
    assert correction_id
    removed = writable.post(
        f"/corrections/{correction_id.group(1)}/remove",
        data={"token": TOKEN, "next": "//elsewhere.example/"},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert removed.headers["location"] == "/corrections"  # never another site
    assert _conflicts(writable) == before


def test_a_fixed_measure_is_shown_on_its_claim(writable: TestClient) -> None:
    response = writable.post(
        "/corrections",
        data={
            "action": "set_measure",
            "claim_a": f"{SEED_ID}/c6",
            "value": "killed_or_wounded",
            "token": TOKEN,
            "reviewer": "Desk",
            "next": f"/documents/{SEED_ID}",
        },
    )
    assert response.status_code == 200  # followed to the article
    assert "set measure" in response.text and "killed_or_wounded" in response.text
    assert "Desk" in response.text
    bad = writable.post(
        "/corrections",
        data={"action": "set_measure", "claim_a": f"{SEED_ID}/c6", "value": "x", "token": TOKEN},
    )
    assert bad.status_code == 400 and "&#39;x&#39;" in bad.text


def test_merged_subjects_are_shown_on_the_group(writable: TestClient) -> None:
    response = writable.post(
        "/corrections",
        data={
            "action": "merge_subjects",
            "name_a": "russian soldiers",
            "name_b": "soldiers",
            "token": TOKEN,
            "next": "/groups?subject=soldiers",
        },
    )
    assert response.status_code == 200
    assert "merge subjects &#39;russian soldiers&#39; and &#39;soldiers&#39;" in response.text


def test_the_served_app_answers_html_404s_and_keeps_the_apis_json(tmp_path: Path) -> None:
    from claimledger.api import Settings
    from claimledger.server import build_app

    with TestClient(build_app(Settings(db=str(tmp_path / "ledger.sqlite")))) as client:
        page = client.get("/nowhere")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        assert "There is no page at /nowhere" in page.text
        api = client.get("/api/v1/nowhere")
        assert api.status_code == 404
        assert api.headers["content-type"] == "application/problem+json"
        assert api.json()["detail"].startswith("no such endpoint")
        assert client.get("/static/nothing.css").status_code == 404
        assert client.get("/api/v1/claims?limit=0").status_code == 422


TICKS = [
    # (the largest figure, the axis's ticks, their labels)
    (12_100, [0, 5_000, 10_000, 15_000], ["0", "5k", "10k", "15k"]),
    (330, [0, 100, 200, 300, 400], ["0", "100", "200", "300", "400"]),
    (3, [0, 1, 2, 3], ["0", "1", "2", "3"]),
    (0, [0, 1], ["0", "1"]),
]


@pytest.mark.parametrize(("top", "ticks", "labels"), TICKS)
def test_a_charts_axis_has_round_ticks_labelled_alike(
    top: float, ticks: list[float], labels: list[str]
) -> None:
    from claimledger.web.chart import nice_ticks, tick_label

    found = nice_ticks(top)
    assert found == ticks
    assert [tick_label(t, found[-1]) for t in found] == labels
