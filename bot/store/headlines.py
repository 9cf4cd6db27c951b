"""The few columns of every paper that suggestions need (id, title, keywords, votes, last listing day).

Reading whole papers (abstracts, authors) to suggest titles would cost a large store seconds and
hundreds of megabytes; these rows are a small fraction of that, read in one pass, a chunk at a time
(a store of 100k papers read at once held the event loop for over half a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.host.pools import by_size
from bot.store.tables import listings, papers

CHUNK = 5000  # rows read and made into headlines at a time (a store of 100k: 20 short turns of the loop)


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
    found: list[Headline] = []
    async with engine.connect() as conn:
        result = await conn.stream(query)  # a chunk at a time: the event loop answers between them
        async for rows in result.partitions(CHUNK):
            found += await by_size(len(rows), _headlines, rows)
    return found


def _headlines(rows: Sequence[Any]) -> list[Headline]:
    """Rows as headlines (CPU work: a chunk of them is made in the CPU pool, `by_size`)."""
    return [
        Headline(row.arxiv_id, row.title, tuple(row.ai_keywords or ()), int(row.upvotes or 0), row.day) for row in rows
    ]


async def headlines_stamp(engine: AsyncEngine) -> tuple[int, int, object]:
    """What changes whenever a paper or a listing is added or a paper updated: a cheap test for staleness."""
    async with engine.connect() as conn:
        papers_row = (await conn.execute(select(func.count(), func.max(papers.c.updated_at)))).one()
        listed = (await conn.execute(select(func.count()).select_from(listings))).scalar_one()
    return int(papers_row[0]), int(listed), papers_row[1]
