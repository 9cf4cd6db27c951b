"""The composition root: settings → HTTP client → sources → store → services, opened and closed once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from bot import __version__
from bot.catalog import Catalog
from bot.config import FileConfig, load_config
from bot.search.encoder import LazyEncoder, ModelMissing, model_dir
from bot.search.hybrid import QueryEncoder
from bot.search.service import SearchService
from bot.settings import Settings
from bot.sources.arxiv import Arxiv
from bot.sources.huggingface import HuggingFace
from bot.store.embeddings import EmbeddingStore
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore
from bot.subscriptions import SubscriptionStore, from_config
from bot.sync import Syncer

TIMEOUT = httpx.Timeout(20.0, connect=5.0)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    settings: Settings
    config: FileConfig
    store: PaperStore
    search: SearchService
    catalog: Catalog
    syncer: Syncer | None  # None when offline
    subscriptions: SubscriptionStore
    ledger: Ledger


def query_encoder(settings: Settings) -> QueryEncoder | None:
    """The embedding model, when wanted and installed; otherwise search is keyword-only (said once)."""
    if not settings.embeddings:
        return None
    try:
        model_dir()
    except ModelMissing as exc:
        log.warning("%s", exc)
        return None
    return LazyEncoder()


def read_config(settings: Settings) -> FileConfig:
    return load_config(settings.config_path, required=settings.config is not None)


@asynccontextmanager
async def open_services(settings: Settings, config: FileConfig | None = None) -> AsyncIterator[Services]:
    engine = create_engine(database_url(settings.database_url, settings.data_dir))
    try:
        await migrate(engine)
        headers = {"User-Agent": f"paperboy/{__version__}"}
        async with httpx.AsyncClient(timeout=TIMEOUT, headers=headers, follow_redirects=True) as client:
            store = PaperStore(engine)
            search = SearchService(store, EmbeddingStore(engine), query_encoder(settings))
            hf = arxiv = syncer = None
            if not settings.offline:
                hf = HuggingFace(client, settings.hf_url)
                arxiv = Arxiv(client, settings.arxiv_url)
                syncer = Syncer(store, hf, arxiv, search)
            config = config if config is not None else read_config(settings)
            subscriptions = SubscriptionStore(engine)
            await subscriptions.seed([from_config(entry, config.digest) for entry in config.subscriptions])
            try:
                yield Services(
                    settings=settings,
                    config=config,
                    store=store,
                    search=search,
                    catalog=Catalog(store, search, hf, arxiv, syncer),
                    syncer=syncer,
                    subscriptions=subscriptions,
                    ledger=Ledger(engine),
                )
            finally:
                await search.close()
    finally:
        await engine.dispose()
