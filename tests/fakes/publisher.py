"""A publisher that keeps what it was asked to post, and can be made to die half-way (a crash)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.domain.errors import DeliveryError
from bot.domain.post import Card, Post
from bot.domain.publishing import MessageRef


class Crash(BaseException):  # not an Exception: no handler of ours may take it for an error
    """Stands in for the process dying: nothing after it runs."""


@dataclass
class Posted:
    channel: str
    key: str
    thread: str | None
    text: str


@dataclass
class RecordingPublisher:
    posted: list[Posted] = field(default_factory=list)
    crash_at: int | None = None  # die when asked for this post (1-based), after the platform kept it
    crash_before: int | None = None  # die when asked for this post, before the platform got it
    headers: list[Post] = field(default_factory=list)  # each header and note, as asked for
    deleted: set[str] = field(default_factory=set)  # cards (message ids) a person deleted
    refreshed: list[tuple[str, Card]] = field(default_factory=list)  # (message id, card) as refreshed
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _asked: int = 0

    def _post(self, channel: str, key: str, thread: str | None, text: str) -> MessageRef:
        self._asked += 1
        if self.crash_before == self._asked:
            raise Crash(f"died before post {self._asked}")
        message = str(next(self._ids))
        self.posted.append(Posted(channel, key, thread, text))
        if self.crash_at == self._asked:
            raise Crash(f"died after post {self._asked}")
        return MessageRef(channel, message, thread or message)

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        self.headers.append(post)
        return self._post(channel, key, None, post.header)

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        return self._post(channel, key, None, card.paper_id)

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        return self._post(root.channel, key, root.thread, f"seed {card.paper_id}")

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        for number, posted in enumerate(self.posted, start=1):
            if posted.channel == channel and posted.key == key:
                return MessageRef(channel, str(number), thread or str(number))
        return None

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        self.headers.append(post)
        return self._post(channel, key, thread, post.header)

    async def card_exists(self, ref: MessageRef) -> bool:
        return ref.message not in self.deleted

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        if ref.message in self.deleted:
            return False
        self.refreshed.append((ref.message, card))
        return True

    def keys(self, channel: str) -> list[str]:
        return [p.key for p in self.posted if p.channel == channel]


@dataclass
class OutagePublisher(RecordingPublisher):
    """After the header and two cards, every card is refused (Slack's 503) until `until`."""

    clock: Callable[[], datetime] = lambda: datetime(2026, 6, 2, tzinfo=UTC)
    until: datetime = field(default_factory=lambda: datetime(2026, 6, 3, 4, tzinfo=UTC))
    fail_headers: bool = False  # the header refused too: nothing of the digest is out
    refused: int = 0  # posts refused so far

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        if self.fail_headers and self.clock() < self.until:
            self.refused += 1
            raise DeliveryError("Slack's API answered HTTP 503 to chat.postMessage (Slack is having trouble)")
        return await super().post_header(channel, post, key)

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        if len([p for p in self.posted if p.thread is None]) >= 3 and self.clock() < self.until:
            self.refused += 1
            raise DeliveryError("Slack's API answered HTTP 503 to chat.postMessage (Slack is having trouble)")
        return await super().post_card(channel, card, key)
