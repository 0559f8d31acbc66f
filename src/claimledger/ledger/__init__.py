"""The ledger: where analyses are stored and read back, as the typed records of
:mod:`claimledger.ledger.reads`, found by a :class:`ClaimQuery`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claimledger.ledger.reads import ClaimQuery, Rating

if TYPE_CHECKING:
    from claimledger.ledger.store import Ledger

__all__ = ["ClaimQuery", "Ledger", "Rating"]


def __getattr__(name: str) -> Any:
    # The store pulls in SQLAlchemy and Alembic (a third of a second): modules that only
    # need the ledger's record types (the renderers, `analyze --format table`) skip it.
    if name == "Ledger":
        from claimledger.ledger.store import Ledger

        return Ledger
    raise AttributeError(name)
