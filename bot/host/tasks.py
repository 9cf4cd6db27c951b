"""Awaiting several things at once, all or none: `asyncio.gather` leaves the others running when one fails.

When an awaitable given to `gather` raises, `gather` raises at once and the others go on, on their own:
a search's respelling, a link's lookup, a channel's notes, still reading the store with no one to
answer. At a loop's end they are cut off half-way (a database connection left to the garbage
collector). `together` cancels them and waits for them to stop before it raises. (`TaskGroup` does
the same but raises an `ExceptionGroup`, which every caller would have to unwrap.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def together(*awaitables: Awaitable[T]) -> list[T]:
    """Their results in order; the first failure (or a cancellation) cancels the rest, waits for them
    to stop, and is raised."""
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
