"""Autocomplete at scale: suggestions for `/papers search topic:` and `/papers paper id:` as people type.

    python -m bench.autocomplete [--papers 100000] [--typed 2000] [--store]

The corpus is scaled up to `--papers` (bench/synthetic.py). Each query is one keystroke of someone
typing a keyword, a title's first words or an id, character by character (so short, common prefixes
are in the mix). Prints the index's build time and the median and p99 of one answer; with `--store`
it also writes the papers to a SQLite store and times the build from it (what `paperboy run` does,
in a worker thread, once at start and then every ten minutes). Discord allows 3 s for the answer.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.core import CORPUS, percentile
from bench.synthetic import scaled
from bot.domain.models import Listing, Paper
from bot.ingest.importer import read_file
from bot.store.engine import create_engine, database_url, migrate
from bot.store.headlines import Headline, headlines
from bot.store.papers import PaperStore
from bot.surfaces.suggest import SuggestIndex


def typed(papers: list[Paper], count: int, seed: int = 20261129) -> list[tuple[str, str]]:
    """(kind, text) keystrokes: half topics (keywords typed), half titles (first words) and ids."""
    rng = random.Random(seed)
    keystrokes: list[tuple[str, str]] = []
    while len(keystrokes) < count:
        paper = rng.choice(papers)
        if rng.random() < 0.5 and paper.ai_keywords:
            kind, text = "topic", rng.choice(paper.ai_keywords)
        elif rng.random() < 0.85:
            kind, text = "title", " ".join(paper.title.split()[: rng.randint(1, 3)])
        else:
            kind, text = "title", paper.arxiv_id
        keystrokes += [(kind, text[:n]) for n in range(1, len(text) + 1)]
    rng.shuffle(keystrokes)
    return keystrokes[:count]


def as_headlines(papers: list[Paper]) -> list[Headline]:
    return [Headline(p.arxiv_id, p.title, p.ai_keywords, p.upvotes, p.day) for p in papers]


async def from_store(papers: list[Paper]) -> tuple[float, float]:
    """Seconds to read the headlines of a store holding `papers`, and to build the index from them."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(database_url(None, Path(folder)))
        try:
            await migrate(engine)
            listings = [Listing(day=p.day or date(2026, 1, 1), rank=1, paper=p) for p in papers]
            await PaperStore(engine).save_listings(listings)
            started = time.perf_counter()
            rows = await headlines(engine)
            read = time.perf_counter() - started
            started = time.perf_counter()
            await asyncio.to_thread(SuggestIndex, rows)
            built = time.perf_counter() - started
        finally:
            await engine.dispose()
    return read, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--typed", type=int, default=2000, help="keystrokes to answer")
    parser.add_argument("--store", action="store_true", help="also time the build from a SQLite store")
    args = parser.parse_args()
    corpus = list({item.paper.arxiv_id: item.paper for item in read_file(CORPUS)}.values())
    papers = list(scaled(corpus, args.papers))
    started = time.perf_counter()
    index = SuggestIndex(as_headlines(papers))
    built = time.perf_counter() - started
    timings: dict[str, list[float]] = {"topic": [], "title": []}
    most = 0
    for kind, text in typed(papers, args.typed):
        started = time.perf_counter()
        found = index.topics(text) if kind == "topic" else index.titles(text)
        timings[kind].append((time.perf_counter() - started) * 1000)
        most = max(most, len(found))
    print(f"{len(papers):,} papers, {index.keywords:,} distinct keywords: index built in {built:.2f} s (in memory)")
    if args.store:
        read, from_rows = asyncio.run(from_store(papers))
        print(f"from a SQLite store: headlines read in {read:.2f} s, index built in {from_rows:.2f} s (worker thread)")
    every = timings["topic"] + timings["title"]
    for name, values in (("topic:", timings["topic"]), ("id: (titles)", timings["title"]), ("all", every)):
        median, p99 = statistics.median(values), percentile(values, 99)
        print(f"{name:<13} {len(values):5d} keystrokes   median {median:6.2f} ms   p99 {p99:6.2f} ms")
    print(f"at most {most} choices an answer (Discord: 25); aim p99 <= 20 ms, Discord allows 3000 ms")


if __name__ == "__main__":
    main()
