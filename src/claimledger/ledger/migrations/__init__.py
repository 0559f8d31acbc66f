"""Alembic migrations of the ledger schema; :class:`claimledger.ledger.Ledger` runs them
to the newest revision whenever it opens a database."""
