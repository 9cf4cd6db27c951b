"""Migrating is all or nothing, one process at a time: a step that fails (or a process that dies) midway
leaves the store at its old revision, ready to migrate again; processes starting together on a fresh
store all open it; a store of a newer paperboy is named, not a traceback."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, event, text

from bot.domain.errors import StoreError
from bot.store.engine import (
    HEAD_REVISION,
    alembic_config,
    create_engine,
    database_url,
    migrate,
    schema_revisions,
    sqlite_path,
)
from tests.conftest import BACKENDS, backend, store_engine


def _at_0004_with_a_stray_table(connection: Connection) -> None:
    """A store at 0004 holding a table that 0005 creates after its first changes: 0005 fails midway."""
    command.upgrade(alembic_config(connection), "0004")
    connection.execute(text("CREATE TABLE oauth_states (state VARCHAR(200) PRIMARY KEY)"))


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.slow
async def test_an_upgrade_that_fails_midway_leaves_the_old_revision_ready_to_migrate_again(
    backend_name: str, tmp_path: Path
) -> None:
    async with store_engine(backend_name, tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(_at_0004_with_a_stray_table)
        with pytest.raises(Exception, match="oauth_states"):
            await migrate(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {"0004"}
        async with engine.begin() as connection:
            await connection.execute(text("DROP TABLE oauth_states"))
        await migrate(engine)  # 0005's first changes were rolled back with the rest: it runs again from the start
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {HEAD_REVISION}


@pytest.mark.slow
async def test_a_migration_interrupted_with_its_connection_closed_ends_as_interrupted(tmp_path: Path) -> None:
    """A Ctrl-C (`asyncio.run` cancels the main task) while a migration writes: SQLAlchemy invalidates
    the connection, which closes SQLite's, and then putting its isolation level back raised ValueError
    ("no active connection") over the cancellation: a traceback and exit 1 in place of "interrupted" and
    exit 130. The cancel is asked for as 0005 creates a table; the store stays at 0004, and migrates after."""
    async with store_engine("sqlite", tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "0004"))
        cancelled: list[str] = []

        def interrupt(_conn: Connection, _cursor: object, statement: str, *_rest: object) -> None:
            if "CREATE TABLE oauth_states" in statement and not cancelled:
                cancelled.append(statement)
                upgrade.cancel()  # delivered at this statement's await, as a Ctrl-C's is

        event.listen(engine.sync_engine, "before_cursor_execute", interrupt)
        upgrade = asyncio.create_task(migrate(engine))
        with pytest.raises(asyncio.CancelledError):  # not ValueError: the interrupt goes on as it came
            await upgrade
        event.remove(engine.sync_engine, "before_cursor_execute", interrupt)
        assert cancelled  # it was cut short midway, not before or after the migration
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {"0004"}  # 0005's changes rolled back
        await migrate(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {HEAD_REVISION}


@pytest.mark.parametrize("backend_name", BACKENDS)
@pytest.mark.slow
async def test_processes_starting_together_on_a_fresh_store_all_open_it(backend_name: str, tmp_path: Path) -> None:
    async with backend(backend_name) as url:
        engines = [create_engine(database_url(url, tmp_path)) for _ in range(4)]
        try:
            await asyncio.gather(*(migrate(engine) for engine in engines))
            async with engines[0].connect() as connection:
                assert await connection.run_sync(schema_revisions) == {HEAD_REVISION}
        finally:
            for engine in engines:
                await engine.dispose()


@pytest.mark.slow
async def test_a_fresh_store_held_by_another_process_is_switched_to_wal_once_it_lets_go(tmp_path: Path) -> None:
    """SQLite refuses a journal-mode change at once, without its busy wait, while another connection writes
    to the file: the case of processes starting together on a fresh store (it failed CI once). The wait must
    leave the event loop free: the other connection lets go from a loop callback."""
    url = database_url(None, tmp_path)
    other = sqlite3.connect(sqlite_path(url), isolation_level=None)
    other.execute("CREATE TABLE started (at TEXT)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO started VALUES ('now')")  # holds the file's write lock until COMMIT
    asyncio.get_running_loop().call_later(0.3, other.execute, "COMMIT")
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        assert mode == "wal"
    finally:
        await engine.dispose()
        other.close()


@pytest.mark.parametrize("backend_name", BACKENDS)
async def test_a_store_of_a_newer_paperboy_is_named_in_one_line(backend_name: str, tmp_path: Path) -> None:
    async with store_engine(backend_name, tmp_path) as engine:
        await migrate(engine)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        with pytest.raises(StoreError) as refused:
            await migrate(engine)
        assert "schema revision 0099" in str(refused.value) and "a newer paperboy wrote it" in str(refused.value)
        assert "restore a backup" in str(refused.value)


async def test_an_upgrade_cut_by_ctrl_c_is_said_as_an_interrupt_not_its_clean_ups_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C in the first command on a new store, while a table was rebuilt: alembic's clean-up then raised
    PendingRollbackError, printed as a traceback with exit 1 for "interrupted" and 130."""
    from sqlalchemy.exc import PendingRollbackError

    import bot.store.engine as engine_module

    def cut(connection: Connection, where: str) -> None:
        try:
            raise asyncio.CancelledError  # as the task running the upgrade is cancelled
        except asyncio.CancelledError:
            raise PendingRollbackError("Can't reconnect until invalid transaction is rolled back.") from None

    monkeypatch.setattr(engine_module, "_upgrade_locked", cut)
    engine = create_engine(database_url(None, tmp_path))
    try:
        with pytest.raises(asyncio.CancelledError):
            await migrate(engine)
    finally:
        await engine.dispose()
