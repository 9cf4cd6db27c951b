"""What the adapters' native surfaces ask of the core, in one object built by the composition root."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.chat.commands import Command, Subscribe
from bot.chat.service import Asker
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.post import Post
from bot.surfaces.forms import SubscribeForm, read_form
from bot.surfaces.links import LinkCards
from bot.surfaces.suggestions import Suggestions

Answer = Callable[[Command, Asker], Awaitable[Post]]


@dataclass(frozen=True)
class Surfaces:
    links: LinkCards
    suggestions: Suggestions
    subscriptions: SubscriptionStore
    answer: Answer  # the chat service's answer to a command: the one path a form's subscription takes

    async def form(self, channel: ChannelRef) -> SubscribeForm:
        """The subscribe form as a channel's current subscription fills it in."""
        return SubscribeForm.of(await self.subscriptions.get(channel))

    async def submit(self, form: SubscribeForm, asker: Asker) -> Post:
        """Save a filled-in form as the typed command would; raises FormErrors naming each bad field."""
        return await self.answer(read_form(form), asker)

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
