"""subscriptions.person: a personal follow is the subscription of a person's direct message with the bot"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    # Nullable, no default: every subscription already stored stays a channel's (person NULL).
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("person", sa.String(64), nullable=True))
        batch.create_index("ix_subscriptions_person", ["person"])


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_index("ix_subscriptions_person")
        batch.drop_column("person")
