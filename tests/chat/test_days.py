"""Days named in words (`aug 20`, `last friday`), and the day each is as of a given today."""

from __future__ import annotations

from datetime import date

import pytest

from bot.chat.days import NamedDay, named_day, resolved

SATURDAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("saturday", date(2026, 12, 5)),  # today
        ("last saturday", date(2026, 11, 28)),  # the one before today
        ("friday", date(2026, 12, 4)),
        ("last friday", date(2026, 12, 4)),
        ("sunday", date(2026, 11, 29)),
        ("dec 5", date(2026, 12, 5)),
        ("december 25", date(2025, 12, 25)),  # still to come this year
        ("feb 29", date(2024, 2, 29)),  # the last year that has it
        ("Sept. 1st", date(2026, 9, 1)),
        ("1 March 2023", date(2023, 3, 1)),
    ],
)
def test_a_named_day_is_the_latest_such_day(typed: str, day: date) -> None:
    said = named_day(typed)
    assert said is not None and isinstance(said[0], NamedDay) and said[1] == ""
    assert resolved(said[0], SATURDAY) == day


@pytest.mark.parametrize(
    ("typed", "rest"),
    [("aug 20 top 5", "top 5"), ("on friday, please", "please"), ("friday’s papers", "papers"), ("may 2nd", "")],
)
def test_the_words_after_a_named_day_are_kept(typed: str, rest: str) -> None:
    said = named_day(typed)
    assert said is not None and said[1] == rest


@pytest.mark.parametrize("typed", ["may the force", "fridays", "august 2026", "march of progress", "sun glare"])
def test_words_that_name_no_day(typed: str) -> None:
    assert named_day(typed) is None


def test_a_day_no_calendar_has_says_why() -> None:
    assert named_day("april 31") == ("“april 31” is no day of the calendar: April has 30 days", "")
    assert named_day("Feb 29 2026 top 3") == (
        "“Feb 29 2026” is no day of the calendar: February 2026 has 28 days",
        "top 3",
    )


def test_a_day_in_the_week_ahead_is_this_years_only_when_asked_for_alone() -> None:
    """`dec 8` asked on 7 December is tomorrow, still to come (it was last year's); a span's first day is
    never ahead: `since jan 4` asked on 28 December is this year's (review s75: "still to come")."""
    assert resolved(NamedDay(12, 8), date(2026, 12, 7), ahead=True) == date(2026, 12, 8)
    assert resolved(NamedDay(1, 2), date(2026, 12, 28), ahead=True) == date(2027, 1, 2)  # the January after
    assert resolved(NamedDay(1, 4), date(2026, 12, 28)) == date(2026, 1, 4)  # `since jan 4`
    assert resolved(NamedDay(12, 20), date(2026, 12, 7), ahead=True) == date(2025, 12, 20)  # further: last year's
