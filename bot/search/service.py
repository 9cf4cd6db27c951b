"""The search service: the store's papers behind the search port, the index rebuilt on demand.

The index is built from the store a batch of papers at a time, never the whole store at once. With
an encoder (the embedding model installed and `PAPERBOY_EMBEDDINGS` on) it is hybrid: each batch
comes with its stored embeddings; papers without a current one are searchable by their
words at once and by meaning as soon as a background task has embedded them (`embed_missing`, which
`sync` and `import` also await so that a later one-shot search finds everything embedded).

Every piece of CPU work (building, extending, searching, embedding) runs in the process's CPU pool
(`bot.host.pools`), never on the event loop: a search waits its turn there while acks, events and
interactions go on being answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Mapping

from bot.host.pools import CpuPool, cpu_pool
from bot.search.embeddings import Progress, current, embed
from bot.search.encoder import MODEL_NAME
from bot.search.heap import settle_heap
from bot.search.hybrid import HybridIndex, QueryEncoder
from bot.search.port import SearchFilters, SearchHit
from bot.store.embeddings import EmbeddingStore, StoredVector
from bot.store.papers import PaperStore


def _offset(progress: Progress, done: int, total: int) -> Progress:
    """Progress of one batch, reported as progress of the whole run."""
    return lambda count, _: progress(done + count, total)


REBUILD_AFTER = 2000  # papers added in place before a rebuild is cheaper than the drift
BUILD_BATCH = 5000  # papers read from the store at a time while building
EMBED_BATCH = 1024  # papers read from the index at a time while embedding
log = logging.getLogger(__name__)


class SearchService:
    """Implements the search port over a `PaperStore`; the index is derived data, the vectors are stored."""

    def __init__(
        self,
        store: PaperStore,
        vectors: EmbeddingStore | None = None,
        encoder: QueryEncoder | None = None,
        cpu: CpuPool | None = None,
    ) -> None:
        self._store = store
        self._cpu = cpu if cpu is not None else cpu_pool()
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
                self._index = await self._build()
                settle_heap()
                if self._index.unembedded() and (self._backfill is None or self._backfill.done()):
                    self._backfill = asyncio.create_task(self._embed_in_background())
            return self._index

    async def _build(self) -> HybridIndex:
        """The index, streamed from the store a batch at a time (papers and their stored vectors), so
        the build holds one batch of papers, never the whole store. Tokenising and adding are CPU
        work: they run in the CPU pool, and the event loop keeps answering meanwhile."""
        expected = (await self._store.counts()).papers
        index = HybridIndex(encoder=self._encoder, expected=expected)
        async for papers in self._store.batches(BUILD_BATCH):
            stored = await self._vectors.load_some(MODEL_NAME, [p.arxiv_id for p in papers]) if self._vectors else {}
            await self._cpu.run(index.load, papers, current(papers, stored))
        await self._cpu.run(index.seal)
        return index

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
        if self._index is None:
            await self.index()
        async with self._embed_lock:
            async with self._lock:  # reads and writes of the index never overlap a search or an extend
                index = self._index  # taken only now: waiting for the lock holds no index alive
                missing = index.unembedded() if index is not None else []
            if index is None or not missing:
                return 0
            log.info("embedding %d papers for search by meaning", len(missing))
            done = 0
            for start in range(0, len(missing), EMBED_BATCH):
                async with self._lock:
                    papers = index.papers(missing[start : start + EMBED_BATCH])
                step = None if progress is None else _offset(progress, done, len(missing))
                vectors = await embed(papers, self._encoder, self._vectors, step)
                async with self._lock:
                    index = self._index  # rebuilt meanwhile? then into the new one (unknown ids are skipped)
                    if index is None:
                        return done + len(vectors)  # stored: the next build loads them
                    await self._cpu.run(index.put_vectors, vectors)
                done += len(vectors)
            return done

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
            await self._cpu.run(index.extend, papers, current(papers, stored))
        await self.embed_missing()  # words first, meaning a moment later

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """One search at a time runs in the CPU pool (the index's scratch arrays are shared); searches
        wait while `refresh` extends the index there (never a half-extended read)."""
        while True:
            index = await self.index()
            # The query's embedding (most of a search's CPU) needs no lock: several are computed at
            # once, one per worker, and the search under the lock finds it cached.
            if self._encoder is not None:  # keyword-only search has no embedding to make
                await self._cpu.run(index.embed_query, query, filters, limit)
            async with self._lock:
                if self._index is index:
                    return await self._cpu.run(index.search_now, query, filters, limit)

    async def close(self) -> None:
        """Stop a background embedding run (what it stored so far stays)."""
        if self._backfill is not None and not self._backfill.done():
            self._backfill.cancel()
            await asyncio.gather(self._backfill, return_exceptions=True)
