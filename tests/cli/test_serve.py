"""`claimledger serve` as a user starts it: one process, the web UI at / and the API at
/api/v1, over the demo ledger; and one line when it cannot start."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from claimledger.cli import app

CLI = Path(sys.executable).parent / "claimledger"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "demo.sqlite"
    done = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert done.exit_code == 0, done.output
    return db


def test_one_process_serves_the_ui_and_the_api(demo_ledger: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    env["CLAIMLEDGER_TOKEN"] = "s3cret-token"
    server = subprocess.Popen(
        [str(CLI), "serve", "--db", str(demo_ledger), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                health = httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.2)
        else:
            pytest.fail("the server did not answer within 30 s")
        assert health.status_code == 200
        assert httpx.get(f"{base}/api/v1/openapi.json").json()["info"]["title"] == "claimledger"
        page = httpx.get(f"{base}/documents/493db561d9636d49")
        assert page.status_code == 200 and "Syrskyi" in page.text
        refused = httpx.post(f"{base}/api/v1/documents", json={"text": "x said 3 died."})
        assert refused.status_code == 401
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"at http://127.0.0.1:{port}/" in stderr and "writes need the token" in stderr


def test_a_ledger_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database", encoding="utf-8")
    done = CliRunner().invoke(app, ["serve", "--db", str(bad), "--port", str(_free_port())])
    assert done.exit_code == 1
    assert done.stdout == ""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "notes.sqlite" in lines[0]


def test_the_gazetteer_is_read_once_by_the_app_that_is_served(
    demo_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from claimledger import gazetteer

    names = tmp_path / "names.toml"
    names.write_text('[[entity]]\nname = "Novaya Gazeta Europe"\nkind = "outlet"\n', "utf-8")
    reads: list[Path] = []
    read_entries = gazetteer.read_entries
    monkeypatch.setattr(gazetteer, "read_entries", lambda p: reads.append(p) or read_entries(p))
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda server, **_: served.append(server))
    done = CliRunner().invoke(app, ["serve", "--db", str(demo_ledger), "--gazetteer", str(names)])
    assert done.exit_code == 0, done.output
    assert reads == [names]
    (server,) = served
    assert server.state.gazetteer.lookup("Novaya Gazeta Europe") is not None


def test_a_bad_gazetteer_is_one_line_before_the_server_starts(
    demo_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    bad = tmp_path / "bad.toml"
    bad.write_text('[[entity]]\nname = "X"\nkind = "planet"\n', encoding="utf-8")
    monkeypatch.setattr(uvicorn, "run", lambda *_, **__: pytest.fail("the server started"))
    done = CliRunner().invoke(app, ["serve", "--db", str(demo_ledger), "--gazetteer", str(bad)])
    assert done.exit_code == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "bad.toml" in lines[0]
