"""The real discord.py client, wired to the real core, logged in to a fake Discord on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import discord
import pytest
import yarl

from adapters.discord.app import PaperBot
from adapters.discord.connection import DiscordRuntime
from adapters.discord.servers import ServerMembership
from adapters.discord.surfaces import install
from bot.community.service import Community
from bot.delivery.digest_delivery import DigestDelivery
from bot.delivery.subscriptions import SubscriptionStore
from bot.store.engagement import EngagementStore
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.reading import ReadingLists
from bot.surfaces.links import LinkCards
from bot.surfaces.service import Surfaces
from bot.surfaces.suggestions import Suggestions
from tests.chat.world import NOW, chat_service, offline_catalog
from tests.conftest import search_over
from tests.fakes.discord import GUILD_ID, FakeDiscord


@dataclass
class DiscordBot:
    fake: FakeDiscord
    bot: PaperBot
    store: PaperStore
    ledger: Ledger
    subscriptions: SubscriptionStore
    suggestions: Suggestions
    community: Community
    runtime: DiscordRuntime

    def delivery(self) -> DigestDelivery:
        """A digest delivery through this bot's publisher, on its store."""
        return DigestDelivery(
            self.store, search_over(self.store), self.ledger, self.subscriptions, {"discord": self.bot.publisher}
        )


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_url)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def discord_bot(
    fake_discord: FakeDiscord, june_store: PaperStore, digest_limit: int
) -> AsyncIterator[DiscordBot]:
    store = june_store
    subscriptions = SubscriptionStore(store.engine)
    ledger = Ledger(store.engine)
    community = Community(EngagementStore(store.engine), ReadingLists(store.engine), store, clock=lambda: NOW)
    chat = chat_service(store, ledger=ledger, community=community, limit=digest_limit)
    bot = PaperBot(chat, guild_ready_timeout=0.005, community=community, servers=ServerMembership(store.engine))
    suggestions = Suggestions(store)
    install(bot, Surfaces(LinkCards(offline_catalog(store)), suggestions, subscriptions, chat.answer))
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    # discord.py calls itself ready after waiting `guild_ready_timeout` for the guild: a stall of the host
    # longer than that would leave the guild uncached for the test's first command.
    await fake_discord.wait_for(lambda: bot.get_guild(int(GUILD_ID)) is not None)
    try:
        yield DiscordBot(fake_discord, bot, store, ledger, subscriptions, suggestions, community, runtime)
    finally:
        await runtime.stop()
        await suggestions.close()
