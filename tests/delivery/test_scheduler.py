"""The scheduler wrapper: its jobs and their options, and that a failing job never stops the others."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import pytest

from bot.delivery.scheduler import Scheduler
from tests.fakes.server import WAIT_S, wait_until


async def test_two_jobs_coalesced_one_at_a_time_never_dropped() -> None:
    async def nothing() -> None:
        return None

    scheduler = Scheduler(sweep=nothing, sync=nothing, tick_seconds=60, sync_minutes=15)
    jobs = scheduler.jobs
    assert set(jobs) == {"sweep", "sync"}
    assert jobs["sweep"].interval == timedelta(seconds=60)
    assert jobs["sync"].interval == timedelta(minutes=15)
    for name in jobs:
        assert scheduler.job_options(name) == {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


async def test_the_store_upkeep_runs_hourly_when_given() -> None:
    async def nothing() -> None:
        return None

    scheduler = Scheduler(sweep=nothing, sync=None, tick_seconds=60, sync_minutes=15, upkeep=nothing)
    assert scheduler.jobs["upkeep"].interval == timedelta(hours=1)
    assert scheduler.job_options("upkeep") == {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


async def test_offline_there_is_no_sync_job() -> None:
    async def nothing() -> None:
        return None

    assert set(Scheduler(sweep=nothing, sync=None, tick_seconds=60, sync_minutes=15).jobs) == {"sweep"}


async def test_jobs_run_at_start_and_a_failure_is_logged_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    async def sweep() -> None:
        ran.append("sweep")

    async def sync() -> None:
        ran.append("sync")
        raise RuntimeError("Hugging Face is down")

    scheduler = Scheduler(sweep=sweep, sync=sync, tick_seconds=60, sync_minutes=15)
    scheduler.start()
    try:
        await wait_until(lambda: {"sweep", "sync"} <= set(ran), WAIT_S, "the scheduler")
    finally:
        await scheduler.stop()
    assert {"sweep", "sync"} <= set(ran)
    assert "the sync job failed" in caplog.text


@pytest.mark.slow
async def test_the_first_sweep_waits_for_the_first_sync() -> None:
    """Back after hours down, the store's listing is the one before the outage: a sweep beside the first
    sync posted its few papers while the sync was bringing the rest."""
    ran: list[str] = []

    async def sweep() -> None:
        ran.append("sweep")

    async def sync() -> None:
        ran.append("sync begun")
        await asyncio.sleep(0.3)  # Hugging Face answering
        ran.append("sync done")

    scheduler = Scheduler(sweep=sweep, sync=sync, tick_seconds=60, sync_minutes=15)
    scheduler.start()
    try:
        await wait_until(lambda: "sweep" in ran, WAIT_S, "the first sweep")
    finally:
        await scheduler.stop()
    assert ran == ["sync begun", "sync done", "sweep"]


@pytest.mark.slow
async def test_a_first_sync_that_hangs_holds_the_sweep_back_a_while_only(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("bot.delivery.scheduler.FIRST_SYNC_WAIT", 0.2)
    ran: list[str] = []

    async def sweep() -> None:
        ran.append("sweep")

    async def sync() -> None:
        await asyncio.sleep(3600)  # a proxy that never answers

    scheduler = Scheduler(sweep=sweep, sync=sync, tick_seconds=60, sync_minutes=15)
    scheduler.start()
    try:
        await wait_until(lambda: "sweep" in ran, WAIT_S, "the first sweep")
    finally:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(scheduler.stop(), 0.2)  # the sync is cancelled
    assert "the first sync is still running after 0 s" in caplog.text


@pytest.mark.slow
async def test_a_stop_lets_the_sweep_under_way_finish_and_starts_nothing_more() -> None:
    started, done = asyncio.Event(), []

    async def sweep() -> None:
        started.set()
        await asyncio.sleep(0.3)  # posting a digest
        done.append("sweep")

    scheduler = Scheduler(sweep=sweep, sync=None, tick_seconds=5, sync_minutes=15)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    await scheduler.stop()
    assert done == ["sweep"]


@pytest.mark.slow
async def test_a_stop_that_is_not_waited_for_cancels_the_sweep_under_way() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def sweep() -> None:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    scheduler = Scheduler(sweep=sweep, sync=None, tick_seconds=5, sync_minutes=15)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(scheduler.stop(), 0.2)  # serve_until_stopped's SHUTDOWN_SECONDS, run out
    await asyncio.wait_for(cancelled.wait(), 5)


@pytest.mark.slow
async def test_a_cancelled_stop_returns_once_the_sweep_has_wound_up() -> None:
    started, released = asyncio.Event(), []

    async def sweep() -> None:
        started.set()
        try:
            await asyncio.sleep(60)
        finally:
            await asyncio.sleep(0.1)  # the digest's claim released in the ledger, after its last write
            released.append("claim")

    scheduler = Scheduler(sweep=sweep, sync=None, tick_seconds=5, sync_minutes=15)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(scheduler.stop(), 0.2)
    assert released == ["claim"]  # not still writing once the store is disposed


@pytest.mark.slow
async def test_a_sweep_cut_short_by_the_stop_is_no_error_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """The stop's cancelling a sweep is the stop working, not a job failing: APScheduler logged it as an
    ERROR with a CancelledError's traceback, which an operator reads as a fault."""
    started = asyncio.Event()

    async def sweep() -> None:
        started.set()
        await asyncio.sleep(60)

    scheduler = Scheduler(sweep=sweep, sync=None, tick_seconds=5, sync_minutes=15)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    with caplog.at_level(logging.INFO), pytest.raises(TimeoutError):
        await asyncio.wait_for(scheduler.stop(), 0.2)
    assert [r.levelname for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "the sweep job was cut short by the stop" in caplog.text


@pytest.mark.slow
async def test_a_tick_while_the_sweep_still_runs_is_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    """A morning's long sweep (a digest of 50 cards paced out): APScheduler warned at every tick that the job
    was "skipped: maximum number of running instances reached", in its words. By design: no news."""
    runs = 0

    async def sweep() -> None:
        nonlocal runs
        runs += 1
        await asyncio.sleep(2.5)

    scheduler = Scheduler(sweep=sweep, sync=None, tick_seconds=1, sync_minutes=15)
    with caplog.at_level(logging.INFO):
        scheduler.start()
        await asyncio.sleep(2.2)  # two ticks come while the first sweep runs
        await scheduler.stop()
    assert runs == 1
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.slow
async def test_a_clock_stepped_back_does_not_stop_the_jobs(caplog: pytest.LogCaptureFixture) -> None:
    """APScheduler times interval jobs by the wall clock: stepped back an hour, no sweep and no sync ran
    for an hour (0 ticks in 40 s after a correction). A job due further ahead than its interval runs now."""
    from datetime import UTC, datetime

    ran: list[str] = []

    async def sweep() -> None:
        ran.append("sweep")

    scheduler = Scheduler(sweep=sweep, sync=None, tick_seconds=1, sync_minutes=15)
    scheduler.start()
    try:
        await wait_until(lambda: len(ran) >= 1, WAIT_S, "the first sweep")
        # what a step back of an hour leaves: the next run an hour past now, as the wall clock now reads
        scheduler._scheduler.modify_job("sweep", next_run_time=datetime.now(UTC) + timedelta(hours=1))
        before = len(ran)
        await wait_until(lambda: len(ran) > before, WAIT_S, "a sweep after the step")
    finally:
        await scheduler.stop()
    assert "the host's clock was stepped back: the sweep job" in caplog.text
