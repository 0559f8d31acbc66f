"""Property-based checks of the HTTP API against its own OpenAPI document (schemathesis):
whatever a client sends, valid by the document or not, the server never answers with a
5xx, and what it answers matches the document.

Each operation gets its own test, built from a hypothesis strategy of the operation;
schemathesis's ``from_fixture`` lazy loader does not run on pytest 9 (it sets a node
attribute pytest no longer has), so the schema is loaded in a fixture here instead.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from claimledger.api import OPENAPI_URL, Settings, create_app
from claimledger.extract import analyze
from claimledger.ledger import Ledger

TOKEN = "schemathesis-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
READ_EXAMPLES = 25
# Each posted example is analysed by spaCy: fewer of them.
WRITE_EXAMPLES = 8

# Creating the app opens no database, so the operations can be listed at collection time.
# Negative examples (invalid by the document) need something to make invalid.
OPERATIONS = sorted(
    (method.upper(), path, mode)
    for path, methods in create_app(Settings(db="unused.sqlite")).openapi()["paths"].items()
    for method, operation in methods.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or operation.get("parameters") or "requestBody" in operation
)


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    text = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")
    path: Path = tmp_path_factory.mktemp("schemathesis") / "seed.sqlite"
    with Ledger(path) as ledger:
        ledger.store(analyze(text.read_text("utf-8"), published=dt.date(2025, 2, 1)))
        ledger.reconcile()
    # A small body limit keeps generated articles quick to analyse.
    app = create_app(Settings(db=str(path), token=TOKEN, max_body_bytes=20_000))
    return schemathesis.openapi.from_asgi(OPENAPI_URL, app)


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS)
def test_no_request_makes_the_server_fail(
    api_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]
    examples = READ_EXAMPLES if method == "GET" else WRITE_EXAMPLES

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same examples every run, so a failure reproduces
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            headers=AUTH, checks=[not_a_server_error, response_schema_conformance]
        )

    check()
