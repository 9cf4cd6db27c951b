"""Which ISO week a roundup covers, and how the ledger keys it.

The delivery ledger keys a digest by (platform, channel, day). A daily digest's day is a listing day;
a roundup's is its week's Monday moved back WEEK_SHIFT (52,000 weeks, about a thousand years), which
is still a Monday, still tells the week, and lies centuries before any listing day, so a channel's
roundup and a daily digest for the same Monday (say the channel changed cadence mid-week) are two
rows and never one. (Hugging Face lists papers from 2023 on: only `paperboy post --date` for a day
before 1900, a day with no papers, could name such a row.)
"""

from __future__ import annotations

from datetime import date, timedelta

WEEK_SHIFT = timedelta(weeks=52_000)
FIRST_LISTING_YEAR = (
    1900  # every key before this year is a week's (weeks up to the year 2895): no listing day is this old
)


def monday_of(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def covered_monday(due_day: date) -> date:
    """The Monday of the ISO week a roundup due on `due_day` covers: that week from Friday to Sunday,
    the week before from Monday to Thursday (a roundup on Monday sums up the week just ended)."""
    return monday_of(due_day - timedelta(days=4))


def week_key(monday: date) -> date:
    """The ledger's day for the roundup of the week that starts on `monday`."""
    return monday - WEEK_SHIFT


def roundup_key(due_day: date) -> date:
    """The ledger's day of a roundup due on `due_day`: the key of the week it covers."""
    return week_key(covered_monday(due_day))


def week_of(key: date) -> date:
    """The Monday of the week a roundup's ledger day stands for."""
    return key + WEEK_SHIFT


def is_week_key(day: date) -> bool:
    return day.year < FIRST_LISTING_YEAR


def week_days(monday: date, today: date) -> list[date]:
    """The week's days up to `today` (UTC): the listing days a roundup posted now can draw on."""
    return [monday + timedelta(days=n) for n in range(7) if monday + timedelta(days=n) <= today]


def week_name(monday: date) -> str:
    """`week 23 (1–7 June 2026)`."""
    sunday = monday + timedelta(days=6)
    number = monday.isocalendar().week
    if monday.month == sunday.month:
        span = f"{monday.day}–{sunday:%-d %B %Y}"
    elif monday.year == sunday.year:
        span = f"{monday:%-d %B} – {sunday:%-d %B %Y}"
    else:
        span = f"{monday:%-d %B %Y} – {sunday:%-d %B %Y}"
    return f"week {number} ({span})"
