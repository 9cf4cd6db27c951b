"""A restart right after a big write: how long until the restarted process's first answer.

    python -m bench.restart [--papers 100000] [--restarts 2]

A store of `--papers` papers with their embeddings is written (SQLite, as `paperboy import` leaves
it: every paper stamped a moment ago), a first process builds its search index in the data dir,
then `--restarts` fresh search services open that index one after another, each timed from its
construction to its first answer (by words: the embeddings are not in yet) and to every stored
embedding in (`SearchService.filled`: it answers by meaning, as a one-shot `paperboy search` waits
to), with how many papers its catch-up read again. All of it falls
within the catch-up's 10-minute margin (`bot/store/changes.py`), where every paper written is
looked at again; only those whose version the index does not hold are read.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.fill import fill_store
from bot.embedding.model import shared_encoder
from bot.search.service import SearchService
from bot.store.embeddings import EmbeddingStore
from bot.store.engine import create_engine, database_url
from bot.store.papers import PaperStore

QUERY = "video generation"


async def first_answer(folder: Path) -> tuple[float, float, float, int]:
    """Seconds to the index opened, to the first answer and to every stored embedding in it, and the
    papers the catch-up read again."""
    engine = create_engine(database_url(None, folder))
    started = time.perf_counter()
    search = SearchService(PaperStore(engine), EmbeddingStore(engine), shared_encoder(), folder=folder / "search")
    try:
        index = await search.index()
        opened = time.perf_counter() - started
        await search.search(QUERY)
        answered = time.perf_counter() - started
        await search.filled()
        return opened, answered, time.perf_counter() - started, index.added
    finally:
        await search.close()
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--restarts", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        written = time.perf_counter()
        papers, _ = await fill_store(folder, args.papers)
        print(f"store: {len(papers):,} papers with embeddings, written in {time.perf_counter() - written:.0f} s")
        runs = [("build", await first_answer(folder))]
        runs += [(f"restart {n + 1}", await first_answer(folder)) for n in range(args.restarts)]
    print("  process     index ready s   first answer s   by meaning s   papers read again")
    for label, (opened, answered, filled, read) in runs:
        print(f"  {label:<10}{opened:>14.2f}{answered:>17.2f}{filled:>15.2f}{read:>20,}")


if __name__ == "__main__":
    asyncio.run(main())
