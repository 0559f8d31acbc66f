"""The ledger: where analyses are stored and read back."""

from claimledger.ledger.store import Ledger

__all__ = ["Ledger"]
