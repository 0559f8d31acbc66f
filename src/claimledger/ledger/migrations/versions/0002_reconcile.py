"""Reconciliation: entities merged across documents, each claim's root source and time,
corroborating figures, pairwise relations, fact-checkers' ratings, and the counters that
say when the derived tables are stale.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_entities",
        sa.Column("id", sa.String(12), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("affiliations", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "entity_links",
        sa.Column("document_id", sa.String(16), primary_key=True),
        sa.Column("entity_id", sa.String(16), primary_key=True),
        sa.Column(
            "ledger_entity",
            sa.String(12),
            sa.ForeignKey("ledger_entities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["document_id", "entity_id"],
            ["entities.document_id", "entities.id"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("entity_links_ledger_entity", "entity_links", ["ledger_entity"])
    op.create_table(
        "claim_facts",
        sa.Column("document_id", sa.String(16), primary_key=True),
        sa.Column("claim_id", sa.String(16), primary_key=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("root", sa.Text, nullable=False),
        sa.Column("root_name", sa.Text, nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("start", sa.Date),
        sa.Column("end", sa.Date),
        sa.Column("dated_by", sa.String(16)),
        sa.Column("figure", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id", "claim_id"],
            ["claims.document_id", "claims.id"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("claim_facts_figure", "claim_facts", ["figure"])
    op.create_table(
        "figures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("independent", sa.Integer, nullable=False),
        sa.Column("roots", sa.Text, nullable=False),
    )
    op.create_table(
        "relations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("a_document", sa.String(16), nullable=False),
        sa.Column("a_claim", sa.String(16), nullable=False),
        sa.Column("b_document", sa.String(16), nullable=False),
        sa.Column("b_claim", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["a_document", "a_claim"], ["claims.document_id", "claims.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_document", "b_claim"], ["claims.document_id", "claims.id"], ondelete="CASCADE"
        ),
    )
    op.create_index("relations_kind", "relations", ["kind", "subject"])
    op.create_table(
        "ratings",
        sa.Column(
            "document_id",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("claim_id", sa.String(16), primary_key=True),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("reviewed", sa.Date, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "ledger_state",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    op.bulk_insert(
        sa.table("ledger_state", sa.column("key"), sa.column("value")),
        [{"key": "changes", "value": 1}, {"key": "reconciled", "value": 0}],
    )


def downgrade() -> None:
    for table in (
        "ledger_state",
        "ratings",
        "relations",
        "figures",
        "claim_facts",
        "entity_links",
        "ledger_entities",
    ):
        op.drop_table(table)
