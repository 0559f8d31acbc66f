"""claimledger: turn news reports into a ledger of attributed claims.

Public API::

    from claimledger import analyze
    result = analyze(text, published=datetime.date(2025, 2, 1))
    result.attributions, result.claims, result.to_json()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claimledger.errors import ClaimledgerError, InputError, LedgerError, ModelMissingError
from claimledger.records import (
    SCHEMA_VERSION,
    Analysis,
    Attribution,
    Claim,
    Document,
    Entity,
    Quantity,
    Source,
    TimeRef,
)

if TYPE_CHECKING:
    from claimledger.extract import analyze
    from claimledger.ledger import Ledger

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "Attribution",
    "Claim",
    "ClaimledgerError",
    "Document",
    "Entity",
    "InputError",
    "Ledger",
    "LedgerError",
    "ModelMissingError",
    "Quantity",
    "Source",
    "TimeRef",
    "analyze",
]


def __getattr__(name: str) -> Any:
    # spaCy is imported only when analysis is asked for, so records and the ledger load fast.
    if name == "analyze":
        from claimledger.extract import analyze

        return analyze
    if name == "Ledger":
        from claimledger.ledger import Ledger

        return Ledger
    raise AttributeError(name)
