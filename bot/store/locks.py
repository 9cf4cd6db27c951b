"""A lock held for the rest of a transaction, taken before it reads what it will change.

SQLite's driver begins a transaction at its first change only: the reads before it each see the store of
their own moment, and two writers that read, then wrote, each counted or kept what the other changed
(two imports at once each said the same papers were new; two teammates' topics added at once kept one).
"""

from __future__ import annotations

from sqlalchemy import false, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.tables import meta


async def hold(conn: AsyncConnection, key: str) -> None:
    """Hold `key` until `conn`'s transaction ends: on SQLite, the file's write lock (a change matching no
    row, which begins the transaction as a writer; another writer waits for this one); on PostgreSQL, an
    advisory lock on the key (rows or none: a channel's first subscription has no row to lock)."""
    if conn.dialect.name == "sqlite":
        await conn.execute(update(meta).where(false()).values(key=meta.c.key))
    else:
        await conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))
