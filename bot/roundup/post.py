"""`paperboy post` for a channel with a weekly roundup: that week's roundup now, once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.delivery.digest_delivery import CardPosted, Wanted
from bot.delivery.subscriptions import Subscription
from bot.domain.errors import DayNotStored
from bot.domain.publishing import Publisher
from bot.domain.weeks import covered_monday, monday_of, week_days, week_key, week_name
from bot.roundup.delivery import Parts, roundup_delivery
from bot.roundup.weekly import describe

if TYPE_CHECKING:
    from bot.ingest.catalog import Catalog


def roundup_monday(subscription: Subscription, day: date | None, now: datetime | None = None) -> date:
    """The Monday of the week `post` rounds up: `day`'s, or the one a roundup due today covers."""
    if day is None:
        today = (now or datetime.now(UTC)).astimezone(ZoneInfo(subscription.timezone)).date()
        return covered_monday(today)
    return monday_of(day)


async def week_in_store(catalog: Catalog, monday: date, where: str, today: date) -> None:
    """Raise DayNotStored when the store has no papers of the week up to `today` and lacks some of its
    listing days (each fetched first, when online): a roundup of nothing is neither posted nor recorded,
    so the channel gets the week's once a sync has it. A week with papers goes out naming the days it
    lacks; a week Hugging Face listed nothing in says so."""
    lacking: list[date] = []
    first = ""  # why the first lacking day is not there, and how to get it
    listed = False
    for day in (d for d in week_days(monday, today) if d.weekday() < 5):
        try:
            listed = bool((await catalog.ensure_day(day)).listed) or listed
        except DayNotStored as exc:
            lacking.append(day)
            first = first or str(exc)
    if lacking and not listed:
        names = ", ".join(f"{d:%A %-d %B}" for d in lacking)
        raise DayNotStored(
            monday,
            f"the store has no papers of {week_name(monday)} and lacks {names}: nothing was posted to {where} "
            f"or recorded. {first}",
        )


async def post_roundup(
    parts: Parts,
    publishers: Mapping[str, Publisher],
    subscription: Subscription,
    day: date | None,
    now: datetime | None = None,
    posted: CardPosted | None = None,
) -> tuple[str, bool]:
    """Deliver the roundup of `day`'s ISO week (default: the week a roundup due today, in the channel's
    time zone, covers); what happened in words, and whether it went well. Once only: a second call
    posts nothing. `posted`: told of each card out (`bot.roundup.follow.following`)."""
    delivery = roundup_delivery(parts, publishers, posted=posted)
    week = week_key(roundup_monday(subscription, day, now))
    wanted = Wanted(subscription.channel, subscription.options(), week, subscribed=subscription.ends_in_chat)
    [result] = await delivery.deliver_many([wanted], retry_stopped=True)
    return describe(result), result.ok
