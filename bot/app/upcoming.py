"""What `paperboy run` says at start of the digests to come: the next one due, and, offline, what it needs.

A terminal's owner who subscribed `console:NAME` for 00:30 and starts paperboy at 04:00 would
otherwise see nothing happen until the next day (a subscription owes no digest due before it began),
and offline, nothing at all: the day's listing never comes. A digest still owed today (due since
the subscription began, its window open, not finished: a process killed midway leaves it begun) is
the next one: the first sweep takes it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.delivery.delivered import FINISHED
from bot.delivery.subscriptions import Subscription
from bot.delivery.sweep import Due, dues
from bot.domain.config import ScheduleConfig
from bot.domain.weeks import covered_monday, roundup_key, week_name
from bot.domain.words import counted
from bot.store.ledger import Ledger

OFFLINE = (
    " (offline: a digest goes out only for a day whose listing the store holds; `paperboy import` brings"
    " listings, or run without PAPERBOY_OFFLINE to fetch them)"
)


async def next_digest_note(
    subscriptions: list[Subscription],
    ledger: Ledger,
    policy: ScheduleConfig,
    platforms: Collection[str],
    now: datetime,
    *,
    offline: bool,
) -> str | None:
    """The line saying which channel gets the next digest (or roundup), and when, in its own zone; None
    when no subscription here delivers (none, every one stopped, or none on a platform that runs)."""
    active = [s for s in subscriptions if s.status is None and s.channel.platform in platforms]
    owed = [d for s in active for d in dues(s, now, policy) if _open(d, now)]
    statuses = await ledger.statuses([(d.subscription.channel, _key(d)) for d in owed])
    # not finished: nothing recorded for it yet, or begun by a process that died midway, or failing (retried)
    owed = [d for d in owed if statuses.get((d.subscription.channel, _key(d))) not in FINISHED]
    count = counted(len(active), "subscription")
    if owed:
        first = min(owed, key=lambda d: (d.due, str(d.subscription.channel)))
        local = first.due.astimezone(ZoneInfo(first.subscription.timezone))
        if first.subscription.cadence == "daily":
            which = f"the next digest: {first.subscription.channel}'s of {first.day:%A %-d %B}"
        else:  # waiting for a day of its week, say: still owed, and the next to go
            which = f"the next weekly roundup: {first.subscription.channel}'s of {week_name(covered_monday(first.day))}"
        return f"{count}; {which}, due since {local:%H:%M %Z}" + (OFFLINE if offline else "") + "."
    dated = [(due, s) for s in active if (due := s.next_delivery(now)) is not None]
    if not dated:
        return None
    due, nearest = min(dated, key=lambda pair: (pair[0], str(pair[1].channel)))
    what = "digest" if nearest.cadence == "daily" else "weekly roundup"
    when = f"{due.astimezone(ZoneInfo(nearest.timezone)):%A %-d %B at %H:%M %Z}"
    return f"{count}; the next {what}: {nearest.channel}, {when}" + (OFFLINE if offline else "") + "."


def _key(due: Due) -> date:
    """The ledger's day of a due digest: its listing day, or the week a roundup covers."""
    return due.day if due.subscription.cadence == "daily" else roundup_key(due.day)


def _open(due: Due, now: datetime) -> bool:
    """Whether a passed due time is still owed: since the subscription began, and its window open."""
    since = due.subscription.since
    return (since is None or due.due >= since) and now < due.window_end


# What a platform's channels need from this process's settings (`not_served`).
_NEEDS = {
    "slack": "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) are not set",
    "discord": "DISCORD_TOKEN is not set",
}
SHOWN = 3  # channels named, per platform, before "and N more"


def not_served(subscriptions: list[Subscription], platforms: Collection[str]) -> str | None:
    """The line naming the subscriptions on platforms this process does not run (a config file's
    `discord:…` channel with no DISCORD_TOKEN set), which get no digest from it; None when there are
    none. Another replica that runs the platform delivers them: said, not refused."""
    idle: dict[str, list[str]] = {}
    for subscription in subscriptions:
        channel = subscription.channel
        if subscription.status is None and channel.platform not in platforms:
            idle.setdefault(channel.platform, []).append(str(channel))
    if not idle:
        return None
    parts = []
    for platform, channels in sorted(idle.items()):
        more = f" and {len(channels) - SHOWN} more" if len(channels) > SHOWN else ""
        why = _NEEDS.get(platform, f"{platform} is not running here")
        parts.append(f"{', '.join(channels[:SHOWN])}{more} ({why})")
    return (
        f"No digest goes from this process to {'; '.join(parts)}: set what is missing and restart, unless"
        " another paperboy process delivers them."
    )
