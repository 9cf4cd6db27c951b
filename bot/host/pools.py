"""Where CPU work runs: a bounded pool of worker threads, sized to the CPUs the process may use.

The event loop only does I/O. Query embedding, scoring, index builds and embedding batches are CPU
work: they run in `CpuPool` (`PAPERBOY_THREADS` workers, default: the usable CPUs of
`bot.host.cpus`), so a Slack ack or a Discord defer never waits behind a search. Two pools of that
size: the interactive one (searches, index builds) and the bulk one (embedding papers in the
background), whose workers run at a lower priority (10 nicer than the process, at most 19), so a
search is not held up behind a batch of embeddings: the host gives the CPUs to the search first.

The native libraries' own pools (OpenBLAS, OpenMP for faiss, rayon for tokenizers) are held to one
thread each. Our work is many small calls (a query's embedding is a few 1×384 products), where a
second BLAS thread buys nothing and, on a busy host, costs a great deal: OpenBLAS's workers spin
waiting for each other while the host has descheduled them (a search's p90 went from 5 ms to over a
second with two busy processes on two cores). Parallelism comes from our own workers instead, each
running single-threaded native code, so the process never runs more CPU-bound threads than it has
CPUs, and every product is summed in the same order whatever the load.

One more thread, `Aside`, takes a piece of a task that can run beside the rest of it, when it is
free: a search running alone embeds its query there while its keyword query runs, and fetches one
keyword expansion's papers there while it fetches the others (at 100k papers, search p99 21 ms
against 25–32 ms before). In a burst each search does its own pieces, so there are never more
CPU-bound threads than the pool's plus one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from bot.host.cpus import usable_cpus
from bot.host.native import limit_native_threads, preset_native_threads

_WORKER_PREFIX = "paperboy-cpu"
INLINE_ITEMS = 256  # fewer items than this are made into objects on the loop (a day's listing: ~5 ms)
# A worker running Python code holds the GIL until the interpreter asks it to switch (every 5 ms by
# default): that is how long the event loop may wait to answer an ack. 1 ms lets it in five times as
# often, for a cost of a few percent of the workers' throughput.
SWITCH_INTERVAL = 0.001
P = ParamSpec("P")
T = TypeVar("T")


def on_worker() -> bool:
    """True in a `CpuPool` worker thread."""
    return threading.current_thread().name.startswith(_WORKER_PREFIX)


def off_loop(what: str) -> None:
    """Refuse CPU work on a thread that runs an event loop (it would stall every ack and event)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError(f"{what} is CPU work: run it in the CPU pool (bot.host.pools.CpuPool), not on the event loop")


def _start_worker(nice: int) -> None:
    limit_native_threads()
    if nice and hasattr(os, "setpriority"):
        # On Linux a thread's priority is its own (the id is the thread's, not the process's), and it
        # starts at the process's: lowered by `nice` from there (a process already started under
        # `nice 10` gets bulk workers at 19, not at 10, which would be no lower than the rest, and
        # under `nice 15` would ask to raise them). Where it is not allowed the work still runs, only
        # without the lower priority.
        me = threading.get_native_id()
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, me, min(os.getpriority(os.PRIO_PROCESS, me) + nice, 19))


class CpuPool:
    """A bounded pool of worker threads for CPU work; `await pool.run(fn, *args)` from the loop."""

    def __init__(self, threads: int | None = None, *, nice: int = 0) -> None:
        preset_native_threads()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.threads = max(1, threads if threads else usable_cpus())
        self.nice = nice
        self._executor = ThreadPoolExecutor(
            max_workers=self.threads,
            thread_name_prefix=_WORKER_PREFIX,
            initializer=_start_worker,
            initargs=(nice,),
        )

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def by_size(self, count: int, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn` over `count` items: here when they are few, in the pool when many (the store's rows of
        an index build, 500 at a time: ~15 ms of validation each, which the event loop would otherwise
        spend instead of answering). A few stay here: behind a burst of searches in the pool, a
        `paper <id>` or a day's listing would wait for all of them."""
        if count < INLINE_ITEMS:
            return fn(*args, **kwargs)
        return await self.run(fn, *args, **kwargs)

    def close(self) -> None:
        """No new work; what was already given to it still runs (its callers are awaiting it)."""
        self._executor.shutdown(wait=False)


BULK_NICE = 10
_pools: dict[str, CpuPool] = {}
_pools_lock = threading.Lock()


def configure(threads: int | None) -> None:
    """Size the process's pools (`PAPERBOY_THREADS`; None: the usable CPUs). Called by the composition
    root before any CPU work; a pool already made at another size is replaced for new work (work
    already given to it finishes)."""
    with _pools_lock:
        for name, nice in (("interactive", 0), ("bulk", BULK_NICE)):
            pool = _pools.get(name)
            if pool is None or (threads and pool.threads != threads):
                if pool is not None:
                    pool.close()
                _pools[name] = CpuPool(threads, nice=nice)


def _pool(name: str) -> CpuPool:
    if name not in _pools:
        configure(None)
    return _pools[name]


def cpu_pool() -> CpuPool:
    """The pool for interactive CPU work: searches, index builds and updates."""
    return _pool("interactive")


async def by_size(count: int, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`CpuPool.by_size` in the interactive pool."""
    return await cpu_pool().by_size(count, fn, *args, **kwargs)


def bulk_pool() -> CpuPool:
    """The lower-priority pool for background CPU work: embedding papers."""
    return _pool("bulk")


class Aside:
    """One thread for a piece of a task that can run beside the rest of it (a search's query embedding
    beside its keyword query): `start(fn)` runs `fn` there when the thread is free, and the returned
    callable gives its result. When the thread is busy (a burst: every worker is searching), the
    callable runs `fn` itself, when called: work is never queued behind another task's."""

    def __init__(self) -> None:
        self._free = threading.Lock()
        self._executor = ThreadPoolExecutor(
            1, thread_name_prefix=f"{_WORKER_PREFIX}-aside", initializer=_start_worker, initargs=(0,)
        )

    @property
    def busy(self) -> bool:
        return self._free.locked()

    def start(self, fn: Callable[[], T]) -> Callable[[], T]:
        if not self._free.acquire(blocking=False):
            return fn

        def run() -> T:
            try:
                return fn()
            finally:
                self._free.release()  # before the result is out: whoever gets it may start the next

        try:
            return self._executor.submit(run).result
        except RuntimeError:  # shut down (the process is stopping): run it in the caller
            self._free.release()
            return fn


_aside: Aside | None = None


def aside() -> Aside:
    """The process's `Aside` thread."""
    global _aside
    with _pools_lock:
        if _aside is None:
            _aside = Aside()
        return _aside
