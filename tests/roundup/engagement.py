"""An Engagement kept in memory: a real implementation of the port, for the roundup's tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

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
    reactions: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (channel, paper) → people
    replies: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def react(self, channel: ChannelRef, arxiv_id: str, *people: str) -> None:
        self.reactions.setdefault((str(channel), arxiv_id), set()).update(people)

    def reply(self, channel: ChannelRef, arxiv_id: str, *people: str) -> None:
        self.replies.setdefault((str(channel), arxiv_id), set()).update(people)

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
