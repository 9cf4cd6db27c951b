"""Stored paper embeddings: computed once per paper text and model, reused by every index build."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.host.pools import by_size
from bot.store.tables import embeddings
from bot.store.upsert import upsert

_CHUNK = 500


@dataclass(frozen=True)
class StoredVector:
    checksum: str
    vector: npt.NDArray[np.float32]


class EmbeddingStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def load(self, model: str) -> dict[str, StoredVector]:
        """Every paper's stored vector for this model (vectors of another model are ignored)."""
        return await self._select(model, None)

    async def chunks(self, model: str, size: int) -> AsyncIterator[dict[str, StoredVector]]:
        """Every stored vector of this model, `size` at a time in id order (each chunk read afresh: the
        whole table is never held at once)."""
        after = ""
        while True:
            query = self._query(model).where(embeddings.c.arxiv_id > after).order_by(embeddings.c.arxiv_id).limit(size)
            async with self._engine.connect() as conn:
                rows = (await conn.execute(query)).all()
            if not rows:
                return
            after = rows[-1].arxiv_id
            yield await by_size(len(rows), _vectors, rows)

    async def load_some(self, model: str, ids: Collection[str]) -> dict[str, StoredVector]:
        return await self._select(model, list(ids))

    @staticmethod
    def _query(model: str) -> Select[Any]:
        return select(embeddings.c.arxiv_id, embeddings.c.checksum, embeddings.c.vector).where(
            embeddings.c.model == model
        )

    async def _select(self, model: str, ids: list[str] | None) -> dict[str, StoredVector]:
        query = self._query(model)
        rows: list[Any] = []
        async with self._engine.connect() as conn:
            if ids is None:
                rows.extend((await conn.execute(query)).all())
            for start in range(0, len(ids or ()), _CHUNK):
                chunk = (ids or [])[start : start + _CHUNK]
                rows.extend((await conn.execute(query.where(embeddings.c.arxiv_id.in_(chunk)))).all())
        return await by_size(len(rows), _vectors, rows)

    async def save(self, model: str, vectors: Mapping[str, StoredVector]) -> None:
        rows = [
            {
                "arxiv_id": arxiv_id,
                "model": model,
                "checksum": stored.checksum,
                "vector": stored.vector.astype("<f2").tobytes(),
            }
            for arxiv_id, stored in vectors.items()
        ]
        stmt = upsert(self._engine.dialect.name, embeddings, ["arxiv_id"])
        async with self._engine.begin() as conn:
            for start in range(0, len(rows), _CHUNK):
                await conn.execute(stmt, rows[start : start + _CHUNK])


def _vectors(rows: Sequence[Any]) -> dict[str, StoredVector]:
    """Rows as vectors, by id (CPU work: many are made in the CPU pool, `by_size`)."""
    return {
        row.arxiv_id: StoredVector(row.checksum, np.frombuffer(row.vector, dtype="<f2").astype(np.float32))
        for row in rows
    }
