"""What changed in the store since an index last caught up with it: its watermark.

The watermark is a time up to which the index holds every change of the store. Each `updated_at` is
the clock of the process that wrote it, and a transaction takes its `now` before it commits: a change
stamped a moment ago may not be visible yet. So a catch-up vouches only for what is older than the
margin (transactions commit within it, clocks agree within it): the watermark it saves is the store's
newest change, or now less the margin if that is earlier, and the next catch-up re-reads what changed
after it. A store left alone for the margin has nothing to re-read at the next start. A new listing
day moves the paper's `updated_at` too (`PaperStore.save_listings`), whether a sync, an import or
the snapshot added it. Papers listed on days synced after it whose `updated_at` did not move are
read again as well: listings a sync stored before listings moved `updated_at`. Papers are never
deleted from the store; an index that holds more papers than the store, or is ahead of it, is from
another store and is built again.

Re-reading is cheap all the same: each paper changed since the watermark comes with the `stamp` of
its version, and a catch-up reads again only the papers whose version the index does not hold
(`LexicalIndex.stale`). An import of 100,000 papers followed at once by `paperboy run` re-read them
all, 85 s during which `/papers` waited; now it reads their stamps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.store.engine import as_utc
from bot.store.papers import PaperStore, stamp
from bot.store.tables import fetched_days, listings, papers

MARGIN = timedelta(minutes=10)  # a transaction's `now` is taken before it commits; replicas' clocks differ
UNKNOWN = -1  # a version stamp no index holds: the paper is read again


@dataclass(frozen=True)
class Changes:
    watermark: str  # the store's newest change now ("" for an empty store)
    papers: int  # how many papers the store holds
    stamps: dict[str, int]  # the papers changed since the index's watermark: their versions' stamps,
    # UNKNOWN for one whose version the stamp does not tell (none at all: `rebuild`)
    rebuild: bool  # the index is not from this store's past: build it again

    @property
    def ids(self) -> list[str]:
        return sorted(self.stamps)


async def changes_since(store: PaperStore, watermark: str, indexed: int, now: datetime | None = None) -> Changes:
    """The store's changes since `watermark` for an index holding `indexed` papers (`now`: the clock)."""
    async with store.engine.connect() as conn:
        newest = as_utc(await conn.scalar(select(func.max(papers.c.updated_at))))
        count = int(await conn.scalar(select(func.count()).select_from(papers)) or 0)
        settled = (now or datetime.now(UTC)) - MARGIN  # what is older than this has surely committed
        mark = min(newest, settled).isoformat() if newest is not None else ""
        since = datetime.fromisoformat(watermark) if watermark else None
        if since is None or newest is None or since > newest or indexed > count:
            return Changes(mark, count, {}, rebuild=True)
        after = since
        relisted = await conn.execute(  # listings synced by a version that did not move `updated_at`
            select(listings.c.arxiv_id)
            .join(fetched_days, fetched_days.c.day == listings.c.day)
            .join(papers, papers.c.arxiv_id == listings.c.arxiv_id)
            .where(fetched_days.c.fetched_at > after, papers.c.updated_at <= after)
        )
        stamps = dict.fromkeys((row.arxiv_id for row in relisted), UNKNOWN)
        changed = await conn.execute(select(papers.c.arxiv_id, papers.c.updated_at).where(papers.c.updated_at > after))
        stamps.update((row.arxiv_id, stamp(row.updated_at)) for row in changed)
    return Changes(mark, count, stamps, rebuild=False)
