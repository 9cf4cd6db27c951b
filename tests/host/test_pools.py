"""The CPU pools: bounded, off the event loop, native pools held to one thread, bulk work niced."""

from __future__ import annotations

import asyncio
import os
import threading

import numpy as np
import pytest

from bot.host.native import NATIVE_VARIABLES, native_thread_counts
from bot.host.pools import INLINE_ITEMS, Aside, CpuPool, by_size, off_loop, on_worker
from tests.fakes.server import WAIT_S, wait_until


def test_importing_paperboy_presets_one_native_thread() -> None:
    # bot/__init__.py sets these before NumPy loads, unless the operator set them
    assert all(os.environ.get(name) for name in NATIVE_VARIABLES)


async def test_work_runs_on_a_worker_with_native_pools_at_one_thread() -> None:
    pool = CpuPool(2)
    try:
        np.ones((64, 64)) @ np.ones((64, 64))  # BLAS loaded

        def inside() -> tuple[bool, dict[str, int]]:
            return on_worker(), native_thread_counts()

        worker, counts = await pool.run(inside)
        assert worker and not on_worker()
        assert any(api.startswith("blas:") for api in counts)
        assert set(counts.values()) == {1}, counts
    finally:
        pool.close()


async def test_the_pool_is_bounded() -> None:
    pool = CpuPool(2)
    running, most = 0, 0
    lock = threading.Lock()
    release = threading.Event()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        release.wait(5)
        with lock:
            running -= 1

    try:
        jobs = [asyncio.ensure_future(pool.run(work)) for _ in range(6)]
        await wait_until(lambda: running == 2, WAIT_S, "the pool")  # both workers busy; a third never starts
        await asyncio.sleep(0.1)
        release.set()
        await asyncio.gather(*jobs)
        assert most == 2
    finally:
        pool.close()


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="thread priorities are a Linux feature")
async def test_bulk_workers_run_at_a_lower_priority() -> None:
    bulk, interactive = CpuPool(1, nice=10), CpuPool(1)
    try:
        mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        lowered = await bulk.run(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        normal = await interactive.run(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        assert lowered == min(mine + 10, 19) and normal == mine
    finally:
        bulk.close()
        interactive.close()


async def test_cpu_work_is_refused_on_the_event_loop() -> None:
    with pytest.raises(RuntimeError, match="CPU pool"):
        off_loop("a search")


def test_cpu_work_is_allowed_off_the_loop() -> None:
    off_loop("a search")  # no running loop in this thread: nothing raised


def test_aside_runs_beside_the_caller_when_free_and_in_the_caller_when_busy() -> None:
    side = Aside()
    release = threading.Event()

    def blocked() -> str:
        release.wait(5)
        return threading.current_thread().name

    first = side.start(blocked)  # the thread is free: it takes this one
    second = side.start(lambda: threading.current_thread().name)  # busy: never queued behind the first
    assert second() == threading.current_thread().name  # ran here, when asked
    release.set()
    assert first().startswith("paperboy-cpu-aside")
    third = side.start(lambda: (threading.current_thread().name, native_thread_counts()))
    name, counts = third()
    assert name.startswith("paperboy-cpu-aside") and set(counts.values()) <= {1}  # free again, native pools at one


def test_an_error_beside_reaches_the_caller_and_frees_the_thread() -> None:
    side = Aside()

    def fails() -> None:
        raise ValueError("the model's file is damaged")

    with pytest.raises(ValueError, match="damaged"):
        side.start(fails)()
    assert side.start(lambda: threading.current_thread().name)().startswith("paperboy-cpu-aside")


async def test_many_rows_become_objects_in_the_pool_and_a_few_on_the_loop() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())  # not 0 under `nice make check`

    def made(rows: list[int]) -> tuple[bool, int]:
        interactive = (
            "aside" not in threading.current_thread().name
            and os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
        )  # not the bulk pool's niced workers, not `Aside`
        return on_worker() and interactive, sum(rows)

    assert await by_size(INLINE_ITEMS, made, list(range(INLINE_ITEMS))) == (True, sum(range(INLINE_ITEMS)))
    assert await by_size(3, made, [1, 2, 3]) == (False, 6)  # never queued behind a burst of searches
