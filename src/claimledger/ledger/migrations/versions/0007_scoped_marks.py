"""What an incremental reconcile and its change log read only where a change reached:
each ledger entity keeps a digest of its members, so the links of the entities whose
members are the same are not read again; each change mark keeps its scope (a claim's
document, a conflict's or a figure's subject), so the change log compares only the
documents and subjects a reconcile touched.

Both are filled as they are next written: the digests by the next reconcile (an empty
one differs from every digest, so every entity's links are compared once), the scopes by
the next change log, which compares the whole ledger (the ``marks`` counter, unset here,
asks for it).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "ledger_entities",
        sa.Column("members", sa.String(16), nullable=False, server_default=""),
    )
    op.add_column("change_marks", sa.Column("scope", sa.Text, nullable=False, server_default=""))
    op.create_index("change_marks_scope", "change_marks", ["kind", "scope"])
    op.execute(sa.text("DELETE FROM ledger_state WHERE key = 'marks'"))


def downgrade() -> None:
    op.drop_index("change_marks_scope", "change_marks")
    with op.batch_alter_table("change_marks") as batch:
        batch.drop_column("scope")
    with op.batch_alter_table("ledger_entities") as batch:
        batch.drop_column("members")
    op.execute(sa.text("DELETE FROM ledger_state WHERE key = 'marks'"))
