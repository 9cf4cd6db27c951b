"""Which of a subscription's coming days the channel already had: what `Subscription.describe` leaves
out of "Next digest" (today's went out at 09:05, and it now says 10:00)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.subscriptions import Subscription
from bot.domain.schedule import day_start
from bot.domain.weeks import roundup_key
from bot.store.ledger import Ledger

FINISHED = ("done", "skipped", "stopped")  # a ledger status after which that day's digest is not owed


async def days_had(ledger: Ledger, subscription: Subscription, now: datetime) -> set[date]:
    """The local days, today and tomorrow, whose daily digest the channel already had (or that was
    given up). Weekly: the days of the next two roundups whose week the channel already had (its day
    moved into a week whose roundup went out: "Next roundup: Monday 8 June" came a week later)."""
    if subscription.status:  # stopped: no next digest is said, so none is looked up
        return set()
    zone = ZoneInfo(subscription.timezone)
    if subscription.cadence == "daily":
        today = now.astimezone(zone).date()
        days = {today + timedelta(days=n): today + timedelta(days=n) for n in (0, 1)}
    else:
        days = {}
        due = subscription.next_delivery(day_start(now, subscription.timezone) - timedelta(microseconds=1))
        for _ in range(2):  # today's too, due or not
            if due is None:
                break
            local = due.astimezone(zone).date()
            days[local] = roundup_key(local)  # the ledger's day of the week it covers
            due = subscription.next_delivery(due + timedelta(minutes=1))
    statuses = await ledger.statuses([(subscription.channel, key) for key in days.values()])
    return {day for day, key in days.items() if statuses.get((subscription.channel, key)) in FINISHED}
