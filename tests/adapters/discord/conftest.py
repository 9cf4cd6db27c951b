"""The real discord.py client, wired to the real core, logged in to a fake Discord on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import discord
import pytest
import yarl

from adapters.discord.app import DiscordRuntime, PaperBot
from bot.chat.assistant import Assistant
from bot.chat.service import ChatService
from bot.community.service import Community
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.config import DigestDefaults
from bot.ingest.catalog import Catalog
from bot.search.service import SearchService
from bot.store.engagement import EngagementStore
from bot.store.events import EventLog
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.store.reading import ReadingLists
from tests.fakes.discord import FakeDiscord

NOW = datetime(2026, 6, 3, 7, 30, tzinfo=UTC)


@dataclass
class DiscordBot:
    fake: FakeDiscord
    bot: PaperBot
    store: PaperStore
    ledger: Ledger
    subscriptions: SubscriptionStore
    community: Community


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
async def discord_bot(fake_discord: FakeDiscord, june_store: PaperStore) -> AsyncIterator[DiscordBot]:
    store = june_store
    search = SearchService(store)
    catalog = Catalog(store, search, None, None, None)
    subscriptions = SubscriptionStore(store.engine)
    ledger = Ledger(store.engine)
    community = Community(EngagementStore(store.engine), ReadingLists(store.engine), store, clock=lambda: NOW)
    chat = ChatService(
        store, search, catalog, subscriptions, DigestDefaults(limit=5), clock=lambda: NOW, community=community
    )
    assistant = Assistant(chat, catalog, search, ledger, EventLog(store.engine))
    bot = PaperBot(assistant, guild_ready_timeout=0.05, community=community)
    runtime = DiscordRuntime(bot, "fake-token")
    await runtime.start(within=10)
    try:
        yield DiscordBot(fake_discord, bot, store, ledger, subscriptions, community)
    finally:
        await runtime.stop()
