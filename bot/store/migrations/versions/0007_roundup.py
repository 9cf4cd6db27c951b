"""roundup: weekly subscriptions (cadence), followed cards, thread notes and arXiv versions (a living thread)

Followed cards and thread notes are keyed by workspace too, as every channel's rows are since 0005: a
channel id is unique only within its workspace (a Slack Connect channel has the same id in each).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    # Every subscription stored so far is a daily digest.
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("cadence", sa.String(8), nullable=False, server_default="daily"))
    op.create_table(
        "followed_cards",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False, server_default=""),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("message_ref", sa.Text(), nullable=False),
        sa.Column("thread_ref", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("repo", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("shown", sa.Text(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gone", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("platform", "workspace", "channel", "arxiv_id", name="pk_followed_cards"),
    )
    op.create_index("ix_followed_cards_posted_at", "followed_cards", ["posted_at"])
    op.create_table(
        "thread_notes",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False, server_default=""),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("intent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_ref", sa.Text(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("platform", "workspace", "channel", "arxiv_id", "event", name="pk_thread_notes"),
    )
    op.create_table(
        "paper_versions",
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("arxiv_id", name="pk_paper_versions"),
    )


def downgrade() -> None:
    op.drop_table("paper_versions")
    op.drop_table("thread_notes")
    op.drop_index("ix_followed_cards_posted_at", table_name="followed_cards")
    op.drop_table("followed_cards")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("cadence")
