"""The one exception hierarchy: every error a user can cause or fix is a ClaimledgerError.

The CLI prints ``str(error)`` as a single line and exits non-zero, so messages say what
was wrong (naming the file or value) and what to do about it.
"""

from __future__ import annotations


class ClaimledgerError(Exception):
    """Base class for errors the user can act on."""


class InputError(ClaimledgerError):
    """An input file or value cannot be analysed (missing, empty, binary, too large ...)."""


class ModelMissingError(ClaimledgerError):
    """The spaCy English model package is not installed."""


class LedgerError(ClaimledgerError):
    """The ledger database cannot be opened or written."""


class LedgerBusyError(LedgerError):
    """The ledger is locked by another writer (a long reconcile, another ingest) for longer
    than the database waits; trying again later succeeds."""
