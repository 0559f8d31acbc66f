"""A fact-checker's corrections (merge or split sources, merge subjects, correct a claim's
measure or subject, dismiss a relation), kept across re-analysis; each conflict's rank; and
what a rated claim is, so a rating follows its claim when the article is analysed again.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("claims", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("reviewer", sa.Text),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    # relations are derived: the next reconcile (the rules' version changed) fills it in
    op.add_column("relations", sa.Column("strength", sa.Float, nullable=False, server_default="0"))
    # what a rated claim is, so its rating follows it when the article is analysed again
    op.add_column("ratings", sa.Column("claim_start", sa.Integer))
    op.add_column("ratings", sa.Column("claim_end", sa.Integer))
    op.add_column("ratings", sa.Column("claim_figure", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        for column in ("claim_figure", "claim_end", "claim_start"):
            batch.drop_column(column)
    with op.batch_alter_table("relations") as batch:
        batch.drop_column("strength")
    op.drop_table("corrections")
