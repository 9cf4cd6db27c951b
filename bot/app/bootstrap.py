"""The composition root: settings → HTTP client → sources → store → services, opened and closed once.

Each part is imported where it is built, so a command pays only for what it opens: offline there
is no HTTP client, and the search service (NumPy, the index, the model) waits for its first use.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.app.lazy_search import LazySearch
from bot.delivery.subscriptions import Subscription, SubscriptionStore, from_config
from bot.domain.config import FileConfig, load_config
from bot.domain.errors import ConfigError
from bot.domain.words import counted
from bot.ingest.catalog import Catalog
from bot.store.engagement import EngagementStore
from bot.store.engine import create_engine, database_url, migrate
from bot.store.ledger import Ledger
from bot.store.papers import PaperStore

if TYPE_CHECKING:
    from bot.app.settings import Settings
    from bot.embedding.model import TextEncoder
    from bot.ingest.sync import Syncer
    from bot.search.port import SearchIndex
    from bot.search.service import SearchService
    from bot.sources.arxiv import Arxiv
    from bot.sources.huggingface import HuggingFace

TIMEOUT_SECONDS, CONNECT_TIMEOUT_SECONDS = 20.0, 5.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    settings: Settings
    config: FileConfig
    store: PaperStore
    search: LazySearch
    catalog: Catalog
    syncer: Syncer | None  # None when offline
    subscriptions: SubscriptionStore
    ledger: Ledger
    engagement: EngagementStore  # the channels' votes and replies: `top`, the roundup's "most discussed"
    arxiv: Arxiv | None = None  # None when offline


def query_encoder(settings: Settings) -> TextEncoder | None:
    """The embedding model, when wanted and installed; otherwise search is keyword-only (said once)."""
    if not settings.embeddings:
        return None
    from bot.embedding.model import LazyEncoder, ModelMissing, model_dir

    try:
        model_dir()
    except ModelMissing as exc:
        log.warning("%s", exc)
        return None
    return LazyEncoder()


def search_service(store: PaperStore, settings: Settings) -> SearchService:
    """The search service over the store, hybrid when the embedding model is wanted and installed; its
    CPU work in the process's pools, sized by `PAPERBOY_THREADS` (default: the usable CPUs)."""
    from bot.host.pools import configure, cpu_pool
    from bot.search.service import SearchService
    from bot.store.embeddings import EmbeddingStore

    configure(settings.threads)
    index = settings.data_dir / "search"  # opened at the next start, not built again
    return SearchService(store, EmbeddingStore(store.engine), query_encoder(settings), cpu_pool(), index)


def read_config(settings: Settings) -> FileConfig:
    return load_config(settings.config_path, required=settings.config is not None)


async def _sources(
    stack: AsyncExitStack, settings: Settings, store: PaperStore, search: LazySearch
) -> tuple[HuggingFace, Arxiv, Syncer]:
    """Hugging Face and arXiv over one HTTP client (closed with `stack`), and the syncer that uses them."""
    import httpx

    from bot.ingest.sync import Syncer
    from bot.sources.arxiv import Arxiv
    from bot.sources.huggingface import HuggingFace

    timeout = httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS)
    headers = {"User-Agent": f"paperboy/{__version__}"}
    client = await stack.enter_async_context(httpx.AsyncClient(timeout=timeout, headers=headers, follow_redirects=True))
    hf = HuggingFace(client, settings.hf_url)
    arxiv = Arxiv(client, settings.arxiv_url)
    return hf, arxiv, Syncer(store, hf, arxiv, search)


def configured(config: FileConfig) -> list[Subscription]:
    """The config file's subscriptions."""
    return [from_config(entry, config.digest) for entry in config.subscriptions]


def absent_config(settings: Settings) -> Path | None:
    """Where the config file was looked for and not found (the default path, relative to the folder
    `run` starts in: the embedded defaults stand in); None when there is one. A PAPERBOY_CONFIG that
    names no file is refused when it is read."""
    return None if settings.config is not None or settings.config_path.exists() else settings.config_path


async def seed_subscriptions(subscriptions: SubscriptionStore, config: FileConfig, absent: Path | None) -> None:
    """The config file's subscriptions made the store's managed ones (`paperboy run`, once its platforms
    have started). With no file where one was looked for (`absent`: `run` started from another folder),
    those an earlier file set up are kept, and said so: no digest stops because a file was not found.
    People's follows take the file's `[digest]` size (kept as they are without the file, as its own are)."""
    if absent is not None:
        kept = [s for s in await subscriptions.all() if s.source == "config"]
        if kept:
            log.warning(
                "no config file at %s: keeping the %s a config file set up, unchanged (%s); "
                "start paperboy where its config file is, or set PAPERBOY_CONFIG",
                absent,
                counted(len(kept), "subscription"),
                ", ".join(str(s.channel) for s in kept[:5]) + (", …" if len(kept) > 5 else ""),
            )
        return
    for chat in await subscriptions.seed(configured(config)):
        log.warning("%s: the config file's subscription replaces the one made in chat", chat.channel)
    if resized := await subscriptions.size_follows(config.digest.limit, config.digest.min_upvotes):
        log.info("people's follows take [digest]'s size, top %d: %d changed", config.digest.limit, resized)


async def say_misspelt_topics(config: FileConfig, search: SearchIndex, where: Path) -> None:
    """A warning for each topic of the config file's subscriptions with a word no paper holds, where papers
    hold one near it (`paperboy run`, in the background, once the index is open): chat says so of a topic
    typed with a typo, and a digest on the file's `difusion` found nothing every day, unsaid."""
    from bot.search.spelling import misspelt  # the search stack: only where run wants it

    try:
        for subscription in configured(config):
            for note in await misspelt(search, subscription.topics):
                log.warning("%s, subscribed in %s: %s Fix its topics there.", subscription.channel, where, note)
    except Exception as exc:  # the search index could not open: the first search says so in its own words
        log.warning("the config file's topics were not checked for typos: %s", exc)


@asynccontextmanager
async def open_services(
    settings: Settings, config: FileConfig | None = None, *, seed: bool = False
) -> AsyncIterator[Services]:
    """Everything a command needs, over the store. With `seed` (`paperboy run`), the config file's
    subscriptions become the store's managed ones; any other command leaves them as they are, so one
    run with another config file (or none) takes nothing from a running deployment."""
    url = database_url(settings.database_url, settings.data_dir)
    if url.get_backend_name() == "sqlite" and (url.database or ":memory:") == ":memory:":
        raise ConfigError(
            "PAPERBOY_DATABASE_URL names a SQLite database in memory, which keeps nothing between runs (not "
            "even which digests went out): name a file, sqlite:///path/paperboy.db, or unset it"
        )
    engine = create_engine(url)
    try:
        await migrate(engine)
        async with AsyncExitStack() as stack:
            store = PaperStore(engine)
            search = LazySearch(lambda: search_service(store, settings))
            hf = arxiv = syncer = None
            if not settings.offline:
                hf, arxiv, syncer = await _sources(stack, settings, store, search)
            config = config if config is not None else read_config(settings)
            subscriptions = SubscriptionStore(engine)
            if seed:
                await seed_subscriptions(subscriptions, config, absent_config(settings))
            ledger = Ledger(engine)
            try:
                yield Services(
                    settings=settings,
                    config=config,
                    store=store,
                    search=search,
                    catalog=Catalog(store, search, hf, arxiv, syncer),
                    syncer=syncer,
                    subscriptions=subscriptions,
                    ledger=ledger,
                    engagement=EngagementStore(engine),
                    arxiv=arxiv,
                )
            finally:
                await search.close()
                await ledger.close()  # its holds (on PostgreSQL, a connection of its own) go before the engine
    finally:
        await engine.dispose()
