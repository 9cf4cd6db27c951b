"""The corpus scaled up: copies of the 9,577 real papers with new ids, dates, a word and embeddings of their own.

Copy k of paper p gets the id `YYMM.NNNNN` (a month per copy, p's number), a listing day k·30 days
before p's, one title word `edition{k}`, authors of its own (each surname with a suffix of letters
for the copy: "Zamani" → "Zamanibq", so the vocabulary grows with the corpus as real author names
do: the corpus has 10,653 surnames, so that many new words a copy) and p's embedding plus
Gaussian noise, renormalised (a cosine of about 0.85 to the original: copies of a paper are
neighbours, as related papers are, and the IVF lists fill the way real ones do). Posting lists
grow linearly with the size, which is what makes search slower at scale.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

from bot.domain.models import Paper
from bot.embedding.model import Vectors

NOISE = 0.03  # per dimension, before renormalising


def copy_id(k: int, number: int) -> str:
    return f"{(k // 12) % 100:02d}{k % 12 + 1:02d}.{number:05d}"


def letters(k: int) -> str:
    """k as a word of lower-case letters (0 → "a", 26 → "ba")."""
    word = ""
    while True:
        k, digit = divmod(k, 26)
        word = chr(ord("a") + digit) + word
        if k == 0:
            return word


def renamed(author: str, k: int) -> str:
    """The author of copy k: the last word of the name made a new word."""
    first, _, last = author.rpartition(" ")
    return f"{first} {last}{letters(k)}".strip()


def scaled(papers: list[Paper], size: int) -> Iterator[Paper]:
    """`size` papers: the originals first, then copies."""
    for i in range(size):
        base = papers[i % len(papers)]
        k = i // len(papers)
        if k == 0:
            yield base
            continue
        day = (base.day or date(2026, 1, 1)) - timedelta(days=30 * k)
        yield base.model_copy(
            update={
                "arxiv_id": copy_id(k, i % len(papers)),
                "title": f"{base.title} edition{k}",
                "authors": tuple(renamed(a, k) for a in base.authors),
                "listed_on": (day,),
                "published_at": None,
            }
        )


def scaled_vectors(vectors: Vectors, size: int, block: int = 5000, seed: int = 0) -> Iterator[Vectors]:
    """The embeddings of `scaled(…, size)`, `block` rows at a time (a million rows are 1.5 GB at once)."""
    rng = np.random.default_rng(seed)
    for start in range(0, size, block):
        at = np.arange(start, min(size, start + block))
        rows = vectors[at % len(vectors)]
        noisy = rows + NOISE * rng.standard_normal(rows.shape).astype(np.float32)
        noisy[at < len(vectors)] = rows[at < len(vectors)]
        yield noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
