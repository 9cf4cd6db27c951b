"""The search service: the store's papers behind the search port, the index rebuilt on demand.

With an encoder (the embedding model installed and `PAPERBOY_EMBEDDINGS` on) the index is hybrid:
stored embeddings are loaded with the papers; papers without a current one are searchable by their
words at once and by meaning as soon as a background task has embedded them (`embed_missing`, which
`sync` and `import` also await so that a later one-shot search finds everything embedded).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Collection, Mapping

from bot.search.embeddings import Progress, current, embed
from bot.search.encoder import MODEL_NAME
from bot.search.hybrid import HybridIndex, QueryEncoder
from bot.search.port import SearchFilters, SearchHit
from bot.store.embeddings import EmbeddingStore, StoredVector
from bot.store.papers import PaperStore


def settle_heap() -> None:
    """Move what is alive now (the new index's millions of objects) out of the garbage collector's
    sight: they live as long as the index, and its full passes over them paused searches for
    20-40 ms at 100k papers. What an earlier call froze is thawed and collected first, so a replaced
    index is never kept (it is freed by reference counting anyway: it holds no cycles)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


REBUILD_AFTER = 2000  # papers added in place before a rebuild is cheaper than the drift
log = logging.getLogger(__name__)


class SearchService:
    """Implements the search port over a `PaperStore`; the index is derived data, the vectors are stored."""

    def __init__(
        self, store: PaperStore, vectors: EmbeddingStore | None = None, encoder: QueryEncoder | None = None
    ) -> None:
        self._store = store
        self._vectors = vectors if encoder is not None else None
        self._encoder = encoder if vectors is not None else None
        self._index: HybridIndex | None = None
        self._lock = asyncio.Lock()
        self._embed_lock = asyncio.Lock()
        self._backfill: asyncio.Task[int] | None = None

    @property
    def hybrid(self) -> bool:
        return self._encoder is not None

    async def index(self) -> HybridIndex:
        async with self._lock:
            if self._index is None:
                papers = await self._store.all_papers()
                stored = await self._vectors.load(MODEL_NAME) if self._vectors is not None else {}
                vectors = current(papers, stored)
                # Building is CPU work; keep the event loop answering meanwhile.
                self._index = await asyncio.to_thread(HybridIndex, papers, vectors, self._encoder)
                del papers, stored, vectors
                settle_heap()
                if self._index.unembedded() and (self._backfill is None or self._backfill.done()):
                    self._backfill = asyncio.create_task(self._embed_in_background())
            return self._index

    async def store_vectors(self, vectors: Mapping[str, StoredVector]) -> None:
        """Keep embeddings made elsewhere (the snapshot's); ignored when search is keyword-only."""
        if self._vectors is not None and vectors:
            await self._vectors.save(MODEL_NAME, vectors)

    def invalidate(self) -> None:
        """The store changed wholesale: the next search rebuilds the index."""
        self._index = None

    async def embed_missing(self, progress: Progress | None = None) -> int:
        """Embed every indexed paper that has no current vector; returns how many were embedded."""
        if self._encoder is None or self._vectors is None:
            return 0
        index = await self.index() if self._index is None else self._index
        async with self._embed_lock:
            missing = index.unembedded()
            if not missing:
                return 0
            log.info("embedding %d papers for search by meaning", len(missing))
            vectors = await embed(missing, self._encoder, self._vectors, progress)
            index.put_vectors(vectors)
            return len(vectors)

    async def _embed_in_background(self) -> int:
        try:
            return await self.embed_missing()
        except Exception:  # the papers stay searchable by their words; the next build tries again
            log.exception("embedding papers failed; search by meaning misses them for now")
            return 0

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
            stored = await self._vectors.load_some(MODEL_NAME, ids) if self._vectors is not None else {}
            await asyncio.to_thread(index.extend, papers, current(papers, stored))
        await self.embed_missing()  # words first, meaning a moment later

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """Searches wait while `refresh` extends the index in its worker thread (never a half-extended read)."""
        while True:
            index = await self.index()
            async with self._lock:
                if self._index is index:
                    return index.search_now(query, filters, limit)

    async def close(self) -> None:
        """Stop a background embedding run (what it stored so far stays)."""
        if self._backfill is not None and not self._backfill.done():
            self._backfill.cancel()
            await asyncio.gather(self._backfill, return_exceptions=True)
