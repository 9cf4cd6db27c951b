"""Import throughput and search latency over the 9,581-listing corpus.

    make bench            (or: python -m bench.core [--runs 3] [--queries 300])

Prints medians over `--runs` fresh SQLite stores for the import, and the median and p99 of warm
search latency over a fixed query set drawn from the corpus's AI keywords and title words.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.domain.models import Listing
from bot.ingest.importer import read_file
from bot.search.lexical import LexicalIndex
from bot.store.engine import create_engine, database_url, migrate
from bot.store.papers import PaperStore

CORPUS = Path(__file__).resolve().parent / "data" / "hf_papers_corpus.jsonl.gz"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def queries(listings: list[Listing], count: int) -> list[str]:
    """A fixed mix: AI keywords (one to three words) and pairs of title words."""
    rng = random.Random(20260826)
    keywords = sorted({k for item in listings for k in item.paper.ai_keywords if 1 <= len(k.split()) <= 3})
    titles = [item.paper.title.split() for item in listings]
    chosen = rng.sample(keywords, count // 2)
    for _ in range(count - len(chosen)):
        words = rng.choice(titles)
        chosen.append(" ".join(rng.sample(words, min(2, len(words)))))
    return chosen


async def import_once(listings: list[Listing]) -> tuple[float, float]:
    """Seconds to store every listing in a fresh store, then to store them all again."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(database_url(None, Path(folder)))
        await migrate(engine)
        store = PaperStore(engine)
        started = time.perf_counter()
        await store.save_listings(listings)
        first = time.perf_counter() - started
        started = time.perf_counter()
        await store.save_listings(listings)
        again = time.perf_counter() - started
        await engine.dispose()
    return first, again


async def main() -> None:
    parser = argparse.ArgumentParser(description="paperboy core benchmark")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    started = time.perf_counter()
    listings = read_file(CORPUS)
    parse_s = time.perf_counter() - started
    n = len(listings)

    firsts, agains = [], []
    for _ in range(args.runs):
        first, again = await import_once(listings)
        firsts.append(first)
        agains.append(again)

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(database_url(None, Path(folder)))
        await migrate(engine)
        store = PaperStore(engine)
        await store.save_listings(listings)
        started = time.perf_counter()
        papers = await store.all_papers()
        load_s = time.perf_counter() - started
        await engine.dispose()

    builds = []
    index = LexicalIndex(papers)
    for _ in range(args.runs):
        started = time.perf_counter()
        index = LexicalIndex(papers)
        builds.append(time.perf_counter() - started)

    asked = queries(listings, args.queries)
    for query in asked:  # warm-up pass
        index.search_now(query)
    latencies = []
    for query in asked:
        started = time.perf_counter()
        index.search_now(query)
        latencies.append((time.perf_counter() - started) * 1000)

    print(f"corpus: {n:,} listings, {len(papers):,} papers ({CORPUS.name})")
    print(f"parse corpus file:         {parse_s:6.2f} s   ({n / parse_s:,.0f} listings/s)")
    first = statistics.median(firsts)
    again = statistics.median(agains)
    print(f"import into empty SQLite:  {first:6.2f} s   ({n / first:,.0f} listings/s, median of {args.runs})")
    print(f"re-import (no changes):    {again:6.2f} s   ({n / again:,.0f} listings/s, median of {args.runs})")
    print(f"parse + import end to end: {parse_s + first:6.2f} s   ({n / (parse_s + first):,.0f} listings/s)")
    print(f"load papers from store:    {load_s:6.2f} s")
    print(f"build lexical index:       {statistics.median(builds):6.2f} s   (median of {args.runs})")
    print(
        f"search, warm, {len(asked)} queries: median {statistics.median(latencies):.2f} ms, "
        f"p99 {percentile(latencies, 99):.2f} ms, max {max(latencies):.2f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
