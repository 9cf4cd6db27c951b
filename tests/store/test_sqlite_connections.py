"""A SQLite connection that fails to open lets its aiosqlite worker thread go before the failure is
raised: a thread stopping after the event loop closed died with "Event loop is closed", a traceback
after a store fault's one line (and a pytest error on whichever test ran next)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from bot.store.engine import create_engine, database_url


def workers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "_connection_worker_thread" in t.name and t.is_alive()}


@pytest.mark.parametrize("attempt", range(5))  # the thread stops soon after, if not waited for: seen in most tries
async def test_a_store_that_cannot_be_opened_leaves_no_worker_thread_behind(tmp_path: Path, attempt: int) -> None:
    (tmp_path / "paperboy.db").mkdir()  # a directory: SQLite cannot open it
    before = workers()
    engine = create_engine(database_url(None, tmp_path))
    try:
        with pytest.raises(DBAPIError, match="unable to open database file"):
            async with engine.connect():
                pass
        assert workers() - before == set()
    finally:
        await engine.dispose()


async def test_a_store_that_opens_keeps_its_worker_until_it_is_closed(tmp_path: Path) -> None:
    engine = create_engine(database_url(None, tmp_path))
    before = workers()
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert len(workers() - before) == 1
    await engine.dispose()
    left = workers() - before
    for worker in left:  # closing resolves once the thread has closed the connection, just before it ends
        worker.join(timeout=5)
    assert not any(worker.is_alive() for worker in left)
