"""A member's corroboration of its figure kept on the claim: ``claim_facts`` names the
claim of its figure it joined by (``joins_document``, ``joins_claim``), in place of a row
of ``relations`` for each (40 % of them in the benchmark's story). The rows are moved,
both ways, not derived again: the ledger needs no reconcile.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claim_facts", sa.Column("joins_document", sa.String(16)))
    op.add_column("claim_facts", sa.Column("joins_claim", sa.String(16)))
    # each member's row found by its claim: an index for the move alone
    op.create_index("relations_joining", "relations", ["b_document", "b_claim"])
    op.execute(
        sa.text(
            "UPDATE claim_facts SET joins_document = r.a_document, joins_claim = r.a_claim "
            "FROM relations AS r WHERE r.b_document = claim_facts.document_id "
            "AND r.b_claim = claim_facts.claim_id AND r.a_figure = r.b_figure "
            "AND r.kind = 'corroborates'"
        )
    )
    op.drop_index("relations_joining", "relations")
    op.execute(sa.text("DELETE FROM relations WHERE a_figure = b_figure AND kind = 'corroborates'"))


def downgrade() -> None:
    # back to a row of relations each, with the id the version before gives it
    from claimledger.ledger.reconcile import _stable_id

    conn = op.get_bind()
    rows = [
        {
            "id": _stable_id(f"{jd}/{jc}", f"{doc}/{claim}", "corroborates"),
            "subject": subject,
            "a_document": jd,
            "a_claim": jc,
            "b_document": doc,
            "b_claim": claim,
            "a_figure": figure,
            "b_figure": figure,
            "kind": "corroborates",
            "strength": 0.0,
            "pairs": 1,
        }
        for doc, claim, subject, figure, jd, jc in conn.execute(
            sa.text(
                "SELECT document_id, claim_id, subject, figure, joins_document, joins_claim "
                "FROM claim_facts WHERE joins_claim IS NOT NULL"
            )
        )
    ]
    if rows:
        relations = sa.table("relations", *(sa.column(name) for name in rows[0]))
        conn.execute(relations.insert(), rows)
    with op.batch_alter_table("claim_facts") as batch:
        batch.drop_column("joins_claim")
        batch.drop_column("joins_document")
