"""The search service: the store's papers behind the search port, the index rebuilt on demand."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters, SearchHit
from bot.store.papers import PaperStore

REBUILD_AFTER = 2000  # papers added in place before a rebuild is cheaper than the drift


class SearchService:
    """Implements the search port over a `PaperStore`; the index is derived data, never stored."""

    def __init__(self, store: PaperStore) -> None:
        self._store = store
        self._index: LexicalIndex | None = None
        self._lock = asyncio.Lock()

    async def index(self) -> LexicalIndex:
        async with self._lock:
            if self._index is None:
                papers = await self._store.all_papers()
                # Building is CPU work; keep the event loop answering meanwhile.
                self._index = await asyncio.to_thread(LexicalIndex, papers)
            return self._index

    def invalidate(self) -> None:
        """The store changed wholesale: the next search rebuilds the index."""
        self._index = None

    async def refresh(self, ids: Collection[str]) -> None:
        """These papers are new or changed in the store: make them searchable now, without a rebuild
        (once many have come in this way, the next search rebuilds instead, to keep the index lean)."""
        async with self._lock:
            index = self._index
            if index is None or not ids:
                return  # the next search builds from the store, which has them
            if index.added + len(ids) > max(REBUILD_AFTER, len(index) // 5):
                self._index = None
                return
            papers = list((await self._store.get_many(list(ids))).values())
            await asyncio.to_thread(index.extend, papers)

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        index = await self.index()
        return index.search_now(query, filters, limit)
