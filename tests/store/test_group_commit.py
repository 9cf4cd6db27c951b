"""Group commit: callers that arrive together share a write, and each returns only once its item is written."""

from __future__ import annotations

import asyncio

import pytest

from bot.store.group_commit import GroupCommit


class Writes:
    """A write that takes a moment (as a transaction does) and keeps every batch it was given."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.written: set[int] = set()
        self.fail_on = fail_on

    async def __call__(self, items: list[int]) -> None:
        await asyncio.sleep(0.01)
        if self.fail_on in items:
            raise RuntimeError(f"the database refused {self.fail_on}")
        self.batches.append(items)
        self.written.update(items)


async def test_callers_that_arrive_together_share_a_few_writes() -> None:
    writes = Writes()
    commit = GroupCommit(writes)
    await asyncio.gather(*(commit(n) for n in range(50)))
    assert sorted(n for batch in writes.batches for n in batch) == list(range(50))  # each written once
    assert len(writes.batches) <= 2  # the first alone, then all that queued meanwhile


async def test_each_caller_returns_only_once_its_own_item_is_written() -> None:
    writes = Writes()
    commit = GroupCommit(writes)
    seen: dict[int, bool] = {}

    async def one(n: int) -> None:
        await asyncio.sleep(0.003 * n)  # arriving while earlier writes run
        await commit(n)
        seen[n] = n in writes.written

    await asyncio.gather(*(one(n) for n in range(12)))
    assert seen == dict.fromkeys(range(12), True)
    assert len(writes.batches) > 1


async def test_every_caller_in_a_failed_write_gets_the_error_and_later_ones_go_on() -> None:
    writes = Writes(fail_on=3)
    commit = GroupCommit(writes)
    first = asyncio.create_task(commit(0))
    await asyncio.sleep(0)  # 0 is being written alone; 1 to 4 queue behind it and share the next write
    rest = [asyncio.create_task(commit(n)) for n in range(1, 5)]
    await first
    for task in rest:
        with pytest.raises(RuntimeError, match="refused 3"):
            await task
    assert writes.written == {0}
    await commit(7)  # the next caller starts a new write
    assert 7 in writes.written


async def test_a_cancelled_caller_does_not_stop_the_others_being_written() -> None:
    writes = Writes()
    commit = GroupCommit(writes)
    tasks = [asyncio.create_task(commit(n)) for n in range(5)]
    await asyncio.sleep(0)
    tasks[2].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert {0, 1, 3, 4} <= writes.written
