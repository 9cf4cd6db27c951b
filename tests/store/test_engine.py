"""Opening the store: migrations to head, and alembic left out when the schema is already there."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from bot.domain.errors import ConfigError, StoreError
from bot.store.engine import (
    HEAD_REVISION,
    alembic_config,
    check_server,
    create_engine,
    database_url,
    migrate,
    schema_revisions,
)
from tests.conftest import BACKENDS, store_engine


def test_the_head_revision_constant_is_alembics_head() -> None:
    """`HEAD_REVISION` must move with every new migration: a store at the old head would be left there."""
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def _upgrade_to_0002(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0002")


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.slow
async def test_a_new_and_an_older_store_reach_head(name: str, tmp_path: Path) -> None:
    async with store_engine(name, tmp_path) as engine:
        async with engine.begin() as connection:
            assert await connection.run_sync(schema_revisions) == set()
            await connection.run_sync(_upgrade_to_0002)
            assert await connection.run_sync(schema_revisions) == {"0002"}
        await migrate(engine)
        await migrate(engine)  # at head: nothing to do, and nothing fails
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {HEAD_REVISION}
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"papers", "listings", "embeddings"} <= tables


@pytest.mark.parametrize(
    ("url", "meant"),
    [
        ("postgresql+psycopg2://ada:pw@db:5432/papers", "postgresql+psycopg://ada:***@db:5432/papers"),
        ("postgresql+asyncpg://ada:pw@db/papers", "postgresql+psycopg://ada:***@db/papers"),
        ("postgresql://ada:pw@db/papers?sslmode=require", "postgresql+psycopg://ada:***@db/papers?sslmode=require"),
        ("sqlite+pysqlite:////tmp/paperboy.db", "sqlite+aiosqlite:////tmp/paperboy.db"),
        ("SQLITE:////tmp/paperboy.db", "sqlite+aiosqlite:////tmp/paperboy.db"),  # as some write it
    ],
)
def test_any_sqlalchemy_url_of_sqlite_or_postgresql_is_taken_with_the_driver_paperboy_ships(
    url: str, meant: str
) -> None:
    """The contract: "any SQLAlchemy URL; postgresql+...:// for several replicas"."""
    assert str(database_url(url, Path("."))) == meant


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("mysql://ada:hunter2@db/papers", "mysql is not a database paperboy runs on"),
        # the password's tail was said as the host ("PostgreSQL at ter2@db … the host name is unknown")
        ("postgresql://ada:hun@hunter2@db/papers", "its user name or password holds an `@`: write it as %40"),
        # a typo's dialect: SQLAlchemy's NoSuchModuleError traceback, not a line
        ("postgressql://ada:hunter2@db/papers", "postgressql is not a database paperboy runs on (did you mean"),
        ("postgresql+nosuch://ada:hunter2@db/papers", "its driver 'nosuch' is unknown"),
        ("sqlite+nosuch:///x.db", "its driver 'nosuch' is unknown"),
        ("sqlite://ada:hunter2@db/papers.db", "a SQLite URL names a file, not a host"),
        ("sqlite:///x.db?mode=ro", "SQLite takes no option 'mode' (only timeout,"),
        ("sqlite:///x.db?journal=wal&foo=1", "SQLite takes no option 'foo', 'journal' (only"),
        ("sqlite:///x.db?timeout=soon", "a SQLite option's value is wrong (could not convert string to float: 'soon')"),
        ("sqlite:///x.db?uri=maybe", "a SQLite option's value is wrong (String is not true/false: 'maybe')"),
        # made a new store named `x.db?mode=ro`, filled it and wrote to it, in place of the one meant
        ("sqlite:////tmp/x.db?mode=ro&uri=true", "with uri=true the path must start with file:"),
    ],
)
def test_a_database_url_paperboy_cannot_use_is_one_line_without_the_password(url: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        create_engine(database_url(url, Path(".")))
    assert str(caught.value).startswith(f"PAPERBOY_DATABASE_URL: {said}")
    assert "hunter2" not in str(caught.value)


def _upgrade_to_0010(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "0010")


@pytest.mark.parametrize("name", BACKENDS)
@pytest.mark.slow
async def test_a_store_lacking_part_of_its_stamped_schema_is_refused_in_our_words(name: str, tmp_path: Path) -> None:
    """A development version reused revision numbers ("0007" was the installations' before it was the
    roundup's): its store was upgraded past what it lacked, stamped the newest, and every command then
    failed "unexpectedly" on "no such column: subscriptions.person", with no way back."""
    from sqlalchemy import text

    from bot.domain.errors import StoreError

    async with store_engine(name, tmp_path) as engine:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade_to_0010)
            await connection.execute(text("DROP TABLE thread_notes"))  # as such a store lacks it
        with pytest.raises(StoreError, match=r"lacks table thread_notes: a development version of paperboy"):
            await migrate(engine)  # 0010 → 0011, then the check, in one transaction
        async with engine.connect() as connection:
            assert await connection.run_sync(schema_revisions) == {"0010"}  # not stamped: nothing changed
        async with engine.begin() as connection:
            await connection.run_sync(lambda c: command.stamp(alembic_config(c), HEAD_REVISION))
        with pytest.raises(StoreError, match=r"is stamped schema revision .* but lacks .*table thread_notes"):
            await migrate(engine)  # stamped already (by an earlier paperboy): said at every start


def test_a_postgresql_older_than_paperboy_works_with_is_said_at_start() -> None:
    """PostgreSQL 10 has no hashtextextended: the first change of a channel's digest failed with the
    database's words. The server's version is what SQLAlchemy's dialect read when it connected."""
    with pytest.raises(
        StoreError, match=r"db is PostgreSQL 10\.23, and paperboy needs 11 or later; upgrade the server"
    ):
        check_server("postgresql", (10, 23), "db")
    check_server("postgresql", (11, 0), "db")
    check_server("postgresql", (17, "beta1"), "db")
    check_server("sqlite", (3, 8), "db")


def test_a_sqlite_file_in_the_data_dir_yet_to_be_made_is_taken(tmp_path: Path) -> None:
    """The data dir is made at start, its store in it by default; a URL naming a file there is taken too.
    Elsewhere, a folder that does not exist is refused (`…its file's folder … does not exist`)."""
    data = tmp_path / "data"
    assert database_url(f"sqlite:///{data / 'paperboy.db'}", data).database == str(data / "paperboy.db")
    assert database_url(f"sqlite:///{data / 'stores' / 'a.db'}", data).database == str(data / "stores" / "a.db")
    with pytest.raises(ConfigError) as refused:  # a path mistyped made a new, empty store there, folders too
        database_url(f"sqlite:///{tmp_path / 'elsewhere' / 'a.db'}", data)
    assert str(refused.value) == (
        f"PAPERBOY_DATABASE_URL: its file's folder {tmp_path / 'elsewhere'} does not exist: correct the path, or"
        " create the folder for a new store there"
    )
    assert not (tmp_path / "elsewhere").exists()
