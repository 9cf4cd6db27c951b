"""Searches run in the CPU pool: the event loop keeps answering while one runs, and can't run one itself."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Sequence

import pytest

from bot.embedding.model import Vectors, shared_encoder
from bot.host.pools import CpuPool, on_worker
from bot.search.service import SearchService
from bot.store.embeddings import EmbeddingStore
from bot.store.papers import PaperStore
from tests.conftest import listings_of


class WatchingEncoder:
    """The real encoder, noting for each query where it ran; `pause` makes each query slow."""

    def __init__(self, pause: float = 0.0, gate: threading.Event | None = None) -> None:
        self.pause = pause
        self.gate = gate  # when given, each query waits in the worker until it is set
        self.calls: list[tuple[bool, bool, str]] = []  # (in a CPU worker, a loop runs there, thread name)
        self.in_flight = self.most_at_once = 0  # queries being embedded
        self.query_ends: list[float] = []  # when each query's embedding was done (time.monotonic)
        self._count = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        try:
            asyncio.get_running_loop()
            looping = True
        except RuntimeError:
            looping = False
        self.calls.append((on_worker(), looping, threading.current_thread().name))
        if len(texts) != 1:  # papers, not a query
            return shared_encoder().encode(texts)
        with self._count:
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
        try:
            if self.gate is not None:
                assert self.gate.wait(30), "the test never let the queries go"
            time.sleep(self.pause)  # CPU-bound work, as far as the loop can tell
            return shared_encoder().encode(texts)
        finally:
            with self._count:
                self.in_flight -= 1
                self.query_ends.append(time.monotonic())


async def embedded_service(store: PaperStore, encoder: WatchingEncoder, cpu: CpuPool | None = None) -> SearchService:
    await store.save_listings(listings_of("2026-06-01")[:8])
    search = SearchService(store, EmbeddingStore(store.engine), encoder, cpu)
    await search.index()
    await search.embed_missing()
    return search


@pytest.mark.slow
async def test_a_search_runs_in_the_cpu_pool_not_on_the_loop(store: PaperStore) -> None:
    encoder = WatchingEncoder()
    search = await embedded_service(store, encoder)
    encoder.calls.clear()
    try:
        hits = await search.search("speeding up large model inference")
        assert hits
        assert encoder.calls and all(worker and not looping for worker, looping, _ in encoder.calls), encoder.calls
    finally:
        await search.close()


@pytest.mark.slow
async def test_the_loop_keeps_answering_while_a_search_runs(store: PaperStore) -> None:
    encoder = WatchingEncoder(pause=1.0)
    search = await embedded_service(store, encoder)
    ticks = [time.monotonic()]  # from before the search is asked to after it answered: a search that held
    searching = asyncio.ensure_future(search.search("a query nobody asked before"))  # the loop at its start
    # leaves a gap, as one that held it later does

    async def heartbeat() -> None:
        while not searching.done():
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    try:
        await asyncio.gather(searching, heartbeat())
        ticks.append(time.monotonic())
        # On the loop, the 1 s query would have stopped the heartbeat for a second; off it, the loop
        # ticks on (the gap bound, not a count of ticks, holds on a busy host too).
        assert encoder.in_flight == 0 and len(ticks) >= 2
        longest = max(b - a for a, b in itertools.pairwise(ticks))
        assert longest < 0.5, longest
    finally:
        await search.close()


async def test_an_index_refuses_to_search_on_the_loop(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01")[:3])
    search = SearchService(store)
    index = await search.index()
    with pytest.raises(RuntimeError, match="CPU pool"):
        index.search_now("agents")
    assert await search.search("agents") is not None
    await search.close()


@pytest.mark.slow
async def test_searches_run_side_by_side_and_an_update_waits_for_them(store: PaperStore) -> None:
    gate = threading.Event()
    encoder = WatchingEncoder(pause=0.2)
    cpu = CpuPool(2)
    search = await embedded_service(store, encoder, cpu)
    encoder.gate = gate  # for the two queries only, not the papers embedded above
    updated: list[float] = []
    try:
        asked = [asyncio.ensure_future(search.search(f"a question nobody asked before, number {i}")) for i in (1, 2)]
        deadline = time.monotonic() + 30
        while encoder.in_flight < 2:  # both are embedding their query now (they wait for the gate)
            assert time.monotonic() < deadline, f"{encoder.in_flight} of two searches began in 30 s"
            await asyncio.sleep(0.01)
        added = [listing.paper for listing in listings_of("2026-06-02")[:2]]
        await store.save_listings(listings_of("2026-06-02")[:2])
        update = asyncio.ensure_future(search.refresh([p.arxiv_id for p in added]))
        update.add_done_callback(lambda _: updated.append(time.monotonic()))
        await asyncio.sleep(0.1)  # the update asks for the index while both hold it
        gate.set()
        await asyncio.gather(*asked, update)
        assert encoder.most_at_once == 2  # two searches at once, one per worker
        assert updated[0] >= max(encoder.query_ends)  # the index was extended only after both were done
        for paper in added:  # and it holds the new papers now
            assert paper.arxiv_id in {h.paper.arxiv_id for h in await search.search(paper.title)}
    finally:
        await search.close()
        cpu.close()
