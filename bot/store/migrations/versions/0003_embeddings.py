"""embeddings: one vector per paper for hybrid search"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "embeddings",
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("checksum", sa.String(16), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("arxiv_id", name="pk_embeddings"),
    )


def downgrade() -> None:
    op.drop_table("embeddings")
