"""Each claim's facts kept whole: the words of its figure, the population, place,
modality and rate reconciliation read off it (the rest are columns of ``claims`` and
``claim_facts`` already), so an incremental reconcile reads the facts of the claims it
does not re-derive instead of deriving them again from every stored record.

The columns are filled by the next full reconcile (the ledger's ``facts`` counter, unset
here, asks for one); until then the derived tables stay as they were.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = ("words", "population", "place", "modality", "rate")


def upgrade() -> None:
    op.add_column("claim_facts", sa.Column("words", sa.Text, nullable=False, server_default=""))
    op.add_column("claim_facts", sa.Column("population", sa.Text))
    op.add_column("claim_facts", sa.Column("place", sa.Text))
    op.add_column(
        "claim_facts",
        sa.Column("modality", sa.String(16), nullable=False, server_default="reported"),
    )
    op.add_column("claim_facts", sa.Column("rate", sa.String(16)))
    # whether each document cites anyone is read with its countries: read them all again
    op.execute(sa.text("DELETE FROM document_countries"))
    op.add_column(
        "document_countries",
        sa.Column("cites", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.execute(sa.text("DELETE FROM ledger_state WHERE key = 'facts'"))


def downgrade() -> None:
    with op.batch_alter_table("claim_facts") as batch:
        for name in _COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("document_countries") as batch:
        batch.drop_column("cites")
    op.execute(sa.text("DELETE FROM ledger_state WHERE key = 'facts'"))
