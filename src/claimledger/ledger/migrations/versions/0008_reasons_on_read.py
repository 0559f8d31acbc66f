"""Relations without their reasons, and figures and relations keyed by their own rowid on
SQLite: a relation's reason is what the rules say of the pair of claims it names, worked
out again from their stored facts when it is read (claimledger.ledger.reasons), and a
stable id declared INTEGER is SQLite's rowid, so neither table keeps a second index of
its ids. Together these were more than half of the relations table.

The rows are kept (copied into the tables made again on SQLite): nothing else changes, so
the ledger needs no reconcile.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        with op.batch_alter_table("figures", recreate="always") as batch:
            batch.alter_column("id", type_=sa.Integer, existing_nullable=False)
    with op.batch_alter_table("relations", recreate="always" if _sqlite() else "auto") as batch:
        batch.drop_column("reason")
        if _sqlite():
            batch.alter_column("id", type_=sa.Integer, existing_nullable=False)


def downgrade() -> None:
    if _sqlite():
        with op.batch_alter_table("figures", recreate="always") as batch:
            batch.alter_column("id", type_=sa.BigInteger, existing_nullable=False)
    with op.batch_alter_table("relations", recreate="always" if _sqlite() else "auto") as batch:
        batch.add_column(sa.Column("reason", sa.Text, nullable=False, server_default=""))
        if _sqlite():
            batch.alter_column("id", type_=sa.BigInteger, existing_nullable=False)
    # the reasons are not stored again until the ledger is reconciled in full: ask for it
    op.execute(sa.text("DELETE FROM ledger_state WHERE key IN ('reconciled', 'facts')"))
