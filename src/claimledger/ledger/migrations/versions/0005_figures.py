"""Figure-level relations: figures of one moment, with stable ids, their days
and range; a relation is one line between two figures (naming the pair of claims that
shows it) with how many pairs of their claims relate so; each claim's facts carry a digest
so an incremental reconcile can tell which subjects changed; the countries each document
names, read from its text once.

The three tables are derived (rebuilt by every full reconcile), so they are recreated
empty, and the ledger is marked stale: its next reconcile rebuilds them.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CLAIM = (["document_id", "claim_id"], ["claims.document_id", "claims.id"])


def _claim_facts(figure: type[sa.types.TypeEngine[int]], digest: bool) -> None:
    columns: list[sa.schema.SchemaItem] = [
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
        sa.Column("figure", figure, nullable=False),
    ]
    if digest:
        columns.append(sa.Column("digest", sa.String(16), nullable=False, server_default=""))
    op.create_table(
        "claim_facts",
        *columns,
        sa.ForeignKeyConstraint(*_CLAIM, ondelete="CASCADE"),
    )
    op.create_index("claim_facts_figure", "claim_facts", ["figure"])


def _relations(wide: bool) -> None:
    identifier: type[sa.types.TypeEngine[int]] = sa.BigInteger if wide else sa.Integer
    columns: list[sa.schema.SchemaItem] = [
        sa.Column("id", identifier, primary_key=True, autoincrement=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("a_document", sa.String(16), nullable=False),
        sa.Column("a_claim", sa.String(16), nullable=False),
        sa.Column("b_document", sa.String(16), nullable=False),
        sa.Column("b_claim", sa.String(16), nullable=False),
    ]
    if wide:
        columns += [
            sa.Column("a_figure", sa.BigInteger, nullable=False, server_default="0"),
            sa.Column("b_figure", sa.BigInteger, nullable=False, server_default="0"),
        ]
    columns += [
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("strength", sa.Float, nullable=False, server_default="0"),
    ]
    if wide:
        columns.append(sa.Column("pairs", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "relations",
        *columns,
        sa.ForeignKeyConstraint(
            ["a_document", "a_claim"], ["claims.document_id", "claims.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_document", "b_claim"], ["claims.document_id", "claims.id"], ondelete="CASCADE"
        ),
    )
    op.create_index("relations_kind", "relations", ["kind", "subject"])


def _figures(wide: bool) -> None:
    identifier: type[sa.types.TypeEngine[int]] = sa.BigInteger if wide else sa.Integer
    columns: list[sa.schema.SchemaItem] = [
        sa.Column("id", identifier, primary_key=True, autoincrement=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("measure", sa.String(24), nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("independent", sa.Integer, nullable=False),
        sa.Column("roots", sa.Text, nullable=False),
    ]
    if wide:
        columns += [
            sa.Column("start", sa.Date),
            sa.Column("end", sa.Date),
            sa.Column("low", sa.Float, nullable=False, server_default="0"),
            sa.Column("high", sa.Float),
        ]
    op.create_table("figures", *columns)


def _stale() -> None:
    # derived tables emptied: the next reader reconciles
    op.execute(sa.text("UPDATE ledger_state SET value = -1 WHERE key = 'reconciled'"))


def upgrade() -> None:
    for table in ("relations", "claim_facts", "figures"):
        op.drop_table(table)
    _figures(wide=True)
    _claim_facts(sa.BigInteger, digest=True)
    op.create_index("claim_facts_subject", "claim_facts", ["subject"])
    op.create_index("figures_subject", "figures", ["subject", "measure"])
    _relations(wide=True)
    op.create_table(
        "document_countries",
        sa.Column(
            "document_id",
            sa.String(16),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("main", sa.Text),
        sa.Column("named", sa.Text, nullable=False),
    )
    _stale()


def downgrade() -> None:
    op.drop_table("document_countries")
    for table in ("relations", "claim_facts", "figures"):
        op.drop_table(table)
    _figures(wide=False)
    _claim_facts(sa.Integer, digest=False)
    _relations(wide=False)
    _stale()
