"""Search at scale: the corpus copied up to 100k and 1M papers (bench/synthetic.py), hybrid index.

    python -m bench.scale                  (sizes 100000 and 1000000; --sizes 100000 for one)

Per size, two fresh child processes, each with its own peak memory (ru_maxrss: index, model, the
corpus the copies are made from, everything the process holds):

1. build: the index written to a folder as the search service writes it, streamed in batches of
   5,000 papers with their embeddings (given, as they are stored), never all papers at once.
2. serve: a restarted process. The index's files are first evicted from the page cache (cold
   cache); the clock runs from the child's start (interpreter, imports) to its first answer, the
   index opened from its folder, not rebuilt: the restart figure. Then the embeddings are put in
   (the search service reads them from the store in the background) and 200 queries are timed
   once each (the judged labels, their paraphrases, title-word pairs, `author:` and quoted
   phrases; each query's embedding computed inside the timing), with the files evicted from the
   cache again first, so the first queries read the disk. The p99 is also given apart for the
   queries without and with a quoted phrase.

It first prints the read-ahead of the disk under bench/.cache/: how much the kernel reads around
each page fault on a mapped file, which sets what a cold read costs (tantivy maps its files). The
kernel's default is 128 KB; this VM's disk says 8,192 KB (docs/search.md, Scale).

The folders are kept in bench/.cache/scale-<size>/ (git-ignored) until the next run of that size;
`--reuse` times the folder an earlier run built again (serve only: build columns 0).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
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
from bot.embedding.model import shared_encoder
from bot.host.disk import read_ahead_kb
from bot.ingest.importer import read_file
from bot.search.hybrid import HybridIndex
from bot.search.registry import VERSION, Registry
from bot.search.service import BUILD_BATCH as BATCH

CACHE = Path(__file__).parent / ".cache"
WARM = 20  # queries run before the timed ones (code paths, the model), never timed themselves


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


def corpus() -> list[Paper]:
    return list({item.paper.arxiv_id: item.paper for item in read_file(CORPUS)}.values())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def evict(folder: Path) -> None:
    """Drop the folder's files from the page cache (what no process maps), as after a reboot."""
    for path in folder.iterdir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def build(size: int, folder: Path) -> dict[str, float]:
    base = corpus()
    base_vectors = corpus_vectors(base)
    encoder = shared_encoder()
    started = time.perf_counter()
    index = HybridIndex(encoder=encoder, expected=size, folder=folder)
    papers = scaled(base, size)
    for vectors in scaled_vectors(base_vectors, size, BATCH):
        batch = list(itertools.islice(papers, len(vectors)))
        index.load(batch, {p.arxiv_id: v for p, v in zip(batch, vectors, strict=True)})
    index.seal()
    took = time.perf_counter() - started
    return {"build_s": took, "build_per_s": size / took, "build_peak_mb": peak_mb()}


def serve(size: int, folder: Path, spawned: float) -> dict[str, float]:
    evict(folder)
    opened = time.perf_counter()
    index = HybridIndex(encoder=shared_encoder(), expected=size, folder=folder)  # the model loads when first asked
    first = index.search_now("diffusion models for video generation")  # by words: no embeddings yet
    answered = time.perf_counter()
    restart = time.time() - spawned
    if not first or len(index) != size:
        raise RuntimeError(f"the opened index holds {len(index)} papers of {size} and answered {len(first)}")
    base = corpus()
    papers = scaled(base, size)
    for vectors in scaled_vectors(corpus_vectors(base), size, BATCH):
        ids = [p.arxiv_id for p in itertools.islice(papers, len(vectors))]
        index.put_vectors(dict(zip(ids, vectors, strict=True)))
    queries = query_set(base, WARM + 200)
    for query in queries[:WARM]:
        index.search_now(query)
    evict(folder)
    took = []
    for query in queries[WARM:]:
        started = time.perf_counter()
        index.search_now(query)
        took.append((time.perf_counter() - started) * 1000)
    timed = queries[WARM:]
    return {
        "papers": size,
        "disk_mb": sum(p.stat().st_size for p in folder.iterdir()) / 2**20,
        "restart_s": restart,
        "open_s": answered - opened,
        "p50_ms": statistics.median(took),
        "p99_ms": percentile(took, 99),
        "max_ms": max(took),
        "first_ms": took[0],
        "p99_words_ms": percentile([t for t, q in zip(took, timed, strict=True) if not q.startswith('"')], 99),
        "p99_phrase_ms": percentile([t for t, q in zip(took, timed, strict=True) if q.startswith('"')], 99),
        "serve_peak_mb": peak_mb(),
    }


def child(*args: str) -> dict[str, float]:
    run = subprocess.run([sys.executable, "-m", "bench.scale", *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise RuntimeError(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "no output")
    result: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--reuse", action="store_true", help="time the index an earlier run built (no build)")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(args.build, CACHE / f"scale-{args.build}")))
        return
    if args.serve:
        print(json.dumps(serve(args.serve, CACHE / f"scale-{args.serve}", args.spawned)))
        return
    CACHE.mkdir(exist_ok=True)
    ahead = read_ahead_kb(CACHE)
    print(
        f"the disk under {CACHE} reads {ahead} KB around each page fault on a mapped file (read_ahead_kb;"
        " the kernel's default is 128): the cold reads' cost"
        if ahead is not None
        else f"the read-ahead of the disk under {CACHE} is unknown: the cold reads' cost depends on it"
    )
    columns = ["papers", "build s", "papers/s", "build MB", "disk MB", "restart s", "open s"]
    columns += ["p50 ms", "p99 ms", "max ms", "p99 words", "p99 phrases", "serve MB"]
    print(" ".join(f"{c:>11}" for c in columns))
    for size in (int(s) for s in args.sizes.split(",")):
        # an index of another layout (a paperboy since changed what it indexes) is built again, not reused
        reused = args.reuse and Registry.layout_of(CACHE / f"scale-{size}") == VERSION
        if not reused:
            shutil.rmtree(CACHE / f"scale-{size}", ignore_errors=True)
        try:
            r = {"build_s": 0.0, "build_per_s": 0.0, "build_peak_mb": 0.0} if reused else child("--build", str(size))
            r |= child("--serve", str(size), "--spawned", str(time.time()))
        except RuntimeError as exc:
            print(f"{size:>11,} failed: {exc}")
            continue
        keys = ["papers", "build_s", "build_per_s", "build_peak_mb", "disk_mb", "restart_s", "open_s", "p50_ms"]
        keys += ["p99_ms", "max_ms", "p99_words_ms", "p99_phrase_ms", "serve_peak_mb"]
        print(" ".join(f"{r[k]:>11,.2f}" if r[k] < 100 else f"{r[k]:>11,.0f}" for k in keys), flush=True)


if __name__ == "__main__":
    main()
