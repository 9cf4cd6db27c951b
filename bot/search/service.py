"""The search service: the store's papers behind the search port.

The lexical index lives in a folder of the data dir (`bot/search/lexical.py`): a new process opens
it and catches up with the store (`bot/store/changes.py`: what changed since its watermark), and
builds it from the store, a batch of papers at a time, only when there is none or it is from another
store. Without a folder (tests, one-off tools) it is built in memory. With an encoder (the embedding
model installed and `PAPERBOY_EMBEDDINGS` on) it is hybrid: a build loads each batch with its stored
embeddings; an opened index gets them from the store in the background (searchable by words at
once, by meaning as they come), then papers without a current one are embedded (`embed_missing`,
which `sync` and `import` also await so that a later one-shot search finds everything embedded).

Every piece of CPU work (building, extending, searching, embedding) runs in the process's CPU pool
(`bot.host.pools`), never on the event loop: a search waits its turn there while acks, events and
interactions go on being answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from pathlib import Path

from aiorwlock import RWLock

from bot.domain.errors import PaperboyError, SearchIndexError
from bot.domain.models import Paper
from bot.embedding.model import MODEL_NAME, ApartEncoder, TextEncoder, Vectors
from bot.embedding.papers import Progress, current, embed
from bot.host.bursts import Batched
from bot.host.pools import CpuPool, cpu_pool
from bot.host.tasks import stopped
from bot.search.folder import IndexBusy, NewerLayout
from bot.search.hybrid import HybridIndex
from bot.search.port import SearchFilters, SearchHit
from bot.search.writes import IndexOutOfStep
from bot.store.changes import Changes, changes_since
from bot.store.embeddings import EmbeddingStore, StoredVector
from bot.store.papers import PaperStore


def _offset(progress: Progress, done: int, total: int) -> Progress:
    """Progress of one batch, reported as progress of the whole run."""
    return lambda count, _: progress(done + count, total)


BUILD_BATCH = 5000  # papers read from the store at a time while building or catching up
EMBED_BATCH = 1024  # papers read from the index at a time while embedding
QUERY_BATCH = 64  # queries embedded in one pass of the model at most (a burst's)
FEW_MISSING = 50_000  # an opened index missing this few embeddings reads them by id, not the whole table
SAVE_AFTER = 5_000  # papers embedded since the last save that make the embeddings worth saving again (1M: 0.4 GB)
log = logging.getLogger(__name__)


class SearchService:
    """Implements the search port over a `PaperStore`; the index is derived data, the vectors are stored."""

    def __init__(
        self,
        store: PaperStore,
        vectors: EmbeddingStore | None = None,
        encoder: TextEncoder | None = None,
        cpu: CpuPool | None = None,
        folder: Path | None = None,
    ) -> None:
        self._store = store
        self._folder = folder
        self._cpu = cpu if cpu is not None else cpu_pool()
        self._vectors = vectors if encoder is not None else None
        self._encoder = encoder if vectors is not None else None
        self._index: HybridIndex | None = None
        self._access = RWLock()  # searches share the index; opening, extending, reopening it and
        # putting vectors in have it alone (a waiting write goes before searches that come after it)
        self._embed_lock = asyncio.Lock()
        self._backfill: asyncio.Task[int] | None = None
        self._filled: asyncio.Task[None] | None = None  # an opened index's embeddings, read from the store
        self._unsaved = 0  # embeddings put in since they were last saved beside the index
        self._asked = Batched(self._embed_queries, QUERY_BATCH)
        self._apart = isinstance(self._encoder, ApartEncoder)  # a burst's queries embedded together

    @property
    def hybrid(self) -> bool:
        return self._encoder is not None

    async def index(self) -> HybridIndex:
        if self._index is not None:
            return self._index
        async with self._access.writer:
            if self._index is None:
                self._index = await self._open()
                self._embed_later(self._index)
            return self._index

    def _embed_later(self, index: HybridIndex) -> None:
        if index.unembedded() and (self._backfill is None or self._backfill.done()):
            self._backfill = asyncio.create_task(self._embed_in_background())

    async def _open(self) -> HybridIndex:
        """The index from its folder, caught up with the store; built from the store when there is none,
        it is from another store, or it fell out of step with its registry."""
        expected = (await self._store.counts()).papers
        encoder, folder = self._encoder, self._folder
        try:
            index = await self._cpu.run(lambda: HybridIndex(encoder=encoder, expected=expected, folder=folder))
        except NewerLayout as exc:  # a rolling upgrade: the later paperboy's index is left to it
            log.warning("%s", exc)
            self._folder = folder = None
            index = await self._cpu.run(lambda: HybridIndex(encoder=encoder, expected=expected))
        held = await self._cpu.run(index.lexical.tally)
        found = await changes_since(self._store, index.lexical.watermark, len(index), held=held)
        if not found.rebuild and index.lexical.opened and await self._caught_up(index, found):
            if self._encoder is not None:
                self._filled = asyncio.create_task(self._fill(index))
            return index
        if index.lexical.size:  # from another store, or out of step: start again
            index = await self._cpu.run(
                lambda: HybridIndex(encoder=encoder, expected=expected, folder=folder, fresh=True)
            )
        await self._build(index)
        await self._cpu.run(index.seal, found.watermark)
        await self._save_vectors(index, building=True)
        return index

    async def _caught_up(self, index: HybridIndex, found: Changes) -> bool:
        """The papers that changed in the store since the index's watermark and that it does not hold
        at the version stamped (`bot/store/changes.py`), extended in place, and the new watermark
        saved; False when the index fell out of step with its registry (`IndexOutOfStep`: built
        again). Another process holding the writer too long (`IndexBusy`) leaves the rest to the
        next start, which catches up from the watermark saved."""
        try:
            changed = found.ids
            for start in range(0, len(changed), BUILD_BATCH):
                some = {i: found.stamps[i] for i in changed[start : start + BUILD_BATCH]}
                stale = await self._cpu.run(index.lexical.stale, some)  # those it holds as they are: not read
                if stale:
                    await self._extend(index, stale)
            await self._cpu.run(index.seal, found.watermark)
        except (IndexBusy, IndexOutOfStep) as exc:
            log.warning("%s", exc)
            return not isinstance(exc, IndexOutOfStep)
        return True

    async def _build(self, index: HybridIndex) -> None:
        """The index, streamed from the store a batch at a time (papers and their stored vectors), so
        the build holds one batch of papers, never the whole store. Tokenising and adding are CPU
        work: they run in the CPU pool, and the event loop keeps answering meanwhile."""
        async for batch in self._store.batches(BUILD_BATCH):
            papers = list(batch.papers.values())
            await self._cpu.run(index.load, papers, await self._current(papers), batch.stamps)

    async def _current(self, papers: Sequence[Paper]) -> dict[str, Vectors]:
        stored = await self._vectors.load_some(MODEL_NAME, [p.arxiv_id for p in papers]) if self._vectors else {}
        return await self._cpu.by_size(len(stored), current, papers, stored)  # a checksum each: 13 ms for 5,000

    async def _extend(self, index: HybridIndex, ids: Sequence[str]) -> None:
        """These papers as the store has them now; those it no longer holds leave the index."""
        found = await self._store.versions(ids)
        papers = list(found.papers.values())
        gone = [i for i in ids if i not in found.papers]
        await self._cpu.run(index.extend, papers, await self._current(papers), gone, found.stamps)

    async def _fill(self, index: HybridIndex) -> None:
        """`_fill_from_store`, a failure said: nothing awaits this task but a one-shot search and the
        close, so an error (the store gone away mid-read) was dropped without a word, and the papers
        not read in were found by their words only, for the life of the process."""
        try:
            await self._fill_from_store(index)
        except Exception as exc:
            log.warning(
                "could not read the stored embeddings into the search index (%s: %s); until the next start,"
                " the papers not read in are found by their words only",
                type(exc).__name__,
                exc,
            )

    async def _fill_from_store(self, index: HybridIndex) -> None:
        """An opened index's stored embeddings, a batch at a time, searchable by meaning as they come:
        those it did not open with its folder's saved ones (`HybridIndex.save_vectors`), by id when
        few are missing (`_stored`). Each is checked against the checksum the index keeps of its
        paper's text: no paper is read (reading and checking 100k papers took 7 of a fill's 11 s)."""
        if self._vectors is None:
            return
        async with self._access.reader:
            missing = await self._cpu.run(index.unembedded)
        if not missing:
            return
        before = index.embedded
        async for stored in _stored(self._vectors, missing):
            async with self._access.writer:
                if self._index is not index:
                    return
                await self._cpu.run(index.put_stored, stored)
        if index.embedded != before:
            await self._save_vectors(index)

    async def _save_vectors(self, index: HybridIndex, *, building: bool = False) -> None:
        """The index's embeddings saved in its folder for the next start. Nothing may be put meanwhile:
        puts wait for the lock taken here, or (`building`) the caller holds the writer's already."""
        async with contextlib.nullcontext() if building else self._access.reader:
            if not building and self._index is not index:
                return
            try:
                if await self._cpu.run(index.save_vectors):
                    self._unsaved = 0
            except (OSError, RuntimeError) as exc:  # faiss says RuntimeError for a write that failed
                log.warning(
                    "could not save the embeddings beside the search index (%s);"
                    " the next start reads them from the store",
                    exc,
                )

    async def store_vectors(self, vectors: Mapping[str, StoredVector]) -> None:
        """Keep embeddings made elsewhere (the snapshot's); ignored when search is keyword-only."""
        if self._vectors is not None and vectors:
            await self._vectors.save(MODEL_NAME, vectors)

    def invalidate(self) -> None:
        """The store changed wholesale: the next search opens the index again and catches up."""
        self._index = None

    async def filled(self) -> None:
        """The index opened, with every stored embedding in it. A one-shot search waits for this, so
        that it answers as a running bot does; the bot answers at once, by words, then by meaning as
        the embeddings come."""
        await self.index()
        if self._filled is not None:
            await asyncio.gather(self._filled, return_exceptions=True)

    async def embed_missing(self, progress: Progress | None = None) -> int:
        """Embed every indexed paper that has no current vector; returns how many were embedded."""
        if self._encoder is None or self._vectors is None:
            return 0
        await self.filled()  # the stored ones first: only what has none is embedded
        async with self._embed_lock:
            async with self._access.reader:  # never while an extend or a reopen is under way
                index = self._index  # taken only now: waiting for the lock holds no index alive
                missing = index.unembedded() if index is not None else []
            if index is None or not missing:
                return 0
            log.info("embedding %d papers for search by meaning", len(missing))
            done = 0
            for start in range(0, len(missing), EMBED_BATCH):
                async with self._access.reader:
                    papers = index.papers(missing[start : start + EMBED_BATCH])
                step = None if progress is None else _offset(progress, done, len(missing))
                vectors = await embed(papers, self._encoder, self._vectors, step)
                async with self._access.writer:
                    index = self._index  # rebuilt meanwhile? then into the new one (unknown ids are skipped)
                    if index is None:
                        return done + len(vectors)  # stored: the next build loads them
                    await self._cpu.run(index.put_vectors, vectors)
                done += len(vectors)
            self._unsaved += done
            if self._unsaved >= SAVE_AFTER:  # fewer are read by id at the next start: cheaper than a save
                await self._save_vectors(index)
            return done

    async def _embed_in_background(self) -> int:
        try:
            return await self.embed_missing()
        except Exception:  # the papers stay searchable by their words; the next build tries again
            log.exception("embedding papers failed; search by meaning misses them for now")
            return 0

    async def refresh(self, ids: Collection[str]) -> None:
        """These papers are new or changed in the store: make them searchable now, in place (the index
        on disk too; the watermark stays, so the next start reads them again: harmless)."""
        async with self._access.writer:
            index = self._index
            if index is None or not ids:
                return  # the next search opens the index and catches up with the store, which has them
            try:
                await self._extend(index, list(ids))
            except (IndexBusy, SearchIndexError) as exc:  # in the store all the same: the next start's
                # catch-up indexes them (the index answers as it did before)
                log.warning("%s", exc)
                if isinstance(exc, IndexOutOfStep | NewerLayout):
                    self.invalidate()  # the next search opens the folder again (building it, or one in memory)
                return
        await self.embed_missing()  # words first, meaning a moment later

    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """Searches run in the CPU pool, as many at once as it has workers (tantivy, faiss and NumPy let
        go of the GIL), never beside an extend (a half-extended read) or a reopen. When another process
        wrote to the index since, it is read again first, alone. Queries asked at the same time are
        embedded together first, each with the bits it gets alone (`encode_apart`: a fraction of the
        model's time each); a lone one by its search, beside the keyword query
        (`HybridIndex.search_now`). A topic filter (`require_all`) is by words alone: it never loads
        the model."""
        if not filters.require_all and limit > 0 and self._apart:
            await self._asked.add((query, filters, limit))
        while True:
            index = await self.index()
            async with self._access.reader:
                if self._index is not index:
                    continue  # opened again meanwhile
                hits = await self._cpu.run(index.search_if_current, query, filters, limit)
            if hits is not None:
                return hits
            async with self._access.writer:
                if self._index is index:
                    if await self._cpu.run(index.reopen):
                        self._embed_later(index)
                    else:  # its files changed but could not be read again: answer from what it holds
                        return await self._cpu.run(index.search_now, query, filters, limit)

    async def respelled(self, query: str) -> str | None:
        """The query respelled where no paper holds a word of it (`HybridIndex.respelled`), in the CPU pool."""
        index = await self.index()
        async with self._access.reader:
            return await self._cpu.run(index.respelled, query)

    async def _embed_queries(self, asked: list[tuple[str, SearchFilters, int]]) -> None:
        if len(asked) < 2:  # a lone query is embedded by its search, beside its keyword query
            return
        try:
            index = await self.index()
        except PaperboyError:  # (IndexBusy too) each search meets it too, and says it in its answer
            return
        await self._cpu.run(index.prepare_queries, asked)

    async def close(self) -> None:
        """Stop a background embedding run (what it stored so far stays)."""
        await self._asked.close()
        await stopped(self._filled, self._backfill)


async def _stored(vectors: EmbeddingStore, missing: Sequence[str]) -> AsyncIterator[dict[str, StoredVector]]:
    """The stored vectors of these papers, a batch at a time: read by id when they are few, else the
    whole table in order (one pass, not a query per 500 ids)."""
    if len(missing) > FEW_MISSING:
        async for chunk in vectors.chunks(MODEL_NAME, BUILD_BATCH):
            yield chunk
        return
    for start in range(0, len(missing), BUILD_BATCH):
        yield await vectors.load_some(MODEL_NAME, missing[start : start + BUILD_BATCH])
