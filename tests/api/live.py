"""A real ``claimledger serve`` on 127.0.0.1 for the tests where the event loop matters:
one process, started as a user starts it, stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CLI = Path(sys.executable).parent / "claimledger"
TOKEN = "live-test-token"


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen[str]

    def log(self) -> str:
        """What the server wrote to stderr (only after it is stopped)."""
        return self.process.stderr.read() if self.process.stderr else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(db: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """``claimledger serve --db db`` on a free loopback port, with the token set; waits
    up to 60 s for its health endpoint."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMLEDGER_")}
    environment.update({"CLAIMLEDGER_TOKEN": TOKEN, **(env or {})})
    process = subprocess.Popen(
        [str(CLI), "serve", "--db", str(db), "--port", str(port), *options],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise AssertionError(
                        f"the server did not start: {process.communicate()[1]}"
                    ) from None
                time.sleep(0.2)
        yield LiveServer(base, process)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
