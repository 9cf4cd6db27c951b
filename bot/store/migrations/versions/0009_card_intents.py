"""card intents: what a card about to be posted shows (upvotes, code repository), kept with its intent

A card whose post a dying process had begun is followed (a living thread) from what that process
meant to post, not from the paper as it is when another process finds the card out: news that
came in between (upvotes past 500, code out) is still news in its thread. NULL on intents written
before this revision (those are followed as the store has the paper, as before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    with op.batch_alter_table("digest_papers") as batch:
        batch.add_column(sa.Column("upvotes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("repo", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digest_papers") as batch:
        batch.drop_column("repo")
        batch.drop_column("upvotes")
