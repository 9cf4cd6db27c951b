"""Term → id for the search index, kept in arrays: about 12 bytes a term, where a dict of strings
takes ~120. A large corpus has millions of terms (every author's name words and pairs of them), so
at a million papers the difference is hundreds of megabytes.

A term is known by its 64-bit `hash()` (stable within the process, which is where the index
lives): a sorted array of hashes and their ids, plus a dict of the ones added since the last merge
into the arrays. Two terms with the same hash would share an id; among five million terms the odds
are about one in a million, and the cost is a paper matching a word it does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

MERGE_AT = 1 << 16  # recent terms merged into the arrays once this many (or an eighth of them) have come
COMPACT_AT = 1 << 12  # … and, when the index is sealed, once this many have


class Vocabulary:
    def __init__(self) -> None:
        self._keys: npt.NDArray[np.int64] = np.zeros(0, np.int64)  # sorted term hashes
        self._ids: npt.NDArray[np.int32] = np.zeros(0, np.int32)  # the id of each
        self._recent: dict[int, int] = {}  # hash → id, added since the last merge
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def get(self, term: str) -> int | None:
        key = hash(term)
        found = self._recent.get(key)
        if found is not None:
            return found
        at = int(self._keys.searchsorted(np.int64(key)))
        return int(self._ids[at]) if at < self._keys.size and int(self._keys[at]) == key else None

    def add(self, terms: Sequence[str]) -> npt.NDArray[np.int32]:
        """The id of each term; a term not seen before gets the next free one."""
        keys = np.fromiter((hash(t) for t in terms), np.int64, count=len(terms))
        found = np.full(keys.size, -1, dtype=np.int64)
        if self._keys.size:
            at = np.minimum(self._keys.searchsorted(keys), self._keys.size - 1)
            known = self._keys[at] == keys
            found[known] = self._ids[at[known]]
        recent = self._recent
        for i in np.flatnonzero(found < 0).tolist():
            key = int(keys[i])
            given = recent.get(key)
            if given is None:
                given = recent[key] = self._count
                self._count += 1
            found[i] = given
        if len(recent) >= max(MERGE_AT, self._keys.size // 8):
            self._merge()
        return found.astype(np.int32)

    def compact(self) -> None:
        """Fold the recent terms into the arrays (after a build: the dict costs ~100 bytes a term),
        unless they are few (each sync's handful of new terms would re-sort the arrays)."""
        if len(self._recent) >= COMPACT_AT:
            self._merge()

    def _merge(self) -> None:
        keys = np.concatenate([self._keys, np.fromiter(self._recent.keys(), np.int64, len(self._recent))])
        ids = np.concatenate([self._ids, np.fromiter(self._recent.values(), np.int32, len(self._recent))])
        order = np.argsort(keys, kind="stable")
        self._keys, self._ids = keys[order], ids[order]
        self._recent = {}
