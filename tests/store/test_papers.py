from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, select, update

import bot.store.papers as papers_module
from bot.domain.models import Listing, Paper, merge
from bot.domain.other_links import repository, repository_urls
from bot.host.pools import on_worker
from bot.store.engine import as_utc
from bot.store.papers import PaperStore, _from_row, stamp
from bot.store.tables import metadata, papers
from tests.conftest import listings_of


def paper(arxiv_id: str = "2401.00001", **fields: object) -> Paper:
    return Paper.model_validate({"arxiv_id": arxiv_id, "title": "A paper", **fields})


async def test_importing_a_day_twice_changes_nothing(store: PaperStore) -> None:
    day = listings_of("2026-06-01")
    first = await store.save_listings(day)
    again = await store.save_listings(day)
    assert (first.listings, first.new_listings, first.new_papers) == (49, 49, 49)
    assert (again.listings, again.new_listings, again.new_papers, again.updated_papers) == (49, 0, 0, 0)
    counts = await store.counts()
    assert (counts.papers, counts.listings, counts.days) == (49, 49, 1)


async def test_a_day_imported_twice_at_once_is_counted_new_once(store: PaperStore) -> None:
    """Two imports at once each said "49 new papers": each read the store before its transaction began."""
    import asyncio

    day = listings_of("2026-06-01")
    both = await asyncio.gather(store.save_listings(day), PaperStore(store.engine).save_listings(day))
    assert sorted((c.new_papers, c.new_listings) for c in both) == [(0, 0), (49, 49)]
    assert (await store.counts()).papers == 49


async def test_a_paper_keeps_every_day_it_trended_on(store: PaperStore) -> None:
    await store.save_listings([Listing(paper(upvotes=5), date(2026, 6, 1), 3)])
    await store.save_listings([Listing(paper(upvotes=9), date(2026, 6, 3), 1)])
    saved = await store.get("2401.00001")
    assert saved is not None
    assert saved.listed_on == (date(2026, 6, 1), date(2026, 6, 3))
    assert saved.upvotes == 9
    assert (await store.counts()).papers == 1


async def test_a_new_listing_day_marks_its_paper_changed_and_a_known_one_does_not(store: PaperStore) -> None:
    """What catching up with the store reads (`updated_at`): a listing day added to an unchanged paper,
    by an import with no synced day, moves it; the same listing imported again does not."""
    long_ago = datetime(2026, 6, 1, 12, tzinfo=UTC)

    async def updated_at() -> datetime | None:
        async with store.engine.connect() as conn:
            return as_utc(await conn.scalar(select(papers.c.updated_at)))

    await store.save_listings([Listing(paper(), date(2026, 6, 1), 1)])
    async with store.engine.begin() as conn:
        await conn.execute(update(papers).values(updated_at=long_ago))
    await store.save_listings([Listing(paper(), date(2026, 6, 1), 1)])  # known: nothing changes
    assert await updated_at() == long_ago
    counts = await store.save_listings([Listing(paper(), date(2026, 5, 20), 4)])  # an older day, imported
    assert (counts.new_listings, counts.updated_papers) == (1, 0)
    moved = await updated_at()
    assert moved is not None and moved > long_ago


async def test_a_day_synced_again_holds_what_hugging_face_lists_now(store: PaperStore) -> None:
    """A paper Hugging Face no longer lists on a day it answered whole again leaves that day's listing
    (kept in the store, its other days too, marked changed for the search index); an import, an answer
    in pages or with items left out, or an empty answer (a hiccup early in a day), takes nothing away."""
    day, other = date(2026, 6, 1), date(2026, 6, 2)
    long_ago = datetime(2026, 6, 1, 12, tzinfo=UTC)
    three = [Listing(paper(f"2401.0000{n}"), day, n) for n in (1, 2, 3)]
    await store.save_listings([*three, Listing(paper("2401.00001"), other, 1)], fetched=[day, other])
    async with store.engine.begin() as conn:
        await conn.execute(update(papers).values(updated_at=long_ago))
    assert (await store.save_listings(three[1:])).unlisted == ()  # an import: no day's answer in it
    assert (await store.save_listings([], fetched=[day], whole=[day])).unlisted == ()
    assert (await store.save_listings(three[1:], fetched=[day])).unlisted == ()  # not whole: pages, or left out
    counts = await store.save_listings(three[1:], fetched=[day], whole=[day])
    assert counts.unlisted == ("2401.00001",) and counts.new_listings == 0
    assert [p.arxiv_id for p in await store.listing(day)] == ["2401.00002", "2401.00003"]
    gone = await store.get("2401.00001")
    assert gone is not None and gone.listed_on == (other,)
    async with store.engine.connect() as conn:
        changed = {r.arxiv_id: as_utc(r.updated_at) for r in await conn.execute(select(papers))}
    assert changed["2401.00001"] != long_ago and changed["2401.00002"] == long_ago


async def test_reimport_refreshes_counts_but_never_lowers_them(store: PaperStore) -> None:
    await store.save_listings([Listing(paper(upvotes=10, github_stars=3, num_comments=1), date(2026, 6, 1), 1)])
    fresher = await store.save_listings([Listing(paper(upvotes=25, github_stars=40), date(2026, 6, 1), 1)])
    assert fresher.updated_papers == 1
    older = await store.save_listings([Listing(paper(upvotes=2, github_stars=None), date(2026, 6, 1), 1)])
    assert older.updated_papers == 0
    saved = await store.get("2401.00001")
    assert saved is not None
    assert (saved.upvotes, saved.github_stars, saved.num_comments) == (25, 40, 1)


async def test_older_shapes_never_erase_what_newer_ones_added(store: PaperStore) -> None:
    rich = paper(
        ai_summary="Short.", ai_keywords=("diffusion",), organization="Lab", github_repo="https://github.com/x/y"
    )
    await store.save_listings([Listing(rich, date(2026, 6, 2), 1)])
    await store.save_listings([Listing(paper(), date(2026, 6, 1), 4)])
    saved = await store.get("2401.00001")
    assert saved is not None
    assert saved.ai_summary == "Short."
    assert saved.ai_keywords == ("diffusion",)
    assert saved.organization == "Lab"
    assert saved.github_repo == "https://github.com/x/y"


def test_text_comes_from_the_fresher_listing_in_any_order() -> None:
    old = paper(title="Old title", listed_on=(date(2026, 6, 3),))
    new = paper(title="New title")
    assert merge(old, new, fresher=True).title == "New title"
    assert merge(old, new, fresher=False).title == "Old title"


async def test_listing_is_ranked_by_upvotes_then_hugging_faces_order(store: PaperStore) -> None:
    day = date(2026, 6, 1)
    await store.save_listings(
        [
            Listing(paper("2401.00001", upvotes=3), day, 1),
            Listing(paper("2401.00002", upvotes=8), day, 2),
            Listing(paper("2401.00003", upvotes=3), day, 3),
        ]
    )
    assert [p.arxiv_id for p in await store.listing(day)] == ["2401.00002", "2401.00001", "2401.00003"]
    assert await store.listing(date(2026, 6, 6)) == []


async def test_most_upvoted_of_several_days_counts_a_paper_listed_twice_once(store: PaperStore) -> None:
    """One query for the days from first to last, both included: `top this year` read 365 listings."""
    await store.save_listings(
        [
            Listing(paper("2401.00001", upvotes=3), date(2026, 5, 31), 1),  # the day before: not in it
            Listing(paper("2401.00002", upvotes=8), date(2026, 6, 1), 1),
            Listing(paper("2401.00003", upvotes=5), date(2026, 6, 1), 2),
            Listing(paper("2401.00004", upvotes=5), date(2026, 6, 3), 1),  # ties by id
            Listing(paper("2401.00005", upvotes=1), date(2026, 6, 4), 1),  # the day after: not in it
        ]
    )
    await store.save_listings([Listing(paper("2401.00002", upvotes=9), date(2026, 6, 2), 1)])  # listed again
    best, listed = await store.most_upvoted(date(2026, 6, 1), date(2026, 6, 3), 2)
    assert ([p.arxiv_id for p in best], listed) == (["2401.00002", "2401.00003"], 3)
    every, _ = await store.most_upvoted(date(2026, 6, 1), date(2026, 6, 3), 50)
    assert [p.arxiv_id for p in every] == ["2401.00002", "2401.00003", "2401.00004"]
    assert await store.most_upvoted(date(2026, 7, 1), date(2026, 7, 7), 5) == ([], 0)


async def test_the_papers_linking_a_repository_are_found_however_its_url_is_written(store: PaperStore) -> None:
    await store.save_papers(
        [
            paper("2401.00001", upvotes=3, github_repo="https://github.com/NVlabs/Fast-dLLM"),
            paper("2401.00002", upvotes=9, github_repo="https://github.com/nvlabs/fast-dllm.git"),
            paper("2401.00003", github_repo="https://github.com/NVlabs/other"),
        ]
    )
    found = await store.linking(repository_urls(repository("https://github.com/NVlabs/Fast-dLLM/issues") or ""))
    assert [p.arxiv_id for p in found] == ["2401.00002", "2401.00001"]  # most upvoted first
    assert await store.linking(repository_urls("nobody/nothing")) == []


async def test_latest_day_and_counts(store: PaperStore) -> None:
    assert await store.latest_day() is None
    await store.save_listings(listings_of("2026-06-01") + listings_of("2026-06-02"))
    assert await store.latest_day() == date(2026, 6, 2)
    assert await store.latest_day(on_or_before=date(2026, 6, 1)) == date(2026, 6, 1)
    counts = await store.counts()
    assert (counts.first_day, counts.last_day, counts.days) == (date(2026, 6, 1), date(2026, 6, 2), 2)


async def test_round_trip_keeps_every_field(store: PaperStore) -> None:
    original = listings_of("2026-06-01")[0].paper
    await store.save_papers([original])
    saved = await store.get(original.arxiv_id)
    assert saved == original
    assert saved is not None
    assert saved.published_at == datetime(2026, 5, 28, tzinfo=UTC)


async def test_papers_without_a_listing_day_are_kept(store: PaperStore) -> None:
    counts = await store.save_papers([paper("astro-ph/0601001", abstract="Jupiters.")])
    assert counts.new_papers == 1
    saved = await store.get("astro-ph/0601001")
    assert saved is not None
    assert saved.listed_on == ()
    assert await store.latest_day() is None


async def test_meta_values(store: PaperStore) -> None:
    assert await store.get_meta("k") is None
    await store.set_meta("k", "v1")
    await store.set_meta("k", "v2")
    assert await store.get_meta("k") == "v2"
    await store.set_meta("k", None)
    assert await store.get_meta("k") is None


async def test_meta_set_by_several_processes_at_once_is_one_of_their_values(store: PaperStore) -> None:
    """A delete, then an insert: two replicas loading the snapshot at once failed on PostgreSQL (a
    duplicate key)."""
    import asyncio

    await asyncio.gather(*(store.set_meta("snapshot", f"v{i}") for i in range(8)))
    assert await store.get_meta("snapshot") in {f"v{i}" for i in range(8)}


async def test_migrations_build_exactly_the_declared_schema(store: PaperStore) -> None:
    def differences(connection: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    async with store.engine.connect() as conn:
        assert await conn.run_sync(differences) == []


async def test_a_build_batchs_rows_become_papers_in_the_cpu_pool_and_one_paper_on_the_loop(
    store: PaperStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index build reads 5,000 papers at a time: validating them is CPU work, kept off the event
    loop; a single paper (`paper <id>`) is made where it is read, never queued behind searches."""
    await store.save_listings([Listing(paper(f"2603.{i:05d}"), date(2026, 3, 2), i + 1) for i in range(400)])
    made_on_worker: list[bool] = []

    def recorded(row: Any, days: Iterable[date]) -> Paper:
        made_on_worker.append(on_worker())
        return _from_row(row, days)

    monkeypatch.setattr(papers_module, "_from_row", recorded)
    batches = [batch async for batch in store.batches(300)]
    one = await store.get("2603.00007")
    assert [len(b) for b in batches] == [300, 100] and one is not None and one.arxiv_id == "2603.00007"
    assert made_on_worker == [True] * 300 + [False] * 100 + [False]  # 100 and 1: below `INLINE_ITEMS`
    made_on_worker.clear()
    again = [Listing(paper(f"2603.{i:05d}", upvotes=3), date(2026, 3, 2), i + 1) for i in range(400)]
    assert (await store.save_listings(again)).updated_papers == 400
    assert len(made_on_worker) == 400 and not any(made_on_worker)  # inside the write transaction: never the pool


def test_a_version_stamp_is_the_moment_to_the_microsecond_whatever_its_zone() -> None:
    moment = datetime(2026, 12, 1, 5, 30, 12, 123456, tzinfo=UTC)
    naive = moment.replace(tzinfo=None)  # as SQLite gives it back: UTC
    assert stamp(moment) == stamp(naive) == stamp(moment.astimezone(ZoneInfo("Asia/Kolkata")))
    assert stamp(moment + timedelta(microseconds=1)) - stamp(moment) == 1
    assert stamp(moment + timedelta(days=1)) - stamp(moment) == 86_400_000_000
