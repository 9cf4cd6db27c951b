"""The search service: the store's papers behind the search port, the index rebuilt on demand."""

from __future__ import annotations

import asyncio

from bot.search.lexical import LexicalIndex
from bot.search.port import SearchFilters, SearchHit
from bot.store.papers import PaperStore


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
        """The store changed: the next search rebuilds the index."""
        self._index = None

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        index = await self.index()
        return index.search_now(query, filters, limit)
