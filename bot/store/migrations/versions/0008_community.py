"""community: the bot's messages per paper, votes, replies, per-channel engagement, reading lists"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

KEY = (("platform", 16), ("workspace", 64), ("channel", 64))


def _key(*names: str) -> list[sa.Column[str]]:
    widths = dict(KEY) | {"arxiv_id": 32, "user_id": 64, "message": 64, "reaction": 128}
    return [sa.Column(name, sa.String(widths[name]), nullable=False) for name in names]


def upgrade() -> None:
    op.create_table(
        "paper_messages",
        *_key("platform", "channel", "message", "workspace", "arxiv_id"),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "channel", "message", name="pk_paper_messages"),
    )
    op.create_table(
        "votes",
        *_key("platform", "workspace", "channel", "arxiv_id", "user_id", "message", "reaction"),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "platform", "workspace", "channel", "arxiv_id", "user_id", "message", "reaction", name="pk_votes"
        ),
    )
    for table, count in (("reactors", "reactions"), ("repliers", "replies")):
        op.create_table(
            table,
            *_key("platform", "workspace", "channel", "arxiv_id", "user_id"),
            sa.Column(count, sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("platform", "workspace", "channel", "arxiv_id", "user_id", name=f"pk_{table}"),
        )
    op.create_table(
        "replies",
        *_key("platform", "workspace", "channel", "message", "arxiv_id", "user_id"),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", "channel", "message", name="pk_replies"),
    )
    op.create_table(
        "engagement",
        *_key("platform", "workspace", "channel", "arxiv_id"),
        sa.Column("reactions", sa.Integer(), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", "channel", "arxiv_id", name="pk_engagement"),
    )
    op.create_index("ix_engagement_channel_posted", "engagement", ["platform", "channel", "posted_at"])
    op.create_table(
        "saved",
        *_key("platform", "workspace", "user_id", "arxiv_id"),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "workspace", "user_id", "arxiv_id", name="pk_saved"),
    )
    op.create_index("ix_saved_person", "saved", ["platform", "user_id", "saved_at"])
    op.create_index("ix_threads_thread_ref", "threads", ["platform", "thread_ref"])
    op.create_index("ix_threads_paper", "threads", ["platform", "channel", "arxiv_id"])


def downgrade() -> None:
    op.drop_index("ix_threads_paper", table_name="threads")
    op.drop_index("ix_threads_thread_ref", table_name="threads")
    for table in ("saved", "engagement", "replies", "repliers", "reactors", "votes", "paper_messages"):
        op.drop_table(table)
