"""The sweep: every channel's due digests, delivered once; run every minute by the scheduler.

It is idempotent: the ledger, not the sweep, decides what has been delivered, so any number of
sweeps, in any number of processes, deliver each channel's digest for a day exactly once.

For each subscription and each of the channel's local dates D on its days of the week that may still
need a sweep (the last two, and older ones while their window lasts or, cut short, until the next
digest is due; `dues`):
- before the due time (HH:MM in its zone, on D) there is nothing to do;
- the digest is Hugging Face's listing for D. While that listing looks partial (fewer than
  `min_papers` papers and its UTC day not over), the sweep waits, up to `wait_hours` after the
  due time; then it posts what there is, or records the day as skipped when there is nothing.
  It never falls back to an earlier day's papers;
- a digest not started by the end of its window (local midnight, or `catch_up_hours` after the due
  time, and never before the wait is over) was missed: it is recorded as skipped, with a log line;
  one whose listing never came is recorded with that reason instead (the store lacks the day, or
  Hugging Face had listed nothing by then), not as missed.

A delivery still going when the sweep's hold is over (a channel waiting out 429s) goes on by itself,
and holds back no other channel's digest (`bot.delivery.under_way`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.delivery.digest_delivery import DeliveryResult, DigestDelivery, Wanted
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.delivery.under_way import UnderWay
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.domain.schedule import local_due
from bot.host.clock import ClockWatch
from bot.store.ledger import Key, Ledger
from bot.store.papers import PaperStore

log = logging.getLogger("paperboy.sweep")


async def given_up(ledger: Ledger, due: Due, key: date, status: str | None, now: datetime, what: str) -> bool:
    """Whether a delivery past its window is given up (recorded as skipped, never posted later): one
    that failed with nothing of it in the channel, at once; one whose process stopped midway (its hold
    gone, or its lease run out), or that failed with its header or a card out (an outage), is finished
    until the channel's next digest is due (half a digest is worse than the rest late), and given up
    then. `what` names it in the log."""
    if status not in ("failed", "claimed"):
        return False
    channel = due.subscription.channel
    finishing = status == "claimed" or (now >= due.window_end and await ledger.shown(channel, key))
    until = max(due.window_end, due.next_due) if finishing else due.window_end
    if now < until:
        return False
    if await ledger.give_up(channel, key, now):
        why = "it kept failing" if status == "failed" else "its process stopped and none took it over"
        closed, end = until.astimezone(UTC), "its window closed" if until == due.window_end else "its next one was due"
        log.warning("%s given up: %s until %s (%s)", what, why, end, f"{closed:%H:%M} UTC on {closed:%-d %B}")
    return True


RETRY_AT_LEAST = timedelta(minutes=30)  # how often a digest cut short is still tried, however long it fails


async def resting(
    ledger: Ledger, due: Due, key: date, status: str | None, now: datetime, what: str, *, doubted: bool
) -> bool:
    """Whether a delivery is not tried this sweep: given up (`given_up`), or, past its window, failed
    and waiting: for half the time since its window ended (its first failure after it is tried again at
    the next sweep), at most `RETRY_AT_LEAST`. One that an outage cut short is finished until the
    channel's next digest is due, days for a Friday's: tried each minute all weekend, it was hundreds
    of refused posts and a warning each. In its window it is tried at every sweep, as before. On a
    `doubted` clock (`bot.host.clock`) it is in its window: a clock stepped a day ahead for a few
    seconds gave up, for good, a digest failing in an outage and one whose process had died midway."""
    if doubted:
        return False
    if await given_up(ledger, due, key, status, now, what):
        return True
    if status != "failed" or now < due.window_end:
        return False
    failed = await ledger.failed_at(due.subscription.channel, key)
    if failed is None or failed < due.window_end:
        return False
    return failed <= now < failed + min((failed - due.window_end) / 2, RETRY_AT_LEAST)  # a clock stepped back: none


@dataclass(frozen=True)
class Due:
    subscription: Subscription
    day: date
    due: datetime  # UTC
    window_end: datetime  # UTC: after this, a digest not begun is skipped
    wait_end: datetime  # UTC: until this, a partial listing is waited for
    next_due: datetime  # UTC: the channel's next digest (one cut short is finished until then)


# How far back a sweep looks: a digest cut short is finished until the channel's next one is due (up to
# a week later, for a weekly roundup or a channel of one weekday), and given up in the day after that.
LOOKBACK = timedelta(days=8)
GRACE = timedelta(days=1)  # after a digest's window (or its next one's due time), to record how it ended


def dues(subscription: Subscription, now: datetime, policy: ScheduleConfig, *, every: bool = False) -> list[Due]:
    """The channel's digests whose due time has passed and which may still need a sweep, oldest first:
    those of its last two local dates, and older ones until a day after their window ends (a
    `catch_up_hours` over a day) or their next digest is due (one cut short is finished until then).
    `every`: all those of the last `LOOKBACK` days, long over or not (a process's first sweep, so that
    the digests missed while no process ran are each recorded and said, not passed over)."""
    zone = ZoneInfo(subscription.timezone)
    today = now.astimezone(zone).date()
    found = []
    for back in range(LOOKBACK.days, -1, -1):
        day = today - timedelta(days=back)
        if day.weekday() not in subscription.weekdays:
            continue
        due = local_due(day, subscription.time, zone)
        if now < due:
            continue
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        catch_up = due + timedelta(hours=policy.catch_up_hours) if policy.catch_up_hours is not None else midnight
        wait_end = due + timedelta(hours=policy.wait_hours)
        following = next(
            later for k in range(1, 8) if (later := day + timedelta(days=k)).weekday() in subscription.weekdays
        )
        next_due = local_due(following, subscription.time, zone)
        # at least one tick: with catch_up_hours and wait_hours both 0, a window of no time ended before any
        # sweep could see it (ticks come seconds after the minute), and no digest ever went out
        window_end = max(catch_up, wait_end, due + timedelta(seconds=policy.tick_seconds))
        if back > 1 and not every and now >= max(window_end, next_due) + GRACE:
            continue  # long over: its window ended, and the next digest is out
        found.append(Due(subscription, day, due, window_end, wait_end, next_due))
    return found


@dataclass(frozen=True)
class Skip:
    """A digest that will not be delivered, and why: recorded in the ledger, with a log line."""

    reason: str


def missed(due: Due) -> str:
    """Why a due digest or roundup was given up once its window closed: the window, in UTC, with its days
    when it spans more than one ("between 21:00 and 21:00 UTC" said nothing of a 48-hour window), or is
    not the listing day's (a Los Angeles 16:02 digest of 1 December is due 00:02 UTC on the 2nd)."""
    start, end = due.due.astimezone(UTC), due.window_end.astimezone(UTC)
    shape = "%H:%M" if start.date() == end.date() == due.day else "%-d %B %H:%M"
    return f"missed: nothing was delivered between {start:{shape}} and {end:{shape}} UTC"


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
        *,
        watch: ClockWatch | None = None,
        hold: float | None = None,
    ) -> None:
        """`watch`: the host's clock against the monotonic one (`paperboy run` gives one); without it,
        the `now` of each sweep is taken as it is (tests that drive sweeps through simulated days).
        `hold`: how long a sweep waits for its deliveries (`bot.delivery.under_way`; None: to their end)."""
        self._platforms = platforms
        self._subscriptions = subscriptions
        self._ledger = ledger
        self._store = store
        self._delivery = delivery
        self._policy = policy
        self._waiting: set[Key] = set()  # due digests said to be waiting for their listing (said once)
        self._swept = False  # the first sweep looks further back (`dues`' `every`)
        self._watch = watch
        self._under_way = UnderWay(delivery.deliver_many, policy.parallel, hold)

    async def sweep(self, now: datetime) -> list[DeliveryResult]:
        """Deliver what is due, `parallel` channels at a time: each channel is paced on its own,
        so 500 channels take about as long as one.

        The ledger is asked about every due digest in one query, and those to deliver are claimed
        together (`DigestDelivery.deliver_many`): a channel's work before its first post is a share
        of a few queries, not a round of its own, so all the headers go out at once."""
        every, self._swept = not self._swept, True
        doubted = self._watch is not None and self._watch.doubted(now)  # a stepped clock's "window over": no verdict
        busy = self._under_way.busy()  # a delivery begun by an earlier sweep is still going on
        due = [
            item
            for subscription in await self._subscriptions.all()
            if subscription.channel not in busy
            and subscription.status is None  # else the channel refused the bot; a new subscribe clears it
            and subscription.channel.platform in self._platforms  # else not configured in this process
            and subscription.cadence == "daily"  # a weekly roundup has a sweep of its own (bot/roundup/weekly.py)
            for item in dues(subscription, now, self._policy, every=every)
        ]
        statuses = await self._ledger.statuses([(item.subscription.channel, item.day) for item in due])
        ready: list[Wanted] = []
        taken: set[ChannelRef] = set()
        skips: dict[Key, str] = {}
        for item in due:
            key = (item.subscription.channel, item.day)
            verdict = await self._verdict(item, statuses.get(key), now, doubted)
            if isinstance(verdict, Skip):
                skips[key] = verdict.reason
            elif verdict == "deliver" and item.subscription.channel not in taken:
                # one day a channel a sweep, the oldest (`dues` gives them in order): a later day's
                # digest leaves out the papers of the earlier one once those are recorded as sent
                taken.add(item.subscription.channel)
                ready.append(Wanted(item.subscription.channel, item.subscription.options(), item.day))
        if skips and not doubted:
            recorded = await self._ledger.skip_many(skips, now)
            for (channel, day), reason in skips.items():
                if (channel, day) in recorded:
                    log.warning("digest for %s on %s skipped: %s", channel, day, reason)
        return await self._under_way.start(ready)

    async def finish(self) -> list[DeliveryResult]:
        """At a stop: the deliveries still under way, waited for (`UnderWay.finish`)."""
        return await self._under_way.finish()

    async def cancel(self) -> None:
        """At a stop cut short: the deliveries still under way, cancelled (`UnderWay.cancel`)."""
        await self._under_way.cancel()

    async def _verdict(
        self, due: Due, status: str | None, now: datetime, doubted: bool
    ) -> Literal["deliver", "nothing"] | Skip:
        """Deliver the digest now, do nothing this sweep (done, not yet listed, given up), or record it as skipped."""
        channel = due.subscription.channel
        if status in ("done", "stopped", "skipped"):
            return "nothing"
        since = due.subscription.since
        if status is None and since is not None and due.due < since:
            return "nothing"  # due before the subscription (or its new schedule) began: neither owed nor missed
        what = f"digest for {channel} on {due.day}"
        if await resting(self._ledger, due, due.day, status, now, what, doubted=doubted):
            return "nothing"
        listed = len(await self._store.listing(due.day))
        partial = listed < self._policy.min_papers and not utc_day_over(due.day, now)
        if partial and now < due.wait_end:
            # the sync job keeps fetching; a day with nothing yet is waited for until its window ends (below)
            return self._wait(due, listed, due.wait_end if listed else due.window_end)
        if listed == 0 and status is None:  # whether or not its window is over: never "missed"
            record = await self._store.day_record(due.day)
            if not record.final and now < due.window_end:
                return self._wait(due, listed, due.window_end)  # never fetched, or asked before the day
                # ended everywhere: papers may come
            day = due.day.isoformat()
            if record.final:
                return Skip(f"Hugging Face listed no papers for {day}")
            if record.fetched_at is None:
                by = f"{due.window_end:%Y-%m-%d %H:%M}"  # with its date: "by 00:00 UTC" was the next day's
                return Skip(f"the store has no listing of {day} (no sync fetched it by {by} UTC)")
            return Skip(f"Hugging Face had listed no papers for {day} by {due.window_end:%Y-%m-%d %H:%M} UTC")
        if now >= due.window_end and status is None:  # a day that had its listing, and nothing went out
            return Skip(missed(due))
        return "deliver"

    def _wait(self, due: Due, listed: int, until: datetime) -> Literal["nothing"]:
        """Nothing this sweep: the digest waits for its listing. Said once per digest (a terminal
        subscription's owner, offline, would otherwise see nothing happen at the hour)."""
        key = (due.subscription.channel, due.day)
        if key not in self._waiting:
            self._waiting = {k for k in self._waiting if k[1] >= due.day - LOOKBACK} | {key}
            so_far = f"only {listed} papers" if listed else "no papers"
            log.info(
                "digest for %s on %s is due; the store holds %s of that day's listing so far: waiting until "
                "%s UTC at the latest (a sync, or `paperboy import`, brings them)",
                key[0],
                due.day,
                so_far,
                f"{until:%Y-%m-%d %H:%M}",
            )
        return "nothing"
