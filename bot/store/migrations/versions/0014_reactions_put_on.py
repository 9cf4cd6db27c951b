"""reactions put on: votes keep since when each reaction is on, apart from when it last changed

Discord stamps a reaction with the time it arrives, so a later copy of the same add (a gateway
replay, a second replica) moved `event_at`, and a reaction put on late one week could move into the
next week's "most discussed". `put_on_at` is set when a reaction goes on and kept through copies of
that add; `event_at` still orders the changes. A roundup's week is now read on `put_on_at`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.add_column("votes", sa.Column("put_on_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE votes SET put_on_at = event_at WHERE present")
    op.drop_index("ix_votes_channel_at", table_name="votes")
    op.create_index("ix_votes_channel_on", "votes", ["platform", "channel", "put_on_at"])


def downgrade() -> None:
    op.drop_index("ix_votes_channel_on", table_name="votes")
    op.create_index("ix_votes_channel_at", "votes", ["platform", "channel", "event_at"])
    with op.batch_alter_table("votes") as batch:
        batch.drop_column("put_on_at")
