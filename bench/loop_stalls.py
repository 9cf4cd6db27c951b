"""How long background work holds the event loop: an index build and a suggestions rebuild.

    python -m bench.loop_stalls [--papers 100000]

A store of `--papers` papers (the corpus when 0; bench/fill.py, in a temporary folder) with their
stored embeddings. A 1 ms timer on the event loop records how late each of its ticks comes while
(1) the search service builds its index from the store (the embedding model loaded, as `paperboy
run` has it) and (2) the suggestions are rebuilt from the store, twice. Every tick's lateness is
what an ack or an event arriving then would wait. The heap is frozen first, as `paperboy run` does
once started (bot/host/heap.py). Figures: p50, p99 and the longest stall, and the ticks over 50 and
100 ms; the garbage collector's longest full collection is printed beside them (`gc.callbacks`).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.core import percentile
from bench.fill import fill_store
from bot.embedding.model import shared_encoder
from bot.host.heap import freeze_heap
from bot.search.service import SearchService
from bot.store.embeddings import EmbeddingStore
from bot.store.engine import create_engine, database_url
from bot.store.papers import PaperStore
from bot.surfaces.suggestions import Suggestions

TICK_S = 0.001


class Collections:
    """The garbage collector's full collections, timed."""

    def __init__(self) -> None:
        self.full: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif info["generation"] == 2:
            self.full.append((time.perf_counter() - self._started) * 1000)


async def lateness(work: Callable[[], Awaitable[object]]) -> tuple[float, list[float]]:
    """Run `work` with a 1 ms timer on the loop; its duration (s) and each tick's lateness (ms)."""
    late: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(TICK_S)
            late.append((time.perf_counter() - started - TICK_S) * 1000)

    ticking = asyncio.create_task(tick())
    started = time.perf_counter()
    await work()
    took = time.perf_counter() - started
    done.set()
    await ticking
    return took, late


def row(name: str, took: float, late: list[float], collections: Collections) -> str:
    full = max(collections.full, default=0.0)
    collections.full.clear()
    return (
        f"  {name:<22} {took:6.1f} s   p50 {statistics.median(late):5.1f}  p99 {percentile(late, 99):6.1f}"
        f"  max {max(late):6.1f} ms   over 50 ms: {sum(t > 50 for t in late):3d}, over 100 ms:"
        f" {sum(t > 100 for t in late):3d}   longest full collection {full:5.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--papers", type=int, default=0, help="papers in the store (0: the corpus)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        await fill_store(folder, args.papers)
        engine = create_engine(database_url(None, folder))
        papers = PaperStore(engine)
        count = (await papers.counts()).papers
        encoder = shared_encoder()
        search = SearchService(papers, EmbeddingStore(engine), encoder, folder=folder / "index")
        await asyncio.to_thread(encoder.encode, ["warm"])  # the model loaded, as a running bot has it
        freeze_heap()
        collections = Collections()
        gc.callbacks.append(collections)
        try:
            print(f"store: {count:,} papers; the event loop's lateness (a {TICK_S * 1000:.0f} ms timer):")
            print(row("index build", *await lateness(search.index), collections))
            for attempt in (1, 2):
                suggestions = Suggestions(papers)  # new: nothing built yet, so it reads the store
                print(row(f"suggestions rebuild {attempt}", *await lateness(suggestions.refresh), collections))
                await suggestions.close()
        finally:
            gc.callbacks.remove(collections)
            await search.close()
            await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
