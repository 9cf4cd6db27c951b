"""subscriptions, the delivery ledger (digests, digest_papers), paper threads and seen chat events"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("days", sa.String(32), nullable=False),
        sa.Column("limit", sa.Integer(), nullable=False),
        sa.Column("min_upvotes", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "channel", name="pk_subscriptions"),
    )
    op.create_table(
        "digests",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workspace", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("header_ref", sa.Text(), nullable=True),
        sa.Column("header_intent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("papers", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("platform", "channel", "day", name="pk_digests"),
    )
    op.create_table(
        "digest_papers",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("intent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("message_ref", sa.Text(), nullable=True),
        sa.Column("thread_ref", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seeded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("platform", "channel", "arxiv_id", name="pk_digest_papers"),
    )
    op.create_table(
        "threads",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("thread_ref", sa.String(64), nullable=False),
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "channel", "thread_ref", name="pk_threads"),
    )
    op.create_table(
        "events",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "event_id", name="pk_events"),
    )
    op.create_index("ix_events_seen_at", "events", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_events_seen_at", table_name="events")
    op.drop_table("events")
    op.drop_table("threads")
    op.drop_table("digest_papers")
    op.drop_table("digests")
    op.drop_table("subscriptions")
