"""The ledger: documents, near-duplicate links, entities, attributions and claims, with
full-text search on article and claim text.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("path", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minhash", sa.LargeBinary),
    )
    op.create_table(
        "near_duplicates",
        sa.Column(
            "document_id",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "duplicate_of",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_index("near_duplicates_of", "near_duplicates", ["duplicate_of"])
    op.create_table(
        "entities",
        sa.Column(
            "document_id",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "attributions",
        sa.Column(
            "document_id",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("style", sa.String(16), nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("source_entity", sa.Text),
        sa.Column("cue", sa.Text, nullable=False),
        sa.Column("stated", sa.String(32)),
        sa.Column("stated_start", sa.Date),
        sa.Column("stated_end", sa.Date),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_index("attributions_source_entity", "attributions", ["source_entity"])
    op.create_table(
        "claims",
        sa.Column(
            "document_id",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("attribution_id", sa.String(16)),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("low", sa.Float, nullable=False),
        sa.Column("high", sa.Float),
        sa.Column("value", sa.Float),
        sa.Column("bound", sa.String(16), nullable=False),
        sa.Column("approx", sa.Boolean, nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("polarity", sa.String(16), nullable=False),
        sa.Column("as_of", sa.String(32)),
        sa.Column("time_start", sa.Date),
        sa.Column("time_end", sa.Date),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id", "attribution_id"],
            ["attributions.document_id", "attributions.id"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("claims_subject_measure", "claims", ["subject", "measure"])
    if op.get_bind().dialect.name == "postgresql":
        # Full-text search: a generated tsvector column with a GIN index per text.
        op.execute(
            "ALTER TABLE documents ADD COLUMN search tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute("CREATE INDEX documents_search ON documents USING gin (search)")
        op.execute(
            "ALTER TABLE claims ADD COLUMN search tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute("CREATE INDEX claims_search ON claims USING gin (search)")
    else:
        # FTS5 tables kept in step by the ledger's store (rows are replaced per document).
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(document_id UNINDEXED, text)")
        op.execute(
            "CREATE VIRTUAL TABLE claims_fts USING fts5("
            "document_id UNINDEXED, claim_id UNINDEXED, text)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE claims_fts")
        op.execute("DROP TABLE documents_fts")
    for table in ("claims", "attributions", "entities", "near_duplicates", "documents"):
        op.drop_table(table)
