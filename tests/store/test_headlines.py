"""Headlines: the few columns suggestions need, read in one pass, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.models import Paper
from bot.store import headlines as headlines_module
from bot.store.headlines import headlines, headlines_stamp
from bot.store.papers import PaperStore
from tests.conftest import listings_of


async def test_headlines_carry_title_keywords_votes_and_last_day(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01") + listings_of("2026-06-02"))
    await store.save_papers([Paper(arxiv_id="2401.00001", title="Fetched by id", ai_keywords=("kw",), upvotes=3)])
    found = {h.arxiv_id: h for h in await headlines(store.engine)}
    assert len(found) == (await store.counts()).papers
    fetched = found["2401.00001"]
    assert (fetched.title, fetched.keywords, fetched.upvotes, fetched.day) == ("Fetched by id", ("kw",), 3, None)
    grepseek = found["2605.29307"]
    paper = await store.get("2605.29307")
    assert paper is not None
    assert (grepseek.title, grepseek.keywords, grepseek.day) == (paper.title, paper.ai_keywords, paper.last_listed)
    assert all(h.day in (None, date(2026, 6, 1), date(2026, 6, 2)) for h in found.values())


async def test_the_stamp_changes_with_the_store(store: PaperStore) -> None:
    empty = await headlines_stamp(store.engine)
    assert empty[:2] == (0, 0)
    await store.save_listings(listings_of("2026-06-01"))
    filled = await headlines_stamp(store.engine)
    assert filled != empty
    assert await headlines_stamp(store.engine) == filled
    await store.save_papers([Paper(arxiv_id="2401.00001", title="New")])
    assert await headlines_stamp(store.engine) != filled


async def test_headlines_are_read_a_chunk_at_a_time_and_none_is_lost(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large store is read in chunks (the event loop answers between them): chunks of 7 give the
    same headlines as one read."""
    await store.save_listings(listings_of("2026-06-01") + listings_of("2026-06-02"))
    whole = sorted(await headlines(store.engine), key=lambda h: h.arxiv_id)
    monkeypatch.setattr(headlines_module, "CHUNK", 7)
    chunked = sorted(await headlines(store.engine), key=lambda h: h.arxiv_id)
    assert len(whole) == (await store.counts()).papers > 7 and chunked == whole
