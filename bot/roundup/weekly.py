"""The weekly sweep: every weekly subscription's due roundup, delivered once; run with the daily sweep.

The same rules as the daily sweep (bot/delivery/sweep.py), for a week instead of a day:
- a roundup is due at its time (HH:MM in its zone) on its day of the week; a time DST skips moves
  forward, one DST repeats comes once (the due instant is computed in UTC);
- it covers the ISO week of its day (Friday to Sunday) or the week before (Monday to Thursday);
- while the store lacks some of the week's weekdays (no sync fetched them) or the due day's listing
  looks partial, it waits, up to `wait_hours` after the due time; then it posts what there is and
  says which days are missing. A day is missing while the store has no papers of it and no sync asked
  for it after it had ended everywhere (an empty answer before then is not the last word). A week
  the store has nothing of is waited for until the end of the window, then recorded as skipped with
  that reason, never as "no papers" (said only when every one of its weekdays was asked too late
  for papers to come);
- one not started by the end of its window (local midnight, or `catch_up_hours`) was missed: skipped.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Literal

from bot.delivery.digest_delivery import DeliveryResult, Wanted
from bot.delivery.roundup import missing_days
from bot.delivery.subscriptions import SubscriptionStore
from bot.delivery.sweep import Due, Skip, dues, missed, resting, utc_day_over
from bot.delivery.under_way import UnderWay
from bot.domain.channels import ChannelRef
from bot.domain.config import ScheduleConfig
from bot.domain.weeks import roundup_key, week_days, week_key, week_name, week_of
from bot.host.clock import ClockWatch
from bot.roundup.delivery import RoundupDelivery
from bot.store.ledger import Key, Ledger
from bot.store.papers import PaperStore

log = logging.getLogger("paperboy.roundup")
WEEK_DAYS = timedelta(days=7)


class WeeklySweeper:
    def __init__(
        self,
        subscriptions: SubscriptionStore,
        ledger: Ledger,
        store: PaperStore,
        delivery: RoundupDelivery,
        policy: ScheduleConfig,
        platforms: frozenset[str],
        *,
        watch: ClockWatch | None = None,
        hold: float | None = None,
    ) -> None:
        self._subscriptions = subscriptions
        self._ledger = ledger
        self._store = store
        self._delivery = delivery
        self._policy = policy
        self._platforms = platforms
        self._watch = watch  # a stepped clock's "window over" is no verdict: no skips for a while (`Sweeper`)
        self._swept = False  # the first sweep looks back further, each roundup missed meanwhile said (`Sweeper`)
        self._under_way = UnderWay(delivery.deliver_many, policy.parallel, hold)  # as `Sweeper`'s
        self._waiting: set[tuple[ChannelRef, date]] = set()  # roundups said to wait for their week

    async def sweep(self, now: datetime) -> list[DeliveryResult]:
        """Deliver the roundups that are due, `parallel` channels at a time, as the daily sweep does."""
        every, self._swept = not self._swept, True
        busy = self._under_way.busy()
        due = [
            item
            for subscription in await self._subscriptions.all()
            if subscription.channel not in busy
            and subscription.status is None
            and subscription.channel.platform in self._platforms
            and subscription.cadence == "weekly"
            for item in dues(subscription, now, self._policy, every=every)
        ]
        doubted = self._watch is not None and self._watch.doubted(now)
        keyed = {(item.subscription.channel, roundup_key(item.day)): item for item in due}
        statuses = await self._ledger.statuses(list(keyed))
        ready: list[Wanted] = []
        skips: dict[Key, str] = {}
        for key, item in keyed.items():
            verdict = await self._verdict(item, week_of(key[1]), statuses.get(key), now, doubted)
            if isinstance(verdict, Skip):
                skips[key] = verdict.reason
            elif verdict == "deliver":
                ready.append(Wanted(key[0], item.subscription.options(), key[1]))
        if skips and not doubted:
            recorded = await self._ledger.skip_many(skips, now)
            for (channel, day), reason in skips.items():
                if (channel, day) in recorded:
                    log.warning("roundup of %s for %s skipped: %s", week_name(week_of(day)), channel, reason)
        return await self._under_way.start(ready)

    async def finish(self) -> list[DeliveryResult]:
        """At a stop: the roundups still under way, waited for."""
        return await self._under_way.finish()

    async def cancel(self) -> None:
        """At a stop cut short: the deliveries still under way, cancelled (`UnderWay.cancel`)."""
        await self._under_way.cancel()

    async def _verdict(
        self, due: Due, monday: date, status: str | None, now: datetime, doubted: bool
    ) -> Literal["deliver", "nothing"] | Skip:
        channel = due.subscription.channel
        if status in ("done", "stopped", "skipped"):
            return "nothing"
        since = due.subscription.since
        if status is None and since is not None and due.due < since:
            return "nothing"  # due before the subscription (or its new schedule) began
        if await resting(
            self._ledger,
            due,
            week_key(monday),
            status,
            now,
            f"roundup of {week_name(monday)} for {channel}",
            doubted=doubted,
        ):
            return "nothing"
        today = now.date()
        missing = await missing_days(self._store, monday, today)
        listed = sum([len(await self._store.listing(day)) for day in week_days(monday, today)])
        if listed == 0 and status is None:
            if missing and now < due.window_end:  # no sync has fetched the week (Hugging Face down): not a week
                return self._wait(due, monday)  # without papers
            if missing:
                asked = [d for d in missing if (await self._store.day_record(d)).fetched_at is not None]
                how = "no sync fetched its days" if not asked else "no sync fetched its days after they had ended"
                return Skip(f"the store has no listing of {week_name(monday)} ({how})")
            return Skip(f"Hugging Face listed no papers in {week_name(monday)}")
        if now >= due.window_end and status is None:
            return Skip(missed(due))
        if now < due.wait_end and (missing or await self._partial(due, monday, now)):
            return "nothing"  # some days may still come: wait, then post what there is and say what is missing
        return "deliver"

    def _wait(self, due: Due, monday: date) -> Literal["nothing"]:
        """Nothing this sweep: the roundup waits for its week. Said once per roundup, as the daily digest's
        wait is (a terminal's owner, offline, saw the hour pass without a word)."""
        if (key := (due.subscription.channel, monday)) not in self._waiting:
            self._waiting = {k for k in self._waiting if k[1] >= monday - 2 * WEEK_DAYS} | {key}
            log.info(
                "roundup of %s for %s is due; the store has no listing of that week yet: waiting until %s UTC at"
                " the latest (a sync, or `paperboy import`, brings it)",
                week_name(monday),
                key[0],
                f"{due.window_end:%Y-%m-%d %H:%M}",
            )
        return "nothing"

    async def _partial(self, due: Due, monday: date, now: datetime) -> bool:
        """Whether the due day is one of the week's and its listing still looks partial (as the daily sweep
        judges it: fewer than `min_papers` while its UTC day lasts)."""
        day = due.day
        if day.weekday() >= 5 or not monday <= day < monday + WEEK_DAYS or utc_day_over(day, now):
            return False
        return len(await self._store.listing(day)) < self._policy.min_papers


def describe(result: DeliveryResult) -> str:
    """A roundup's result in words (the ledger's day is the week's key, not a listing day)."""
    return result.describe(f"the roundup of {week_name(week_of(result.day))}" if result.day else "the roundup")
