"""The ledger: where analyses are stored and read back, as the typed records of
:mod:`claimledger.ledger.reads`, found by a :class:`ClaimQuery`."""

from claimledger.ledger.reads import ClaimQuery, Rating
from claimledger.ledger.store import Ledger

__all__ = ["ClaimQuery", "Ledger", "Rating"]
