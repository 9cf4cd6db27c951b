"""The publishing port: how the core posts a digest to a chat platform, and the references it gets back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.domain.post import Card, Post


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

    Every post carries a `key`, unique in its channel, that the platform keeps with the message
    (Slack message metadata, a Discord nonce), so that `find` can tell whether a post begun by a
    process that then died is already out. Raises ChannelUnavailable when the channel refuses the
    bot for good, DeliveryError otherwise.
    """

    async def post_header(self, channel: str, post: Post, key: str) -> MessageRef | None:
        """The digest's header message; None where the channel shows none above its cards (a forum,
        unless the post is empty or has a `notice`: then the header is a post of its own)."""
        ...

    async def post_card(self, channel: str, card: Card, key: str) -> MessageRef:
        """A paper's card, posted as the root of its discussion thread."""
        ...

    async def seed_thread(self, root: MessageRef, card: Card, key: str) -> MessageRef:
        """The first reply in the paper's thread: abstract, AI summary, keywords, links."""
        ...

    async def find(
        self, channel: str, key: str, since: datetime, *, thread: str | None = None, title: str = ""
    ) -> MessageRef | None:
        """The message posted with `key` since `since` (in `thread`, if given), or None if there is none."""
        ...

    async def note(
        self, channel: str, post: Post, key: str, *, thread: str | None = None, about: str | None = None
    ) -> MessageRef | None:
        """A short message of the bot's own (its header in bold, then its text): in `thread` when given
        (news in a paper's thread), else in the channel (in a forum, a post of its own; None where a
        platform has no place for one).
        `about`: the card message it is news of, which a note where no thread started (a direct
        message) answers, so it says which paper it is about."""
        ...

    async def refresh_card(self, ref: MessageRef, card: Card) -> bool:
        """Show `card` (new counts) in the card message `ref` in place; False when a person deleted it."""
        ...

    async def card_exists(self, ref: MessageRef) -> bool:
        """Whether the card message `ref` is still there (False: a person deleted it); True when the
        platform won't say (it can't be read), lest a card be taken for deleted."""
        ...


@runtime_checkable
class Permalinks(Protocol):
    """A publisher that can give a link people open a message by (a roundup's *Most discussed* links each
    paper's thread)."""

    async def permalink(self, ref: MessageRef) -> str | None:
        """The address of the message `ref` (its thread, where it started one); None when the platform
        gives none now (the message deleted, the channel gone, the platform out of reach)."""
        ...


@runtime_checkable
class PerWorkspace(Protocol):
    """A publisher that serves several workspaces (multi-workspace Slack), each with its own credentials."""

    def for_workspace(self, workspace: str) -> Publisher:
        """The publisher posting in `workspace` (a channel's ChannelRef.workspace)."""
        ...


def publisher_for(publisher: Publisher, workspace: str) -> Publisher:
    """The publisher that posts in `workspace`: its own for a PerWorkspace one, else the one there is."""
    return publisher.for_workspace(workspace) if isinstance(publisher, PerWorkspace) else publisher


# How far before a recorded intent a takeover starts looking for the post it may have made: the intent
# is stamped by this host's clock, the post by the platform's. A host running fast by more than 60 s
# (the old margin) looked after its own post, found nothing, and posted it twice.
LOOK_BACK_S = 900.0


class LeaseLost(Exception):
    """Another process took the digest over, or may have (our lease ran out, or our hold was lost):
    stop quietly, it will finish."""


# Whether this task still holds what it posts for (a digest's claim), asked by a publisher that waits
# before it posts again (a 429's Retry-After): on PostgreSQL a hold goes with its database session, and
# another process may take the digest over during the wait, and post what we were about to post.
_HOLDING: ContextVar[Callable[[], Awaitable[bool]] | None] = ContextVar("paperboy_holding", default=None)


@contextmanager
def holding(still: Callable[[], Awaitable[bool]]) -> Iterator[None]:
    """Posts made in this block ask `still()` after any wait of theirs (`still_held`)."""
    token = _HOLDING.set(still)
    try:
        yield
    finally:
        _HOLDING.reset(token)


async def still_held() -> None:
    """`LeaseLost` when the post under way is for a hold this task no longer has (nothing to ask: held)."""
    still = _HOLDING.get()
    if still is not None and not await still():
        raise LeaseLost
