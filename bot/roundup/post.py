"""`paperboy post` for a channel with a weekly roundup: that week's roundup now, once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.delivery.digest_delivery import Wanted
from bot.delivery.subscriptions import Subscription, SubscriptionStore
from bot.domain.engagement import Engagement
from bot.domain.publishing import Publisher
from bot.roundup.delivery import RoundupDelivery
from bot.roundup.week import covered_monday, week_key
from bot.roundup.weekly import describe
from bot.search.port import SearchIndex
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore


class Parts(Protocol):
    """What of the composition root a roundup needs (bot.app.bootstrap.Services has it all)."""

    @property
    def store(self) -> PaperStore: ...
    @property
    def search(self) -> SearchIndex: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def subscriptions(self) -> SubscriptionStore: ...
    @property
    def engagement(self) -> Engagement: ...


async def post_roundup(
    parts: Parts, publishers: Mapping[str, Publisher], subscription: Subscription, day: date | None
) -> tuple[str, bool]:
    """Deliver the roundup of `day`'s ISO week (default: the week a roundup due today covers); what
    happened in words, and whether it went well. Once only: a second call posts nothing."""
    monday = day - timedelta(days=day.weekday()) if day else covered_monday(datetime.now(UTC).date())
    delivery = RoundupDelivery(
        parts.store, parts.search, parts.ledger, parts.subscriptions, publishers, parts.engagement
    )
    wanted = Wanted(subscription.channel, subscription.options(), week_key(monday))
    [result] = await delivery.deliver_many([wanted], retry_stopped=True)
    return describe(result), result.ok
