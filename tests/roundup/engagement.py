"""An Engagement kept in memory: a real implementation of the port, for the roundup's tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.channels import ChannelRef
from bot.domain.engagement import Engaged


@dataclass(frozen=True)
class Card:
    channel: ChannelRef
    arxiv_id: str
    posted_at: datetime
    upvotes: int = 0


@dataclass
class MemoryEngagement:
    """Cards posted, and who reacted to or replied about each: the port's answer worked out from them."""

    cards: list[Card] = field(default_factory=list)
    reactions: dict[tuple[str, str], dict[str, datetime]] = field(default_factory=dict)  # (channel, paper) → when
    replies: dict[tuple[str, str], dict[str, datetime]] = field(default_factory=dict)  # each person did it

    def react(self, channel: ChannelRef, arxiv_id: str, *people: str, at: datetime | None = None) -> None:
        """People's reactions on the paper's cards here: `at`, else a second after its latest card."""
        self._did(self.reactions, channel, arxiv_id, people, at)

    def reply(self, channel: ChannelRef, arxiv_id: str, *people: str, at: datetime | None = None) -> None:
        self._did(self.replies, channel, arxiv_id, people, at)

    def _did(
        self,
        done: dict[tuple[str, str], dict[str, datetime]],
        channel: ChannelRef,
        arxiv_id: str,
        people: tuple[str, ...],
        at: datetime | None,
    ) -> None:
        if at is None:
            cards = [c.posted_at for c in self.cards if str(c.channel) == str(channel) and c.arxiv_id == arxiv_id]
            at = max(cards) + timedelta(seconds=1)
        done.setdefault((str(channel), arxiv_id), {}).update(dict.fromkeys(people, at))

    async def top(
        self, channel: ChannelRef, since: datetime | None, until: datetime | None, limit: int
    ) -> Sequence[Engaged]:
        found = []
        for card in self.cards:
            if str(card.channel) != str(channel):
                continue
            if (since is not None and card.posted_at < since) or (until is not None and card.posted_at >= until):
                continue
            key = (str(channel), card.arxiv_id)
            engaged = Engaged(card.arxiv_id, len(self.reactions.get(key, ())), len(self.replies.get(key, ())))
            if engaged.score > 0:
                found.append((engaged, card.upvotes))
        found.sort(key=lambda pair: (-pair[0].score, -pair[1], pair[0].arxiv_id))
        return [engaged for engaged, _ in found[:limit]]

    async def discussed(self, channel: ChannelRef, since: datetime, until: datetime, limit: int) -> Sequence[Engaged]:
        def within(done: dict[tuple[str, str], dict[str, datetime]], arxiv_id: str) -> int:
            return sum(since <= at < until for at in done.get((str(channel), arxiv_id), {}).values())

        upvotes = {c.arxiv_id: c.upvotes for c in self.cards if str(c.channel) == str(channel)}
        found = [Engaged(p, within(self.reactions, p), within(self.replies, p)) for p in upvotes]
        found.sort(key=lambda e: (-e.score, -upvotes[e.arxiv_id], e.arxiv_id))
        return [engaged for engaged in found if engaged.score > 0][:limit]
