"""The search service, built on first use: a command that never searches never loads the search stack.

Importing `bot.search.service` brings NumPy, the index's modules and the stemmer (~0.4 s); a
digest without topics, `paper` or `post` of a topic-less digest never search, so the composition
root hands out a `LazySearch` and the service is built (and imported) by the first call that needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from bot.search.port import SearchFilters, SearchHit

if TYPE_CHECKING:
    from bot.embedding.papers import Progress
    from bot.search.hybrid import HybridIndex
    from bot.search.service import SearchService
    from bot.store.embeddings import StoredVector


class LazySearch:
    """`SearchService`'s methods, each handed to the service, which `build` makes on first need."""

    def __init__(self, build: Callable[[], SearchService]) -> None:
        self._build = build
        self._service: SearchService | None = None

    @property
    def built(self) -> bool:
        return self._service is not None

    @property
    def service(self) -> SearchService:
        if self._service is None:
            self._service = self._build()
        return self._service

    @property
    def hybrid(self) -> bool:
        return self.service.hybrid

    async def index(self) -> HybridIndex:
        return await self.service.index()

    async def filled(self) -> None:
        await self.service.filled()

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        return await self.service.search(query, filters, limit)

    async def respelled(self, query: str) -> str | None:
        return await self.service.respelled(query)

    async def embed_missing(self, progress: Progress | None = None) -> int:
        return await self.service.embed_missing(progress)

    async def store_vectors(self, vectors: Mapping[str, StoredVector]) -> None:
        await self.service.store_vectors(vectors)

    # A service not built yet has no index: there is nothing to drop, extend or stop, and the
    # first search builds its index from the store as it then is.

    def invalidate(self) -> None:
        if self._service is not None:
            self._service.invalidate()

    async def refresh(self, ids: Collection[str]) -> None:
        if self._service is not None:
            await self._service.refresh(ids)

    async def close(self) -> None:
        if self._service is not None:
            await self._service.close()
