"""The load test (``make loadtest``) at a small scale: it starts its own server on
127.0.0.1, sends every kind of request, reports p50/p95 per endpoint and finds no 5xx."""

from __future__ import annotations

import pytest

from claimledger.evaluation import loadtest

pytestmark = pytest.mark.slow


def test_a_small_load_test_reports_every_endpoint_and_no_5xx(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = loadtest.main(["--requests", "60", "--concurrency", "4", "--seed-articles", "5"])
    table = capsys.readouterr().out
    assert code == 0, table
    assert "| endpoint | requests | p50 ms | p95 ms |" in table
    assert "POST /api/v1/analyze" in table and "GET /api/v1/claims" in table
