"""The weeks a roundup is keyed by: the day it is due for a week is the day that covers that week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.weeks import covered_monday, due_day


@pytest.mark.parametrize("weekday", range(7))
def test_the_day_a_roundup_is_due_for_a_week_covers_that_week(weekday: int) -> None:
    """Friday to Sunday in the week itself, Monday to Thursday in the next (covering the week just ended)."""
    for weeks in range(60):  # across a year's turn and its 53-week years
        monday = date(2026, 11, 2) + timedelta(weeks=weeks)
        due = due_day(monday, weekday)
        assert due.weekday() == weekday and covered_monday(due) == monday
        assert due - monday == timedelta(days=weekday if weekday >= 4 else 7 + weekday)
