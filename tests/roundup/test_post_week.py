"""`paperboy post` of a weekly channel: a week the store has no papers of, and lacks days of, is neither
posted nor recorded; a week with papers, or one Hugging Face listed nothing in, goes out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.domain.errors import DayNotStored
from bot.roundup.post import week_in_store
from bot.store.papers import DayRecord

MONDAY = date(2026, 6, 1)
FRIDAY = MONDAY + timedelta(days=4)
FETCHED = datetime(2026, 6, 8, tzinfo=UTC)


class Catalog:
    """Days the store knows (with how many papers each); any other is lacking."""

    def __init__(self, known: dict[date, int]) -> None:
        self.known = known

    async def ensure_day(self, day: date) -> DayRecord:
        if day not in self.known:
            raise DayNotStored(day, f"{day} is not in the store; run `paperboy sync --date {day}` online")
        return DayRecord(day, self.known[day], FETCHED)


async def refused(known: dict[date, int]) -> str | None:
    catalog: Any = Catalog(known)
    try:
        await week_in_store(catalog, MONDAY, "console:team", FRIDAY + timedelta(days=3))
    except DayNotStored as exc:
        return str(exc)
    return None


async def test_a_week_of_one_empty_day_and_four_lacking_is_refused() -> None:
    """It went out as 'no papers of this week', was recorded, and so never went out once synced."""
    said = await refused({MONDAY: 0})
    assert said is not None and "lacks Tuesday 2 June, Wednesday 3 June, Thursday 4 June, Friday 5 June" in said
    assert "nothing was posted to console:team or recorded" in said and "paperboy sync --date 2026-06-02" in said


@pytest.mark.parametrize(
    "known",
    [{MONDAY: 20}, {MONDAY + timedelta(days=n): 0 for n in range(5)}],
    ids=["papers on one day", "Hugging Face listed nothing all week"],
)
async def test_a_week_with_papers_or_known_to_have_none_goes_out(known: dict[date, int]) -> None:
    assert await refused(known) is None
