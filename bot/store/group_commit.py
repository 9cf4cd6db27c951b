"""Group commit: writes asked for together are committed together, one transaction for all of them.

A caller's `await commit(item)` returns once a transaction holding its item has committed (or raises
what that transaction raised), exactly as if it had written the item alone, so a write that must
happen before something else (an intent before its post) still does. What changes is the cost:
while one transaction runs, the items that arrive queue up and go in the next, so five hundred
channels writing at once cost a handful of transactions, not five hundred of them contending for
the database (SQLite has one writer; every transaction is a round trip through SQLAlchemy).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Awaitable[None]]) -> None:
        self._write = write  # writes its items in one transaction
        self._queued: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> None:
        done = asyncio.get_running_loop().create_future()
        self._queued.append((item, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain())
        await done

    async def _drain(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    await self._write([item for item, _ in batch])
                except Exception as exc:  # every caller in the batch gets the failure, as if it wrote alone
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                except BaseException:
                    for _, done in batch:
                        done.cancel()
                    raise
                else:
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._writer = None
            for _, done in self._queued:  # only when cancelled: nothing more will be written
                done.cancel()
            self._queued = []
