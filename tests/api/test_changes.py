"""``GET /api/v1/changes`` and the Atom feed of new conflicts at
``/api/v1/conflicts.atom``: what they list, their errors, private reads, and escaped text
in valid Atom."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from fastapi.testclient import TestClient

from claimledger.api import Settings, create_app
from claimledger.api.changes import atom_feed
from claimledger.extract import analyze
from claimledger.ledger import Ledger
from claimledger.ledger.changes import Change

TOKEN = "test-token-0123456789"
API = "/api/v1"
ATOM = "{http://www.w3.org/2005/Atom}"
MINISTRY = (
    "The regional health ministry said on Tuesday that 40 people were killed in the floods "
    "in Valdoria province last week."
)
OFFICIALS = (
    "Local officials said on Wednesday that 120 people were killed in the floods in "
    "Valdoria province last week."
)


@pytest.fixture(scope="module")
def ledger_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("changes") / "l.sqlite"
    with Ledger(path) as ledger:
        for text, day, outlet in ((MINISTRY, 3, "Wire"), (OFFICIALS, 4, "Daily")):
            ledger.store(analyze(text, published=dt.date(2026, 3, day), outlet=outlet))
            ledger.reconcile()
    return path


@pytest.fixture(scope="module")
def client(ledger_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=str(ledger_path), token=TOKEN))) as test_client:
        yield test_client


def test_changes_since(client: TestClient) -> None:
    answer = client.get(f"{API}/changes", params={"since": "1d"})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    kinds = [item["kind"] for item in page["items"]]
    assert kinds == ["claim", "claim", "conflict"]
    assert page["total"] == 3 and page["limit"] == 50 and page["offset"] == 0
    conflict = page["items"][2]
    assert sorted(conflict["figures"]) == ["120", "40"]
    assert len(conflict["claims"]) == 2 and conflict["claims"][0]["statement"]
    assert dt.datetime.fromisoformat(conflict["at"]).tzinfo is not None

    only = client.get(f"{API}/changes", params={"since": "1d", "kind": "conflict"}).json()
    assert [i["kind"] for i in only["items"]] == ["conflict"]
    later = client.get(f"{API}/changes", params={"since": "1d", "after": conflict["id"] - 1})
    assert [i["id"] for i in later.json()["items"]] == [conflict["id"]]
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert client.get(f"{API}/changes", params={"since": future}).json()["total"] == 0
    paged = client.get(f"{API}/changes", params={"since": "1d", "limit": 1, "offset": 1}).json()
    assert [i["kind"] for i in paged["items"]] == ["claim"] and paged["total"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"since": "yesterday"},
        {"since": "1d", "kind": "rumour"},
        {"since": "1d", "after": -1},
        {"since": "1d", "after": 2**63},
        {"since": "99999999999999w"},
        {"since": "0001-01-01T00:00+14:00"},
        {"since": "9999-12-31T23:59-14:00"},
        {"since": "1d\x00"},
        {"since": "1d", "limit": 0},
    ],
)
def test_bad_requests(client: TestClient, params: dict[str, str]) -> None:
    answer = client.get(f"{API}/changes", params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_conflicts_new_since_a_time(client: TestClient) -> None:
    """``/conflicts?new_since=`` keeps the conflicts the change log found since then."""
    every = client.get(f"{API}/conflicts").json()
    assert every["total"] == 1
    day = client.get(f"{API}/conflicts", params={"new_since": "1d"}).json()
    assert day["total"] == 1 and day["items"] == every["items"]
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    later = client.get(f"{API}/conflicts", params={"new_since": future}).json()
    assert later["total"] == 0 and later["items"] == []
    paged = client.get(f"{API}/conflicts", params={"new_since": "1d", "offset": 1}).json()
    assert paged["total"] == 1 and paged["items"] == []
    for bad in ("yesterday", "0001-01-01T00:00+14:00", "1d\x00"):
        answer = client.get(f"{API}/conflicts", params={"new_since": bad})
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_atom_feed_of_new_conflicts(client: TestClient) -> None:
    answer = client.get(f"{API}/conflicts.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id.startswith("urn:uuid:") and parsed.feed.updated
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert entry.id.startswith("urn:uuid:") and entry.updated
    assert "40" in entry.title and "120" in entry.title
    group = urlsplit(entry.link)
    assert group.path == "/groups" and parse_qs(group.query)["measure"] == ["killed"]
    assert sum(1 for link in entry.links if link.rel == "related") == 2
    # the same ids on every fetch, whatever the host name
    again = feedparser.parse(
        client.get(f"{API}/conflicts.atom", headers={"host": "news.example"}).content
    )
    assert again.entries[0].id == entry.id and again.feed.id == parsed.feed.id
    assert again.entries[0].link.startswith("http://news.example/groups?")


def test_private_reads_need_the_token(ledger_path: Path) -> None:
    app = create_app(Settings(db=str(ledger_path), token=TOKEN, private_reads=True))
    with TestClient(app) as private:
        for path in (f"{API}/changes?since=1d", f"{API}/conflicts.atom"):
            assert private.get(path).status_code == 401
            authorised = private.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
            assert authorised.status_code == 200


def test_atom_text_is_escaped() -> None:
    hostile = Change(
        id=7,
        at=dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC),
        kind="conflict",
        subject="<script>alert(1)</script> & co",
        measure="killed",
        refs=("aaaa/c1", "bbbb/c2"),
        figures=("40 ]]> <b>", "\x1b[31m120"),
        sources=("Officials \u202e<i>", None),
        reason="their intervals do not overlap & <img src=x>",
    )
    body = atom_feed(
        [hostile],
        feed_id="urn:uuid:00000000-0000-0000-0000-000000000000",
        entry_id=lambda change: f"urn:uuid:00000000-0000-0000-0000-00000000000{change.id}",
        self_url="http://127.0.0.1/api/v1/conflicts.atom",
        site="http://127.0.0.1/",
    )
    assert b"<script>" not in body and b"<img" not in body and b"\x1b" not in body
    root = ET.fromstring(body)
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    title = entry.findtext(f"{ATOM}title") or ""
    assert "<script>alert(1)</script> & co" in title and "\u202e" not in title
    assert not feedparser.parse(body).bozo
