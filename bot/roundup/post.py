"""`paperboy post` for a channel with a weekly roundup: that week's roundup now, once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.delivery.digest_delivery import Wanted
from bot.delivery.subscriptions import Subscription
from bot.domain.publishing import Publisher
from bot.roundup.delivery import Parts, roundup_delivery
from bot.roundup.week import covered_monday, week_key
from bot.roundup.weekly import describe


async def post_roundup(
    parts: Parts,
    publishers: Mapping[str, Publisher],
    subscription: Subscription,
    day: date | None,
    now: datetime | None = None,
) -> tuple[str, bool]:
    """Deliver the roundup of `day`'s ISO week (default: the week a roundup due today, in the channel's
    time zone, covers); what happened in words, and whether it went well. Once only: a second call
    posts nothing."""
    if day is None:
        today = (now or datetime.now(UTC)).astimezone(ZoneInfo(subscription.timezone)).date()
        monday = covered_monday(today)
    else:
        monday = day - timedelta(days=day.weekday())
    delivery = roundup_delivery(parts, publishers)
    wanted = Wanted(subscription.channel, subscription.options(), week_key(monday))
    [result] = await delivery.deliver_many([wanted], retry_stopped=True)
    return describe(result), result.ok
