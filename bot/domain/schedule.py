"""When a subscription's digest is due: pure functions of a subscription and `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_due(day: date, at: str, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` (HH:MM) on `day` in `zone`; a time skipped by DST moves forward."""
    hour, minute = (int(part) for part in at.split(":"))
    wall = datetime.combine(day, time(hour, minute), tzinfo=zone)
    # Round-tripping through UTC normalises a wall time that does not exist (the spring-forward gap).
    return wall.astimezone(UTC)


def next_delivery(now: datetime, at: str, timezone: str, days: frozenset[int]) -> datetime | None:
    """The first delivery instant strictly after `now` (UTC), or None when `days` is empty."""
    if not days:
        return None
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() in days:
            due = local_due(day, at, zone)
            if due > now:
                return due
    return None


def day_start(now: datetime, zone: str) -> datetime:
    """The start of `now`'s day in the zone (UTC for one no longer known), in UTC: where a schedule begun
    anew that day begins, so that the day's digest is still owed (`Subscription.since`)."""
    try:
        where: tzinfo = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        where = UTC
    return datetime.combine(now.astimezone(where).date(), time(0), where).astimezone(UTC)
