"""Which week a roundup covers, and its ledger key: a Monday no listing day can be."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.weeks import covered_monday, is_week_key, week_days, week_key, week_name, week_of
from tests.strategies import FAST


def test_friday_to_sunday_cover_their_week_monday_to_thursday_the_week_before() -> None:
    for day in (date(2026, 6, 5), date(2026, 6, 6), date(2026, 6, 7)):
        assert covered_monday(day) == date(2026, 6, 1)
    for day in (date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 11)):
        assert covered_monday(day) == date(2026, 6, 1)
    assert covered_monday(date(2026, 6, 12)) == date(2026, 6, 8)


@given(st.dates(min_value=date(2000, 1, 3), max_value=date(2895, 12, 27)))
@FAST
def test_a_week_key_is_a_monday_long_before_any_listing_day_and_gives_its_week_back(day: date) -> None:
    monday = day - timedelta(days=day.weekday())
    key = week_key(monday)
    assert key.weekday() == 0 and is_week_key(key) and not is_week_key(day)
    assert week_of(key) == monday


def test_a_week_is_named_by_its_iso_number_and_span() -> None:
    assert week_name(date(2026, 6, 1)) == "week 23 (1–7 June 2026)"
    assert week_name(date(2026, 3, 30)) == "week 14 (30 March – 5 April 2026)"
    assert week_name(date(2026, 12, 28)) == "week 53 (28 December 2026 – 3 January 2027)"
    assert week_days(date(2026, 6, 1), date(2026, 6, 3)) == [date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)]
