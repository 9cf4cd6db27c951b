"""The sweep: every channel's due digests, delivered once; run every minute by the scheduler.

It is idempotent: the ledger, not the sweep, decides what has been delivered, so any number of
sweeps, in any number of processes, deliver each channel's digest for a day exactly once.

For each subscription and each of the channel's last two local dates D on its days of the week:
- before the due time (HH:MM in its zone, on D) there is nothing to do;
- the digest is Hugging Face's listing for D. While that listing looks partial (fewer than
  `min_papers` papers and its UTC day not over), the sweep waits, up to `wait_hours` after the
  due time; then it posts what there is, or records the day as skipped when there is nothing.
  It never falls back to an earlier day's papers;
- a digest not started by the end of its window (local midnight, or `catch_up_hours` after the due
  time, and never before the wait is over) was missed: it is recorded as skipped, with a log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import ScheduleConfig
from bot.delivery import DeliveryResult, DigestDelivery
from bot.schedule import local_due
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.subscriptions import Subscription, SubscriptionStore

log = logging.getLogger("paperboy.sweep")


@dataclass(frozen=True)
class Due:
    subscription: Subscription
    day: date
    due: datetime  # UTC
    window_end: datetime  # UTC: after this, a digest not begun is skipped
    wait_end: datetime  # UTC: until this, a partial listing is waited for


def dues(subscription: Subscription, now: datetime, policy: ScheduleConfig) -> list[Due]:
    """The channel's digests whose due time has passed, for its last two local dates."""
    zone = ZoneInfo(subscription.timezone)
    today = now.astimezone(zone).date()
    found = []
    for day in (today - timedelta(days=1), today):
        if day.weekday() not in subscription.weekdays:
            continue
        due = local_due(day, subscription.time, zone)
        if now < due:
            continue
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        catch_up = due + timedelta(hours=policy.catch_up_hours) if policy.catch_up_hours is not None else midnight
        wait_end = due + timedelta(hours=policy.wait_hours)
        found.append(Due(subscription, day, due, max(catch_up, wait_end), wait_end))
    return found


def utc_day_over(day: date, now: datetime) -> bool:
    return now >= datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


class Sweeper:
    def __init__(
        self,
        subscriptions: SubscriptionStore,
        ledger: Ledger,
        store: PaperStore,
        delivery: DigestDelivery,
        policy: ScheduleConfig,
        platforms: frozenset[str],
    ) -> None:
        self._platforms = platforms
        self._subscriptions = subscriptions
        self._ledger = ledger
        self._store = store
        self._delivery = delivery
        self._policy = policy

    async def sweep(self, now: datetime) -> list[DeliveryResult]:
        """Deliver what is due, `parallel` channels at a time: each channel is paced on its own,
        so 500 channels take about as long as one."""
        due = [
            item
            for subscription in await self._subscriptions.all()
            if subscription.status is None  # else the channel refused the bot; a new subscribe clears it
            and subscription.channel.platform in self._platforms  # else not configured in this process
            for item in dues(subscription, now, self._policy)
        ]
        gate = asyncio.Semaphore(self._policy.parallel)

        async def one(item: Due) -> DeliveryResult | None:
            async with gate:
                return await self._one(item, now)

        results = await asyncio.gather(*(one(item) for item in due))
        return [r for r in results if r is not None]

    async def _one(self, due: Due, now: datetime) -> DeliveryResult | None:
        channel = due.subscription.channel
        status = await self._ledger.status(channel, due.day)
        if status in ("done", "stopped", "skipped"):
            return None
        if now >= due.window_end and status is None:
            await self._skip(
                due, now, f"missed: nothing was delivered between {due.due:%H:%M} and {due.window_end:%H:%M} UTC"
            )
            return None
        if now >= due.window_end and status == "failed":
            if await self._ledger.give_up(channel, due.day, now):
                log.warning("digest for %s on %s given up: it kept failing until %s", channel, due.day, due.window_end)
            return None
        listed = len(await self._store.listing(due.day))
        partial = listed < self._policy.min_papers and not utc_day_over(due.day, now)
        if partial and now < due.wait_end:
            return None  # Hugging Face has not listed enough yet; the sync job keeps fetching
        if listed == 0 and status is None:
            await self._skip(due, now, f"Hugging Face listed no papers for {due.day.isoformat()}")
            return None
        return await self._delivery.deliver(channel, due.subscription.options(), due.day)

    async def _skip(self, due: Due, now: datetime, reason: str) -> None:
        if await self._ledger.skip(due.subscription.channel, due.day, reason, now):
            log.warning("digest for %s on %s skipped: %s", due.subscription.channel, due.day, reason)
