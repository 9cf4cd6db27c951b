"""What of a paper is embedded, and the step that embeds the papers that lack a current vector.

The text is the title, Hugging Face's AI summary (the abstract when there is none) and the AI
keywords: on the judged queries this beat title and summary alone on both query kinds. A checksum of
that text is stored beside the vector, so a paper whose text changes is embedded again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from bot.domain.models import Paper
from bot.embedding.model import DIMENSIONS, MODEL_NAME, TextEncoder, Vectors
from bot.host.pools import CpuPool, bulk_pool
from bot.host.tasks import together
from bot.store.embeddings import EmbeddingStore, StoredVector

BATCH = 64  # papers per encoder call; the event loop runs between calls
Progress = Callable[[int, int], None]


def embedding_text(paper: Paper) -> str:
    text = f"{paper.title}. {paper.ai_summary or paper.abstract}"
    if paper.ai_keywords:
        text += " " + ", ".join(paper.ai_keywords)
    return text


def checksum(paper: Paper) -> str:
    return hashlib.blake2b(embedding_text(paper).encode(), digest_size=8).hexdigest()


def current(papers: Sequence[Paper], stored: dict[str, StoredVector]) -> dict[str, Vectors]:
    """The stored vectors that still match their paper's text (a vector of the wrong length, from a
    damaged row, counts as missing: the paper is embedded again)."""
    found: dict[str, Vectors] = {}
    for paper in papers:
        row = stored.get(paper.arxiv_id)
        if row is not None and row.checksum == checksum(paper) and row.vector.shape == (DIMENSIONS,):
            found[paper.arxiv_id] = row.vector
    return found


async def embed(
    papers: Sequence[Paper],
    encoder: TextEncoder,
    store: EmbeddingStore,
    progress: Progress | None = None,
    cpu: CpuPool | None = None,
) -> dict[str, Vectors]:
    """Embed these papers in the bulk CPU pool (or `cpu`), `BATCH` at a time and one batch per worker
    at once; store and return the vectors."""
    pool = cpu if cpu is not None else bulk_pool()
    done: dict[str, Vectors] = {}
    step = BATCH * pool.threads
    for start in range(0, len(papers), step):
        batches = [papers[at : at + BATCH] for at in range(start, min(start + step, len(papers)), BATCH)]
        encoded = await together(*(pool.run(encoder.encode, [embedding_text(p) for p in b]) for b in batches))
        batch = [p for b in batches for p in b]
        vectors = [v for block in encoded for v in block]
        rows = {p.arxiv_id: StoredVector(checksum(p), v) for p, v in zip(batch, vectors, strict=True)}
        await store.save(MODEL_NAME, rows)
        done.update({arxiv_id: row.vector for arxiv_id, row in rows.items()})
        if progress is not None:
            progress(len(done), len(papers))
    return done
