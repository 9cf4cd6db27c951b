"""Listing days: a day a sync asked Hugging Face for is told apart from one the store never had."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.store.papers import DayRecord, PaperStore, day_over_everywhere
from tests.conftest import listings_of

SATURDAY = date(2026, 6, 6)


async def test_a_day_never_fetched_is_unknown(store: PaperStore) -> None:
    await store.save_listings(listings_of("2026-06-01"))  # an import: listings, no fetch
    assert await store.day_record(SATURDAY) == DayRecord(SATURDAY, 0, None)
    assert not (await store.day_record(SATURDAY)).known
    imported = await store.day_record(date(2026, 6, 1))
    assert (imported.listed, imported.fetched_at, imported.known) == (49, None, True)


async def test_a_fetched_empty_day_is_known_and_recorded_with_its_listings(store: PaperStore) -> None:
    before = datetime.now(UTC)
    await store.save_listings([], fetched=[SATURDAY])
    record = await store.day_record(SATURDAY)
    assert record.known and record.listed == 0
    assert record.fetched_at is not None and record.fetched_at >= before - timedelta(seconds=1)
    assert record.final  # asked months after the day was over everywhere
    await store.save_listings(listings_of("2026-06-01"), fetched=[date(2026, 6, 1)])
    monday = await store.day_record(date(2026, 6, 1))
    assert monday.listed == 49 and monday.fetched_at is not None
    assert (await store.counts()).days == 1  # a fetched empty day is no listing day


async def test_fetching_again_moves_the_time_and_keeps_one_row(store: PaperStore) -> None:
    await store.save_listings([], fetched=[SATURDAY])
    first = (await store.day_record(SATURDAY)).fetched_at
    await store.save_listings([], fetched=[SATURDAY, SATURDAY])
    again = (await store.day_record(SATURDAY)).fetched_at
    assert first is not None and again is not None and again >= first


def test_an_empty_answer_is_final_only_once_the_day_is_over_everywhere() -> None:
    day = date(2026, 11, 30)
    over = day_over_everywhere(day)
    assert over == datetime(2026, 12, 1, 12, tzinfo=UTC)  # noon UTC next day: midnight at UTC-12
    assert not DayRecord(day, 0, over - timedelta(seconds=1)).final
    assert DayRecord(day, 0, over).final
    assert not DayRecord(day, 0, None).final
