"""followed regardless: a card `paperboy post` sent to a channel with no subscription is followed for its news
whether or not the channel subscribes (a digest card of a channel that unsubscribed waits for it to subscribe again)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.add_column("followed_cards", sa.Column("regardless", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("followed_cards", "regardless")
