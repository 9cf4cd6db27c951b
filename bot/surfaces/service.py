"""What the adapters' native surfaces ask of the core, in one object built by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.chat.commands import Command, Subscribe
from bot.chat.service import Asker
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.post import Post
from bot.domain.publishing import MessageRef
from bot.store.ledger import Ledger
from bot.surfaces.forms import SubscribeForm
from bot.surfaces.links import LinkCard, LinkCards
from bot.surfaces.suggestions import Suggestions

Answer = Callable[[Command, Asker], Awaitable[Post]]


@dataclass(frozen=True)
class Surfaces:
    links: LinkCards
    suggestions: Suggestions
    subscriptions: SubscriptionStore
    answer: Answer  # the chat service's answer to a command: the one path a form's subscription takes
    ledger: Ledger | None = None  # where link cards are written down (their reactions are votes); None: nowhere
    # whether an event is new (the chat service's `first_time`: a retry, or another replica's copy, is not)
    first_time: Callable[[str, str], Awaitable[bool]] | None = None

    async def new_event(self, platform: str, event_id: str) -> bool:
        """Whether to act on this event: not on a platform's retry of one already acted on."""
        return self.first_time is None or not event_id or await self.first_time(platform, event_id)

    async def unfurled(self, channel: ChannelRef, message: str, found: list[LinkCard]) -> bool:
        """A person's message whose paper links became cards (Slack's unfurl): when they are all one
        paper's, the message is that paper's link card, and reactions on it are votes for it, as on the
        bot's own cards. Whether it was written down."""
        papers = {f.paper_id for f in found}  # a link that found no paper still names one: two papers, no card
        if self.ledger is None or not message or len(papers) != 1 or any(f.card is None for f in found):
            return False
        ref = MessageRef(channel.channel, message, message)
        await self.ledger.record_message(channel, ref, papers.pop(), datetime.now(UTC))
        return True

    async def form(self, channel: ChannelRef) -> SubscribeForm:
        """The subscribe form as a channel's current subscription fills it in."""
        return SubscribeForm.of(await self.subscriptions.get(channel))

    async def refusal(self, asker: Asker) -> Post | None:
        """Why a form would be no use here (a direct message, no permission, a digest the config file
        manages), in the core's words; None when the asker may subscribe the channel. The core refuses
        such a `subscribe` before it saves anything, so asking it is safe."""
        if asker.direct or not asker.can_manage:
            return await self.answer(Subscribe(), asker)
        current = await self.subscriptions.get(asker.channel)
        if current is not None and current.source == "config":
            return await self.answer(Subscribe(), asker)
        return None
