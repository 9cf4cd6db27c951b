"""papers, listings and meta"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "papers",
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("authors", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("num_comments", sa.Integer(), nullable=False),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("github_repo", sa.Text(), nullable=True),
        sa.Column("github_stars", sa.Integer(), nullable=True),
        sa.Column("project_page", sa.Text(), nullable=True),
        sa.Column("ai_summary", sa.Text(), nullable=True),
        sa.Column("ai_keywords", sa.JSON(), nullable=False),
        sa.Column("thumbnail", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("arxiv_id", name="pk_papers"),
    )
    op.create_table(
        "listings",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("arxiv_id", sa.String(32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "arxiv_id", name="pk_listings"),
    )
    op.create_index("ix_listings_arxiv_id", "listings", ["arxiv_id"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_index("ix_listings_arxiv_id", table_name="listings")
    op.drop_table("listings")
    op.drop_table("papers")
