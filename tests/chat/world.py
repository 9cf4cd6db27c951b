"""The conversational core as the tests build it: the real service over a store, each platform's own words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from adapters.discord import wording as discord_wording
from adapters.slack import wording as slack_wording
from bot.chat.service import ChatService
from bot.community.service import Community
from bot.delivery.subscriptions import SubscriptionStore
from bot.domain.config import DigestDefaults
from bot.ingest.catalog import Catalog
from bot.search.port import SearchIndex
from bot.search.service import SearchService
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from tests.conftest import search_over

NOW = datetime(2026, 6, 3, 7, 30, tzinfo=UTC)
PHRASEBOOKS = {"slack": slack_wording.PHRASES, "discord": discord_wording.PHRASES}


def chat_service(
    store: PaperStore,
    *,
    search: SearchIndex | None = None,
    ledger: Ledger | None = None,
    limit: int = 5,
    clock: Callable[[], datetime] = lambda: NOW,
    community: Community | None = None,
    follow_days: int = 7,
    subscriptions: SubscriptionStore | None = None,
) -> ChatService:
    """`search` answers the commands (the real one unless given); the catalog always has the real one."""
    indexed = search_over(store)
    subscriptions = subscriptions or SubscriptionStore(store.engine)
    return ChatService(
        store,
        search or indexed,
        offline_catalog(store, indexed),
        subscriptions,
        DigestDefaults(limit=limit, follow_days=follow_days),
        clock,
        ledger=ledger,
        phrasebooks=PHRASEBOOKS,
        community=community,
    )


def offline_catalog(store: PaperStore, search: SearchService | None = None) -> Catalog:
    """The store's papers over the real search, with no Hugging Face or arXiv to fetch a missing one from."""
    return Catalog(store, search or search_over(store), None, None, None)
