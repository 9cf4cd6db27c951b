"""The bench corpus's paper embeddings, computed once (about 7 minutes on two cores) and cached.

The cache lives in bench/.cache (ignored by git) and is keyed by each paper's text checksum, so a
changed corpus or embedding text recomputes only what changed.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from bot.domain.models import Paper
from bot.embedding.model import DIMENSIONS, MODEL_NAME, Vectors, shared_encoder
from bot.embedding.papers import checksum, embedding_text
from bot.host.cpus import usable_cpus

CACHE = Path(__file__).resolve().parent / ".cache" / "corpus-vectors.npz"


def corpus_vectors(papers: list[Paper]) -> Vectors:
    """One row per paper, in order."""
    known: dict[str, Vectors] = {}
    if CACHE.is_file():
        with np.load(CACHE) as data:
            if str(data["model"]) == MODEL_NAME:
                known = dict(zip((str(c) for c in data["checksums"]), data["vectors"], strict=True))
    sums = [checksum(p) for p in papers]
    missing = [i for i, s in enumerate(sums) if s not in known]
    if missing:
        print(f"embedding {len(missing):,} papers (cached in {CACHE} for next time)…", flush=True)
        started = time.perf_counter()
        texts = [embedding_text(papers[i]) for i in missing]
        chunks = [texts[at : at + 256] for at in range(0, len(texts), 256)]
        with ThreadPoolExecutor(usable_cpus()) as workers:  # one single-threaded encoder call per CPU
            fresh = np.vstack(list(workers.map(shared_encoder().encode, chunks)))
        print(f"  {len(missing) / (time.perf_counter() - started):.1f} papers/s", flush=True)
        known.update({sums[i]: v for i, v in zip(missing, fresh, strict=True)})
        CACHE.parent.mkdir(exist_ok=True)
        np.savez(
            CACHE, model=np.array(MODEL_NAME), checksums=np.array(sums), vectors=np.vstack([known[s] for s in sums])
        )
    out = np.zeros((len(papers), DIMENSIONS), dtype=np.float32)
    for i, s in enumerate(sums):
        out[i] = known[s]
    return out
