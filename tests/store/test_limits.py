"""What the store does with values its columns cannot hold: clamp or drop, never fail the batch."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import update

from bot.domain.models import Listing, Paper
from bot.store.papers import PaperStore
from bot.store.tables import papers

INT_MAX = 2**31 - 1  # SQL INTEGER in PostgreSQL; the narrower of the two backends


def paper(arxiv_id: str = "2401.00001", **fields: object) -> Paper:
    return Paper.model_validate({"arxiv_id": arxiv_id, "title": "A paper", **fields})


async def test_numbers_beyond_the_columns_are_clamped_and_the_batch_kept(store: PaperStore) -> None:
    huge = paper(upvotes=10**30, github_stars=2**63, num_comments=10**20)
    negative = paper("2401.00002", upvotes=-(2**40), github_stars=-3)
    counts = await store.save_listings(
        [Listing(huge, date(2026, 6, 1), 10**12), Listing(negative, date(2026, 6, 1), 2)]
    )
    assert counts.new_papers == 2
    saved = await store.get("2401.00001")
    assert saved is not None
    assert (saved.upvotes, saved.github_stars, saved.num_comments) == (INT_MAX, INT_MAX, INT_MAX)
    other = await store.get("2401.00002")
    assert other is not None
    assert (other.upvotes, other.github_stars) == (0, 0)
    assert [p.arxiv_id for p in await store.listing(date(2026, 6, 1))] == ["2401.00001", "2401.00002"]
    again = await store.save_listings([Listing(huge, date(2026, 6, 1), 10**12)])
    assert again.updated_papers == 0  # the clamped value is what was stored: nothing changed


async def test_text_with_nul_characters_is_stored_without_them(store: PaperStore) -> None:
    await store.save_papers([paper(title="A\x00B", authors=("Ada\x00",), ai_keywords=("k\x00",), abstract="x\x00")])
    saved = await store.get("2401.00001")
    assert saved is not None
    assert (saved.title, saved.authors, saved.ai_keywords, saved.abstract) == ("AB", ("Ada",), ("k",), "x")


async def test_urls_that_are_not_http_never_reach_the_store(store: PaperStore) -> None:
    await store.save_papers(
        [paper(thumbnail="javascript:alert(1)", github_repo="https://github.com/x/y", project_page="file:///etc")]
    )
    saved = await store.get("2401.00001")
    assert saved is not None
    assert (saved.thumbnail, saved.github_repo, saved.project_page) == (None, "https://github.com/x/y", None)


async def test_a_date_that_overflows_in_utc_is_dropped(store: PaperStore) -> None:
    early = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
    await store.save_papers([paper(published_at=early)])
    saved = await store.get("2401.00001")
    assert saved is not None and saved.published_at is None


async def test_a_bad_link_stored_before_these_checks_is_mended_by_the_next_save(store: PaperStore) -> None:
    await store.save_papers([paper()])
    async with store.engine.begin() as conn:  # as an older paperboy would have stored it
        await conn.execute(update(papers).values(thumbnail="javascript:alert(1)"))
    counts = await store.save_papers([paper(upvotes=1)])
    saved = await store.get("2401.00001")
    assert saved is not None and saved.thumbnail is None and counts.updated_papers == 1
