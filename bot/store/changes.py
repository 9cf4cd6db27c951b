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
all, 85 s during which `/papers` waited; then it read their stamps. Now, first, the store counts the
papers changed since the watermark and sums their stamps, in SQL; when the index's own `Tally` of
the versions it holds past the watermark is the same, it holds each of them as it is, and no stamp
is read (after an import of 1M papers, reading them took 6 s of a restart). A paper the index holds
at another version, or not at all, changes the count or the sum; only a difference read to the
microsecond elsewhere that cancelled it exactly could hide one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.engine import as_utc
from bot.store.papers import PaperStore, stamp
from bot.store.tables import fetched_days, listings, papers

MARGIN = timedelta(minutes=10)  # a transaction's `now` is taken before it commits; replicas' clocks differ
UNKNOWN = -1  # a version stamp no index holds: the paper is read again
EPOCH = stamp(datetime(1970, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Tally:
    """Papers changed after a watermark: how many, and the sum of their versions' stamps."""

    count: int
    total: int


def stamp_of(watermark: str) -> int:
    """The stamp of a watermark (`Changes.watermark`): a paper changed after it has a greater one."""
    return stamp(datetime.fromisoformat(watermark))


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


async def changes_since(
    store: PaperStore, watermark: str, indexed: int, now: datetime | None = None, held: Tally | None = None
) -> Changes:
    """The store's changes since `watermark` for an index holding `indexed` papers (`now`: the clock;
    `held`: the index's tally of the versions it holds changed after the watermark: when the store's
    is the same, the papers changed are not listed, only those relisted)."""
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
        if held is None or held != await _tally(conn, after):
            changed = await conn.execute(
                select(papers.c.arxiv_id, papers.c.updated_at).where(papers.c.updated_at > after)
            )
            stamps.update((row.arxiv_id, stamp(row.updated_at)) for row in changed)
    return Changes(mark, count, stamps, rebuild=False)


async def _tally(conn: AsyncConnection, after: datetime) -> Tally | None:
    """The store's tally of the papers changed after `after` (None where the SQL is not known)."""
    parts = _seconds_and_microseconds(conn.dialect.name)
    if parts is None:
        return None
    seconds, microseconds = parts
    row = (
        await conn.execute(
            select(func.count(), func.sum(seconds), func.sum(microseconds)).where(papers.c.updated_at > after)
        )
    ).one()
    count, total = int(row[0]), int(row[1] or 0) * 1_000_000 + int(row[2] or 0)
    return Tally(count, total + count * EPOCH)


def _seconds_and_microseconds(dialect: str) -> tuple[ColumnElement[Any], ColumnElement[Any]] | None:
    """Each paper's `updated_at` in SQL as whole seconds since 1970 and its microseconds, exactly."""
    at = papers.c.updated_at
    if dialect == "sqlite":  # text in UTC, 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy writes the fraction);
        # the seconds read from the text cut before its fraction: SQLite's date functions round a time to
        # the millisecond, and would make '12:00:00.999600' the next second
        seconds = func.strftime("%s", func.substr(at, 1, 19))
        return cast(seconds, BigInteger), cast(func.substr(at, 21), BigInteger)
    if dialect == "postgresql":  # a double before PostgreSQL 14: the seconds are whole, each part exact
        return (
            cast(func.floor(extract("epoch", at)), BigInteger),
            cast(extract("microseconds", at), BigInteger) % 1_000_000,
        )
    return None
