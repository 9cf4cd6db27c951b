"""The long-running half of `paperboy run`: the sweep and the sync on a schedule, until told to stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from functools import partial

from bot.app.bootstrap import Services
from bot.app.settings import store_explained
from bot.delivery.digest_delivery import CardPosted, DigestDelivery
from bot.delivery.scheduler import Scheduler
from bot.delivery.sweep import Sweeper
from bot.delivery.under_way import HOLD_SECONDS
from bot.domain.errors import SourceError
from bot.domain.publishing import Publisher
from bot.domain.repeats import Repeats
from bot.host.clock import ClockWatch
from bot.host.heap import freeze_heap
from bot.ingest.sync import days_to_sync
from bot.roundup.wiring import Roundups, living
from bot.store.engine import refresh_statistics

log = logging.getLogger("paperboy")


def sweeper(services: Services, publishers: Mapping[str, Publisher], posted: CardPosted | None = None) -> Sweeper:
    delivery = DigestDelivery(
        services.store, services.search, services.ledger, services.subscriptions, publishers, posted=posted
    )
    return Sweeper(
        services.subscriptions,
        services.ledger,
        services.store,
        delivery,
        services.config.schedule,
        frozenset(publishers),
        watch=ClockWatch(),
        hold=HOLD_SECONDS,
    )


async def serve(services: Services, publishers: Mapping[str, Publisher], stop: asyncio.Event) -> None:
    """Sweep and sync on schedule until `stop` is set."""
    async with living(services.config, services, publishers, services.arxiv) as roundup:
        await _serve(services, publishers, stop, roundup)


async def _serve(
    services: Services, publishers: Mapping[str, Publisher], stop: asyncio.Event, roundup: Roundups
) -> None:
    sweep = sweeper(services, publishers, roundup.follower.posted)
    syncer = services.syncer
    failed = JobFailures(store_explained(services.settings))

    async def daily() -> None:
        for result in await sweep.sweep(datetime.now(UTC)):
            if result.for_the_log:
                log.info("%s", result.describe())

    async def weekly() -> None:
        await roundup.sweep(datetime.now(UTC))

    async def sweep_now() -> None:
        """The daily digests, then the weekly roundups: one failing does not keep the other waiting."""
        for name, job in (("daily digests", daily), ("weekly roundups", weekly)):
            try:
                await job()
            except Exception as exc:
                failed.say(f"the sweep of {name}", exc)

    said = SyncLog()
    week_fetched: list[datetime] = []  # when the sync last fetched the week's earlier days (`days_to_sync`)

    async def sync_now() -> None:
        assert syncer is not None
        now = datetime.now(UTC)
        days = days_to_sync(now, week_fetched[-1] if week_fetched else None)
        try:
            report = await syncer.sync(days)
        except SourceError as exc:
            said.refused(exc, now)
            return
        except Exception as exc:  # the store's fault said in a line, not a traceback at every sync
            failed.say("the sync", exc)
            return
        if len(days) > 2:
            week_fetched[:] = [now]
        said.synced(report.counts.new_listings, report.failed, now)
        await roundup.follow(syncer, report.days)

    freeze_heap()  # started: what the process holds now, it holds for good (bot/host/heap.py)
    policy = services.config.schedule
    scheduler = Scheduler(
        sweep=sweep_now,
        sync=sync_now if syncer is not None else None,
        tick_seconds=policy.tick_seconds,
        sync_minutes=policy.sync_minutes,
        upkeep=partial(refresh_statistics, services.store.engine),
    )
    scheduler.start()
    try:
        await stop.wait()
    finally:  # what is under way finishes: serve_until_stopped bounds the wait (SHUTDOWN_SECONDS)
        try:
            await scheduler.stop()
            try:
                for result in await sweep.finish():  # the deliveries a sweep left going, waited for
                    if result.for_the_log:
                        log.info("%s", result.describe())
            except Exception:
                log.exception("a digest delivery still under way at the stop failed; the next start takes it up")
            await roundup.finish()
        except asyncio.CancelledError:  # the stop's deadline: what a sweep left going is cancelled, not left
            await sweep.cancel()
            await roundup.weekly.cancel()
            raise


class JobFailures:
    """A job's failure in `run`'s log. The store's fault (its disk full, its file read-only) is one line
    in its words, said once an hour while it lasts: it was a SQLAlchemy traceback at every tick. Any
    other failure is a fault of ours: its traceback, each time."""

    def __init__(self, explain: Callable[[Exception], str | None]) -> None:
        self._explain = explain
        self._repeats = Repeats()

    def say(self, job: str, exc: Exception) -> None:
        said = self._explain(exc)
        if said is None:
            log.exception("%s failed; it runs again at the next tick", job)
        elif self._repeats.first((job, said), datetime.now(UTC)):
            log.error("%s failed: %s (tried again at every tick; said again hourly while it lasts)", job, said)


class SyncLog:
    """What `run`'s syncs say: a failure when it begins and hourly while it lasts (each sync, every 15
    minutes, asks again: it was said at each, for hours), and once the sync works again, that it does."""

    def __init__(self) -> None:
        self._repeats = Repeats()
        self._failing = False

    def refused(self, exc: SourceError, now: datetime) -> None:
        self._failing = True
        if self._repeats.first(str(exc), now):
            log.warning("sync failed, trying again at the next one (said hourly while it lasts): %s", exc)

    def synced(self, new_listings: int, failed: Mapping[date, str], now: datetime) -> None:
        if self._failing and not failed:
            log.info("the sync works again: %d new listings", new_listings)
            self._failing = False
        elif new_listings:
            log.info("synced %d new listings", new_listings)
        for day, reason in failed.items():
            self._failing = True
            if self._repeats.first((day, reason), now):
                log.warning("sync of %s failed (said hourly while it lasts): %s", day, reason)
