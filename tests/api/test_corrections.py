"""The API's corrections: listed openly, written and removed with the token, applied to
the next read."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimledger.api import Settings, create_app
from claimledger.extract import analyze
from claimledger.ledger import Ledger

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
API = "/api/v1"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")
    analysis = analyze(text.read_text("utf-8"), published=dt.date(2025, 2, 1))
    path = tmp_path_factory.mktemp("api") / "seed.sqlite"
    with Ledger(path) as ledger:
        ledger.store(analysis)
    return path


@pytest.fixture
def client(seeded: Path, tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "ledger.sqlite"
    shutil.copy(seeded, db)
    with TestClient(create_app(Settings(db=str(db), token=TOKEN))) as test_client:
        yield test_client


def _document(client: TestClient) -> str:
    return str(client.get(f"{API}/documents").json()["items"][0]["id"])


def _conflicts(client: TestClient) -> set[frozenset[str]]:
    items = client.get(f"{API}/relations?kind=conflicts").json()["items"]
    return {frozenset((r["a"]["claim"], r["b"]["claim"])) for r in items}


def test_a_correction_needs_the_token(client: TestClient) -> None:
    body = {"action": "merge_sources", "names": ["Zelensky", "Oleksandr Syrskyi"]}
    assert client.post(f"{API}/corrections", json=body).status_code == 401
    assert client.delete(f"{API}/corrections/1").status_code == 401
    assert client.get(f"{API}/corrections").json()["items"] == []


def test_a_dismissed_relation_is_gone_until_the_correction_is(client: TestClient) -> None:
    document = _document(client)
    assert frozenset(("c1", "c8")) in _conflicts(client)
    body = {
        "action": "dismiss",
        "claims": [f"{document}/c8", f"{document}/c1"],
        "note": "another sector",
        "reviewer": "Example Fact Check",
    }
    made = client.post(f"{API}/corrections", json=body, headers=AUTH)
    assert made.status_code == 201, made.text
    stored = made.json()
    assert stored["action"] == "dismiss" and stored["note"] == "another sector"
    assert {c["document"] for c in stored["claims"]} == {document}
    assert frozenset(("c1", "c8")) not in _conflicts(client)
    listed = client.get(f"{API}/corrections").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == stored["id"]
    gone = client.delete(f"{API}/corrections/{stored['id']}", headers=AUTH)
    assert gone.status_code == 204
    assert frozenset(("c1", "c8")) in _conflicts(client)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"action": "set_measure", "claims": ["nope/c1"], "value": "killed"}, 404),
        ({"action": "merge_sources", "names": ["only one"]}, 422),
        ({"action": "rename", "names": ["a", "b"]}, 422),
        ({"action": "merge_sources", "names": ["a", "b"], "extra": 1}, 422),
    ],
)
def test_a_wrong_correction_is_refused(
    client: TestClient, body: dict[str, object], status: int
) -> None:
    found = client.post(f"{API}/corrections", json=body, headers=AUTH)
    assert found.status_code == status, found.text
    assert client.delete(f"{API}/corrections/999", headers=AUTH).status_code == 404
