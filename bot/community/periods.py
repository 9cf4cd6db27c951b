"""The periods `/papers top` and `paperboy top` rank over: the cards posted in the last week, month, or ever."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import UsageError

PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "all": None}
WORDS = {"week": "in the last 7 days", "month": "in the last 30 days", "all": "ever"}
DEFAULT = "week"


def parse_period(text: str | None) -> str:
    """`week`, `month` or `all` (any case; nothing means week); a UsageError naming the choices otherwise."""
    word = (text or "").strip().lower() or DEFAULT
    if word not in PERIODS:
        raise UsageError(f"{text!r} is not a period: use week, month or all (default week)")
    return word


def since(period: str, now: datetime) -> datetime | None:
    """The earliest posting time the period takes in (None: every card ever posted)."""
    span = PERIODS[period]
    return now - span if span is not None else None
