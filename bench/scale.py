"""Search at scale: the corpus copied up to 100k and 1M papers (bench/synthetic.py), hybrid index.

    python -m bench.scale                  (sizes 100000 and 1000000; --sizes 100000 for one)

Each size runs in a fresh child process, so its peak memory (ru_maxrss: index, model, the corpus
the copies are made from, everything the search process holds, building included) is its own. The
index is built as the search service builds it: streamed in batches of 5,000 papers with their
embeddings (given, as they are stored), never all papers at once. Per size: build throughput, then
the latency of 200 queries (the judged labels, their paraphrases, title-word pairs, `author:` and
quoted phrases), each timed once warm (index built, model loaded, query not seen before: its
embedding is computed inside the timing). The p99 is also given apart for the queries without and
with a quoted phrase: a phrase is checked in candidates' text, read from the index's file, which
is what the slowest queries spend.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.core import CORPUS, percentile
from bench.relevance import PARAPHRASES
from bench.synthetic import scaled, scaled_vectors
from bench.vectors import corpus_vectors
from bot.domain.models import Paper
from bot.ingest.importer import read_file
from bot.search.encoder import shared_encoder
from bot.search.heap import settle_heap
from bot.search.hybrid import HybridIndex
from bot.search.service import BUILD_BATCH as BATCH


def query_set(papers: list[Paper], count: int = 200) -> list[str]:
    rng = random.Random(20261126)
    chosen = list(PARAPHRASES) + list(PARAPHRASES.values())
    with_authors = [p for p in papers if p.authors]
    while len(chosen) < count:
        paper = rng.choice(with_authors)
        words = paper.title.split()
        kind = len(chosen) % 3
        if kind == 0:
            chosen.append(" ".join(rng.sample(words, min(2, len(words)))))
        elif kind == 1:
            chosen.append(f'{rng.choice(words)} author:"{rng.choice(paper.authors)}"')
        else:
            start = rng.randrange(max(1, len(words) - 1))
            chosen.append(f'"{" ".join(words[start : start + 2])}"')
    return chosen[:count]


def measure(size: int) -> dict[str, float]:
    base = list({item.paper.arxiv_id: item.paper for item in read_file(CORPUS)}.values())
    base_vectors = corpus_vectors(base)
    encoder = shared_encoder()
    encoder.encode(["warm up"])
    started = time.perf_counter()
    # Streamed in batches, as the search service builds from the store: never all papers at once.
    index = HybridIndex(encoder=encoder, expected=size)
    papers = scaled(base, size)
    for vectors in scaled_vectors(base_vectors, size, BATCH):
        batch = list(itertools.islice(papers, len(vectors)))
        index.load(batch, {p.arxiv_id: v for p, v in zip(batch, vectors, strict=True)})
    index.seal()
    build = time.perf_counter() - started
    settle_heap()  # as the search service does after a build
    # The index's paper file (about 5 GB at 1M) has just been written: let the kernel finish writing
    # it back before timing, as it has long done when people search a running bot (the writeback
    # would otherwise share the two cores with the first queries).
    os.sync()
    queries = query_set(base)
    for query in queries[:20]:  # warm the code paths, then forget those queries' embeddings
        index.search_now(query)
    index.forget_queries()
    took = []
    for query in queries:
        started = time.perf_counter()
        index.search_now(query)
        took.append((time.perf_counter() - started) * 1000)
    return {
        "papers": size,
        "build_s": build,
        "build_per_s": size / build,
        "p50_ms": statistics.median(took),
        "p99_ms": percentile(took, 99),
        "max_ms": max(took),
        "p99_words_ms": percentile([t for t, q in zip(took, queries, strict=True) if not q.startswith('"')], 99),
        "p99_phrase_ms": percentile([t for t, q in zip(took, queries, strict=True) if q.startswith('"')], 99),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def available_mb() -> float:
    for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return
    print(
        f"{'papers':>10} {'build s':>8} {'papers/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'peak MB':>8}"
        f" {'p99 no phrase':>14} {'p99 phrases':>12}"
    )
    per_paper = 0.0  # MB, from the last size measured
    for size in (int(s) for s in args.sizes.split(",")):
        needed = per_paper * size
        if needed > 0.8 * available_mb():
            print(
                f"{size:>10,} not run: at {per_paper * 1000:.0f} KB a paper it would need {needed / 1024:.0f} GB, "
                f"more than this machine has free ({available_mb() / 1024:.0f} GB); the index holds every paper"
            )
            continue
        run = subprocess.run(
            [sys.executable, "-m", "bench.scale", "--child", str(size)], capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            print(f"{size:>10} failed: {run.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        per_paper = r["peak_mb"] / size
        print(
            f"{r['papers']:>10,.0f} {r['build_s']:>8.1f} {r['build_per_s']:>9,.0f} {r['p50_ms']:>7.2f} "
            f"{r['p99_ms']:>7.2f} {r['max_ms']:>7.2f} {r['peak_mb']:>8,.0f} {r['p99_words_ms']:>14.2f}"
            f" {r['p99_phrase_ms']:>12.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
