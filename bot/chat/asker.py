"""Who asked the chat, and where (`Asker`), and whose digest a channel command asked in a thread is about."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef


@dataclass(frozen=True)
class Asker:
    """Who asked, and where: enough for the core to decide, nothing platform-specific."""

    channel: ChannelRef
    user: str
    direct: bool = False  # a direct message: no channel to subscribe
    can_manage: bool = True  # may change the channel's subscription
    parent: ChannelRef | None = None  # asked in a thread (Discord: a channel of its own): the channel it is in


async def channel_meant(subscriptions: SubscriptionStore, asker: Asker) -> Asker:
    """Whose digest a channel command (subscribe, its form, settings, top) asked in a thread is about: the
    channel the thread is in (a forum takes commands only in its posts), unless the thread has a digest
    of its own (made there before), which is then the one seen, changed or stopped."""
    if asker.parent is None or await subscriptions.get(asker.channel) is not None:
        return asker
    return replace(asker, channel=asker.parent, parent=None)
