"""The HTTP API (claimledger.api) against a real ledger built from the seed article: every
endpoint, paging, filters, auth, problem details, body limits and untrusted text."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from claimledger.api import OPENAPI_URL, Settings, create_app
from claimledger.api.auth import WRITES_DISABLED
from claimledger.errors import ClaimledgerError
from claimledger.extract import analyze
from claimledger.ledger import Ledger

SEED_ID = "493db561d9636d49"
TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
API = "/api/v1"
HOSTILE = (
    "<script>alert('owned')</script> Officials said on Monday that 5 soldiers were killed "
    "near the border & 3 were wounded."
)
PAGE_HTML = """<!doctype html><html><head><title>Border clash</title>
<meta property="og:url" content="https://example.org/clash">
<meta property="article:published_time" content="2025-03-04"></head>
<body><article><h1>Border clash</h1>
<p>The ministry said on Monday that 40 soldiers were deployed to the border region overnight
after days of shelling in the area.</p>
<p>Local officials stated that 3 civilians were wounded in the attack, according to a report
by the regional newspaper published later that day.</p></article></body></html>"""

AS_JSON = {"content-type": "application/json"}
AS_FORM = {"content-type": "application/x-www-form-urlencoded"}

Serve = Callable[..., TestClient]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger holding the analysed seed article (analysis loads spaCy: once per module)."""
    text = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")
    analysis = analyze(text.read_text("utf-8"), published=dt.date(2025, 2, 1))
    path = tmp_path_factory.mktemp("api") / "seed.sqlite"
    with Ledger(path) as ledger:
        ledger.store(analysis)
        ledger.reconcile()
    return path


@pytest.fixture(scope="module")
def client(seeded: Path) -> Iterator[TestClient]:
    """A server over the seed ledger for tests that only read it."""
    with TestClient(create_app(Settings(db=str(seeded), token=TOKEN))) as test_client:
        yield test_client


@pytest.fixture
def serve(seeded: Path, tmp_path: Path) -> Iterator[Serve]:
    """Start a server over a fresh copy of the seed ledger, with the settings given."""
    db = tmp_path / "ledger.sqlite"
    shutil.copyfile(seeded, db)
    with ExitStack() as stack:

        def start(**overrides: Any) -> TestClient:
            raising = overrides.pop("raise_server_exceptions", True)
            app = create_app(Settings(db=str(db), **{"token": TOKEN, **overrides}))
            return stack.enter_context(TestClient(app, raise_server_exceptions=raising))

        yield start


def problem_of(response: Any, status: int) -> dict[str, Any]:
    """The response's problem details, checked for RFC 9457's fields."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    assert "Traceback" not in response.text
    return body


def page_of(response: Any, *, total: int, limit: int = 50, offset: int = 0) -> list[Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert (body["total"], body["limit"], body["offset"]) == (total, limit, offset)
    items: list[Any] = body["items"]
    return items


# --- the OpenAPI document and health ---------------------------------------------------


def test_openapi_document_lists_every_endpoint_under_api_v1(client: TestClient) -> None:
    doc = client.get(OPENAPI_URL).json()
    assert doc["info"]["title"] == "claimledger"
    assert doc["info"]["version"]
    operations = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert operations == {
        ("GET", f"{API}/health"),
        ("GET", f"{API}/documents"),
        ("POST", f"{API}/documents"),
        ("GET", f"{API}/documents/{{document_id}}"),
        ("DELETE", f"{API}/documents/{{document_id}}"),
        ("GET", f"{API}/documents/{{document_id}}/attributions"),
        ("GET", f"{API}/claims"),
        ("GET", f"{API}/claims/{{document_id}}/{{claim_id}}"),
        ("GET", f"{API}/claims/{{document_id}}/{{claim_id}}/rating"),
        ("POST", f"{API}/claims/{{document_id}}/{{claim_id}}/rating"),
        ("GET", f"{API}/entities"),
        ("GET", f"{API}/figures"),
        ("GET", f"{API}/relations"),
        ("GET", f"{API}/conflicts"),
        ("GET", f"{API}/timeline"),
        ("GET", f"{API}/provenance"),
        ("POST", f"{API}/analyze"),
        ("GET", f"{API}/corrections"),
        ("POST", f"{API}/corrections"),
        ("DELETE", f"{API}/corrections/{{correction_id}}"),
        ("GET", f"{API}/changes"),
        ("GET", f"{API}/conflicts.atom"),
    }
    post = doc["paths"][f"{API}/documents"]["post"]
    assert post["security"] == [{"token": []}]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert set(post["responses"]) >= {"200", "201", "401", "403", "413", "415", "422"}
    for ops in doc["paths"].values():
        for op in ops.values():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    assert set(response["content"]) == {"application/problem+json"}


def test_docs_pages_are_off_since_they_need_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_health_reports_the_database_and_counts(client: TestClient) -> None:
    body = client.get(f"{API}/health").json()
    assert body["status"] == "ok"
    assert body["database"] == "sqlite"
    assert body["counts"] == {"documents": 1, "entities": 16, "attributions": 12, "claims": 8}


# --- documents -------------------------------------------------------------------------


def test_documents_are_listed_in_a_page(client: TestClient) -> None:
    [doc] = page_of(client.get(f"{API}/documents"), total=1)
    assert doc["id"] == SEED_ID
    assert doc["published"] == "2025-02-01"
    assert (doc["claims"], doc["attributions"]) == (8, 12)
    assert (
        page_of(client.get(f"{API}/documents?limit=1&offset=1"), total=1, limit=1, offset=1) == []
    )


@pytest.mark.parametrize(("words", "total"), [("Kursk Zelensky", 1), ("Kursk penguins", 0)])
def test_documents_search_by_words(client: TestClient, words: str, total: int) -> None:
    page_of(client.get(f"{API}/documents", params={"q": words}), total=total)


def test_a_document_comes_whole(client: TestClient) -> None:
    body = client.get(f"{API}/documents/{SEED_ID}").json()
    assert body["document"]["id"] == SEED_ID
    assert body["document"]["text"].startswith("Ukrainian military officials stated")
    assert len(body["entities"]) == 16
    assert [a["id"] for a in body["attributions"]] == [f"a{i}" for i in range(1, 13)]
    assert [c["id"] for c in body["claims"]] == [f"c{i}" for i in range(1, 9)]
    c6 = body["claims"][5]
    assert c6["quantity"]["low"] == 4000 and c6["quantity"]["base"]["claim"] == "c5"
    # whole numbers stay whole, as docs/schema.md promises
    assert '"low":4000,' in client.get(f"{API}/documents/{SEED_ID}").text


def test_a_documents_attributions_are_paged(client: TestClient) -> None:
    url = f"{API}/documents/{SEED_ID}/attributions"
    assert len(page_of(client.get(url), total=12)) == 12
    items = page_of(
        client.get(url, params={"limit": 5, "offset": 10}), total=12, limit=5, offset=10
    )
    assert [a["id"] for a in items] == ["a11", "a12"]
    assert items[0]["via"][0]["entity"] == "Korean News Agency"


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/documents/0000000000000000",
        f"{API}/documents/0000000000000000/attributions",
        f"{API}/claims/0000000000000000/c1",
        f"{API}/claims/{SEED_ID}/c99",
        f"{API}/claims/{SEED_ID}/c1/rating",
        f"{API}/no-such-endpoint",
    ],
)
def test_what_is_not_there_is_a_404_problem(client: TestClient, path: str) -> None:
    body = problem_of(client.get(path), 404)
    assert body["instance"] == path


def test_a_wrong_method_is_a_405_problem(client: TestClient) -> None:
    problem_of(client.put(f"{API}/documents/{SEED_ID}"), 405)


# --- claims ----------------------------------------------------------------------------


CLAIM_FILTERS = [
    ({}, ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"]),
    ({"measure": "killed"}, ["c6", "c8"]),
    ({"source": "zelensky"}, ["c4", "c5", "c6"]),
    ({"subject": "russian"}, ["c4"]),
    ({"certainty": "likely"}, ["c2"]),
    ({"since": "2025-01-28"}, ["c1", "c2", "c3", "c8"]),
    ({"until": "2025-01-19"}, ["c1", "c7"]),  # c1: three weeks from 2025-01-11
    ({"document": SEED_ID, "measure": "deployed"}, ["c3", "c4", "c5"]),
    ({"document": "0000000000000000"}, []),
    ({"q": "withdrawn casualties"}, []),
    ({"q": "Facebook"}, []),
    ({"q": "killed two"}, ["c8"]),
]


@pytest.mark.parametrize(("params", "expected"), CLAIM_FILTERS)
def test_claims_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    items = page_of(client.get(f"{API}/claims", params=params), total=len(expected))
    assert sorted(c["id"] for c in items) == expected


def test_claims_are_paged_in_one_order(client: TestClient) -> None:
    everything = [c["id"] for c in page_of(client.get(f"{API}/claims"), total=8)]
    pages = [
        page_of(client.get(f"{API}/claims?limit=3&offset={o}"), total=8, limit=3, offset=o)
        for o in (0, 3, 6)
    ]
    assert [c["id"] for page in pages for c in page] == everything


def test_a_claim_row_says_where_it_came_from(client: TestClient) -> None:
    claim = client.get(f"{API}/claims/{SEED_ID}/c8").json()
    assert claim["document"] == SEED_ID
    assert claim["source"] == "Ukrainian Special Operations Forces"
    assert claim["roots"] == ["Ukrainian Special Operations Forces"]
    assert claim["published"] == "2025-02-01"
    assert claim["statement"].startswith("that they had killed two North Korean soldiers")
    assert claim["rating"] is None


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=501",
        "offset=-1",
        "limit=ten",
        "measure=eaten",
        "certainty=sure",
        "since=yesterday",
        "subject=a%00b",
    ],
)
def test_bad_query_parameters_are_422_problems_with_errors(client: TestClient, query: str) -> None:
    body = problem_of(client.get(f"{API}/claims?{query}"), 422)
    assert body["errors"] and body["errors"][0]["loc"][0] == "query"
    assert "input" not in body["errors"][0]


# --- the reconciled ledger -------------------------------------------------------------


def test_entities_are_the_ledgers_sources(client: TestClient) -> None:
    items = page_of(client.get(f"{API}/entities"), total=12)
    assert items[0]["name"] == "Zelensky" and items[0]["claims"] == 3
    outlets = page_of(client.get(f"{API}/entities?kind=outlet"), total=3)
    assert {e["name"] for e in outlets} == {"CNN", "Korean News Agency", "Kyiv Independent"}
    [found] = page_of(client.get(f"{API}/entities?q=syrsk"), total=1)
    assert found["name"] == "Oleksandr Syrskyi"


def test_figures_are_claim_groups_with_their_roots(client: TestClient) -> None:
    items = page_of(client.get(f"{API}/figures"), total=6)
    absent = next(f for f in items if f["measure"] == "absent")
    assert absent["independent"] == 2
    assert sorted(c["claim"] for c in absent["claims"]) == ["c1", "c2"]
    # Kindratenko speaks for the Special Operations Forces: the body is the root
    assert absent["roots"] == [
        "Ukrainian Special Operations Forces",
        "Ukrainian military officials",
    ]
    killed = page_of(client.get(f"{API}/figures?measure=killed"), total=2)
    assert {f["measure"] for f in killed} == {"killed"}
    page_of(client.get(f"{API}/figures?subject=penguins"), total=0)


@pytest.mark.parametrize(
    ("query", "total"),
    [("", 6), ("kind=conflicts", 1), ("kind=corroborates", 2), ("subject=penguin", 0)],
)
def test_relations_by_kind_and_subject(client: TestClient, query: str, total: int) -> None:
    items = page_of(client.get(f"{API}/relations?{query}"), total=total)
    for relation in items:
        assert relation["reason"] and relation["a"]["ref"] and relation["b"]["ref"]


def test_relations_are_paged_in_one_order(client: TestClient) -> None:
    everything = page_of(client.get(f"{API}/relations"), total=6)
    pages = [
        page_of(client.get(f"{API}/relations?limit=2&offset={o}"), total=6, limit=2, offset=o)
        for o in (0, 2, 4)
    ]
    assert [r for page in pages for r in page] == everything


def test_conflicts_say_why(client: TestClient) -> None:
    # one line between the absence's figure (two claims) and the two killed on the 28th,
    # standing for both pairs
    items = page_of(client.get(f"{API}/conflicts?subject=korean"), total=1)
    assert {r["kind"] for r in items} == {"conflicts"}
    assert all("falls inside the absence" in r["reason"] for r in items)
    assert [(r["pairs"], r["a_figure"] != r["b_figure"]) for r in items] == [(2, True)]
    page_of(client.get(f"{API}/conflicts?limit=1&offset=0"), total=1, limit=1, offset=0)


def test_timeline_needs_a_subject_and_takes_several_measures(client: TestClient) -> None:
    problem_of(client.get(f"{API}/timeline"), 422)
    url = f"{API}/timeline?subject=north korean soldiers&measure=killed&measure=deployed"
    points = page_of(client.get(url), total=4)
    assert [(p["id"], p["measure"], p["start"], p["end"]) for p in points] == [
        ("c5", "deployed", "2025-01-20", "2025-01-26"),
        ("c6", "killed", "2025-01-20", "2025-01-26"),
        ("c3", "deployed", "2025-01-25", "2025-02-01"),
        ("c8", "killed", "2025-01-28", "2025-01-28"),
    ]
    assert {p["ref"] for p in points if p["conflicts"]} == {f"{SEED_ID}/c8"}


def test_provenance_is_a_graph_root_first(client: TestClient) -> None:
    graph = client.get(f"{API}/provenance").json()
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    edges = {(names[e["from"]], names[e["to"]]) for e in graph["edges"]}
    assert ("Ukrainian Special Operations Forces", "Korean News Agency") in edges
    assert client.get(f"{API}/provenance?subject=penguins").json() == {"nodes": [], "edges": []}


# --- posting documents -----------------------------------------------------------------


def test_posting_a_document_is_idempotent(serve: Serve) -> None:
    client = serve()
    first = client.post(f"{API}/documents", json={"text": HOSTILE, "outlet": "Wire"}, headers=AUTH)
    assert first.status_code == 201, first.text
    stored = first.json()
    assert stored["new"] is True and stored["claims"] >= 1
    assert stored["location"] == f"{API}/documents/{stored['id']}"
    assert first.headers["location"] == stored["location"]
    again = client.post(f"{API}/documents", json={"text": HOSTILE, "outlet": "Wire"}, headers=AUTH)
    assert again.status_code == 200
    assert again.json() == {**stored, "new": False}
    page_of(client.get(f"{API}/documents"), total=2)
    doc = client.get(stored["location"]).json()["document"]
    assert (doc["outlet"], doc["format"]) == ("Wire", "text")


def test_a_post_answers_once_the_ledger_is_reconciled(serve: Serve) -> None:
    # the seed's absence of three weeks, and a later report of four killed inside it
    client = serve()
    later = (
        "Kyiv, February 2.\n\nUkraine's Special Operations Forces said on Sunday that "
        "four North Korean soldiers were killed near Sudzha on January 27."
    )
    stored = client.post(
        f"{API}/documents", json={"text": later, "published": "2025-02-02"}, headers=AUTH
    ).json()
    assert stored["reconciled"] is True
    db = client.app.state.ledger  # type: ignore[attr-defined]
    assert not db.stale()  # stored and reconciled before the answer
    conflicts = page_of(client.get(f"{API}/conflicts"), total=2)
    assert stored["id"] in {side["document"] for c in conflicts for side in (c["a"], c["b"])}


def test_deleting_a_document_needs_the_token_and_reconciles(serve: Serve) -> None:
    client = serve()
    problem_of(client.delete(f"{API}/documents/{SEED_ID}"), 401)
    problem_of(client.delete(f"{API}/documents/0123456789abcdef", headers=AUTH), 404)
    assert client.delete(f"{API}/documents/{SEED_ID}", headers=AUTH).status_code == 204
    problem_of(client.get(f"{API}/documents/{SEED_ID}"), 404)
    page_of(client.get(f"{API}/relations"), total=0)
    page_of(client.get(f"{API}/figures"), total=0)
    assert client.app.state.ledger.stale() is False  # type: ignore[attr-defined]


def test_hostile_text_comes_back_as_escaped_json_data(serve: Serve) -> None:
    client = serve()
    stored = client.post(f"{API}/documents", json={"text": HOSTILE}, headers=AUTH).json()
    response = client.get(stored["location"])
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script>" not in response.text and "&" not in response.text
    assert "\\u003cscript\\u003ealert('owned')\\u003c/script\\u003e" in response.text
    assert response.json()["document"]["text"] == HOSTILE
    claims = client.get(f"{API}/claims", params={"document": stored["id"]})
    assert claims.json()["items"] and "<script>" not in claims.text


def test_posting_html_uses_the_pages_metadata(serve: Serve) -> None:
    client = serve()
    response = client.post(f"{API}/documents", json={"html": PAGE_HTML}, headers=AUTH)
    assert response.status_code == 201, response.text
    doc = client.get(response.json()["location"]).json()["document"]
    assert doc["format"] == "html"
    assert doc["title"] == "Border clash"
    assert doc["published"] == "2025-03-04"
    assert "<p>" not in doc["text"] and "40 soldiers" in doc["text"]


def test_uploading_a_file_with_metadata_fields(serve: Serve) -> None:
    client = serve()
    response = client.post(
        f"{API}/documents",
        files={"file": ("clash.html", PAGE_HTML.encode(), "text/html")},
        data={"outlet": "Regional Post", "published": "2025-03-05", "title": "Given title"},
        headers=AUTH,
    )
    assert response.status_code == 201, response.text
    doc = client.get(response.json()["location"]).json()["document"]
    # the form's fields win over the page's own metadata
    assert (doc["title"], doc["published"], doc["outlet"]) == (
        "Given title",
        "2025-03-05",
        "Regional Post",
    )
    assert (doc["path"], doc["format"]) == ("clash.html", "html")


def test_uploading_a_text_file(serve: Serve) -> None:
    client = serve()
    files = {"file": ("../../etc/report.txt", HOSTILE.encode(), "text/plain")}
    response = client.post(f"{API}/documents", files=files, headers=AUTH)
    assert response.status_code == 201, response.text
    doc = client.get(response.json()["location"]).json()["document"]
    assert (doc["path"], doc["format"], doc["text"]) == ("report.txt", "text", HOSTILE)


@pytest.mark.parametrize(
    ("request_kwargs", "status", "says"),
    [
        ({"files": {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}}, 415, "not .pdf"),
        ({"files": {"file": ("a.txt", b"%PDF-1.4 x", "text/plain")}}, 422, "PDF"),
        ({"files": {"file": ("a.txt", b"\xff\xfeab", "text/plain")}}, 422, "UTF-16"),
        ({"files": {"file": ("a.txt", b"caf\xe9 au lait", "text/plain")}}, 422, "UTF-8"),
        ({"files": {"file": ("a.txt", b"   \n", "text/plain")}}, 422, "empty"),
        ({"files": {"file": ("a.html", b"<html><body></body></html>", "text/html")}}, 422, "HTML"),
        ({"data": {"outlet": "x"}, "files": {"other": ("a", b"x")}}, 422, "other"),
        ({"files": {"file": ("a.txt", b"x y z")}, "data": {"published": "soon"}}, 422, "date"),
        ({"json": {"text": "   "}}, 422, "text: is empty"),
        ({"json": {"text": "a\x00b"}}, 422, "NUL"),
        ({"json": {"html": "<p></p>"}}, 422, "html: no article text"),
        ({"json": {"text": "x", "html": "<p>x</p>"}}, 422, "exactly one"),
        ({"json": {}}, 422, "exactly one"),
        ({"json": {"text": "x", "author": "me"}}, 422, "author"),
        ({"json": {"text": "x", "published": "2025-13-01"}}, 422, "published"),
        ({"json": ["text"]}, 422, "body"),
        ({"content": b'{"text": "unfinished', "headers": AS_JSON}, 422, "JSON"),
        ({"content": b"\xff\xfe{}", "headers": AS_JSON}, 422, "JSON"),
        ({"content": b"plain words", "headers": {"content-type": "text/plain"}}, 415, "text/plain"),
        ({"content": b"text=x", "headers": AS_FORM}, 415, "multipart"),
        ({"content": b"{}"}, 415, "no Content-Type"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("endpoint", ["documents", "analyze"])
def test_bad_posts_are_problems(
    serve: Serve, endpoint: str, request_kwargs: dict[str, Any], status: int, says: str
) -> None:
    client = serve()
    kwargs = {**request_kwargs, "headers": {**AUTH, **request_kwargs.get("headers", {})}}
    body = problem_of(client.post(f"{API}/{endpoint}", **kwargs), status)
    assert says in body["detail"] or says in json.dumps(body.get("errors")), body
    if status == 422 and "errors" in body:
        assert all(e["loc"][0] == "body" for e in body["errors"])
    page_of(client.get(f"{API}/documents"), total=1)


def test_analyze_answers_the_analysis_without_storing_it(serve: Serve) -> None:
    client = serve(token=None)  # a read: needs no token, even when writes are disabled
    response = client.post(f"{API}/analyze", json={"text": HOSTILE, "published": "2025-02-03"})
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["schema"] == "claimledger.analysis"
    assert analysis["document"]["published"] == "2025-02-03"
    assert analysis["document"]["text"] == HOSTILE
    assert analysis["claims"][0]["quantity"]["value"] == 5
    page_of(client.get(f"{API}/documents"), total=1)
    upload = {"file": ("clash.html", PAGE_HTML.encode(), "text/html")}
    assert client.post(f"{API}/analyze", files=upload).json()["document"]["format"] == "html"


def test_analysis_uses_the_servers_gazetteer(serve: Serve, tmp_path: Path) -> None:
    """A gazetteer given to the server names the outlets of posted and pasted articles."""
    names = tmp_path / "names.toml"
    names.write_text(
        '[[entity]]\nname = "Novaya Gazeta Europe"\nkind = "outlet"\naliases = ["NGE"]\n',
        encoding="utf-8",
    )
    client = serve(token=None, gazetteer=str(names))
    text = "NGE reported that 20 soldiers were killed."
    analysis = client.post(f"{API}/analyze", json={"text": text}).json()
    assert analysis["attributions"][0]["source"]["entity"] == "Novaya Gazeta Europe"
    assert analysis["attributions"][0]["source"]["kind"] == "outlet"


def test_a_bad_gazetteer_stops_the_server_before_it_starts(tmp_path: Path) -> None:
    names = tmp_path / "names.toml"
    names.write_text("[[entity]]\nname = 3\n", encoding="utf-8")
    with pytest.raises(ClaimledgerError, match=r"names\.toml"):
        create_app(Settings(db=str(tmp_path / "l.sqlite"), gazetteer=str(names)))


# --- ratings ---------------------------------------------------------------------------


def test_rating_round_trip(serve: Serve) -> None:
    client = serve()
    url = f"{API}/claims/{SEED_ID}/c6/rating"
    rating = {"verdict": "Unproven", "value": 3, "reviewer": "Desk", "reviewed": "2025-02-02"}
    first = client.post(url, json=rating, headers=AUTH)
    assert first.status_code == 201, first.text
    assert first.json() == {**rating, "document": SEED_ID, "claim": "c6", "url": None, "note": None}
    assert client.get(url).json() == first.json()
    assert client.get(f"{API}/claims/{SEED_ID}/c6").json()["rating"] == first.json()
    changed = {"verdict": "False", "value": 1, "reviewer": "Desk", "url": "https://x.example/fc"}
    second = client.post(url, json=changed, headers=AUTH)
    assert second.status_code == 200
    assert second.json()["reviewed"] == dt.date.today().isoformat()
    assert client.get(url).json()["verdict"] == "False"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("c6", {"verdict": "False", "value": 6, "reviewer": "Desk"}, 422),
        ("c6", {"verdict": "False", "value": 0, "reviewer": "Desk"}, 422),
        ("c6", {"verdict": " ", "value": 2, "reviewer": "Desk"}, 422),
        ("c6", {"verdict": "False", "value": 2}, 422),
        ("c6", {"verdict": "False", "value": 2, "reviewer": "Desk", "score": 1}, 422),
        ("c99", {"verdict": "False", "value": 2, "reviewer": "Desk"}, 404),
    ],
)
def test_bad_ratings_are_problems(
    serve: Serve, path: str, body: dict[str, Any], status: int
) -> None:
    client = serve()
    response = client.post(f"{API}/claims/{SEED_ID}/{path}/rating", json=body, headers=AUTH)
    problem_of(response, status)
    problem_of(client.get(f"{API}/claims/{SEED_ID}/c6/rating"), 404)


def test_rating_takes_json_only(serve: Serve) -> None:
    client = serve()
    url = f"{API}/claims/{SEED_ID}/c6/rating"
    problem_of(client.post(url, data={"verdict": "x"}, headers=AUTH), 415)
    bad = client.post(url, content=b"{", headers={**AUTH, "content-type": "application/json"})
    assert problem_of(bad, 422)["errors"][0]["type"] == "json_invalid"


# --- auth ------------------------------------------------------------------------------

WRITES = [
    ("documents", {"json": {"text": HOSTILE}}),
    (f"claims/{SEED_ID}/c6/rating", {"json": {"verdict": "F", "value": 1, "reviewer": "D"}}),
]


@pytest.mark.parametrize(("path", "kwargs"), WRITES)
def test_writes_are_refused_when_no_token_is_configured(
    serve: Serve, path: str, kwargs: dict[str, Any]
) -> None:
    client = serve(token=None)
    body = problem_of(client.post(f"{API}/{path}", **kwargs, headers=AUTH), 403)
    assert body["detail"] == WRITES_DISABLED
    assert "CLAIMLEDGER_TOKEN" in body["detail"]


@pytest.mark.parametrize(("path", "kwargs"), WRITES)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
)
def test_writes_need_the_right_token(
    serve: Serve, path: str, kwargs: dict[str, Any], headers: dict[str, str]
) -> None:
    client = serve()
    response = client.post(f"{API}/{path}", **kwargs, headers=headers)
    problem_of(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    page_of(client.get(f"{API}/documents"), total=1)


def test_private_reads_need_the_token(serve: Serve) -> None:
    client = serve(private_reads=True)
    for path in ("documents", f"documents/{SEED_ID}", "claims", "entities", "timeline?subject=x"):
        response = client.get(f"{API}/{path}")
        problem_of(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert client.get(f"{API}/{path}", headers=AUTH).status_code == 200
    problem_of(client.post(f"{API}/analyze", json={"text": HOSTILE}), 401)
    # health stays open for probes, without the ledger's numbers
    assert client.get(f"{API}/health").json()["counts"] is None
    assert client.get(f"{API}/health", headers=AUTH).json()["counts"]["claims"] == 8
    assert client.get(OPENAPI_URL).status_code == 200


# --- body limits -----------------------------------------------------------------------


def test_a_declared_oversize_body_is_refused_before_reading(serve: Serve) -> None:
    client = serve(max_body_bytes=2_000)
    response = client.post(f"{API}/documents", json={"text": "word " * 1_000}, headers=AUTH)
    body = problem_of(response, 413)
    assert "2,000-byte limit" in body["detail"]
    assert body["instance"] == f"{API}/documents"
    # the limit is checked before the token, so nothing of it is read for anyone
    problem_of(client.post(f"{API}/documents", json={"text": "word " * 1_000}), 413)


def test_a_chunked_oversize_body_is_refused(serve: Serve) -> None:
    client = serve(max_body_bytes=2_000)

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"word " * 100
        yield b'"}'

    headers = {**AUTH, "content-type": "application/json"}
    response = client.post(f"{API}/documents", content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert "2,000-byte limit" in problem_of(response, 413)["detail"]


def post_chunks(app: Any, chunks: list[bytes], content_type: str) -> tuple[int, bytes, int]:
    """POST ``chunks`` straight to the ASGI app, as a server streams a chunked body;
    returns the status, the body and how many chunks the app pulled."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled == len(chunks):
            return {"type": "http.disconnect"}
        pulled += 1
        return {
            "type": "http.request",
            "body": chunks[pulled - 1],
            "more_body": pulled < len(chunks),
        }

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [
        (b"content-type", content_type.encode()),
        (b"authorization", AUTH["Authorization"].encode()),
    ]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": f"{API}/documents", "raw_path": f"{API}/documents".encode(),
        "root_path": "", "query_string": b"", "headers": headers, "client": ("test", 1),
        "server": ("testserver", 80),
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body, pulled


@pytest.mark.parametrize(
    ("first", "content_type"),
    [
        (b'{"text": "', "application/json"),
        (
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n',
            "multipart/form-data; boundary=b",
        ),
    ],
)
def test_a_streamed_body_is_read_no_further_than_the_limit(
    seeded: Path, first: bytes, content_type: str
) -> None:
    app = create_app(Settings(db=str(seeded), token=TOKEN, max_body_bytes=2_000))
    chunks = [first, *[b"word " * 100] * 100]  # 500 bytes a chunk
    status, body, pulled = post_chunks(app, chunks, content_type)
    assert status == 413
    assert json.loads(body)["detail"].endswith("2,000-byte limit; send a smaller document")
    assert pulled == 5  # the chunk that passed the limit was the last one read


def test_a_body_within_the_limit_is_taken(serve: Serve) -> None:
    client = serve(max_body_bytes=2_000)
    assert client.post(f"{API}/documents", json={"text": HOSTILE}, headers=AUTH).status_code == 201


# --- server errors ---------------------------------------------------------------------


def test_an_unexpected_error_is_a_500_problem_without_a_traceback(
    serve: Serve, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = serve(raise_server_exceptions=False)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Ledger, "sources", broken)
    with caplog.at_level(logging.ERROR, logger="claimledger.api"):
        response = client.get(f"{API}/entities")
    body = problem_of(response, 500)
    assert "secret internals" not in response.text
    assert body["instance"] == f"{API}/entities"
    assert "secret internals" in caplog.text


def test_a_ledger_error_is_a_503_problem_with_its_message(
    serve: Serve, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimledger.errors import LedgerError

    client = serve()

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise LedgerError("ledger.sqlite: cannot be written (disk full)\nsecond line")

    monkeypatch.setattr(Ledger, "store_analysis", unreachable)
    response = client.post(f"{API}/documents", json={"text": HOSTILE}, headers=AUTH)
    assert problem_of(response, 503)["detail"] == "ledger.sqlite: cannot be written (disk full)"


# --- settings --------------------------------------------------------------------------


def test_settings_from_the_environment(tmp_path: Path) -> None:
    assert Settings.from_env("l.sqlite", environ={}) == Settings(db="l.sqlite")
    env = {"CLAIMLEDGER_TOKEN": " abc ", "CLAIMLEDGER_PRIVATE_READS": "1"}
    settings = Settings.from_env(tmp_path / "l.sqlite", environ=env)
    assert (settings.db, settings.token, settings.private_reads) == (
        str(tmp_path / "l.sqlite"),
        "abc",
        True,
    )
    token_file = tmp_path / "token"
    token_file.write_text("from-file\nsecond line\n")
    settings = Settings.from_env("l", environ={"CLAIMLEDGER_TOKEN_FILE": str(token_file)})
    assert settings.token == "from-file"
    overridden = Settings.from_env("l", environ=env, token=None, private_reads=False)
    assert (overridden.token, overridden.private_reads) == (None, False)
    assert Settings.from_env("l", environ={}, max_body_bytes=10).max_body_bytes == 10


@pytest.mark.parametrize(
    ("environ", "overrides", "says"),
    [
        ({"CLAIMLEDGER_TOKEN_FILE": "/no/such/token"}, {}, "no such file"),
        ({"CLAIMLEDGER_TOKEN_FILE": "EMPTY"}, {}, "first line is empty"),
        ({"CLAIMLEDGER_PRIVATE_READS": "1"}, {}, "no token is set"),
        ({"CLAIMLEDGER_PRIVATE_READS": "maybe"}, {}, "give 1 (on) or 0 (off)"),
        ({}, {"token": "has space"}, "printable ASCII"),
        ({}, {"max_body_bytes": 0}, "positive"),
        ({}, {"profile": "fastest"}, "unknown profile"),
        ({}, {"port": 80}, "unknown API setting port"),
    ],
)
def test_bad_settings_are_one_line_errors(
    tmp_path: Path, environ: dict[str, str], overrides: dict[str, Any], says: str
) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    environ = {k: str(empty) if v == "EMPTY" else v for k, v in environ.items()}
    with pytest.raises(ClaimledgerError, match=r"^[^\n]*$") as caught:
        Settings.from_env("l", environ=environ, **overrides)
    assert says in str(caught.value)


def test_the_ledger_opens_with_the_app_and_closes_after(seeded: Path, tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    app = create_app(Settings(db=str(db)))
    assert not db.exists()  # creating the app touches no database
    with TestClient(app) as test_client:
        assert isinstance(app.state.ledger, Ledger)
        page_of(test_client.get(f"{API}/documents"), total=0)
    assert app.state.ledger is None
