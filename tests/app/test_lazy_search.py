"""The search service built on first use: the same answers, and nothing built for calls that need no index."""

from __future__ import annotations

import inspect

import pytest

from bot.app.lazy_search import LazySearch
from bot.search.port import SearchFilters
from bot.search.service import SearchService
from bot.store.papers import PaperStore
from tests.conftest import listings_of


def public(cls: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls) if not name.startswith("_")}


def test_it_offers_everything_the_service_does() -> None:
    """A method added to `SearchService` must be handed on here too, or the CLI would miss it."""
    assert public(SearchService) <= public(LazySearch)


class Builds:
    def __init__(self, store: PaperStore) -> None:
        self.store = store
        self.count = 0

    def __call__(self) -> SearchService:
        self.count += 1
        return SearchService(self.store)


@pytest.mark.slow
async def test_it_is_built_once_by_the_first_search_and_answers_as_the_service(june_store: PaperStore) -> None:
    build = Builds(june_store)
    lazy = LazySearch(build)
    lazy.invalidate()
    await lazy.refresh(["2605.29307"])
    assert build.count == 0 and not lazy.built  # no index yet: nothing to drop or extend

    hits = await lazy.search("diffusion", SearchFilters(), limit=5)
    again = await lazy.search("speculative decoding")
    assert build.count == 1 and lazy.built
    direct = SearchService(june_store)
    assert [h.paper.arxiv_id for h in hits] == [h.paper.arxiv_id for h in await direct.search("diffusion", limit=5)]
    assert [h.paper.arxiv_id for h in again] == [h.paper.arxiv_id for h in await direct.search("speculative decoding")]
    assert hits and not lazy.hybrid  # keyword-only: built without vectors or an encoder

    before = len(await lazy.index())
    known = {p.arxiv_id for p in await june_store.all_papers()}
    fresh = [item.paper.arxiv_id for item in listings_of("2026-06-04")]
    await june_store.save_listings(listings_of("2026-06-04"))
    await lazy.refresh(fresh)  # built now: handed on, and the new papers are searchable
    assert len(await lazy.index()) == before + len(set(fresh) - known) > before
    await lazy.close()
    await direct.close()
