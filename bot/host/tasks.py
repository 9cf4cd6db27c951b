"""Awaiting several things at once, all or none: `asyncio.gather` leaves the others running when one fails.

When an awaitable given to `gather` raises, `gather` raises at once and the others go on, on their own:
a search's respelling, a link's lookup, a channel's notes, still reading the store with no one to
answer. At a loop's end they are cut off half-way (a database connection left to the garbage
collector). `together` cancels them and waits for them to stop before it raises. (`TaskGroup` does
the same but raises an `ExceptionGroup`, which every caller would have to unwrap.) Work that must not
be cut off half-way, posts above all, goes through `each_to_its_end` instead: each runs to its end,
then the first failure is raised.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

T = TypeVar("T")


async def together(*awaitables: Awaitable[T]) -> list[T]:
    """Their results in order; the first failure (or a cancellation) cancels the rest, waits for them
    to stop, and is raised."""
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        await stopped(*tasks)
        raise


async def stopped(*tasks: asyncio.Future[Any] | None) -> None:
    """Cancel these (those given and still running) and wait until they have stopped: their own
    cancellation or failure is taken here, as a value, while the caller's own cancellation, should it
    come meanwhile, is raised."""
    given = [task for task in tasks if task is not None]
    for task in given:
        task.cancel()
    if given:
        await asyncio.gather(*given, return_exceptions=True)


async def each_to_its_end(*awaitables: Awaitable[T]) -> list[T]:
    """Their results in order, every one run to its end even when another fails; then the first failure
    is raised. For work that must not be cut off half-way (a post that Slack may have taken already,
    with its claim released as not sent, would be posted again): neither left running nor cancelled."""
    done: list[T] = []
    for result in await asyncio.gather(*awaitables, return_exceptions=True):
        if isinstance(result, BaseException):
            raise result
        done.append(result)
    return done
