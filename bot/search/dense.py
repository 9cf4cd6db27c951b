"""Nearest neighbours of a query embedding among the papers' embeddings.

Rows are numbered like the lexical index's positions, so both sides share one filter mask. Up to
`EXACT_UP_TO` rows the search is exact: one matrix product over float32 unit vectors. Above it the
rows go into a faiss IVF index with 8-bit scalar quantisation (a quarter of the memory, a few dozen
lists probed), and a narrow filter visits every list, scoring exactly the rows it allows.

Its training (the lists' centres: 29 s at 100k papers) and its vectors, each with the checksum of
the text it was made from, are kept in the index's folder (`bot.search.dense_files`): the next
process, and every other sharing the folder, opens them rather than training and filling again (the
same lists, the same answers), and keeps the vectors whose paper's text the index still holds
(`drop` the rest), so it searches by meaning at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.embedding.model import DIMENSIONS, Vectors
from bot.search.dense_files import (
    faiss_module,
    keep_training,
    kept_training,
    lists_for,
    opened_vectors,
    save_vectors,
)

EXACT_UP_TO = 50_000  # rows held as float32 and scanned whole (75 MB)
EXACT_SUBSET = 20_000  # a filter leaving this few rows is scored exactly, even in the quantised index
TRAIN_AT_LEAST = 100_000  # vectors the IVF index is trained on; until there are as many, they are scanned
PROBES = 48  # IVF lists visited per query


class DenseIndex:
    """Unit vectors at positions; `top` returns the best positions for a query vector among allowed ones."""

    def __init__(
        self,
        positions: npt.NDArray[np.int64],
        vectors: Vectors,
        size: int,
        expected: int = 0,
        trained: Path | None = None,
        saved: Path | None = None,
    ) -> None:
        """`expected`: the positions the index will hold once built (it may be built a batch at a
        time); it picks exact or IVF search and sizes the IVF index. `trained`: the file that keeps
        the IVF index's training (None: trained afresh, kept nowhere); `saved`: the file that names
        the vectors a process saved (`save`), opened here when they fit."""
        self._trained = trained
        self._size = size
        self._expected = max(size, expected)
        self._has = np.zeros(size, dtype=bool)
        self._texts = np.zeros(size, dtype=np.uint64)  # the checksum of each vector's text, 0: not known
        self._count = 0
        self._exact: Vectors | None = None
        self._ivf: Any = None
        # A large index whose vectors are still being computed holds them here until there are
        # enough to train the IVF index on (a store embedded for the first time, say).
        self._pending_at = np.zeros(0, dtype=np.int64)
        self._pending: Vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        if self._expected <= EXACT_UP_TO:
            self._exact = np.zeros((self._expected, DIMENSIONS), dtype=np.float32)
        elif saved is not None and (found := opened_vectors(saved, self._expected)) is not None:
            self._ivf, has, texts = found
            self.grow(has.size)
            self._has[: has.size], self._texts[: has.size] = has, texts
            self._count = int(has.sum())
        elif trained is not None and self._expected >= TRAIN_AT_LEAST:  # as many as it would be trained on
            self._ivf = kept_training(trained, self._expected)
        self.put(positions, vectors)

    def __len__(self) -> int:
        return self._count

    @property
    def mask(self) -> npt.NDArray[np.bool_]:
        """Per position: whether it has a vector."""
        return self._has

    def texts(self, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        """The checksum of the text each position's vector was made from (0: none, or not known)."""
        return self._texts[positions]

    def put(
        self, positions: npt.NDArray[np.int64], vectors: Vectors, texts: npt.NDArray[np.uint64] | None = None
    ) -> None:
        """Set the vectors at these positions (positions beyond the current size grow the index), made
        from the texts with these checksums (None: not known)."""
        if positions.size == 0:
            return
        self.grow(int(positions.max()) + 1)
        self.drop(positions)  # the vectors they had, if any, go first
        self._texts[positions] = texts if texts is not None else 0
        if self._exact is not None:
            self._exact[positions] = vectors
        elif self._ivf is None:
            self._pending_at = np.concatenate([self._pending_at, positions.astype(np.int64)])
            self._pending = np.concatenate([self._pending, vectors.astype(np.float32)])
            if self._pending_at.size >= TRAIN_AT_LEAST:
                self._ivf = _ivf(self._pending, max(self._expected, self._size), self._trained)
                self._ivf.add_with_ids(np.ascontiguousarray(self._pending), self._pending_at)
                # new empty arrays: empty slices would keep the whole sample alive (150 MB at 100k rows)
                self._pending_at, self._pending = np.zeros(0, np.int64), np.zeros((0, DIMENSIONS), np.float32)
        else:
            self._ivf.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), positions.astype(np.int64))
        self._count += int(np.unique(positions).size)
        self._has[positions] = True

    def drop(self, positions: npt.NDArray[np.int64]) -> None:
        """These positions have no vector any more (saved vectors of a text the index no longer holds, or
        vectors about to be replaced: `put`)."""
        positions = np.unique(positions[positions < self._size])
        positions = positions[self._has[positions]]
        if not positions.size:
            return
        if self._exact is not None:
            self._exact[positions] = 0
        elif self._ivf is None:
            kept = ~np.isin(self._pending_at, positions)
            self._pending_at, self._pending = self._pending_at[kept], self._pending[kept]
        else:
            self._ivf.remove_ids(positions)
        self._has[positions] = False
        self._texts[positions] = 0
        self._count -= int(positions.size)

    def save(self, saved: Path) -> bool:
        """Save the vectors (an IVF index's: the only ones worth keeping) beside `saved`, which names
        them; False when there are none to save. Nothing may be put meanwhile (searches may run)."""
        if self._ivf is None or self._pending_at.size:
            return False
        save_vectors(self._ivf, self._has[: self._size], self._texts[: self._size], saved)
        return True

    def grow(self, size: int) -> None:
        """The lexical side now has `size` positions; rows without a vector never match."""
        if size > self._size:
            self._has = np.concatenate([self._has, np.zeros(size - self._size, dtype=bool)])
            self._texts = np.concatenate([self._texts, np.zeros(size - self._size, dtype=np.uint64)])
            if self._exact is not None and size > len(self._exact):  # room for a quarter more: builds grow in batches
                room = max(size, len(self._exact) + len(self._exact) // 4)
                self._exact = np.concatenate([self._exact, np.zeros((room - len(self._exact), DIMENSIONS), np.float32)])
            self._size = size

    def top(
        self, query: Vectors, allowed: npt.NDArray[np.bool_] | None, k: int
    ) -> tuple[npt.NDArray[np.int64], Vectors]:
        """The best `k` positions by cosine among the allowed ones (None: every position with a vector),
        best first, with their cosines."""
        allowed_all = allowed is None
        allowed = self._has if allowed is None else allowed[: self._size] & self._has[: allowed.size]
        count = self._count if allowed_all else int(allowed.sum())
        if count == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self._exact is not None:
            scores = self._exact[: self._size] @ query
            candidates = np.flatnonzero(allowed)
            return _best(candidates, scores[candidates], k)
        if self._ivf is None:  # too few vectors yet to train on: scan them
            held = allowed[self._pending_at]
            return _best(self._pending_at[held], self._pending[held] @ query, k)
        faiss, index = faiss_module(), self._ivf
        # A narrow filter (a day's papers, an author's) visits every list: exact over what it allows.
        probes = index.nlist if count <= EXACT_SUBSET and not allowed_all else PROBES
        params = faiss.SearchParametersIVF(nprobe=probes)
        if not allowed_all:
            params.sel = faiss.IDSelectorBitmap(np.packbits(allowed, bitorder="little"))
        found_scores, found = index.search(query[None, :].astype(np.float32), k, params=params)
        keep = found[0] >= 0
        return found[0][keep].astype(np.int64), found_scores[0][keep].astype(np.float32)


def _best(candidates: npt.NDArray[np.int64], scores: Vectors, k: int) -> tuple[npt.NDArray[np.int64], Vectors]:
    if candidates.size > k:
        part = np.argpartition(-scores, k)[:k]
        candidates, scores = candidates[part], scores[part]
    order = np.argsort(-scores, kind="stable")
    return candidates[order].astype(np.int64), scores[order].astype(np.float32)


def _ivf(sample: Vectors, rows: int, trained: Path | None = None) -> Any:
    """An empty IVF-SQ8 index for about `rows` vectors: the training kept in `trained` when it fits
    them (`kept_training`), else trained on (a sample of) these and kept there. No id map: it would cost ~30
    bytes a vector, and only replacing a vector needs one (a scan of the lists instead)."""
    faiss = faiss_module()
    lists = lists_for(rows, len(sample))
    kept = kept_training(trained, rows) if trained is not None else None
    if kept is not None:
        return kept
    quantizer = faiss.IndexFlatIP(DIMENSIONS)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, DIMENSIONS, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    rng = np.random.default_rng(0)
    chosen = sample if len(sample) <= 64 * lists else sample[rng.choice(len(sample), 64 * lists, replace=False)]
    index.train(np.ascontiguousarray(chosen, dtype=np.float32))
    if trained is not None:
        keep_training(index, trained)
    return index
