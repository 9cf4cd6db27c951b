"""`together` (bot/host/tasks.py): all the results, or the first failure with the rest stopped."""

from __future__ import annotations

import asyncio

import pytest

from bot.host.tasks import each_to_its_end, together


async def after(delay: float, value: int, stopped: list[int]) -> int:
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        stopped.append(value)
        raise
    return value


async def failing() -> int:
    await asyncio.sleep(0)
    raise ValueError("the store is gone")


async def test_the_results_come_in_the_order_asked() -> None:
    assert await together(after(0.02, 1, []), after(0.0, 2, []), after(0.01, 3, [])) == [1, 2, 3]


async def test_the_first_failure_is_raised_once_the_rest_have_stopped() -> None:
    stopped: list[int] = []
    with pytest.raises(ValueError, match="the store is gone"):
        await together(after(60, 1, stopped), failing(), after(60, 3, stopped))
    assert sorted(stopped) == [1, 3]  # cancelled, and done cancelling, before the failure came out
    assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []


async def test_cancelling_the_caller_cancels_them_all() -> None:
    stopped: list[int] = []
    caller = asyncio.ensure_future(together(after(60, 1, stopped), after(60, 2, stopped)))
    await asyncio.sleep(0.01)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert sorted(stopped) == [1, 2]


async def test_each_to_its_end_lets_the_others_finish_then_raises_the_first_failure() -> None:
    """A post Slack may have taken already must not be cut off (its claim released as not sent, it would
    be posted again): the others run to their end, and only then is the failure raised."""
    stopped: list[int] = []
    finished: list[int] = []

    async def posted(value: int) -> int:
        await after(0.05, value, stopped)
        finished.append(value)
        return value

    with pytest.raises(ValueError, match="the store is gone"):
        await each_to_its_end(posted(1), failing(), posted(3))
    assert stopped == [] and sorted(finished) == [1, 3]
    assert await each_to_its_end(posted(4), posted(5)) == [4, 5]
