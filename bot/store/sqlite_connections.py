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
import threading
import time
from typing import Any

import aiosqlite
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

STOP_WAIT_S = 1.0  # the longest a failed connection's thread is waited for (it stops in microseconds)
STOP_POLL_S = 0.001


def sqlite_engine(url: URL, **connect_args: Any) -> AsyncEngine:
    """The engine SQLAlchemy makes for a SQLite `url`, with `connect_args`, its connections opened by
    `opened`: with the arguments its dialect works out from `url`, once, as it makes the engine."""
    found: list[Any] = []  # (args, kwargs), set once the engine, and so its dialect, exists

    async def connect() -> aiosqlite.Connection:
        args, kwargs = found
        return await opened(aiosqlite.connect(*args, **{**kwargs, **connect_args}))

    engine = create_async_engine(url, async_creator=connect)
    found.extend(engine.sync_engine.dialect.create_connect_args(url))
    return engine


async def opened(connection: aiosqlite.Connection) -> aiosqlite.Connection:
    """`connection`, open; if it fails to open, or its opening is cancelled, its worker thread has
    stopped before that goes on."""
    worker = connection._thread  # SQLAlchemy's aiosqlite dialect reaches it the same way (aiosqlite 0.22)
    worker.daemon = True  # as SQLAlchemy makes it: a connection's thread never holds the process's exit
    try:
        return await connection
    except (Exception, asyncio.CancelledError):
        await _stopped(worker)
        raise


async def _stopped(worker: threading.Thread) -> None:
    """Until `worker` has stopped (at most STOP_WAIT_S); at once if it never started. The loop is
    polled, not an executor's thread asked: that may be shut down already."""
    deadline = time.monotonic() + STOP_WAIT_S
    while worker.ident is not None and worker.is_alive() and time.monotonic() < deadline:  # noqa: ASYNC110 - a thread: no event to wait on
        await asyncio.sleep(STOP_POLL_S)
