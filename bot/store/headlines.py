"""The few columns of every paper that suggestions need (id, title, keywords, votes, last listing day).

Reading whole papers (abstracts, authors) to suggest titles would cost a large store seconds and
hundreds of megabytes; these rows are a small fraction of that, read in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.tables import listings, papers


@dataclass(frozen=True)
class Headline:
    arxiv_id: str
    title: str
    keywords: tuple[str, ...]
    upvotes: int
    day: date | None  # the last Hugging Face listing day, None for a paper fetched by id only


async def headlines(engine: AsyncEngine) -> list[Headline]:
    """Every paper's headline, in no particular order."""
    last = select(listings.c.arxiv_id, func.max(listings.c.day).label("day")).group_by(listings.c.arxiv_id).subquery()
    query = select(papers.c.arxiv_id, papers.c.title, papers.c.ai_keywords, papers.c.upvotes, last.c.day).outerjoin(
        last, last.c.arxiv_id == papers.c.arxiv_id
    )
    async with engine.connect() as conn:
        result = await conn.execute(query)
        return [
            Headline(row.arxiv_id, row.title, tuple(row.ai_keywords or ()), int(row.upvotes or 0), row.day)
            for row in result
        ]


async def headlines_stamp(engine: AsyncEngine) -> tuple[int, int, object]:
    """What changes whenever a paper or a listing is added or a paper updated: a cheap test for staleness."""
    async with engine.connect() as conn:
        papers_row = (await conn.execute(select(func.count(), func.max(papers.c.updated_at)))).one()
        listed = (await conn.execute(select(func.count()).select_from(listings))).scalar_one()
    return int(papers_row[0]), int(listed), papers_row[1]
