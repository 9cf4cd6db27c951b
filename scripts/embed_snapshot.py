"""Embed the bundled snapshot's papers, so the offline default searches by meaning with no computing.

python scripts/embed_snapshot.py      # writes bot/data/snapshot-vectors.npz (about a minute)

The papers are read back from a throwaway store after loading the snapshot (`snapshot_papers`),
exactly as a user's store will hold them, so every checksum matches and nothing is embedded again.
"""

from __future__ import annotations

import asyncio
import time

import numpy as np

from bot.embedding.model import MODEL_NAME, shared_encoder
from bot.embedding.papers import checksum, embedding_text
from bot.ingest.snapshot import snapshot_papers, vectors_path


def main() -> None:
    papers = asyncio.run(snapshot_papers())
    started = time.perf_counter()
    vectors = shared_encoder().encode([embedding_text(p) for p in papers])
    out = vectors_path()
    with out.open("wb") as handle:
        np.savez_compressed(
            handle,
            model=np.array(MODEL_NAME),
            ids=np.array([p.arxiv_id for p in papers]),
            checksums=np.array([checksum(p) for p in papers]),
            vectors=vectors.astype("<f2"),
        )
    took = time.perf_counter() - started
    print(f"{out}: {len(papers)} papers embedded in {took:.0f} s ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
