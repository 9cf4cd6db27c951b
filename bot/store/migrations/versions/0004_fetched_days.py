"""fetched_days: each listing day a sync asked Hugging Face for, so an empty day is told from a missing one"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "fetched_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_fetched_days"),
    )


def downgrade() -> None:
    op.drop_table("fetched_days")
