"""A throwaway PostgreSQL server on 127.0.0.1 from the machine's own ``initdb`` and
``pg_ctl`` (Debian's postgresql package): the tests' second database and the scale
benchmark's ledger. Run as root, the server tools run as the ``postgres`` user, as initdb
refuses root."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from claimledger.errors import ClaimledgerError


class PostgresMissing(ClaimledgerError):
    """No PostgreSQL server tools on this machine."""


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def throwaway_postgres(
    settings: Sequence[str] = (), prefix: str = "claimledger-pg-"
) -> Iterator[str]:
    """A new server's URL (``postgresql+psycopg://postgres@127.0.0.1:PORT``, no database
    name), with ``settings`` ("name=value") on top of its defaults; stopped and its files
    removed afterwards. :class:`PostgresMissing` where the server tools are not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise PostgresMissing("PostgreSQL is not installed (apt-get install postgresql)")
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix=prefix))
    base.chmod(0o777)
    data = base / "data"
    port = _free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = " ".join(
        [
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base}",
            *(f"-c {setting}" for setting in settings),
        ]
    )
    # the server inherits pg_ctl's output: it goes to a log file, not to a pipe we would
    # wait on for ever
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(base / "log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)
