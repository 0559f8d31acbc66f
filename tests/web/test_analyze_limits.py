"""The web UI's analysis form shares the API's limits (issue 16): it waits in the same
queue, and when the server makes analysis private the form says how to analyse instead."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from claimledger.api import Settings
from claimledger.api.analysis import AnalysisQueue
from claimledger.ledger import Ledger
from claimledger.server import build_app

TOKEN = "web-limits-token"
TEXT = "The ministry said on Monday that 12 soldiers were killed near the border."


def _app(tmp_path: Path, **settings: object) -> TestClient:
    db = tmp_path / "l.sqlite"
    Ledger(db).close()
    return TestClient(build_app(Settings(db=str(db), token=TOKEN, **settings)))  # type: ignore[arg-type]


def test_the_form_is_refused_when_analysis_is_private(tmp_path: Path) -> None:
    with _app(tmp_path, private_analysis=True) as client:
        page = client.post("/analyze", data={"text": TEXT})
    assert page.status_code == 403
    assert "needs the API token" in page.text


def test_the_form_is_told_to_come_back_when_the_queue_is_full(tmp_path: Path) -> None:
    async def busy() -> AnalysisQueue:
        full = AnalysisQueue(capacity=0)  # none may wait ...
        await full._running.acquire()  # ... behind the analysis that is running
        return full

    with _app(tmp_path) as client:
        assert client.portal is not None
        client.app.state.analysis_queue = client.portal.call(busy)  # type: ignore[attr-defined]
        page = client.post("/analyze", data={"text": TEXT})
    assert page.status_code == 503
    assert "busy analysing other articles" in page.text


def test_the_form_takes_the_servers_character_limit(tmp_path: Path) -> None:
    with _app(tmp_path, max_analyze_chars=50) as client:
        page = client.post("/analyze", data={"text": TEXT})
    assert page.status_code == 413
    assert "longer than 50 characters" in page.text
