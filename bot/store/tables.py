"""The store's tables, the one place the schema is written down (migrations follow it)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

papers = Table(
    "papers",
    metadata,
    Column("arxiv_id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("abstract", Text, nullable=False, default=""),
    Column("authors", JSON, nullable=False, default=list),
    Column("published_at", DateTime(timezone=True)),
    Column("upvotes", Integer, nullable=False, default=0),
    Column("num_comments", Integer, nullable=False, default=0),
    Column("organization", Text),
    Column("github_repo", Text),
    Column("github_stars", Integer),
    Column("project_page", Text),
    Column("ai_summary", Text),
    Column("ai_keywords", JSON, nullable=False, default=list),
    Column("thumbnail", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

listings = Table(
    "listings",
    metadata,
    Column("day", Date, primary_key=True),
    Column("arxiv_id", String(32), primary_key=True, index=True),
    Column("rank", Integer, nullable=False),
    Column("upvotes", Integer, nullable=False, default=0),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
