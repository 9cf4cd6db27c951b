"""Opening a SQLite connection through aiosqlite, and letting one that failed to open go in full.

aiosqlite runs each connection on a worker thread. When the connection fails to open (the store is a
directory, not a database, unreadable), aiosqlite asks the thread to stop and does not wait for it;
the thread then hands its last result to the event loop. A command that fails at once closes its
loop first in a few runs of a hundred, and the thread dies with "RuntimeError: Event loop is closed",
a traceback printed after the command's one line (aiosqlite issue #241, pull request #389). So a
connection that fails to open is waited for, briefly, before its failure goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite
from sqlalchemy.engine import URL, Dialect

STOP_WAIT_S = 1.0  # the longest a failed connection's thread is waited for (it stops in microseconds)


def connector(url: URL, dialect: Callable[[], Dialect], **connect_args: Any) -> Callable[[], Awaitable[Any]]:
    """SQLAlchemy's `async_creator` for `url`: the connection its dialect would open, with `connect_args`
    (`dialect` is called at the first connection, once the engine exists)."""

    async def connect() -> aiosqlite.Connection:
        args, kwargs = dialect().create_connect_args(url)
        return await opened(aiosqlite.connect(*args, **{**kwargs, **connect_args}))

    return connect


async def opened(connection: aiosqlite.Connection) -> aiosqlite.Connection:
    """`connection`, open; if it fails to open, its worker thread has stopped before the failure is raised."""
    worker = connection._thread  # SQLAlchemy's aiosqlite dialect reaches it the same way
    worker.daemon = True  # as SQLAlchemy makes it: a connection's thread never holds the process's exit
    try:
        return await connection
    except BaseException:
        await asyncio.to_thread(worker.join, STOP_WAIT_S)
        raise
