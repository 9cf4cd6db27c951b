"""Any text typed after `/papers` gets a post both platforms can render, never an exception."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.render import post_message as discord_message
from adapters.slack.render import post_message as slack_message
from bot.chat.commands import Help, Search, Settings, Subscribe, Today, Unsubscribe, parse_command
from bot.chat.service import HELP, MANAGERS, Asker, ChatService, manages_channel
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.channels import ChannelRef
from bot.domain.config import DigestDefaults
from bot.ingest.catalog import Catalog
from bot.search.service import SearchService
from bot.store.papers import PaperStore
from tests.chat.test_commands import TEXTS
from tests.strategies import FAST

NOW = datetime(2026, 6, 3, 7, 30, tzinfo=UTC)


def chat(store: PaperStore) -> ChatService:
    search = SearchService(store)
    catalog = Catalog(store, search, None, None, None)
    return ChatService(store, search, catalog, SubscriptionStore(store.engine), DigestDefaults(limit=5), lambda: NOW)


@pytest.fixture
def service(june_store: PaperStore) -> ChatService:
    """One service for all of a property test's examples: its search index is built once."""
    return chat(june_store)


@settings(FAST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXTS, platform=st.sampled_from(["slack", "discord"]), direct=st.booleans(), manager=st.booleans())
async def test_any_text_gets_an_answer_both_platforms_render(
    service: ChatService, text: str, platform: str, direct: bool, manager: bool
) -> None:
    asker = Asker(ChannelRef(platform, "C0PROP"), "U0001", direct=direct, can_manage=manager)
    post = await service.answer(parse_command(text), asker)
    assert post.header.strip()
    assert post.text or post.cards or post.empty
    slack_message(post, share=True)
    discord_message(post, share=True)


async def test_without_the_right_the_channel_is_left_alone(june_store: PaperStore) -> None:
    service = chat(june_store)
    channel = ChannelRef("discord", "C0PROP")
    for command in (Subscribe(topics=("diffusion",)), Unsubscribe()):
        post = await service.answer(command, Asker(channel, "U1", can_manage=False))
        assert MANAGERS["discord"] in post.text[0]
        assert await SubscriptionStore(june_store.engine).get(channel) is None


def test_only_subscribe_and_unsubscribe_need_the_right() -> None:
    assert manages_channel(Subscribe()) and manages_channel(Unsubscribe())
    assert not any(manages_channel(c) for c in (Today(), Search("x"), Settings(), Help()))


def test_help_says_who_may_on_each_platform() -> None:
    for platform in ("slack", "discord"):
        assert any(MANAGERS[platform] in line for line in HELP[platform])
