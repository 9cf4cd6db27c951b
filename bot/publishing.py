"""The publishing port: how the core posts a digest to a chat platform, and the references it gets back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.post import Card, Post


@dataclass(frozen=True)
class MessageRef:
    """An opaque pointer to a posted message: `message` is its id, `thread` what replies go to.

    On Slack both are the message `ts`; on Discord `thread` is the thread (or forum post) channel id.
    """

    channel: str
    message: str
    thread: str


class Publisher(Protocol):
    """One chat platform's way of posting; adapters implement it, the delivery service drives it.

    Raises ChannelUnavailable when the channel refuses the bot for good, DeliveryError otherwise.
    """

    async def post_header(self, channel: str, post: Post) -> MessageRef | None:
        """The digest's header message (None where the channel has no place for one, as a forum)."""
        ...

    async def post_card(self, channel: str, card: Card) -> MessageRef:
        """A paper's card, posted as the root of its discussion thread."""
        ...

    async def seed_thread(self, root: MessageRef, card: Card) -> MessageRef:
        """The first reply in the paper's thread: abstract, AI summary, keywords, links."""
        ...
