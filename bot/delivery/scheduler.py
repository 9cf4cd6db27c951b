"""One scheduler for every platform: APScheduler 3 behind a small typed wrapper.

Interval jobs: the sweep (every `tick_seconds`), which delivers whatever is due; the sync (every
`sync_minutes`), which fetches Hugging Face's listings for today and yesterday (UTC); and, where
given, the store's hourly upkeep. All are coalesced, never run twice at once, and never dropped as
misfired. APScheduler keeps no state here: its in-memory job store cannot be shared between
processes, so the store's ledger is the source of truth and the jobs are idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger("paperboy.scheduler")

Job = Callable[[], Awaitable[object]]
CANCEL_WAIT = 5.0  # seconds a cancelled run has to wind up (paperboy's exit deadline is 20 s)
FIRST_SYNC_WAIT = 120.0  # seconds the first sweep waits for the first sync (`Scheduler._run`)


class _TickWhileRunning(logging.Filter):
    """APScheduler's warning for a tick that came while the job was still running ("skipped: maximum
    number of running instances reached"): by design (a long sweep goes on; the next tick takes up what
    is due), so no news for the operator, and in the library's words besides."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


_TICKS = _TickWhileRunning()


class Scheduler:
    def __init__(
        self, *, sweep: Job, sync: Job | None, tick_seconds: int, sync_minutes: int, upkeep: Job | None = None
    ) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        logging.getLogger("apscheduler.scheduler").addFilter(_TICKS)  # once: the same filter is not added twice
        self._running: set[asyncio.Task[object]] = set()  # the job runs under way
        self._watch: asyncio.Task[None] | None = None  # `_watching`: jobs brought back after a clock step
        self._tick = tick_seconds
        self._jobs: dict[str, Job] = {"sweep": sweep, **({"sync": sync} if sync else {})}
        self._synced = asyncio.Event()  # the first sync has run (or there is none)
        if sync is None:
            self._synced.set()
        options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        now = datetime.now(UTC)
        if sync is not None:
            self._scheduler.add_job(
                self._run, IntervalTrigger(minutes=sync_minutes), args=["sync"], id="sync", next_run_time=now, **options
            )
        self._scheduler.add_job(
            self._run, IntervalTrigger(seconds=tick_seconds), args=["sweep"], id="sweep", next_run_time=now, **options
        )
        if upkeep is not None:  # the store's housekeeping, hourly (the first at start is migrate's)
            self._jobs["upkeep"] = upkeep
            self._scheduler.add_job(self._run, IntervalTrigger(hours=1), args=["upkeep"], id="upkeep", **options)

    @property
    def jobs(self) -> dict[str, IntervalTrigger]:
        return {job.id: job.trigger for job in self._scheduler.get_jobs()}

    def job_options(self, name: str) -> dict[str, object]:
        job = self._scheduler.get_job(name)
        return {
            "coalesce": job.coalesce,
            "max_instances": job.max_instances,
            "misfire_grace_time": job.misfire_grace_time,
        }

    async def _run(self, name: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            if name == "sweep" and not self._synced.is_set():
                await self._first_sync()
            await self._jobs[name]()
        except Exception:
            log.exception("the %s job failed; it runs again at its next tick", name)
        except asyncio.CancelledError:  # the stop ran out of time: said here, not as APScheduler's error
            log.info("the %s job was cut short by the stop; the next start takes it up", name)
        finally:
            self._running.discard(task)
            if name == "sync":
                self._synced.set()

    async def _first_sync(self) -> None:
        """The first sweep waits for the first sync, `FIRST_SYNC_WAIT` at most: back after hours down, the
        store holds a listing as the last sync before the outage left it, a few of the day's papers, and a
        sweep beside the sync under way posted those few (its wait for the day's listing was over) while
        the sync was bringing in the rest."""
        try:
            await asyncio.wait_for(self._synced.wait(), FIRST_SYNC_WAIT)
        except TimeoutError:
            log.warning(
                "the first sync is still running after %.0f s: the sweep goes on with the store as it is",
                FIRST_SYNC_WAIT,
            )
            self._synced.set()

    def start(self) -> None:
        self._scheduler.start()
        self._watch = asyncio.get_running_loop().create_task(self._watching(), name="paperboy-scheduler-watch")

    async def _watching(self) -> None:
        """APScheduler times its interval jobs by the wall clock: stepped back an hour (NTP, a VM
        resumed), no sweep and no sync ran for that hour. Every tick, on the loop's monotonic clock, a
        job due further ahead than its own interval is due now."""
        while True:
            await asyncio.sleep(self._tick)
            now = datetime.now(UTC)
            for job in self._scheduler.get_jobs():
                every = job.trigger.interval if isinstance(job.trigger, IntervalTrigger) else None
                if every is not None and job.next_run_time is not None and job.next_run_time - now > every * 1.5:
                    log.warning(
                        "the host's clock was stepped back: the %s job, due at %s UTC, runs now", job.id,
                        f"{job.next_run_time:%H:%M:%S}",
                    )  # fmt: skip
                    job.modify(next_run_time=now)
                    self._scheduler.wakeup()

    async def stop(self) -> None:
        """No job starts any more; the runs under way finish (a sweep posting a digest), however long the
        caller lets this wait: cancelled, it cancels them too, and waits (`CANCEL_WAIT` at most) for
        them to wind up (a digest's claim released), while the store is still open. Then the
        scheduler is shut down."""
        if self._watch is not None:
            self._watch.cancel()
        if not self._scheduler.running:
            return
        self._scheduler.pause()
        try:
            if self._running:
                await asyncio.wait(set(self._running))
        finally:
            self._scheduler.shutdown(wait=False)  # cancels what is still running
            if self._running:
                await asyncio.wait(set(self._running), timeout=CANCEL_WAIT)
