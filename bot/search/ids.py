"""arXiv ids ↔ index positions in NumPy arrays: a few dozen bytes a paper where a dict of str took ~130."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def _encoded(ids: Sequence[str]) -> npt.NDArray[np.bytes_]:
    return np.array([i.encode() for i in ids], dtype=np.bytes_) if ids else np.zeros(0, dtype="S1")


Keys = npt.NDArray[np.bytes_]


def _widen(*parts: Keys) -> list[Keys]:
    """The arrays at the width of the widest (NumPy would cut a longer id to a narrower width)."""
    width = f"S{max(p.dtype.itemsize for p in parts)}"
    return [p.astype(width) for p in parts]


class Ids:
    """Positions are handed out in order; an id seen again (a new version) maps to its latest position."""

    def __init__(self) -> None:
        self._by_position: list[npt.NDArray[np.bytes_]] = []
        self._count = 0
        self._keys: npt.NDArray[np.bytes_] = np.zeros(0, dtype="S1")  # sorted; equal ids by position
        self._at: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._pending: list[tuple[npt.NDArray[np.bytes_], npt.NDArray[np.int64]]] = []

    def __len__(self) -> int:
        return self._count

    def append(self, ids: Sequence[str]) -> None:
        keys = _encoded(ids)
        self._by_position.append(keys)
        self._pending.append((keys, np.arange(self._count, self._count + len(ids), dtype=np.int64)))
        self._count += len(ids)

    def _settle(self) -> None:
        if not self._pending:
            return
        keys = np.concatenate([k for k, _ in self._pending]) if len(self._pending) > 1 else self._pending[0][0]
        at = np.concatenate([a for _, a in self._pending])
        self._pending = []
        self._keys, keys = _widen(self._keys, keys)
        if keys.size * 8 < self._keys.size:  # a few more: insert them where they belong
            order = np.argsort(keys, kind="stable")
            where = np.searchsorted(self._keys, keys[order], side="right")
            self._keys = np.insert(self._keys, where, keys[order])
            self._at = np.insert(self._at, where, at[order])
        else:  # many: sort everything once
            self._keys = np.concatenate([self._keys, keys])
            self._at = np.concatenate([self._at, at])
            order = np.argsort(self._keys, kind="stable")
            self._keys, self._at = self._keys[order], self._at[order]

    def positions(self, ids: Sequence[str]) -> npt.NDArray[np.int64]:
        """The latest position of each id, or -1 for an id never seen."""
        self._settle()
        if not ids or self._keys.size == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        keys, wanted = _widen(self._keys, _encoded(ids))
        self._keys = keys
        at = np.searchsorted(keys, wanted, side="right") - 1
        clipped = np.maximum(at, 0)
        found = (at >= 0) & (keys[clipped] == wanted)
        return np.where(found, self._at[clipped], -1)

    def ids(self, positions: npt.NDArray[np.int64]) -> list[str]:
        if len(self._by_position) > 1:
            self._by_position = [np.concatenate(_widen(*self._by_position))]
        everything = self._by_position[0] if self._by_position else np.zeros(0, dtype="S1")
        return [k.decode() for k in everything[positions].tolist()]
