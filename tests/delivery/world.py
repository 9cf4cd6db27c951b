"""A sweep's world under test: a settable clock, the store, a publisher that records, the subscriptions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.delivery.subscriptions import SubscriptionStore
from bot.store.papers import PaperStore
from tests.fakes.publisher import RecordingPublisher


class Clock:
    """A clock the test sets (`clock.now = …`); called, it says the time set."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class SweepWorld:
    store: PaperStore
    clock: Clock
    publisher: RecordingPublisher
    subscriptions: SubscriptionStore

    def headers(self, channel: str) -> Counter[str]:
        """The digests (or roundups) posted in `channel`: how many headers each day's (or week's) key got."""
        return Counter(k.split(":")[0] for k in self.publisher.keys(channel) if k.endswith(":header"))
