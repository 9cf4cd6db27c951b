"""A bench store: the corpus (scaled up to N papers with bench/synthetic.py) and its embeddings, in SQLite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from bench.core import CORPUS
from bench.synthetic import scaled, scaled_vectors
from bench.vectors import corpus_vectors
from bot.domain.models import Listing, Paper
from bot.embedding.model import MODEL_NAME
from bot.embedding.papers import checksum
from bot.ingest.importer import read_file
from bot.store.embeddings import EmbeddingStore, StoredVector
from bot.store.engine import create_engine, database_url, migrate
from bot.store.papers import PaperStore


async def fill_store(folder: Path, size: int = 0) -> tuple[list[Paper], list[Listing]]:
    """Write the corpus (or `size` papers made from it) and one stored embedding per paper into the
    SQLite store `paperboy` keeps in `folder`; returns the papers and their listings."""
    listings = read_file(CORPUS)
    papers = list({item.paper.arxiv_id: item.paper for item in listings}.values())
    vectors = corpus_vectors(papers)
    if size > len(papers):
        bigger = list(scaled(papers, size))
        vectors = np.vstack(list(scaled_vectors(vectors, size)))
        papers = bigger
        listings = [Listing(day=p.day or date(2026, 1, 1), rank=1, paper=p) for p in papers]
    engine = create_engine(database_url(None, folder))
    try:
        await migrate(engine)
        await PaperStore(engine).save_listings(listings)
        await EmbeddingStore(engine).save(
            MODEL_NAME, {p.arxiv_id: StoredVector(checksum(p), v) for p, v in zip(papers, vectors, strict=True)}
        )
    finally:
        await engine.dispose()
    return papers, listings
