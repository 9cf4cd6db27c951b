"""discussed by time: votes and replies indexed on (platform, channel, when)

A weekly roundup's "most discussed here this week" counts the reactions put on and the replies made
in its week, whenever the paper's cards went out (a card of an old paper discussed this week counts
this week). These indexes make that a range read of the channel's week, not of all its votes.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.create_index("ix_votes_channel_at", "votes", ["platform", "channel", "event_at"])
    op.create_index("ix_replies_channel_at", "replies", ["platform", "channel", "replied_at"])


def downgrade() -> None:
    op.drop_index("ix_replies_channel_at", table_name="replies")
    op.drop_index("ix_votes_channel_at", table_name="votes")
