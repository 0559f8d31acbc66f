"""The ledger's tables, as SQLAlchemy Core metadata: one definition for SQLite and
PostgreSQL. The migrations in ``claimledger/ledger/migrations`` create exactly these, plus
each database's own full-text index (FTS5 tables on SQLite, tsvector columns on
PostgreSQL), which Core does not describe."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(16), primary_key=True),  # hash of the normalised text
    Column("path", Text),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", Date),
    Column("format", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("analysed_at", DateTime(timezone=True), nullable=False),
    Column("minhash", LargeBinary),  # the MinHash signature of the text's shingles
)

# A document that is a near-copy of one stored before it (a wire story carried twice).
near_duplicates = Table(
    "near_duplicates",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "duplicate_of",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("similarity", Float, nullable=False),  # estimated Jaccard of word shingles
)

entities = Table(
    "entities",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("id", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("payload", Text, nullable=False),  # the entity's JSON (docs/schema.md)
)

attributions = Table(
    "attributions",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("id", String(16), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("style", String(16), nullable=False),
    Column("source", Text),
    Column("source_entity", Text),
    Column("cue", Text, nullable=False),
    Column("stated", String(32)),
    Column("stated_start", Date),
    Column("stated_end", Date),
    Column("certainty", String(16), nullable=False),
    Column("payload", Text, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("id", String(16), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("attribution_id", String(16)),
    Column("subject", Text, nullable=False),  # the subject's key: "north korean soldiers"
    Column("measure", String(24), nullable=False),
    Column("low", Float, nullable=False),
    Column("high", Float),  # null: no upper bound
    Column("value", Float),
    Column("bound", String(16), nullable=False),
    Column("approx", Boolean, nullable=False),
    Column("unit", String(16), nullable=False),
    Column("polarity", String(16), nullable=False),
    Column("as_of", String(32)),
    Column("time_start", Date),
    Column("time_end", Date),
    Column("certainty", String(16), nullable=False),
    Column("text", Text, nullable=False),  # what was said: the attribution's content
    Column("payload", Text, nullable=False),  # the claim's JSON (docs/schema.md)
    ForeignKeyConstraint(
        ["document_id", "attribution_id"],
        ["attributions.document_id", "attributions.id"],
        ondelete="CASCADE",
    ),
)

Index("claims_subject_measure", claims.c.subject, claims.c.measure)
Index("attributions_source_entity", attributions.c.source_entity)
Index("near_duplicates_of", near_duplicates.c.duplicate_of)
