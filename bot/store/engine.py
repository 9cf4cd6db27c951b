"""Opening the database: URL defaults, async drivers, SQLite pragmas, migrations to head."""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import logging
import re
import sqlite3
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import Connection, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InvalidRequestError, OperationalError, SAWarning
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.util import await_only

from bot.domain.errors import ConfigError, StoreError
from bot.store.sqlite_connections import sqlite_engine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("paperboy.store")

# The newest revision in migrations/versions; a test holds it to alembic's own head. A store already
# there is not handed to alembic at all, whose import and script scan cost every start ~0.12 s.
HEAD_REVISION = "0015"
BUSY_TIMEOUT_S = 30  # how long a SQLite statement waits for another process's write to end
STATISTICS_WAIT_MS = 250  # how long the statistics refresh waits for another process's write
WAL_FIRST_PAUSE_S, WAL_LAST_PAUSE_S = 0.005, 0.25  # between tries to switch a fresh store to WAL
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}
# Drivers SQLAlchemy URLs name for these databases (`postgresql+psycopg2://`, `+asyncpg`): any such URL
# works, with the driver paperboy ships (its options are libpq's, which the others take too).
_OTHER_DRIVERS = {
    "sqlite": ("pysqlite",),
    "postgresql": ("psycopg2", "psycopg2cffi", "asyncpg", "pg8000", "psycopg_async"),
}


def url_fault(url: str) -> str | None:
    """Why a PAPERBOY_DATABASE_URL cannot be read as a database's address, or None (what it names, a
    database paperboy runs on or not, is `create_engine`'s to say). Never the URL: it may hold a password."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        _, colon, port = url.partition("://")[2].split("/")[0].rpartition("@")[2].rpartition(":")
        if colon and port and not port.isdigit() and "]" not in port:  # (not an IPv6 address's last part)
            return f"its port {port[:20]!r} is not a number: write host:PORT, such as localhost:5432"
        return "not a database URL (try sqlite:///path/paperboy.db or postgresql://user:pass@host:5432/db)"
    if "@" in (parsed.host or ""):  # `user:p@ss@host`: the URL is cut at the first `@`, the rest read as the host
        return (
            "its user name or password holds an `@`: write it as %40 there (and `:` as %3A, `/` as %2F), so that"
            " the host is what follows the last `@`"
        )
    if parsed.port is not None and not 0 < parsed.port < 65536:
        return f"its port {parsed.port} is out of range (1 to 65535): PostgreSQL's own is 5432"
    return None


def database_url(url: str | None, data_dir: Path) -> URL:
    """The URL to use: the one given (with an async driver), else a SQLite file in the data dir."""
    if not url:
        return make_url(f"sqlite+aiosqlite:///{(data_dir / 'paperboy.db').resolve()}")
    if (fault := url_fault(url)) is not None:
        raise ConfigError(f"PAPERBOY_DATABASE_URL: {fault}")
    parsed = make_url(url)
    parsed = parsed.set(drivername=parsed.drivername.lower())  # `SQLITE:///…`, as some write it
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    backend = parsed.get_backend_name()  # before the driver's name, which loads a dialect ("postgressql": none)
    if driver is None and backend in _OTHER_DRIVERS and parsed.get_driver_name() in _OTHER_DRIVERS[backend]:
        driver = _ASYNC_DRIVERS[backend]  # another driver's URL: the same database, ours
    if backend == "sqlite" and (missing := _missing_folder(parsed, data_dir)) is not None:
        raise ConfigError(
            f"PAPERBOY_DATABASE_URL: its file's folder {missing} does not exist: correct the path, or create the"
            " folder for a new store there"
        )
    return parsed.set(drivername=driver) if driver else parsed


def _missing_folder(url: URL, data_dir: Path) -> Path | None:
    """The folder of a SQLite file named by URL that does not exist, outside the data dir (which paperboy
    makes at start): a path mistyped made a new, empty store there, its folders too, and the channels'
    subscriptions seemed lost. None where it exists, or the file is in memory."""
    if url.database in (None, "", ":memory:"):
        return None
    folder, ours = sqlite_path(url).parent.resolve(), data_dir.resolve()  # (symlinks and `..` read)
    return None if folder.is_dir() or folder == ours or ours in folder.parents else folder


def sqlite_path(url: URL) -> Path:
    """The file a SQLite URL names, `file:` URIs (`?uri=true`, such as `mode=ro`) included."""
    database = url.database or ""
    if database.startswith("file:"):
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def create_engine(url: URL) -> AsyncEngine:
    """The engine for `url` (SQLite or PostgreSQL); a ConfigError for a database or driver paperboy
    does not run on (never naming the URL, which may hold a password)."""
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        near = difflib.get_close_matches(backend, ("sqlite", "postgresql", "postgres"), n=1, cutoff=0.7)
        meant = f" (did you mean {near[0]}://?)" if near else ""
        raise ConfigError(
            f"PAPERBOY_DATABASE_URL: {backend or 'that'} is not a database paperboy runs on{meant}: use "
            "sqlite:///path/paperboy.db or postgresql://user:pass@host/db (unset: SQLite in the data dir)"
        )
    try:
        return _engine(url)
    except ImportError:
        why = "not installed"
    except InvalidRequestError:
        why = "not an asyncio driver"
    except ArgumentError:
        why = "unknown"
    raise ConfigError(
        f"PAPERBOY_DATABASE_URL: its driver {url.get_driver_name()!r} is {why}: name none (sqlite:///… or "
        "postgresql://…) and paperboy picks the one it ships with"
    )


def _engine(url: URL) -> AsyncEngine:
    if url.get_backend_name() == "sqlite":
        _check_sqlite(url)
        database = url.database
        if database and database != ":memory:":
            sqlite_path(url).parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():
            # an option SQLite would ignore (`?mode=ro` without `uri=true`, a typo) is refused, not ignored
            warnings.filterwarnings("error", message="Query string argument", category=SAWarning)
            try:
                engine = sqlite_engine(url, timeout=BUSY_TIMEOUT_S)
            except SAWarning as exc:
                named = re.search(r"argument\(s\) (.+?) are not accepted", str(exc))
                raise ConfigError(
                    f"PAPERBOY_DATABASE_URL: SQLite takes no option {named.group(1) if named else 'of those given'}"
                    " (only timeout, isolation_level, detect_types, check_same_thread, cached_statements and uri): "
                    "remove it, or write a SQLite URI for it: sqlite:///file:/path/paperboy.db?mode=ro&uri=true"
                ) from None
            except ValueError as exc:  # ?timeout=soon
                raise ConfigError(
                    f"PAPERBOY_DATABASE_URL: a SQLite option's value is wrong ({exc}): correct it, or remove it"
                ) from None
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _check_sqlite(url: URL) -> None:
    """A SQLite URL names a file: one with a host, a user or a port is a mistyped path (never echoed: it
    may hold a password)."""
    if url.host or url.username or url.password or url.port:
        raise ConfigError(
            "PAPERBOY_DATABASE_URL: a SQLite URL names a file, not a host: write sqlite:////absolute/path/paperboy.db "
            "(sqlite:/// and then the path), or unset it for SQLite in the data dir"
        )
    uri = str(url.query.get("uri", "")).lower() in ("true", "1", "yes")
    if uri and not (url.database or "").startswith("file:"):
        # SQLite reads the options of a URI only after `file:`: without it, `/path/paperboy.db?mode=ro` is a
        # file of that very name, created empty, filled and written instead of the store
        raise ConfigError(
            "PAPERBOY_DATABASE_URL: with uri=true the path must start with file:, or SQLite takes the options as"
            " part of the file's name and makes a new store: write sqlite:///file:/path/paperboy.db?mode=ro&uri=true"
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; several processes may share the file.
    cursor = dbapi_connection.cursor()
    try:
        _write_ahead_log(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _write_ahead_log(cursor: Any) -> None:
    """Switch the store to WAL, waiting in turn for the other processes switching it too.

    SQLite answers "database is locked" at once, without its busy wait, to a connection changing the
    journal mode while another holds the file (processes starting together on a fresh store): the
    switch is tried again, paused without holding the event loop, for as long as a statement would
    wait. A store already in WAL (every start but the first) takes no lock for this."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = WAL_FIRST_PAUSE_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        await_only(asyncio.sleep(pause))  # the pool connects inside SQLAlchemy's greenlet, on the loop
        pause = min(pause * 2, WAL_LAST_PAUSE_S)


# Held while a process migrates a PostgreSQL database: the others wait, then find it done.
_MIGRATION_LOCK = 0x70617065_72626F79  # "paperboy"


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision; safe to call at every start, by several processes at once.

    An upgrade is one transaction, all or nothing, whoever dies midway: PostgreSQL's DDL is
    transactional; on SQLite the driver would run each CREATE and ALTER on its own (it opens a
    transaction only before a data change), so the migrating connection opens one itself. One process
    migrates at a time (SQLite: `BEGIN IMMEDIATE`, the file's write lock; PostgreSQL: an advisory
    lock), and reads the schema's revision again once it holds the lock: the ones that waited find the
    work done."""
    async with engine.connect() as connection:
        check_server(connection.dialect.name, connection.dialect.server_version_info, describe(engine.url))
        current = await connection.run_sync(schema_revisions) == {HEAD_REVISION}
        if current:  # the common start has nothing to migrate, and takes no lock; the schema is checked
            await connection.run_sync(_check_schema, describe(engine.url))
    if not current:
        async with engine.connect() as connection:
            try:
                await connection.run_sync(_upgrade_locked, describe(engine.url))
            except Exception as exc:  # Ctrl-C mid-upgrade: alembic's clean-up of its copy of a table then fails,
                if _cancelled(exc):  # "PendingRollbackError" in a traceback, exit 1 (the upgrade is rolled back)
                    raise asyncio.CancelledError from None
                raise
    await refresh_statistics(engine)


def _cancelled(exc: BaseException | None) -> bool:
    """Whether an error came while handling a cancellation (a task's, as Ctrl-C cancels `asyncio.run`'s)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt):
            return True
        exc, seen = exc.__context__ or exc.__cause__, seen + 1
    return False


# Every table's columns, in one query (SQLAlchemy's inspector asks table by table: 40 ms a start)
_COLUMNS = {
    "sqlite": "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p"
    " WHERE m.type = 'table'",
    "postgresql": "SELECT table_name, column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema()",
}


def _check_schema(connection: Connection, where: str) -> None:
    """A StoreError when the schema lacks a table or column of the newest revision's, which its stamp
    says it has: a store written by a development version of paperboy under revision numbers since
    reused ("0007" was the installations' before it was the roundup's) was stamped the newest and then
    failed at every command, "no such column: subscriptions.person". A few milliseconds a start."""
    from bot.store.tables import metadata

    found: dict[str, set[str]] = {}
    for table, column in connection.exec_driver_sql(_COLUMNS[connection.dialect.name]):  # one query
        found.setdefault(str(table), set()).add(str(column))
    lacking: list[str] = []
    for table in metadata.sorted_tables:
        if table.name not in found:
            lacking.append(f"table {table.name}")
            continue
        lacking += [f"{table.name}.{column.name}" for column in table.columns if column.name not in found[table.name]]
    if lacking:
        more = f" and {len(lacking) - 4} more" if len(lacking) > 4 else ""
        raise StoreError(
            where,
            f"is stamped schema revision {HEAD_REVISION} but lacks {', '.join(lacking[:4])}{more}: a development"
            " version of paperboy wrote it under revision numbers since reused",
            "restore a backup made before that version ran, or move it away and let paperboy make a new one"
            " (then `paperboy sync --days N` or `paperboy import` fills it); nothing was changed",
        )


def describe(url: URL) -> str:
    """The store as an error names it: its file, or its PostgreSQL server (never the credentials)."""
    if url.get_backend_name() == "sqlite":
        return f"the store {sqlite_path(url)}"
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432} (database {url.database or '?'})"


async def refresh_statistics(engine: AsyncEngine) -> None:
    """Let SQLite's query planner know how the data is spread (PostgreSQL's autovacuum does this itself).

    Without statistics SQLite takes the first column of every index for a selective one, and ours
    start with `platform`, which has two values: it then reads a platform's every row where a seek
    per key was wanted (~1 ms a reaction at 200k cards). A sample of each index (`analysis_limit`)
    costs a few milliseconds at a million rows; paperboy takes one at every start and every hour."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        # Not worth a wait: another process writing now, statistics come at the next hour.
        await connection.exec_driver_sql(f"PRAGMA busy_timeout={STATISTICS_WAIT_MS}")
        try:
            await connection.exec_driver_sql("PRAGMA analysis_limit=1000")
            await connection.exec_driver_sql("ANALYZE")
            await connection.commit()
        except OperationalError as exc:  # a store opened read-only, or busy: plans stay as they were
            await connection.rollback()
            log.info("SQLite statistics not refreshed (%s); queries still answer, some more slowly", exc.orig)
        finally:  # the connection goes back to the pool with the store's own wait
            await connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")


MIN_POSTGRESQL = 11  # hashtextextended, which keys the store's locks (bot.store.locks)


def check_server(backend: str, version: tuple[int | str, ...] | None, where: str) -> None:
    """A StoreError for a PostgreSQL older than paperboy works with: it failed later, at the first change
    of a channel's digest, with the database's "function hashtextextended does not exist"."""
    major = version[0] if version else None
    if backend == "postgresql" and isinstance(major, int) and major < MIN_POSTGRESQL:
        raise StoreError(
            where,
            f"is PostgreSQL {'.'.join(map(str, version or ()))}, and paperboy needs {MIN_POSTGRESQL} or later",
            "upgrade the server (or point PAPERBOY_DATABASE_URL at a newer one); nothing was changed",
        )


def _upgrade_locked(connection: Connection, where: str) -> None:
    sqlite = connection.dialect.name == "sqlite"
    raw: Any = connection.connection.dbapi_connection
    if sqlite:  # the driver hands transactions over to us (restored before the connection goes back)
        before, raw.isolation_level = raw.isolation_level, None
    try:
        with connection.begin():
            if sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            _upgrade(connection, where)
    finally:
        if sqlite:  # a Ctrl-C may have closed the connection: nothing to restore then (it raised ValueError,
            with contextlib.suppress(ValueError):  # a traceback in place of "interrupted", exit 1 for 130)
                raw.isolation_level = before


def _upgrade(connection: Connection, where: str) -> None:
    found = schema_revisions(connection)
    if found == {HEAD_REVISION}:
        return
    from alembic import command
    from alembic.util.exc import CommandError

    try:
        command.upgrade(alembic_config(connection), "head")
        # in the upgrade's transaction: a schema that did not come whole is not stamped
        _check_schema(connection, where)
    except CommandError as exc:
        if "Can't locate revision" not in str(exc):
            raise
        newer = ", ".join(sorted(found)) or "?"
        raise StoreError(
            where,
            f"has schema revision {newer}, which this paperboy (newest: {HEAD_REVISION}) does not know: "
            "a newer paperboy wrote it",
            "run that newer paperboy, or restore a backup made before it ran",
        ) from None


def schema_revisions(connection: Connection) -> set[str]:
    """The revisions alembic has recorded in this database (none for a new one)."""
    if not connection.dialect.has_table(connection, "alembic_version"):
        return set()
    return {str(row[0]) for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if connection is not None:  # what migrations/env.py runs on
        config.attributes["connection"] = connection
    return config


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """A timestamp read back from the store: SQLite keeps no zone, and everything is written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
