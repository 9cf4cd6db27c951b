"""SQLite plans the community lookups as one index seek a key once it has statistics (ANALYZE), which
`migrate` and the hourly upkeep take; without them it read a platform's every card a reaction."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.engagement import _binds, _cards_query, _firsts_query, _Space
from bot.store.engine import create_engine, database_url, migrate, refresh_statistics
from bot.store.tables import paper_messages, threads

NOW = datetime(2026, 6, 3, tzinfo=UTC)


async def plan(engine: AsyncEngine, query: Select[Any], size: int) -> str:
    pairs = [(f"C{i}", f"{i}.1") for i in range(size)]
    sql = str(
        query.params(_binds(_Space("slack", "T1"), pairs)).compile(engine, compile_kwargs={"literal_binds": True})
    )
    async with engine.connect() as conn:
        return " | ".join(str(row[3]) for row in await conn.execute(text("EXPLAIN QUERY PLAN " + sql)))


@pytest.mark.slow
async def test_after_statistics_each_card_is_one_seek(tmp_path: Path) -> None:
    engine = create_engine(database_url(None, tmp_path))
    try:
        await migrate(engine)
        cards = [
            {
                "platform": platform,
                "workspace": "T1",
                "channel": f"C{c}",
                "thread_ref": f"{c}.{n}",
                "arxiv_id": f"2606.{n:05d}",
                "origin": "digest",
                "created_at": NOW,
            }
            for platform in ("slack", "discord")
            for c in range(40)
            for n in range(30)
        ]
        async with engine.begin() as conn:
            await conn.execute(insert(threads), cards)
            await conn.execute(
                insert(paper_messages),
                [
                    {k: card[k] for k in ("platform", "workspace", "channel", "arxiv_id")}
                    | {"message": f"{card['thread_ref']}9", "posted_at": NOW}
                    for card in cards
                ],
            )
        await refresh_statistics(engine)
        for size in (1, 2, 32):
            for query in (
                _cards_query(threads, "thread_ref", "created_at", size),
                _cards_query(paper_messages, "message", "posted_at", size),
                _firsts_query(size),
            ):
                found = await plan(engine, query, size)
                assert "(platform=?)" not in found, found  # no reading of a whole platform
                assert "channel=?" in found or "thread_ref=?" in found, found  # a seek a key
    finally:
        await engine.dispose()


@pytest.mark.slow
async def test_statistics_wait_for_no_other_writer_and_leave_the_stores_wait_as_it_was(tmp_path: Path) -> None:
    """Another process writing: the refresh gives up at once (the next hour's takes them); the store's own
    connections still wait their 30 s for a lock."""
    engine = create_engine(database_url(None, tmp_path))
    try:
        await migrate(engine)
        other = sqlite3.connect(tmp_path / "paperboy.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        try:
            await asyncio.wait_for(refresh_statistics(engine), 10)  # not the 30 s of a store's wait
        finally:
            other.execute("ROLLBACK")
            other.close()
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 30000
    finally:
        await engine.dispose()


async def test_a_store_in_memory_keeps_its_tables_through_the_statistics(tmp_path: Path) -> None:
    """Its one connection is the database: the refresh gives it back as it was, not closed."""
    engine = create_engine(database_url("sqlite://", tmp_path))
    try:
        await migrate(engine)
        await refresh_statistics(engine)  # the hourly upkeep
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM papers"))).scalar() == 0
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 30000
    finally:
        await engine.dispose()
