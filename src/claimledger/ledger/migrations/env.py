"""Alembic environment: migrations run on the connection the ledger hands over
(``config.attributes["connection"]``), inside the ledger's own transaction."""

from __future__ import annotations

from alembic import context

from claimledger.ledger.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
