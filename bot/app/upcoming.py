"""What `paperboy run` says at start of the digests to come: the next one due, and, offline, what it needs.

A terminal's owner who subscribed `console:NAME` for 00:30 and starts paperboy at 04:00 would
otherwise see nothing happen until the next day (a subscription owes no digest due before it began),
and offline, nothing at all: the day's listing never comes.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.delivery.subscriptions import Subscription


def next_digest_note(subscriptions: list[Subscription], now: datetime, *, offline: bool) -> str | None:
    """The line saying which channel gets the next digest (or roundup), when, in its own zone; None
    when no subscription delivers (none, or every one stopped)."""
    dues = [(due, s) for s in subscriptions if s.status is None and (due := s.next_delivery(now)) is not None]
    if not dues:
        return None
    due, first = min(dues, key=lambda pair: (pair[0], str(pair[1].channel)))
    what = "digest" if first.cadence == "daily" else "weekly roundup"
    count = f"{len(dues)} subscription{'s' if len(dues) > 1 else ''}"
    when = f"{due.astimezone(ZoneInfo(first.timezone)):%A %-d %B at %H:%M %Z}"
    note = f"{count}; the next {what}: {first.channel}, {when}"
    if offline:
        note += (
            " (offline: a digest goes out only for a day whose listing the store holds; `paperboy import`"
            " brings listings, or run without PAPERBOY_OFFLINE to fetch them)"
        )
    return note + "."
