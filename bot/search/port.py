"""The search ports: what `/papers <topic>`, the digest's topic filter and `related` ask of an index
(`SearchIndex`), and what the store's writers ask of search (`Reindexing`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from bot.domain.models import Paper

if TYPE_CHECKING:
    from bot.store.embeddings import StoredVector


@dataclass(frozen=True)
class SearchFilters:
    """Limits on what a search may return; the dates are the papers' last listing (or publication) day."""

    since: date | None = None
    until: date | None = None
    within: frozenset[str] | None = None  # only these arXiv ids (a digest's day, say)
    require_all: bool = False  # every query term must match (topic filters), not just some


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    score: float
    whole: bool = True  # the paper holds every word of the query, in its text or an author's name


class SearchIndex(Protocol):
    async def search(self, query: str, filters: SearchFilters = SearchFilters(), limit: int = 10) -> list[SearchHit]:
        """The best `limit` papers for `query`, best first; [] when nothing matches."""
        ...

    async def respelled(self, query: str) -> str | None:
        """The query with each word no paper holds replaced by the closest word papers hold
        (`bot.search.spelling`), or None when no word changes."""
        ...


class Reindexing(Protocol):
    """What the store's writers (the catalog, the syncer) ask of search: keep up with the store."""

    async def refresh(self, ids: Collection[str]) -> None: ...

    async def store_vectors(self, vectors: Mapping[str, StoredVector]) -> None: ...

    def invalidate(self) -> None: ...
