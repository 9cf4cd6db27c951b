"""The periods `/papers top` and `paperboy top` rank over: the cards posted in the last week, month, or ever."""

from __future__ import annotations

from datetime import datetime, timedelta

PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "all": None}
WORDS = {"week": "in the last 7 days", "month": "in the last 30 days", "all": "at any time"}


def since(period: str, now: datetime) -> datetime | None:
    """The earliest posting time the period takes in (None: every card ever posted)."""
    span = PERIODS[period]
    return now - span if span is not None else None
