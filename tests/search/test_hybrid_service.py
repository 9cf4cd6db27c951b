"""The search service with embeddings on a real store (SQLite and PostgreSQL): computed once, kept, reused."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import AsyncIterator, Collection, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.domain.models import Listing
from bot.embedding.model import MODEL_NAME, Vectors, shared_encoder
from bot.embedding.papers import checksum
from bot.ingest.catalog import Catalog
from bot.search import dense
from bot.search import service as search_service
from bot.search.dense_files import SAVED
from bot.search.hybrid import HybridIndex
from bot.search.port import SearchFilters
from bot.search.service import SearchService
from bot.store.embeddings import EmbeddingStore, StoredVector
from bot.store.papers import PaperStore, Versions
from tests.conftest import listings_of

pytestmark = pytest.mark.slow


class CountingEncoder:
    """The real encoder, counting the texts it was given (queries are one text each)."""

    def __init__(self) -> None:
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return shared_encoder().encode(texts)


class OneByOne(CountingEncoder):
    """…counting the passes, with no `encode_apart`: the service must not batch its queries."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        return super().encode(texts)


class BatchCounting(OneByOne):
    """…that embeds texts together, each with the bits it gets alone (`encode_apart`)."""

    def encode_apart(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        self.texts += len(texts)
        return shared_encoder().encode_apart(texts)


def service(store: PaperStore, encoder: CountingEncoder) -> SearchService:
    return SearchService(store, EmbeddingStore(store.engine), encoder)


async def test_embeddings_are_computed_once_and_kept(store: PaperStore) -> None:
    day = listings_of("2026-06-01")[:12]
    await store.save_listings(day)
    first = CountingEncoder()
    search = service(store, first)
    await search.index()
    await search.embed_missing()  # with the background task started by index(): one of them does the work
    await search.close()
    assert first.texts == 12
    stored = await EmbeddingStore(store.engine).load(MODEL_NAME)
    assert set(stored) == {item.paper.arxiv_id for item in day}
    papers = await store.all_papers()
    assert all(stored[p.arxiv_id].checksum == checksum(p) for p in papers)
    assert all(abs(float(np.linalg.norm(s.vector)) - 1) < 1e-2 for s in stored.values())

    again = CountingEncoder()
    reopened = service(store, again)
    hits = await reopened.search("speeding up large model inference")
    assert hits and (await reopened.index()).embedded == 12
    assert again.texts == 1  # the query; no paper embedded again
    await reopened.close()


ASKED = "speeding up large model inference"


async def built_on_disk(store: PaperStore, folder: Path) -> list[str]:
    """1 June's papers indexed in `folder` and embedded by a process that then stopped; what it answered
    to `ASKED`."""
    await store.save_listings(listings_of("2026-06-01"))
    built = SearchService(store, EmbeddingStore(store.engine), CountingEncoder(), folder=folder)
    await built.embed_missing()
    expected = [h.paper.arxiv_id for h in await built.search(ASKED)]
    await built.close()
    return expected


async def test_a_one_shot_search_on_an_opened_index_answers_by_meaning_too(store: PaperStore, tmp_path: Path) -> None:
    """An opened index takes its stored embeddings in the background (a bot answers at once, by words);
    `filled` waits for them, so a one-shot `paperboy search` answers as the process that built it."""
    folder = tmp_path / "search"
    expected = await built_on_disk(store, folder)
    opened = SearchService(store, EmbeddingStore(store.engine), CountingEncoder(), folder=folder)
    await opened.filled()
    index = await opened.index()
    assert index.lexical.opened and index.embedded == len(index)
    assert [h.paper.arxiv_id for h in await opened.search(ASKED)] == expected
    await opened.close()


class Reads:
    """How many papers (a fill, a catch-up) and stored vectors (a fill) the store was asked for."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.papers = self.vectors = 0
        versions, batches = PaperStore.versions, PaperStore.batches
        load_some, chunks = EmbeddingStore.load_some, EmbeddingStore.chunks

        async def counted_versions(store: PaperStore, ids: Sequence[str]) -> Versions:
            self.papers += len(ids)
            return await versions(store, ids)

        async def counted_batches(store: PaperStore, size: int = 5000) -> AsyncIterator[Versions]:
            async for batch in batches(store, size):
                self.papers += len(batch.papers)
                yield batch

        async def counted_some(vectors: EmbeddingStore, model: str, ids: Collection[str]) -> dict[str, StoredVector]:
            self.vectors += len(ids)
            return await load_some(vectors, model, ids)

        async def counted_chunks(
            vectors: EmbeddingStore, model: str, size: int
        ) -> AsyncIterator[dict[str, StoredVector]]:
            async for chunk in chunks(vectors, model, size):
                self.vectors += len(chunk)
                yield chunk

        monkeypatch.setattr(PaperStore, "versions", counted_versions)
        monkeypatch.setattr(PaperStore, "batches", counted_batches)
        monkeypatch.setattr(EmbeddingStore, "load_some", counted_some)
        monkeypatch.setattr(EmbeddingStore, "chunks", counted_chunks)


async def test_an_opened_index_takes_its_stored_embeddings_without_reading_a_paper(
    store: PaperStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index keeps the checksum of each paper's text as it holds it, so an opened index takes the
    stored vectors that agree, reading no paper (reading them was most of a fill: 7 of 11 s at 100k);
    one that does not agree (a vector of another text, a damaged row) is embedded again."""
    folder = tmp_path / "search"
    expected = await built_on_disk(store, folder)
    vectors = EmbeddingStore(store.engine)
    stale, damaged = sorted(await vectors.load(MODEL_NAME))[3:5]
    kept = await vectors.load_some(MODEL_NAME, [stale, damaged])
    await vectors.save(MODEL_NAME, {stale: StoredVector("0123456789abcdef", kept[stale].vector)})  # another text's
    await vectors.save(MODEL_NAME, {damaged: StoredVector("-not a checksum", kept[damaged].vector)})
    counted = Reads(monkeypatch)
    encoder = CountingEncoder()
    opened = SearchService(store, EmbeddingStore(store.engine), encoder, folder=folder)
    await opened.filled()
    index = await opened.index()
    assert counted.papers == 0 and index.lexical.opened
    assert index.embedded == len(index) - 2 and index.unembedded() == [stale, damaged]
    await opened.embed_missing()
    assert encoder.texts == 2 and index.embedded == len(index)  # those, embedded again
    assert [h.paper.arxiv_id for h in await opened.search(ASKED)] == expected
    await opened.close()


async def test_a_restart_opens_the_saved_embeddings_and_reads_only_what_changed(
    store: PaperStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An IVF index's vectors are saved beside it: the next process searches by meaning at once, reading
    no vector from the store but those it lacks (by id), and drops the vector of a paper whose text
    changed meanwhile (embedded again). A few embedded are not worth a save: the next start reads
    them."""
    monkeypatch.setattr(dense, "EXACT_UP_TO", 10)  # the day's 49 papers in an IVF index
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 20)
    folder = tmp_path / "search"
    expected = await built_on_disk(store, folder)  # built with no vector, then 49 embedded: too few to save
    assert not (folder / SAVED).is_file()
    counted = Reads(monkeypatch)

    async def restarted(encoder: CountingEncoder, reads: tuple[int, int]) -> tuple[SearchService, HybridIndex]:
        counted.papers = counted.vectors = 0
        search = SearchService(store, EmbeddingStore(store.engine), encoder, folder=folder)
        await search.filled()
        assert (counted.papers, counted.vectors) == reads
        return search, await search.index()

    for reads in ((0, 49), (0, 0)):  # read once by id, then saved by that fill
        opened, index = await restarted(CountingEncoder(), reads)
        assert index.embedded == len(index) and (folder / SAVED).is_file()
        assert [h.paper.arxiv_id for h in await opened.search(ASKED)] == expected
        await opened.close()

    listing = listings_of("2026-06-01")[7]
    changed = listing.paper.model_copy(update={"ai_summary": "A different summary about protein folding."})
    await store.save_listings([listing._replace(paper=changed)])
    encoder = CountingEncoder()
    opened, index = await restarted(encoder, (1, 2))  # caught up with it; its stored vector (of the old
    assert index.unembedded() == [changed.arxiv_id]  # text), looked for by the catch-up and by the fill
    await opened.embed_missing()
    assert encoder.texts == 1 and index.embedded == len(index)
    await opened.close()
    opened, index = await restarted(CountingEncoder(), (0, 1))  # the new one, not saved: read by id
    assert index.embedded == len(index)
    await opened.close()
    other = tmp_path / "other"  # a build from the store saves the vectors it took in
    built = SearchService(store, EmbeddingStore(store.engine), CountingEncoder(), folder=other)
    await built.index()
    await built.close()
    assert (other / SAVED).is_file()


class Unreadable(EmbeddingStore):
    """A store whose embeddings cannot be read (the database went away mid-read)."""

    async def load_some(self, model: str, ids: Collection[str]) -> dict[str, StoredVector]:
        raise RuntimeError("the database went away")

    async def chunks(self, model: str, size: int) -> AsyncIterator[dict[str, StoredVector]]:
        raise RuntimeError("the database went away")
        yield {}


async def test_stored_embeddings_that_cannot_be_read_in_are_said_and_the_search_goes_on(
    store: PaperStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The fill runs in a task no one awaits while the bot serves: its failure was dropped, unsaid."""
    folder = tmp_path / "search"
    await built_on_disk(store, folder)
    (folder / SAVED).unlink(missing_ok=True)  # the vectors are read from the store, not opened
    opened = SearchService(store, Unreadable(store.engine), CountingEncoder(), folder=folder)
    with caplog.at_level("WARNING"):
        await opened.filled()
    assert "could not read the stored embeddings into the search index (RuntimeError: the database went away)" in (
        caplog.text
    )
    assert await opened.search(ASKED)  # by its words
    await opened.close()


async def test_embeddings_that_cannot_be_saved_are_said_and_the_search_goes_on(
    store: PaperStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(dense, "EXACT_UP_TO", 10)
    monkeypatch.setattr(dense, "TRAIN_AT_LEAST", 20)
    folder = tmp_path / "search"
    expected = await built_on_disk(store, folder)
    (folder / SAVED).mkdir()  # in the way of the save
    opened = SearchService(store, EmbeddingStore(store.engine), CountingEncoder(), folder=folder)
    with caplog.at_level("WARNING"):
        await opened.filled()
    assert "could not save the embeddings beside the search index" in caplog.text
    index = await opened.index()
    assert index.embedded == len(index)
    assert [h.paper.arxiv_id for h in await opened.search(ASKED)] == expected
    await opened.close()


async def test_synced_papers_are_embedded_and_searchable_by_meaning(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01")[:5])
    encoder = CountingEncoder()
    search = service(store, encoder)
    await search.embed_missing()
    paper = listings_of("2026-06-02")[0].paper
    await store.save_listings([Listing(day=listings_of("2026-06-02")[0].day, rank=1, paper=paper)])
    await search.refresh([paper.arxiv_id])
    index = await search.index()
    assert index.embedded == 6 and index.added == 1
    hits = await search.search(paper.ai_summary or paper.title, limit=3)
    assert paper.arxiv_id in [h.paper.arxiv_id for h in hits]
    await search.close()


async def test_a_changed_text_is_embedded_again(store: PaperStore) -> None:
    listing = listings_of("2026-06-01")[0]
    await store.save_listings([listing])
    encoder = CountingEncoder()
    search = service(store, encoder)
    await search.embed_missing()
    changed = listing.paper.model_copy(update={"ai_summary": "A different summary about protein folding."})
    await store.save_listings([listing._replace(paper=changed)])
    search.invalidate()
    await search.embed_missing()
    assert encoder.texts == 2
    stored = await EmbeddingStore(store.engine).load(MODEL_NAME)
    assert stored[changed.arxiv_id].checksum == checksum(changed)
    await search.close()


async def test_the_snapshot_brings_its_embeddings(store: PaperStore) -> None:
    encoder = CountingEncoder()
    search = service(store, encoder)
    await Catalog(store, search, None, None, None).load_snapshot()
    index = await search.index()
    assert index.embedded == len(index) > 1000
    assert await search.embed_missing() == 0
    await search.search("robots that follow instructions")
    assert encoder.texts == 1  # only the query
    await search.close()


async def test_keyword_only_without_an_encoder(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01")[:5])
    search = SearchService(store)
    assert not search.hybrid and await search.embed_missing() == 0
    assert (await search.index()).embedded == 0


async def test_a_replaced_index_is_freed(store: PaperStore) -> None:
    """The heap is frozen after each build (bot.search.heap.settle_heap); the old index must still go."""
    await store.save_listings(listings_of("2026-06-01")[:5])
    search = service(store, CountingEncoder())
    await search.embed_missing()
    old = weakref.ref(await search.index())
    search.invalidate()
    await search.index()
    gc.collect()
    assert old() is None
    await search.close()


async def test_searches_during_a_refresh_see_a_whole_index(store: PaperStore) -> None:
    first, second = listings_of("2026-06-01"), listings_of("2026-06-02")
    await store.save_listings(first)
    search = SearchService(store)  # keyword-only: the extension, not the embedding, is what races
    await search.index()
    await store.save_listings(second)
    refresh = asyncio.create_task(search.refresh([item.paper.arxiv_id for item in second]))
    answers = await asyncio.gather(*(search.search(q) for q in ["diffusion", "agents", "video", "robot"] * 10))
    await refresh
    assert all(isinstance(hits, list) for hits in answers)
    assert (await search.index()).added == len({item.paper.arxiv_id for item in second})


async def test_a_damaged_stored_vector_is_embedded_again(store: PaperStore) -> None:
    listing = listings_of("2026-06-01")[0]
    await store.save_listings([listing])
    paper = (await store.all_papers())[0]
    damaged = StoredVector(checksum(paper), np.zeros(100, dtype=np.float32))  # a truncated row
    await EmbeddingStore(store.engine).save(MODEL_NAME, {paper.arxiv_id: damaged})
    encoder = CountingEncoder()
    search = service(store, encoder)
    assert await search.embed_missing() == 1
    assert (await EmbeddingStore(store.engine).load(MODEL_NAME))[paper.arxiv_id].vector.shape == (384,)
    await search.close()


async def test_the_index_is_built_a_batch_at_a_time(store: PaperStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store of millions is never read whole: the build streams batches (here of 7) and ends the same."""
    await store.save_listings(listings_of("2026-06-01") + listings_of("2026-06-02"))
    first = service(store, CountingEncoder())
    await first.embed_missing()  # every paper embedded and stored: both builds below read the same vectors
    whole = await first.search("efficient reasoning with small models", limit=20)
    await first.close()
    assert (await first.index()).embedded == len(await first.index())
    batches: list[int] = []
    real = PaperStore.batches

    async def spy(self: PaperStore, size: int = 5000) -> AsyncIterator[Versions]:
        async for batch in real(self, size):
            batches.append(len(batch))
            yield batch

    monkeypatch.setattr(search_service, "BUILD_BATCH", 7)
    monkeypatch.setattr(PaperStore, "batches", spy)
    search = service(store, CountingEncoder())
    streamed = await search.search("efficient reasoning with small models", limit=20)
    await search.close()
    assert max(batches) == 7 and sum(batches) == (await store.counts()).papers
    assert [(h.paper.arxiv_id, round(h.score, 6)) for h in streamed] == [
        (h.paper.arxiv_id, round(h.score, 6)) for h in whole
    ]


async def _burst(store: PaperStore, encoder: CountingEncoder) -> tuple[list[list[str]], list[list[str]]]:
    """A burst's answers, and each query's answer alone from another service."""
    await store.save_listings(listings_of("2026-06-01"))
    queries = [
        "speeding up large model inference",
        "robots that follow instructions",
        "making pictures from text",
        "agents that use tools",
        "long documents",
        "reasoning with reinforcement learning",
    ]
    alone = service(store, CountingEncoder())
    await alone.embed_missing()
    single = [[h.paper.arxiv_id for h in await alone.search(q)] for q in queries]
    await alone.close()
    search = service(store, encoder)
    await search.index()
    together = await asyncio.gather(*(search.search(q) for q in queries))
    await search.close()
    return [[h.paper.arxiv_id for h in hits] for hits in together], single


async def test_a_burst_s_queries_are_embedded_together_and_rank_as_alone(store: PaperStore) -> None:
    encoder = BatchCounting()
    together, single = await _burst(store, encoder)
    assert together == single and all(single)
    assert encoder.texts == len(single) and encoder.calls < len(single)  # fewer passes than queries


async def test_an_encoder_that_cannot_embed_texts_apart_embeds_each_query_alone(store: PaperStore) -> None:
    encoder = OneByOne()
    together, single = await _burst(store, encoder)
    assert together == single and all(single)
    assert encoder.texts == encoder.calls == len(single)


async def test_a_topic_filter_never_asks_the_model(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01"))
    encoder = BatchCounting()
    search = service(store, encoder)
    index = await search.index()
    await search.close()  # no background embedding: only what the search itself asks counts
    within = frozenset(index.lexical.ids(np.arange(index.lexical.size)))
    hits = await search.search("diffusion", SearchFilters(within=within, require_all=True), limit=len(within))
    assert hits and encoder.calls == 0
