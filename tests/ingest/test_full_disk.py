"""A store that cannot grow mid-import or mid-sync (a full disk): what was stored is kept and said.

SQLite's `max_page_count` makes the disk full for real: the store gets SQLite's own "database or disk
is full" (SQLITE_FULL), as on a full disk, at the page it sets."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text

from bot.ingest.importer import ImportStopped, import_paths
from bot.ingest.sync import SyncStopped
from bot.store.papers import PaperStore
from tests.conftest import BACKENDS, CURRENT, Sleeps
from tests.ingest.test_sync_catalog import wire

ROOM_PAGES = 120  # a few days' listings fit, not every day of the recording
pytestmark = pytest.mark.parametrize("store", [BACKENDS[0]], indirect=True)  # max_page_count is SQLite's


@pytest.fixture
async def cramped(store: PaperStore) -> PaperStore:
    """The store, on SQLite, with room for about `ROOM_PAGES` more pages of 4 KB."""
    assert store.engine.dialect.name == "sqlite"
    async with store.engine.connect() as conn:
        pages = int((await conn.execute(text("PRAGMA page_count"))).scalar_one())
    await store.engine.dispose()

    def capped(connection: Any, _record: Any) -> None:
        connection.execute(f"PRAGMA max_page_count = {pages + ROOM_PAGES}")

    event.listen(store.engine.sync_engine, "connect", capped)
    return store


async def test_an_import_stopped_by_a_full_store_keeps_and_says_the_files_before(cramped: PaperStore) -> None:
    files = sorted(CURRENT.glob("*.json"))
    with pytest.raises(ImportStopped) as stopped:
        await import_paths(cramped, files)
    kept = stopped.value.results
    assert kept and all(r.counts is not None and r.counts.listings for r in kept)  # the files before it
    assert stopped.value.path == files[len(kept)] and stopped.value.left == files[len(kept) + 1 :]
    assert "full" in str(stopped.value.__cause__)  # SQLite's error, for the command line to say in our words
    assert (await cramped.counts()).listings == sum(r.counts.listings for r in kept if r.counts)


@pytest.mark.slow
async def test_a_sync_stopped_by_a_full_store_keeps_its_report(
    cramped: PaperStore, client: httpx.AsyncClient, sleeps: Sleeps
) -> None:
    syncer, _, _ = wire(cramped, client, sleeps)
    days = [date(2026, 6, d) for d in range(1, 13)]
    with pytest.raises(SyncStopped) as stopped:
        await syncer.sync(days)
    report, day = stopped.value.report, stopped.value.day
    assert report.fetched and report.fetched == [d for d in days if d < day and d not in report.empty_days]
    assert report.failed[day].startswith("not stored: the store could not take it")
    assert all(report.failed[d].startswith(f"not asked, as the store could not take {day}") for d in days if d > day)
    assert len(await cramped.listing(report.fetched[0])) > 0  # what was stored stays
