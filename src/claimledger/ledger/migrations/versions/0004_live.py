"""A live ledger: the change log each reconcile appends to (new claims, new and resolved
conflicts, updated figures) with the marks it compares against, and the state of the
feeds ``claimledger watch`` polls.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("measure", sa.String(24)),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("change_log_at", "change_log", ["at"])
    op.create_table(
        "change_marks",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
    )
    op.create_table(
        "watched_feeds",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_success", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", sa.DateTime(timezone=True)),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_poll", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "feed_entries",
        sa.Column(
            "feed",
            sa.Text,
            sa.ForeignKey("watched_feeds.url", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entry", sa.Text, primary_key=True),
        sa.Column("seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_id", sa.String(16)),
    )
    state = sa.table("ledger_state", sa.column("key"), sa.column("value"))
    # the ledger's own number, which the Atom feed's ids are made from (stable across the
    # host names a server is reached by)
    op.bulk_insert(state, [{"key": "ledger_id", "value": secrets.randbelow(2**31)}])
    # A ledger that already holds documents starts its change log from now: its next
    # reconcile records what it holds as the baseline, not as thousands of new claims.
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM documents LIMIT 1")).first() is not None:
        op.bulk_insert(state, [{"key": "changes_baseline", "value": 1}])


def downgrade() -> None:
    op.execute("DELETE FROM ledger_state WHERE key IN ('ledger_id', 'changes_baseline')")
    op.drop_table("feed_entries")
    op.drop_table("watched_feeds")
    op.drop_table("change_marks")
    op.drop_index("change_log_at", table_name="change_log")
    op.drop_table("change_log")
