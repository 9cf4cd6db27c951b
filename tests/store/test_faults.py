"""Store faults in our words: real failures of real databases, each one `StoreError` without paper data."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from bot.domain.errors import StoreError
from bot.store.engine import create_engine, database_url, migrate
from bot.store.faults import causes, store_fault
from bot.store.papers import PaperStore
from tests.conftest import POSTGRES, listings_of

SECRET_ID = "2605.29307"  # a paper of 2026-06-01: no fault may show it


async def fault_of(
    url: URL, action: Callable[[PaperStore], Awaitable[object]] | None = None, setting: str = "PAPERBOY_DATA_DIR"
) -> StoreError:
    """Open the store at `url` (migrating it), run `action`, and map what fails."""

    async def attempt() -> None:
        engine = create_engine(url)
        try:
            await migrate(engine)
            if action is not None:
                await action(PaperStore(engine))
        finally:
            await engine.dispose()

    with pytest.raises((OSError, DBAPIError)) as failed:
        await attempt()
    fault = store_fault(failed.value, url, setting)
    assert fault is not None, failed.value
    said = str(fault)
    assert "\n" not in said and SECRET_ID not in said and "INSERT" not in said and "parameters" not in said
    return fault


async def save_a_day(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01"))


async def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_text("not a directory", encoding="utf-8")
    fault = await fault_of(database_url(None, data))
    assert str(fault) == (
        f"the data directory {data} is a file, not a directory; move the file away or set PAPERBOY_DATA_DIR "
        "to a directory paperboy may create and write"
    )


async def test_a_data_dir_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    fault = await fault_of(database_url(None, tmp_path / "file" / "data"))
    assert f"cannot be created: {tmp_path / 'file'} is a file" in str(fault)


async def test_a_store_that_is_a_directory_says_so(tmp_path: Path) -> None:
    """It was "cannot be opened for writing; make its parent writable", which it was."""
    (tmp_path / "paperboy.db").mkdir()
    fault = await fault_of(database_url(None, tmp_path))
    assert str(fault).startswith(
        f"the store {tmp_path / 'paperboy.db'} is a directory, not a database file; move it away"
    )


async def test_a_store_in_a_directory_this_user_may_not_enter_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data dir made by root (mode 700) and run as a service's user: looking at the file raised
    PermissionError inside the mapping of SQLite's refusal, and paperboy ended with three tracebacks.
    (The refusal is SQLite's own; what the folder's mode makes `stat` do, as another user, is played.)"""
    (tmp_path / "paperboy.db").mkdir()  # SQLite cannot open it: the mapping looks at the path

    is_dir = Path.is_dir

    def refused(path: Path) -> bool:
        if path.name == "paperboy.db":
            raise PermissionError(13, "Permission denied", str(path))
        return is_dir(path)

    monkeypatch.setattr(Path, "is_dir", refused)
    fault = await fault_of(database_url(None, tmp_path))
    assert str(fault).startswith(f"the store {tmp_path / 'paperboy.db'} cannot be opened: this user may not enter")


async def test_a_store_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "paperboy.db").write_bytes(b"\x07 not sqlite " * 1000)
    fault = await fault_of(database_url(None, tmp_path))
    assert str(fault).startswith(f"the store {tmp_path / 'paperboy.db'} is not a database paperboy can read; restore")


@pytest.mark.slow
async def test_a_store_opened_read_only_refuses_writes_in_our_words(tmp_path: Path) -> None:
    engine = create_engine(database_url(None, tmp_path))
    await migrate(engine)
    await engine.dispose()
    url = make_url(f"sqlite+aiosqlite:///file:{tmp_path / 'paperboy.db'}?mode=ro&uri=true")
    fault = await fault_of(url, save_a_day, "PAPERBOY_DATABASE_URL")
    assert str(fault) == (
        f"the store {tmp_path / 'paperboy.db'} was opened read-only (mode=ro in PAPERBOY_DATABASE_URL) and this "
        "command writes to it; take mode=ro out of PAPERBOY_DATABASE_URL for it"
    )


@pytest.mark.slow
async def test_an_unexpected_database_error_keeps_the_values_out(tmp_path: Path) -> None:
    async def bad_statement(store: PaperStore) -> None:
        async with store.engine.begin() as conn:
            await conn.execute(text("INSERT INTO no_such_table (id) VALUES (:id)"), {"id": SECRET_ID})

    fault = await fault_of(database_url(None, tmp_path), bad_statement)
    assert fault.reason == "failed unexpectedly (OperationalError SQLITE_ERROR: no such table: no_such_table)"


async def test_an_unreachable_postgresql_is_named_without_its_password() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    fault = await fault_of(database_url(f"postgresql://bot:hunter2@127.0.0.1:{port}/papers", Path(".")))
    assert str(fault) == (
        f"PostgreSQL at 127.0.0.1:{port} (database papers) cannot be reached: nothing is listening there; "
        "start it, or correct the host and port in PAPERBOY_DATABASE_URL"
    )


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("foo=bar", 'invalid connection option "foo"'),
        ("sslmode=bogus", 'invalid sslmode value: "bogus"'),
        ("connect_timeout=soon", "bad value for connect_timeout: 'soon'"),
    ],
)
async def test_a_postgresql_url_option_libpq_does_not_take_is_named_with_its_fix(option: str, said: str) -> None:
    """Not "cannot be reached" (nothing was tried), nor "failed unexpectedly ... report it": the URL is wrong."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fault = await fault_of(database_url(f"postgresql://bot:hunter2@127.0.0.1:{port}/papers?{option}", Path(".")))
    assert str(fault) == (
        f"PostgreSQL at 127.0.0.1:{port} (database papers) was not tried: an option of PAPERBOY_DATABASE_URL is "
        f"wrong ({said}); correct or remove it after the ? in PAPERBOY_DATABASE_URL"
    )
    assert "hunter2" not in str(fault)


needs_postgres = pytest.mark.skipif(not POSTGRES, reason="no PostgreSQL (see scripts/with-postgres.sh)")


@needs_postgres
async def test_a_postgresql_database_that_does_not_exist() -> None:
    assert POSTGRES is not None
    url = database_url(make_url(POSTGRES).set(database="paperboy_no_such_db").render_as_string(False), Path("."))
    fault = await fault_of(url)
    assert fault.reason == "has no such database"
    assert "createdb" in fault.fix


@needs_postgres
async def test_tls_required_of_a_postgresql_without_it_is_said_so() -> None:
    """`?sslmode=require` against a server that takes no TLS was "cannot be reached; start it, or correct
    the host and port", of a server that had answered."""
    assert POSTGRES is not None
    url = make_url(POSTGRES).update_query_dict({"sslmode": "require"})
    fault = await fault_of(database_url(url.render_as_string(False), Path(".")))
    assert fault.reason == "takes no TLS (SSL), which the URL's sslmode requires"
    assert fault.fix.startswith("turn TLS on at the server, or change sslmode in PAPERBOY_DATABASE_URL")


@needs_postgres
async def test_a_read_only_postgresql_refuses_writes_in_our_words() -> None:
    from tests.fakes.postgres import postgres_database

    assert POSTGRES is not None
    async with postgres_database(POSTGRES) as server:
        engine = create_engine(database_url(server, Path(".")))
        await migrate(engine)
        await engine.dispose()
        read_only = make_url(server).update_query_dict({"options": "-c default_transaction_read_only=on"})
        fault = await fault_of(database_url(read_only.render_as_string(False), Path(".")), save_a_day)
    assert fault.reason == "is read-only (a standby?)"


def test_causes_walks_groups_and_chains() -> None:
    inner = OSError(98, "address already in use")
    try:
        try:
            raise inner
        except OSError as exc:
            raise RuntimeError("starting failed") from exc
    except RuntimeError as outer:
        group = ExceptionGroup("tasks", [ValueError("x"), outer])
    assert inner in list(causes(group))


def test_an_unknown_host_is_to_be_corrected_not_started() -> None:
    """It said "start it, or correct the host and port": there is nothing to start at a name no one has."""

    class OperationalError(Exception):  # as psycopg's, before any answer: no SQLSTATE
        sqlstate = None

    unknown = OperationalError('could not translate host name "nonexistent.invalid" to address')
    url = make_url("postgresql://bot:hunter2@nonexistent.invalid/papers")
    fault = store_fault(DBAPIError("SELECT 1", None, unknown), url)
    assert str(fault) == (
        "PostgreSQL at nonexistent.invalid:5432 (database papers) cannot be reached: the host name is unknown;"
        " correct the host in PAPERBOY_DATABASE_URL"
    )
