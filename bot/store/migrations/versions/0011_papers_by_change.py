"""papers by change: an index on (updated_at, arxiv_id)

A search index catching up with the store asks what changed since its watermark, and the store's
newest change (`bot/store/changes.py`). Both read the whole papers table without it: right after an
import of 1M papers, a restart spent seconds there before its first answer. With it they read the
index alone.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_index("ix_papers_updated_at", "papers", ["updated_at", "arxiv_id"])


def downgrade() -> None:
    op.drop_index("ix_papers_updated_at", table_name="papers")
