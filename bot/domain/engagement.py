"""What a channel did with the papers the bot posted there: the port `/papers top` and the weekly roundup read.

A vote is a person's reaction on a message the bot posted for a paper; a reply is a person's message
in that paper's thread. A paper's score in a channel is the distinct people who reacted plus the
distinct people who replied (contract, *Community*). The store implements this port; the roundup
and the chat service only read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.channels import ChannelRef


@dataclass(frozen=True)
class Engaged:
    """One paper's engagement in one channel."""

    arxiv_id: str
    reactions: int  # distinct people who reacted
    replies: int  # distinct people who replied in its thread

    @property
    def score(self) -> int:
        return self.reactions + self.replies


class Engagement(Protocol):
    async def top(
        self, channel: ChannelRef, since: datetime | None, until: datetime | None, limit: int
    ) -> Sequence[Engaged]:
        """The channel's papers with a score above 0 among the cards posted in [since, until)
        (None: unbounded), highest score first, ties by Hugging Face upvotes, then arXiv id."""
        ...

    async def discussed(self, channel: ChannelRef, since: datetime, until: datetime, limit: int) -> Sequence[Engaged]:
        """The channel's papers people reacted to or replied about in [since, until), whenever their cards
        were posted: distinct people whose reaction put on then is still on, plus distinct people who
        replied then; highest first, ties by Hugging Face upvotes, then arXiv id (the weekly roundup's
        "most discussed here this week": a card of an old paper discussed this week counts this week)."""
        ...
