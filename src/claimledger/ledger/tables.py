"""The ledger's tables, as SQLAlchemy Core metadata: one definition for SQLite and
PostgreSQL. The migrations in ``claimledger/ledger/migrations`` create exactly these, plus
each database's own full-text index (FTS5 tables on SQLite, tsvector columns on
PostgreSQL), which Core does not describe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import (
    BigInteger,
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
    false,
)
from sqlalchemy.sql.elements import ColumnElement

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

# --- reconciliation (recomputed by Ledger.reconcile from the tables above) ---------------

# Entities merged across documents: "Syrskyi" in one article, "Oleksandr Syrskyi" in another.
ledger_entities = Table(
    "ledger_entities",
    metadata,
    Column("id", String(12), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("aliases", Text, nullable=False),  # JSON list
    Column("roles", Text, nullable=False),  # JSON list
    Column("affiliations", Text, nullable=False),  # JSON list
    Column("reason", Text, nullable=False),  # why its names were merged
    # a digest of its members (document, entity): equal, its links are as they were
    Column("members", String(16), nullable=False, server_default=""),
)

entity_links = Table(
    "entity_links",
    metadata,
    Column("document_id", String(16), primary_key=True),
    Column("entity_id", String(16), primary_key=True),
    Column(
        "ledger_entity",
        String(12),
        ForeignKey("ledger_entities.id", ondelete="CASCADE"),
        nullable=False,
    ),
    ForeignKeyConstraint(
        ["document_id", "entity_id"],
        ["entities.document_id", "entities.id"],
        ondelete="CASCADE",
    ),
)

# What reconciliation read off each claim: its root source, scope and effective time.
claim_facts = Table(
    "claim_facts",
    metadata,
    Column("document_id", String(16), primary_key=True),
    Column("claim_id", String(16), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("measure", String(24), nullable=False),
    Column("source", Text),  # the ledger entity's name, else the words
    Column("root", Text, nullable=False),  # a ledger entity id, or "document:<id>"
    Column("root_name", Text, nullable=False),
    Column("scope", String(16), nullable=False),  # total / incident / stock / duration
    Column("start", Date),
    Column("end", Date),
    Column("dated_by", String(16)),  # claim / statement / publication
    Column("figure", BigInteger, nullable=False),
    # a digest of everything reconciliation read of the claim: an incremental reconcile
    # re-derives the subjects whose claims' digests changed
    Column("digest", String(16), nullable=False, server_default=""),
    # the rest of what reconciliation reads of the claim that ``claims`` does not hold,
    # so an incremental reconcile reads these facts instead of deriving them again: the
    # figure's words, the population, place key, modality and rate
    Column("words", Text, nullable=False, server_default=""),
    Column("population", Text),
    Column("place", Text),
    Column("modality", String(16), nullable=False, server_default="reported"),
    Column("rate", String(16)),
    # the claim of its figure whose corroboration makes it a member: the figure's first,
    # else the earliest it agrees with (reconcile.figure_lines); none for a figure's
    # first claim and a member that agrees only with later ones. Listed among the
    # relations as a "corroborates" line within the figure, it is kept here, on the claim,
    # rather than as a row of ``relations`` of its own.
    Column("joins_document", String(16)),
    Column("joins_claim", String(16)),
    ForeignKeyConstraint(
        ["document_id", "claim_id"],
        ["claims.document_id", "claims.id"],
        ondelete="CASCADE",
    ),
)
# The countries each document names (read from its text once, on its first reconcile):
# the one it names most, if one does, and all it names (JSON).
document_countries = Table(
    "document_countries",
    metadata,
    Column(
        "document_id", String(16), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("main", Text),
    Column("named", Text, nullable=False),
    # whether it cites anyone ("…, citing the ministry"): its facts read the ledger's names
    Column("cites", Boolean, nullable=False, server_default=false()),
)
# A figure's or a relation's id (reconcile._stable_id: 60 bits). On SQLite, INTEGER: the
# table's own rowid, so that it needs no second index of its ids.
STABLE_ID = BigInteger().with_variant(Integer(), "sqlite")

figures = Table(
    "figures",
    metadata,
    # a stable id: the same figure keeps it from one reconcile to the next
    Column("id", STABLE_ID, primary_key=True, autoincrement=False),
    Column("subject", Text, nullable=False),
    Column("measure", String(24), nullable=False),
    Column("claims", Integer, nullable=False),
    Column("independent", Integer, nullable=False),
    Column("roots", Text, nullable=False),  # JSON list of root names
    Column("start", Date),  # the days its claims hold for
    Column("end", Date),
    Column("low", Float, nullable=False, server_default="0"),  # what its claims allow
    Column("high", Float),  # None: no upper limit
)
relations = Table(
    "relations",
    metadata,
    # one line between two figures (or within one, of a kind other than a member's
    # corroboration of its figure: claim_facts.joins_*), by kind; a stable id
    Column("id", STABLE_ID, primary_key=True, autoincrement=False),
    Column("subject", Text, nullable=False),
    # the pair of their claims that shows the relation best (a conflict: its strongest)
    Column("a_document", String(16), nullable=False),
    Column("a_claim", String(16), nullable=False),
    Column("b_document", String(16), nullable=False),
    Column("b_claim", String(16), nullable=False),
    Column("a_figure", BigInteger, nullable=False, server_default="0"),
    Column("b_figure", BigInteger, nullable=False, server_default="0"),
    Column("kind", String(16), nullable=False),
    # no reason: it is what the rules say of the pair of claims, worked out again when
    # read (claimledger.ledger.reasons)
    # a conflict's rank: how far apart its figures are, times the independent roots
    # behind each side (docs/reconciliation.md); 0 for the other kinds
    Column("strength", Float, nullable=False, server_default="0"),
    # how many pairs of the two figures' claims relate so
    Column("pairs", Integer, nullable=False, server_default="1"),
    ForeignKeyConstraint(
        ["a_document", "a_claim"], ["claims.document_id", "claims.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["b_document", "b_claim"], ["claims.document_id", "claims.id"], ondelete="CASCADE"
    ),
)

# A fact-checker's verdict on a claim. Kept when the document is analysed again, so it is
# not tied to the claims table: the claim is found again by what it is.
ratings = Table(
    "ratings",
    metadata,
    Column(
        "document_id",
        String(16),
        ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("claim_id", String(16), primary_key=True),
    Column("verdict", Text, nullable=False),
    Column("value", Integer, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("reviewed", Date, nullable=False),
    Column("url", Text),
    Column("note", Text),
    # what the claim is (its figure's first span and words): analysed again, an article's
    # claims may be numbered afresh, and the rating follows its claim, not its number
    Column("claim_start", Integer),
    Column("claim_end", Integer),
    Column("claim_figure", Text),
)

# A fact-checker's corrections to reconciliation (claimledger.ledger.corrections): applied
# on every reconcile and kept when an article is analysed again, so a claim is named by
# what it is (document, figure span and words, as JSON in ``claims``), not by its number.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(24), nullable=False),
    Column("names", Text, nullable=False),  # JSON list: sources or subjects
    Column("claims", Text, nullable=False),  # JSON list of claim keys
    Column("value", Text),  # the corrected measure or subject
    Column("note", Text),
    Column("reviewer", Text),
    Column("created", DateTime(timezone=True), nullable=False),
)

# Counters: "changes" grows with every stored document, "reconciled" is its value when
# reconciliation last ran; they differ when the derived tables above are stale.
ledger_state = Table(
    "ledger_state",
    metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

# --- what changed, and feeds watched (claimledger.ledger.changes, ingest.watch) ---------

# What each reconcile found new or gone since the one before: new claims, new and
# resolved conflicts, updated figures. Appended in the reconcile's transaction; ``detail``
# is compact JSON (subject, measure, the claims' references, the reason), so a change
# still reads after its claims are gone.
change_log = Table(
    "change_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(16), nullable=False),  # claim / conflict / resolved / figure / rules
    Column("subject", Text),
    Column("measure", String(24)),
    Column("detail", Text, nullable=False),
)

# What the last reconcile held, by identity (a claim's "document/claim", a conflict's two
# claims, a figure's subject, measure and oldest claim), so the next one can say what is
# new and what is gone; ``seq`` orders claims by when they were first seen.
change_marks = Table(
    "change_marks",
    metadata,
    Column("kind", String(16), primary_key=True),  # claim / conflict / figure
    Column("key", Text, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("fingerprint", Text, nullable=False),
    # where it is compared: a claim's document, a conflict's or a figure's subject
    Column("scope", Text, nullable=False, server_default=""),
)

# Each feed ``claimledger watch`` polls: what the conditional GET sends back, when it last
# answered or failed, and when it is next due, so a restarted watcher resumes.
watched_feeds = Table(
    "watched_feeds",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_success", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("last_error_at", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("next_poll", DateTime(timezone=True)),
)

# The entries of a watched feed already stored (or given up on: a page that is no article).
feed_entries = Table(
    "feed_entries",
    metadata,
    Column("feed", Text, ForeignKey("watched_feeds.url", ondelete="CASCADE"), primary_key=True),
    Column("entry", Text, primary_key=True),  # the entry's id, else its link
    Column("seen", DateTime(timezone=True), nullable=False),
    Column("document_id", String(16)),  # None: given up on (the line says why)
)

Index("change_log_at", change_log.c.at)
Index("change_marks_scope", change_marks.c.kind, change_marks.c.scope)
Index("relations_kind", relations.c.kind, relations.c.subject)
Index("claim_facts_figure", claim_facts.c.figure)
Index("claim_facts_subject", claim_facts.c.subject)
Index("figures_subject", figures.c.subject, figures.c.measure)
Index("entity_links_ledger_entity", entity_links.c.ledger_entity)


def claims_in(
    document: ColumnElement[Any], claim: ColumnElement[Any], refs: Sequence[tuple[str, ...]]
) -> ColumnElement[bool]:
    """``(document, claim)`` is one of ``refs`` (a few hundred at most): with the
    documents named apart, so that SQLite looks them up by its index on the document
    instead of reading every row to compare the pair."""
    return sa.and_(
        document.in_(sorted({ref[0] for ref in refs})), sa.tuple_(document, claim).in_(refs)
    )


def aware(moment: dt.datetime) -> dt.datetime:
    """A ``DateTime(timezone=True)`` value as read back: SQLite hands datetimes back without
    their zone; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
